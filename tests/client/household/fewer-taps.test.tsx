// Fewer taps (issue 10), the pieces the e2e count (tests/e2e/household-taps.test.ts) relies on:
// one person at a time (the others folded to a summary line), next / previous person, D6-D10
// copied from the previous person in one press, "none" for H3 / H4, the numeric keypad for digit
// answers, and the ID number with its spaces dropped as it is typed and an X key.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../../src/domain/index.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { choose, field, personCard, renderIn, setup, type, LOAD } from './helpers.tsx';

afterEach(cleanup);

async function openPage() {
  const { db, listing } = await setup();
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
  await screen.findByText(/Household 001/, undefined, LOAD);
  return { db, listing };
}

const toggle = (i: number) => within(personCard(i)).getAllByRole('button')[0] as HTMLButtonElement;
const isOpen = (i: number) => toggle(i).getAttribute('aria-expanded') === 'true';
const input = (path: (string | number)[]) => field(path) as HTMLInputElement;

describe('household form: one person at a time', () => {
  it('folds the others to a summary line and moves with next / previous; next on the last adds one', async () => {
    const { listing } = await openPage();
    type(['persons', 0, 'citizenId'], makeCitizenId('130102', '1970-05-12', 11, 1));
    fireEvent.click(screen.getByTestId('next-person')); // "Add the next person" on the last one
    await waitFor(() => expect(document.getElementById('f-persons-1')).not.toBeNull());
    expect(isOpen(1)).toBe(true);
    expect(isOpen(0)).toBe(false);
    // The summary: name, relationship, sex and birth (the last two from the ID number).
    expect(toggle(0).textContent).toContain(`1. ${listing.headName} · Head of household · Male · 1970-05`);
    await waitFor(() => expect(document.activeElement).toBe(field(['persons', 1, 'name'])));
    type(['persons', 1, 'name'], '钱秀英');

    fireEvent.click(within(personCard(1)).getByTestId('previous-person'));
    expect(isOpen(0)).toBe(true);
    expect(isOpen(1)).toBe(false);
    expect(toggle(1).textContent).toContain('2. 钱秀英');
    fireEvent.click(within(personCard(0)).getByTestId('next-person'));
    expect(within(personCard(0)).queryByTestId('next-person')).toBeNull();
    expect(isOpen(1)).toBe(true);
    expect(screen.getAllByTestId('next-person')).toHaveLength(1);
    expect(document.querySelectorAll('#f-persons li.hh-record')).toHaveLength(2); // moving did not add

    // A tap on a folded summary opens that person and folds the open one.
    fireEvent.click(toggle(0));
    expect([isOpen(0), isOpen(1)]).toEqual([true, false]);
  });

  it('copies D6-D10 from the previous person in one press, folded to a line that opens on "change"', async () => {
    await openPage();
    fireEvent.click(within(field(['persons', 0, 'ethnicity']).closest('.field') as HTMLElement).getByRole('button', { name: /^01 / }));
    choose(['persons', 0, 'residence'], /^1 /);
    choose(['persons', 0, 'hukou'], /^1 /);
    choose(['persons', 0, 'leftHukouDuration'], /^1 /);
    fireEvent.click(screen.getByTestId('next-person'));
    await waitFor(() => expect(document.getElementById('f-persons-1')).not.toBeNull());
    expect(within(personCard(0)).queryByTestId('same-as-previous')).toBeNull(); // the head has nobody before
    fireEvent.click(within(personCard(1)).getByTestId('same-as-previous'));
    const folded = within(personCard(1)).getByTestId('shared-folded');
    expect(folded.textContent).toMatch(/as person 1: Han · 1 This enumeration district · 1 .* · 1 /);
    expect(document.getElementById('f-persons-1-residence')).toBeNull();
    fireEvent.click(within(folded).getByRole('button', { name: 'Change' }));
    expect(within(field(['persons', 1, 'residence'])).getByRole<HTMLInputElement>('radio', { name: /^1 / }).checked).toBe(true);
    expect(within(field(['persons', 1, 'hukou'])).getByRole<HTMLInputElement>('radio', { name: /^1 / }).checked).toBe(true);
    expect(within(field(['persons', 1, 'leftHukouDuration'])).getByRole<HTMLInputElement>('radio', { name: /^1 / }).checked).toBe(true);
    expect((field(['persons', 1, 'ethnicity']) as HTMLSelectElement).value).toBe('01');
    // Offered only while none of the five is answered.
    expect(within(personCard(1)).queryByTestId('same-as-previous')).toBeNull();
  });

  it('answers H3 / H4 "none" in one press', async () => {
    await openPage();
    fireEvent.click(within(field(['household', 'births'])).getByTestId('counts-none'));
    expect([input(['household', 'births', 'input']).value, input(['household', 'births', 'input', 'female']).value]).toEqual(['0', '0']);
  });
});

describe('household form: keypads', () => {
  it('opens the numeric keypad for digit answers', async () => {
    await openPage();
    for (const path of [['household', 'residents'], ['household', 'rooms'], ['household', 'births', 'input'], ['household', 'births', 'input', 'female']]) {
      expect(input(path).inputMode, path.join('.')).toBe('numeric');
      expect(input(path).pattern, path.join('.')).toBe('[0-9]*');
    }
    expect(input(['household', 'floorArea']).inputMode).toBe('decimal');
    expect(input(['persons', 0, 'birth']).inputMode).toBe('numeric');
    expect(input(['persons', 0, 'citizenId']).inputMode).toBe('numeric');
  });

  it('drops spaces from the ID number as it is typed, and has an X key for the check character', async () => {
    await openPage();
    type(['persons', 0, 'citizenId'], '1301 0220 1708 1500 2');
    expect(input(['persons', 0, 'citizenId']).value).toBe('13010220170815002'); // no blur needed
    fireEvent.click(within(input(['persons', 0, 'citizenId']).parentElement as HTMLElement).getByRole('button', { name: /X/ }));
    expect(input(['persons', 0, 'citizenId']).value).toBe('13010220170815002X');
    expect(input(['persons', 0, 'birth']).value).toBe('2017-08'); // a valid number fills birth and sex
  });
});
