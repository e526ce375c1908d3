// Findings of the draft, recomputed a moment after the user stops typing (the checks walk the
// whole household, so not on every keystroke), and at once on demand (before "complete").
import { useCallback, useEffect, useState } from 'react';
import type { Finding, ListingEntry, RegistrationDraft } from '../../../domain/index.ts';

export type Validate = (reg: RegistrationDraft, ctx: { listing: ListingEntry }) => Finding[];

export const VALIDATION_DELAY_MS = 250;

// Most keystrokes change no finding: keeping the same array then spares every field a re-render.
const keepIfSame = (next: Finding[]) => (prev: Finding[]) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next);

export function useFindings(draft: RegistrationDraft, listing: ListingEntry, validate: Validate, delayMs = VALIDATION_DELAY_MS) {
  const [findings, setFindings] = useState<Finding[]>(() => validate(draft, { listing }));
  useEffect(() => {
    const timer = setTimeout(() => setFindings(keepIfSame(validate(draft, { listing }))), delayMs);
    return () => clearTimeout(timer);
  }, [draft, listing, validate, delayMs]);
  const validateNow = useCallback(() => {
    const f = validate(draft, { listing });
    setFindings(keepIfSame(f));
    return f;
  }, [draft, listing, validate]);
  return { findings, validateNow };
}
