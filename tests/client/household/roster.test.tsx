// The person roster (add, reorder, remove; the head first), deaths and overseas persons, and the
// Chinese default with code labels from the domain's code lists.
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUSEHOLD_TYPE, RELATIONSHIP } from '../../../src/domain/index.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { choose, field, personCard, renderIn, setup, shows, type, LOAD } from './helpers.tsx';

afterEach(cleanup);

async function openPage(lang: 'en' | 'default' = 'en') {
  const { db, listing } = await setup();
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, lang === 'en' ? 'en' : undefined);
  await screen.findByText(lang === 'en' ? /Household 001/ : /户编号 001/, undefined, LOAD);
  return { db, listing };
}

const names = () => [...document.querySelectorAll('#f-persons li.hh-record')].map((li) => (li.querySelector('input[id$="-name"]') as HTMLInputElement).value);

describe('household form: roster', () => {
  it('adds, reorders and removes persons', async () => {
    const { listing } = await openPage();
    fireEvent.click(screen.getByRole('button', { name: 'Add a person' }));
    type(['persons', 1, 'name'], '李四');
    fireEvent.click(screen.getByRole('button', { name: 'Add a person' }));
    type(['persons', 2, 'name'], '王五');
    expect(names()).toEqual([listing.headName, '李四', '王五']);

    fireEvent.click(screen.getByRole('button', { name: 'Move record 3 up' }));
    expect(names()).toEqual([listing.headName, '王五', '李四']);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move record 1 up' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move record 3 down' }).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Remove record 2' }));
    fireEvent.click(within(personCard(1)).getByRole('button', { name: 'Remove' }));
    expect(names()).toEqual([listing.headName, '李四']);
    // Answers travel with their person (one card open at a time: open 李四's first).
    fireEvent.click(within(personCard(1)).getByRole('button', { name: /^2\. 李四/ }));
    choose(['persons', 1, 'sex'], /Female/);
    fireEvent.click(screen.getByRole('button', { name: 'Move record 2 up' }));
    expect(names()).toEqual(['李四', listing.headName]);
    expect(within(field(['persons', 0, 'sex'])).getByRole<HTMLInputElement>('radio', { name: /Female/ }).checked).toBe(true);
  });

  it('records deaths with the death-form items', async () => {
    await openPage();
    fireEvent.click(screen.getByRole('button', { name: /Deaths/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Add a death' }));
    const card = personCard(0, 'deaths');
    type(['deaths', 0, 'name'], '赵六');
    type(['deaths', 0, 'birth'], '2019-12');
    type(['deaths', 0, 'death'], '2020-02');
    // An infant: no education or marital status.
    expect(shows(card, 'S7')).toBe(false);
    expect(shows(card, 'S8')).toBe(false);
    type(['deaths', 0, 'birth'], '1930-01');
    expect(shows(card, 'S7')).toBe(true);
    expect(shows(card, 'S8')).toBe(true);
  });

  it('asks the nationality of foreign nationals only', async () => {
    await openPage();
    fireEvent.click(screen.getByRole('button', { name: /HK \/ Macao \/ Taiwan residents/ }));
    fireEvent.click(screen.getByRole('button', { name: /Add an HK/ }));
    expect(document.getElementById('f-overseas-0-nationality')).not.toBeNull(); // undetermined yet: may apply
    choose(['overseas', 0, 'status'], /Hong Kong resident/);
    expect(document.getElementById('f-overseas-0-nationality')).toBeNull();
    choose(['overseas', 0, 'status'], /Foreign national/);
    type(['overseas', 0, 'nationality'], 'kor');
    expect((field(['overseas', 0, 'nationality']) as HTMLInputElement).value).toBe('KOR');
  });

  it('speaks Simplified Chinese by default, with code labels from the code lists', async () => {
    localStorage.clear();
    await openPage('default');
    expect(screen.getByRole('button', { name: /按户填报项目/ })).toBeTruthy();
    const h1 = within(field(['household', 'householdType']));
    expect(h1.getByRole('radio', { name: new RegExp(HOUSEHOLD_TYPE[1]?.zh ?? '-') })).toBeTruthy();
    expect(within(field(['persons', 0, 'relationship'])).getByRole<HTMLInputElement>('radio', { name: new RegExp(RELATIONSHIP[0]?.zh ?? '-') }).checked).toBe(true);
    expect(screen.getByRole('button', { name: '保存' })).toBeTruthy();
  });
});
