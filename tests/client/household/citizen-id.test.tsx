// D3: an 18-character ID fills D5 birth month and D4 sex, and a wrong check character is shown
// beside the field at once (census-forms.md §6A).
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { field, personCard, renderIn, setup, shows, type, LOAD } from './helpers.tsx';

afterEach(cleanup);

async function openPage() {
  const { db, listing } = await setup();
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
  await screen.findByText(/Household 001/, undefined, LOAD);
}

const radio = (path: (string | number)[], name: RegExp) => within(field(path)).getByRole<HTMLInputElement>('radio', { name });
const messages = (path: (string | number)[]) => document.getElementById(`f-${path.join('-')}-msg`)?.textContent ?? '';

describe('household form: citizen ID', () => {
  it('fills birth month and sex from a valid ID (male, 1990-03)', async () => {
    await openPage();
    type(['persons', 0, 'citizenId'], '1301 0219 9003 0700 11');
    expect((field(['persons', 0, 'birth']) as HTMLInputElement).value).toBe('1990-03');
    expect(radio(['persons', 0, 'sex'], /Male/).checked).toBe(true);
    fireEvent.blur(field(['persons', 0, 'citizenId']));
    expect((field(['persons', 0, 'citizenId']) as HTMLInputElement).value).toBe('130102199003070011');
    // Age 30 now: literacy applies.
    expect(shows(personCard(0), 'D12')).toBe(true);
    expect(messages(['persons', 0, 'citizenId'])).toBe('');
  });

  it('fills a female from an ID ending in x (upper-cased)', async () => {
    await openPage();
    type(['persons', 0, 'citizenId'], '13010220170815002x');
    expect((field(['persons', 0, 'birth']) as HTMLInputElement).value).toBe('2017-08');
    expect(radio(['persons', 0, 'sex'], /Female/).checked).toBe(true);
    expect(shows(personCard(0), 'D12')).toBe(false);
  });

  it('shows a wrong check character beside the field at once and fills nothing', async () => {
    await openPage();
    type(['persons', 0, 'citizenId'], '130102199003070012');
    // No waiting: the instant check, before the debounced edit checks run.
    expect(messages(['persons', 0, 'citizenId'])).toMatch(/check character/i);
    expect(field(['persons', 0, 'citizenId']).getAttribute('aria-invalid')).toBe('true');
    expect((field(['persons', 0, 'birth']) as HTMLInputElement).value).toBe('');
    // The edit checks then report it at the same field, once.
    await waitFor(() => expect(field(['persons', 0, 'citizenId']).closest('.field')?.querySelector('[data-rule]')).not.toBeNull());
    expect(messages(['persons', 0, 'citizenId']).match(/check character/gi)).toHaveLength(1);
  });

  it('flags a number that is too long or has letters while typing', async () => {
    await openPage();
    type(['persons', 0, 'citizenId'], '1301A2');
    expect(messages(['persons', 0, 'citizenId'])).toMatch(/18 characters/);
    type(['persons', 0, 'citizenId'], '1301021990');
    expect(messages(['persons', 0, 'citizenId'])).toBe('');
  });
});
