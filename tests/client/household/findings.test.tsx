// Findings beside their field and in the summary; "go to" opens what holds the field and focuses
// it. The edit checks are injected here, so the test pins the form's behaviour, not the rules.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, RegistrationDraft } from '../../../src/domain/index.ts';
import { HouseholdForm } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { completeDraft, field, personCard, renderIn, setup } from './helpers.tsx';

afterEach(cleanup);

const warnBirth: Finding = { rule: 'T_WARN', severity: 'warning', path: ['persons', 1, 'birth'], message: { zh: '出生年月可疑', en: 'Birth looks odd' } };
const errRooms: Finding = { rule: 'T_ERR', severity: 'error', path: ['household', 'rooms'], message: { zh: '间数错误', en: 'Rooms are wrong' } };
const errPersons: Finding = { rule: 'T_COUNT', severity: 'error', path: ['persons'], message: { zh: '人数不符', en: 'Person count differs' } };

async function openForm(validate: (reg: RegistrationDraft) => Finding[]) {
  const { listing } = await setup();
  const base = completeDraft(listing);
  const initial: RegistrationDraft = { ...base, persons: [...base.persons, { id: 'p-2', name: '李四', relationship: 2, sex: 2, birth: '1900-01' }] };
  let n = 0;
  renderIn(
    <HouseholdForm
      listing={listing}
      initial={initial}
      validate={validate}
      save={() => Promise.reject(new Error('not in this test'))}
      newId={() => `new-${++n}`}
      onClose={() => {}}
      validationDelayMs={10}
    />,
    'en',
  );
}

describe('household form: findings', () => {
  it('shows each finding beside its field and all of them in the summary', async () => {
    await openForm(() => [warnBirth, errRooms, errPersons]);
    expect(within(field(['household', 'rooms']).closest('.field') as HTMLElement).getByText(/Rooms are wrong/)).toBeTruthy();
    const summary = within(field(['findings']));
    expect(summary.getAllByRole('button', { name: 'Go to the field' })).toHaveLength(3);
    // Errors first.
    const entries = field(['findings']).querySelectorAll('[data-rule]');
    expect([...entries].map((e) => e.getAttribute('data-rule'))).toEqual(['T_ERR', 'T_COUNT', 'T_WARN']);
    expect(screen.getByText('2 errors · 1 to confirm', { exact: false })).toBeTruthy();
  });

  it('jumps to a field in a closed person card and focuses it', async () => {
    await openForm(() => [warnBirth]);
    const body = document.getElementById('f-persons-1-body');
    expect(body?.hidden).toBe(true);
    const entry = field(['findings']).querySelector('[data-rule="T_WARN"]') as HTMLElement;
    fireEvent.click(within(entry).getByRole('button', { name: 'Go to the field' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('f-persons-1-birth'));
    expect(body?.hidden).toBe(false);
  });

  it('jumps into a collapsed section, and to the section for a finding without a field', async () => {
    await openForm(() => [errRooms, errPersons]);
    fireEvent.click(screen.getByRole('button', { name: /Household items/ }));
    expect(document.getElementById('f-household-body')?.hidden).toBe(true);
    const rooms = field(['findings']).querySelector('[data-rule="T_ERR"]') as HTMLElement;
    fireEvent.click(within(rooms).getByRole('button', { name: 'Go to the field' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('f-household-rooms'));
    const count = field(['findings']).querySelector('[data-rule="T_COUNT"]') as HTMLElement;
    fireEvent.click(within(count).getByRole('button', { name: 'Go to the field' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('f-persons'));
  });

  it('confirms a warning with a reason and a note, and can undo it', async () => {
    await openForm(() => [warnBirth]);
    const entry = () => field(['findings']).querySelector('[data-rule="T_WARN"]') as HTMLElement;
    fireEvent.click(within(entry()).getByRole('button', { name: /Confirm as correct/ }));
    // "Other" without a note is refused.
    fireEvent.click(within(entry()).getByRole('radio', { name: 'Other' }));
    fireEvent.click(within(entry()).getByRole('button', { name: 'Confirm' }));
    expect(within(entry()).getByRole('alert').textContent).toMatch(/reason/);
    fireEvent.click(within(entry()).getByRole('radio', { name: 'Document seen' }));
    fireEvent.change(within(entry()).getByRole('textbox', { name: 'Note' }), { target: { value: 'hukou booklet' } });
    fireEvent.click(within(entry()).getByRole('button', { name: 'Confirm' }));
    expect(entry().textContent).toMatch(/Confirmed: Document seen — hukou booklet/);
    expect(screen.getByText('0 errors · 0 to confirm', { exact: false })).toBeTruthy();
    fireEvent.click(within(entry()).getByRole('button', { name: 'Undo confirmation' }));
    expect(screen.getByText('0 errors · 1 to confirm', { exact: false })).toBeTruthy();
  });

  it('re-checks the draft as the user types', async () => {
    await openForm((reg) => ((reg.household.rooms ?? 0) > 20 ? [errRooms] : []));
    expect(field(['findings']).querySelector('[data-rule]')).toBeNull();
    fireEvent.change(field(['household', 'rooms']), { target: { value: '25' } });
    await waitFor(() => expect(field(['findings']).querySelector('[data-rule="T_ERR"]')).not.toBeNull());
    fireEvent.change(field(['household', 'rooms']), { target: { value: '3' } });
    await waitFor(() => expect(field(['findings']).querySelector('[data-rule]')).toBeNull());
    expect(personCard(0)).toBeTruthy();
  });
});
