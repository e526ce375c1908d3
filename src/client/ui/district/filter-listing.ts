// Search and filter of a district's household list. Pure, so it is measured and tested alone;
// the search text of each entry is built once per listing change, not per keystroke.
import type { ListingEntry, VisitStatus } from '../../../domain/index.ts';
import { effectiveStatus } from '../progress.ts';

export interface ListRow {
  entry: ListingEntry;
  status: VisitStatus;
  /** Lower-cased "householdNo address headName" for substring search. */
  haystack: string;
}

export function toRows(entries: readonly ListingEntry[], completed: ReadonlySet<string>): ListRow[] {
  return [...entries]
    .sort((a, b) => a.householdNo.localeCompare(b.householdNo) || a.buildingNo.localeCompare(b.buildingNo))
    .map((entry) => ({
      entry,
      status: effectiveStatus(entry, completed),
      haystack: `${entry.householdNo} ${entry.buildingNo} ${entry.address} ${entry.headName}`.toLowerCase(),
    }));
}

/** Rows whose number, address or head's name contains every word of `query`, with the given outcome. */
export function filterRows(rows: readonly ListRow[], query: string, status: VisitStatus | 'all'): ListRow[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => (status === 'all' || r.status === status) && words.every((w) => r.haystack.includes(w)));
}
