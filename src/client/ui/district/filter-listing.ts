// Search and filter of a district's household list. Pure, so it is measured and tested alone;
// the search text of each entry is built once per listing change, not per keystroke.
//
// The search rule, one kind of query at a time (parseQuery):
//   digits only, 1-3        household number, exact ("2", "02" and "002" find household 002 only)
//   digits only, 6-18       the end of a citizen ID number of a person registered in the household
//                           (the last character may be X; 18 characters is an exact match)
//   "栋2", "楼 2", "bldg 2"  building number, exact (a number after 栋 / 楼 / bldg)
//   anything else           every word in the address or the head's name
// Building numbers and IDs are never matched by a bare household-number query, and the reverse.
import type { ListingEntry, VisitStatus } from '../../../domain/index.ts';
import { effectiveStatus } from '../progress.ts';

/** What a row's badge says: the visit outcome, or 草稿 for a household with unfinished input. */
export type ListStatus = VisitStatus | 'draft';
/** `toVerify`: self-enumerated households not yet verified at the door (issue 13). */
export type ListFilter = ListStatus | 'all' | 'toVerify';

export interface ListRow {
  entry: ListingEntry;
  /** The effective visit outcome (a complete registration counts as registered). */
  status: VisitStatus;
  /** Input was started and not completed: a local draft, or a registration saved as a draft. */
  draft: boolean;
  /** The badge: 草稿 replaces 未登记 (pending) when there is a draft. */
  shown: ListStatus;
  /** Lower-cased "address headName" for word search. */
  haystack: string;
  /** Citizen ID numbers of the household's registered persons, upper-case, no spaces. */
  ids: readonly string[];
  /** Self-enumerated and not yet verified by the enumerator (待核实). */
  toVerify: boolean;
}

export interface RowExtras {
  /** Listing ids with unfinished input (local drafts and incomplete registrations). */
  drafts?: ReadonlySet<string>;
  /** Citizen ID numbers by listing id, from the district's registrations (kept in memory only). */
  citizenIds?: ReadonlyMap<string, readonly string[]>;
  /** Listing ids of self-enumerated registrations not yet verified. */
  toVerify?: ReadonlySet<string>;
}

export type SearchQuery =
  | { kind: 'all' }
  | { kind: 'householdNo'; no: string }
  | { kind: 'building'; no: string }
  | { kind: 'citizenId'; suffix: string }
  /** 4-5 digits: too long for a household number, too short to be safe as an ID ending. */
  | { kind: 'tooShort' }
  | { kind: 'text'; words: string[] };

/** Code-point order: household and building numbers are digit strings, and localeCompare's ICU
 * collator costs ~80 ms on its first use on a throttled phone (measured in bench/ui-cold-start). */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Lower-cases only ASCII letters: Chinese has no case, and String#toLowerCase on two-byte strings
 * goes through ICU, whose first use is slow on a cold start. */
const foldAscii = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** An ID number as typed or stored: spaces dropped, x upper-cased. */
export const normalizeId = (s: string): string => s.replace(/\s+/g, '').replace(/x/g, 'X');

export const MIN_ID_SUFFIX = 6;
const BUILDING = /^(?:栋|楼|bldg\.?|building)\s*[:：#]?\s*([0-9A-Za-z-]+)$/i;

export function parseQuery(query: string): SearchQuery {
  const s = query.trim();
  if (!s) return { kind: 'all' };
  const building = BUILDING.exec(s);
  if (building?.[1]) return { kind: 'building', no: building[1] };
  const compact = s.replace(/\s+/g, '');
  if (/^\d{1,3}$/.test(compact)) return { kind: 'householdNo', no: compact.padStart(3, '0') };
  if (/^\d{3,17}[\dXx]$/.test(compact)) return compact.length < MIN_ID_SUFFIX ? { kind: 'tooShort' } : { kind: 'citizenId', suffix: normalizeId(compact) };
  return { kind: 'text', words: foldAscii(s).split(/\s+/).filter(Boolean) };
}

/** Same number: digit strings compare by value ("2" = "002"), others exactly (Latin case ignored). */
function sameNumber(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) === Number(b);
  return foldAscii(a) === foldAscii(b);
}

function matches(r: ListRow, q: SearchQuery): boolean {
  switch (q.kind) {
    case 'all':
      return true;
    case 'householdNo':
      return r.entry.householdNo === q.no;
    case 'building':
      return sameNumber(r.entry.buildingNo, q.no);
    case 'citizenId':
      return r.ids.some((id) => id.endsWith(q.suffix));
    case 'tooShort':
      return false;
    case 'text':
      return q.words.every((w) => r.haystack.includes(w));
  }
}

export function toRows(entries: readonly ListingEntry[], completed: ReadonlySet<string>, extras: RowExtras = {}): ListRow[] {
  return [...entries]
    .sort((a, b) => byCode(a.householdNo, b.householdNo) || byCode(a.buildingNo, b.buildingNo))
    .map((entry) => {
      const status = effectiveStatus(entry, completed);
      const draft = !completed.has(entry.id) && (extras.drafts?.has(entry.id) ?? false);
      return {
        entry,
        status,
        draft,
        shown: draft && status === 'pending' ? 'draft' : status,
        haystack: foldAscii(`${entry.address} ${entry.headName}`),
        ids: extras.citizenIds?.get(entry.id) ?? [],
        toVerify: extras.toVerify?.has(entry.id) ?? false,
      };
    });
}

function passes(r: ListRow, filter: ListFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'draft') return r.draft;
  if (filter === 'toVerify') return r.toVerify;
  // A draft row is not "pending" (未登记) any more; any other outcome stays findable under its name.
  return r.shown === filter;
}

/** Rows matching `query` (see the rule at the top of this file) with the given badge or outcome. */
export function filterRows(rows: readonly ListRow[], query: string | SearchQuery, filter: ListFilter): ListRow[] {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  return rows.filter((r) => passes(r, filter) && matches(r, q));
}
