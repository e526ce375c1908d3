// Realistic households from the domain's generator open in the form as they are: every answer
// shown, no answer flagged as "does not apply", no typed text refused, and the summary holds
// exactly the edit checks' findings.
import { cleanup, fireEvent } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDistrict, validateRegistration, type RegistrationDraft } from '../../../src/domain/index.ts';
import { HouseholdForm } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { field, renderIn } from './helpers.tsx';

afterEach(cleanup);

const g = generateDistrict({ seed: 11, code: '130102003003001', enumerators: ['u1'], households: 40, longFormShare: 0.5 });
const pick = (form: 'short' | 'long', n: number) => g.registrations.filter((r) => r.form === form && r.persons.length > 1).slice(0, n);

function open(reg: RegistrationDraft) {
  const listing = g.listing.find((l) => l.id === reg.listingId);
  if (!listing) throw new Error('listing missing');
  renderIn(
    <HouseholdForm listing={listing} initial={reg} validate={validateRegistration} save={() => Promise.reject(new Error('no save here'))} newId={() => 'x'} onClose={() => {}} />,
    'en',
  );
  // Open every record card, so every answer is rendered.
  for (const t of [...document.querySelectorAll<HTMLButtonElement>('.hh-record-toggle[aria-expanded="false"]')]) fireEvent.click(t);
  for (const t of [...document.querySelectorAll<HTMLButtonElement>('.hh-section-toggle[aria-expanded="false"]')]) fireEvent.click(t);
}

describe('household form: generated households', () => {
  it.each([...pick('short', 3), ...pick('long', 3)].map((r) => [`${r.form} ${r.householdNo} (${r.persons.length} persons)`, r] as const))('opens %s cleanly', (_, reg) => {
    open(reg);
    expect([...document.querySelectorAll('.field.has-warning')].map((e) => e.querySelector('legend, label')?.textContent)).toEqual([]);
    expect(document.querySelectorAll('.msg.error-text')).toHaveLength(0);
    reg.persons.forEach((p, i) => {
      expect((field(['persons', i, 'name']) as HTMLInputElement).value).toBe(p.name);
      expect((field(['persons', i, 'birth']) as HTMLInputElement).value).toBe(p.birth);
    });
    const shown = [...field(['findings']).querySelectorAll('[data-rule]')].map((e) => e.getAttribute('data-rule')).sort();
    const listing = g.listing.find((l) => l.id === reg.listingId);
    expect(listing).toBeDefined();
    expect(shown).toEqual(validateRegistration(reg, listing ? { listing } : {}).map((f) => f.rule).sort());
  });
});
