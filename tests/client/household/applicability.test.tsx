// Only the items that apply are shown, recomputed as answers change (census-forms.md §1, §2).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { choose, field, personCard, renderIn, setup, shows, type, LOAD } from './helpers.tsx';

afterEach(cleanup);

async function openPage(longForm = false) {
  const { db, listing } = await setup({ longForm });
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
  await screen.findByText(/Household 001/, undefined, LOAD);
  return { db, listing };
}

describe('household form: applicability', () => {
  it('hides D12 (literacy) for a child of 10 and shows it for someone of 15', async () => {
    await openPage();
    type(['persons', 0, 'birth'], '2010-05');
    await waitFor(() => expect(shows(personCard(0), 'D11')).toBe(true));
    expect(shows(personCard(0), 'D12')).toBe(false);
    type(['persons', 0, 'birth'], '2005-10');
    await waitFor(() => expect(shows(personCard(0), 'D12')).toBe(true));
    // Born 2005-11: not yet 15 at 2020-11-01.
    type(['persons', 0, 'birth'], '2005-11');
    await waitFor(() => expect(shows(personCard(0), 'D12')).toBe(false));
  });

  it('hides D11 and D12 for a baby of 2', async () => {
    await openPage();
    type(['persons', 0, 'birth'], '201806');
    fireEvent.blur(field(['persons', 0, 'birth']));
    expect((field(['persons', 0, 'birth']) as HTMLInputElement).value).toBe('2018-06');
    expect(shows(personCard(0), 'D11')).toBe(false);
    expect(shows(personCard(0), 'D12')).toBe(false);
  });

  it('hides H6 / H7 when H5 is not an ordinary dwelling', async () => {
    await openPage();
    const household = field(['household']);
    expect(shows(household, 'H5')).toBe(true);
    choose(['household', 'dwellingType'], /^2 /);
    expect(shows(household, 'H6')).toBe(false);
    expect(shows(household, 'H7')).toBe(false);
    choose(['household', 'dwellingType'], /^1 /);
    expect(shows(household, 'H6')).toBe(true);
    expect(shows(household, 'H7')).toBe(true);
    // Short form: no H8-H19.
    expect(shows(household, 'H8')).toBe(false);
  });

  it('shows H8-H19 on the long form for an ordinary dwelling, H18 only when rented', async () => {
    await openPage(true);
    const household = field(['household']);
    choose(['household', 'dwellingType'], /^1 /);
    for (const item of ['H8', 'H9', 'H10', 'H11', 'H12', 'H13', 'H14', 'H15', 'H16', 'H17', 'H19']) expect(shows(household, item), item).toBe(true);
    choose(['household', 'tenure'], /^3 /);
    expect(shows(household, 'H18')).toBe(false);
    choose(['household', 'tenure'], /^2 /);
    expect(shows(household, 'H18')).toBe(true);
  });

  it('hides D10 when D9=1 and D9/D10 when hukou is pending (D8=5)', async () => {
    await openPage();
    const card = personCard(0);
    choose(['persons', 0, 'hukou'], /^3 /);
    expect(shows(card, 'D9')).toBe(true);
    choose(['persons', 0, 'leftHukouDuration'], /^1 /);
    expect(shows(card, 'D10')).toBe(false);
    choose(['persons', 0, 'leftHukouDuration'], /^4 /);
    expect(shows(card, 'D10')).toBe(true);
    choose(['persons', 0, 'leftHukouReason'], /^1 /);
    choose(['persons', 0, 'hukou'], /^5 /);
    // D9 / D10 now do not apply but hold answers: they stay visible, flagged, until cleared.
    expect(field(['persons', 0, 'leftHukouDuration']).textContent).toMatch(/does not apply/);
  });

  it('asks for the place where D7=5 or D8=4', async () => {
    await openPage();
    const card = personCard(0);
    expect(document.getElementById('f-persons-0-residence-place')).toBeNull();
    choose(['persons', 0, 'residence'], /^5 /);
    expect(field(['persons', 0, 'residence', 'place'])).toBeTruthy();
    choose(['persons', 0, 'hukou'], /^4 /);
    expect(field(['persons', 0, 'hukou', 'place'])).toBeTruthy();
    expect(shows(card, 'D8')).toBe(true);
  });
});

describe('household form: long-form person items', () => {
  it('follows work, marriage and fertility skips (C18-C27)', async () => {
    await openPage(true);
    const card = personCard(0);
    expect(shows(card, 'C1')).toBe(true);
    choose(['persons', 0, 'sex'], /Female/);
    type(['persons', 0, 'birth'], '1985-03');
    choose(['persons', 0, 'work'], /^1 /);
    expect(shows(card, 'C19')).toBe(true);
    expect(shows(card, 'C22')).toBe(false);
    expect(document.getElementById('f-persons-0-work-hours')).not.toBeNull();
    choose(['persons', 0, 'work'], /^3 /);
    expect(shows(card, 'C22')).toBe(true);
    expect(shows(card, 'C19')).toBe(false);
    expect(document.getElementById('f-persons-0-work-hours')).toBeNull();

    choose(['persons', 0, 'marital'], /^1 /);
    expect(shows(card, 'C25')).toBe(false);
    choose(['persons', 0, 'marital'], /^2 /);
    expect(shows(card, 'C25')).toBe(true);

    // A woman of 35: children ever born and births last year apply; not to a man, nor at 55 (C27).
    expect(shows(card, 'C26')).toBe(true);
    expect(shows(card, 'C27')).toBe(true);
    type(['persons', 0, 'birth'], '1965-03');
    expect(shows(card, 'C26')).toBe(true);
    expect(shows(card, 'C27')).toBe(false);
    choose(['persons', 0, 'sex'], /^1 /);
    expect(shows(card, 'C26')).toBe(false);
    // 60+: living arrangement and health.
    expect(shows(card, 'C28')).toBe(false);
    type(['persons', 0, 'birth'], '1950-03');
    expect(shows(card, 'C28')).toBe(true);
    expect(shows(card, 'C29')).toBe(true);
  });

  it('records births in the last year as rows, or "none" as an empty list', async () => {
    await openPage(true);
    choose(['persons', 0, 'sex'], /Female/);
    type(['persons', 0, 'birth'], '1990-01');
    const births = field(['persons', 0, 'birthsLastYear']);
    fireEvent.click(within(births).getByRole('radio', { name: 'Gave birth' }));
    fireEvent.change(within(births).getByRole('textbox', { name: /Baby 1: year and month/ }), { target: { value: '2020-03' } });
    // Month without sex: not complete yet.
    expect(births.textContent).toMatch(/Fill in every part/);
    fireEvent.click(within(within(births).getByRole('radiogroup', { name: /Baby 1: sex/ })).getByRole('radio', { name: 'Female' }));
    expect(births.textContent).not.toMatch(/Fill in every part/);
    fireEvent.click(within(births).getByRole('radio', { name: 'No births' }));
    expect(within(births).queryByRole('textbox')).toBeNull();
  });
});
