// The CSV export, for machines (scripts, database loads; people get the XLSX, export-xlsx.ts):
// one row per person with the household's columns repeated, headers are the data-model field
// names (nested ones dotted: `household.births.male`, `person.residence.code`), values as stored
// (codes "01", "003", 18-digit IDs as digits). A spreadsheet that opens it with default settings
// guesses types and destroys IDs and leading zeros, which is why it is not the office's file.
// UTF-8 with a BOM in every copy (route, CLI, the dashboard's download keeps the bytes), so a
// program that honours it reads Chinese correctly. Deaths and overseas persons are in the JSON
// and XLSX exports only.
import { HouseholdDraftSchema, PersonDraftSchema, type RegistrationDraft } from '../domain/index.ts';

const REG_COLS = ['id', 'listingId', 'districtCode', 'householdNo', 'form', 'source', 'status', 'version', 'updatedAt'] as const;

type Cell = string | number | boolean | undefined;

/** Leaf values of an object as dotted paths; arrays of objects become one JSON cell. */
function flatten(value: unknown, prefix: string, out: Map<string, Cell>) {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    out.set(prefix, JSON.stringify(value));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.set(prefix, value);
}

function rank(order: readonly string[], col: string, base: string): number {
  const top = col.slice(base.length + 1).split('.')[0] ?? '';
  const i = order.indexOf(top);
  return i < 0 ? order.length : i;
}

export function csvCell(v: Cell): string {
  if (v === undefined) return '';
  let s = String(v);
  // A text cell starting with a formula character would run as a formula in a spreadsheet.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The columns seen so far (the CSV header is the union over every exported household). */
export class CsvColumns {
  readonly household = new Set<string>();
  readonly person = new Set<string>();
  add(r: RegistrationDraft) {
    const hh = new Map<string, Cell>();
    flatten(r.household, 'household', hh);
    for (const k of hh.keys()) this.household.add(k);
    for (const p of r.persons) {
      const pm = new Map<string, Cell>();
      flatten(p, 'person', pm);
      for (const k of pm.keys()) this.person.add(k);
    }
  }
  ordered(): string[] {
    const hhOrder = Object.keys(HouseholdDraftSchema.shape);
    const pOrder = Object.keys(PersonDraftSchema.shape);
    const sortBy = (order: readonly string[], base: string) => (a: string, b: string) => rank(order, a, base) - rank(order, b, base) || (a < b ? -1 : a > b ? 1 : 0);
    return [...REG_COLS, ...[...this.household].sort(sortBy(hhOrder, 'household')), ...[...this.person].sort(sortBy(pOrder, 'person'))];
  }
}

export const CSV_BOM = '\uFEFF';

/** The CSV lines (one per person, or one for a household without persons) of one registration. */
export function registrationCsvLines(r: RegistrationDraft, cols: readonly string[]): string[] {
  const base = new Map<string, Cell>();
  for (const c of REG_COLS) base.set(c, r[c]);
  flatten(r.household, 'household', base);
  const persons = r.persons.length > 0 ? r.persons : [undefined];
  return persons.map((p) => {
    const row = new Map(base);
    if (p) flatten(p, 'person', row);
    return cols.map((c) => csvCell(row.get(c))).join(',');
  });
}

export function registrationsToCsv(regs: readonly RegistrationDraft[]): string {
  const columns = new CsvColumns();
  for (const r of regs) columns.add(r);
  const cols = columns.ordered();
  const lines = [cols.join(','), ...regs.flatMap((r) => registrationCsvLines(r, cols))];
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
