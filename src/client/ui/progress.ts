// Progress of a district by visit outcome. A household with a complete registration counts as
// registered even if its listing entry still says otherwise (the entry may be updated later).
import { VISIT_STATUS, type ListingEntry, type VisitStatus } from '../../domain/index.ts';

export type VisitCounts = Record<VisitStatus, number>;

export const VISIT_ORDER = VISIT_STATUS.map((c) => c.code) as VisitStatus[];

export function emptyCounts(): VisitCounts {
  return { pending: 0, registered: 0, selfReported: 0, notAtHome: 0, refused: 0, vacant: 0, demolished: 0 };
}

/** The outcome shown for an entry, given the ids of listing entries whose registration is complete. */
export function effectiveStatus(entry: ListingEntry, completed: ReadonlySet<string>): VisitStatus {
  if (completed.has(entry.id) && entry.visit.status !== 'selfReported') return 'registered';
  return entry.visit.status;
}

export function countByStatus(entries: readonly ListingEntry[], completed: ReadonlySet<string>): VisitCounts {
  const counts = emptyCounts();
  for (const e of entries) counts[effectiveStatus(e, completed)] += 1;
  return counts;
}

export function doneOf(c: VisitCounts): number {
  return c.registered + c.selfReported;
}
