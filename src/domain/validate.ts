// The census edit checks (census-forms.md §6A-§6G): validateRegistration runs every rule module
// over a registration (draft or complete) and returns findings; the rule catalogue is rules.ts.
import type { Finding, ListingEntry, RegistrationDraft } from './schemas.ts';
import { checkCitizenIds } from './checks/citizen-id.ts';
import { checkDeaths, checkOverseas } from './checks/deaths.ts';
import { checkHousehold, listingOnlyFindings } from './checks/household.ts';
import { checkLongForm } from './checks/long-form.ts';
import { checkPersons } from './checks/person.ts';
import { checkPresence } from './checks/presence.ts';
import { checkRelationships } from './checks/relationship.ts';

export interface ValidationContext {
  /** The household's listing entry: enables the §6B.11 count comparison and the long-form sample check. */
  listing?: ListingEntry;
}

/** Run every edit check of census-forms.md §6 on a registration (draft or complete). */
export function validateRegistration(reg: RegistrationDraft, ctx?: ValidationContext): Finding[] {
  return [
    ...checkPresence(reg),
    ...checkCitizenIds(reg),
    ...checkHousehold(reg, ctx?.listing),
    ...checkRelationships(reg),
    ...checkPersons(reg),
    ...checkLongForm(reg),
    ...checkDeaths(reg),
    ...checkOverseas(reg),
  ];
}

/**
 * The findings that the listing entry adds to the context-free checks: with `base =
 * validateRegistration(reg)`, `validateRegistration(reg, { listing })` has the same findings as
 * `[...base, ...listingFindings(reg, listing)]`. The server runs the context-free checks before
 * its push transaction and only these, which need the stored listing entry, inside it.
 */
export function listingFindings(reg: RegistrationDraft, listing: ListingEntry): Finding[] {
  // Computed directly (checks/household.ts); tests/domain/listing-findings.test.ts holds it to
  // the difference of the two full runs.
  return listingOnlyFindings(reg, listing);
}
