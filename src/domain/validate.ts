// PLACEHOLDER until the edit checks land (issue 2): the signature is the contract.
import type { Finding, RegistrationDraft, ListingEntry } from './schemas.ts';

export interface ValidationContext {
  listing?: ListingEntry;
}

/** Run every edit check of census-forms.md §6 on a registration (draft or complete). */
export function validateRegistration(_reg: RegistrationDraft, _ctx?: ValidationContext): Finding[] {
  return [];
}
