// Pure edits of a registration draft (lists of persons / deaths / overseas persons, overrides),
// kept apart from React so the reducer stays a switch over named edits.
import type { Finding, ListingEntry, OverrideReason, RegistrationDraft } from '../../../domain/index.ts';
import { REL } from '../../../domain/index.ts';
import { samePath } from './paths.ts';

export type ListKey = 'persons' | 'deaths' | 'overseas';

export function replaceAt<T>(list: readonly T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

/** Move item `i` one place up (-1) or down (+1); out-of-range moves leave the list as it is. */
export function moveBy<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  const a = list[i];
  const b = list[j];
  if (a === undefined || b === undefined) return [...list];
  const next = [...list];
  next[i] = b;
  next[j] = a;
  return next;
}

export function withOverride(reg: RegistrationDraft, f: Finding, reason: OverrideReason, note: string): RegistrationDraft {
  const rest = reg.overrides.filter((o) => !(o.rule === f.rule && samePath(o.path, f.path)));
  return { ...reg, overrides: [...rest, { rule: f.rule, path: [...f.path], reason, note }] };
}

export function withoutOverride(reg: RegistrationDraft, f: Finding): RegistrationDraft {
  return { ...reg, overrides: reg.overrides.filter((o) => !(o.rule === f.rule && samePath(o.path, f.path))) };
}

/**
 * A new draft for a listing entry: long form iff the listing says so; the head's name is copied
 * from the listing (the 户主姓名底册 links to the form) and stands first as head (D2=0).
 */
export function newRegistration(listing: ListingEntry, newId: () => string, now: Date): RegistrationDraft {
  return {
    id: newId(),
    listingId: listing.id,
    districtCode: listing.districtCode,
    householdNo: listing.householdNo,
    form: listing.longForm ? 'long' : 'short',
    source: 'enumerator',
    status: 'draft',
    household: { householdType: listing.householdType },
    persons: [{ id: newId(), name: listing.headName, relationship: REL.head }],
    deaths: [],
    overseas: [],
    overrides: [],
    version: 1,
    updatedAt: now.toISOString(),
  };
}
