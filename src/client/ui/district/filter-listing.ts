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

/** Code-point order: household and building numbers are digit strings, and localeCompare's ICU
 * collator costs ~80 ms on its first use on a throttled phone (measured in bench/ui-cold-start). */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Lower-cases only ASCII letters: Chinese has no case, and String#toLowerCase on two-byte strings
 * goes through ICU, whose first use is slow on a cold start. */
const foldAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

export function toRows(entries: readonly ListingEntry[], completed: ReadonlySet<string>): ListRow[] {
  return [...entries]
    .sort((a, b) => byCode(a.householdNo, b.householdNo) || byCode(a.buildingNo, b.buildingNo))
    .map((entry) => ({
      entry,
      status: effectiveStatus(entry, completed),
      haystack: foldAscii(`${entry.householdNo} ${entry.buildingNo} ${entry.address} ${entry.headName}`),
    }));
}

/** Rows whose number, address or head's name contains every word of `query`, with the given outcome. */
export function filterRows(rows: readonly ListRow[], query: string, status: VisitStatus | 'all'): ListRow[] {
  const words = foldAscii(query.trim()).split(/\s+/).filter(Boolean);
  return rows.filter((r) => (status === 'all' || r.status === status) && words.every((w) => r.haystack.includes(w)));
}
