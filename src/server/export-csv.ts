// The CSV export: one row per person with the household's columns repeated, headers are the
// data-model field names (nested ones dotted: `household.births.male`, `person.residence.code`),
// UTF-8 with a BOM so spreadsheet programs show Chinese. Deaths and overseas persons are in the
// JSON export only.
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

export function registrationsToCsv(regs: readonly RegistrationDraft[]): string {
  const rows: Map<string, Cell>[] = [];
  const hhCols = new Set<string>();
  const pCols = new Set<string>();
  for (const r of regs) {
    const base = new Map<string, Cell>();
    for (const c of REG_COLS) base.set(c, r[c]);
    const hh = new Map<string, Cell>();
    flatten(r.household, 'household', hh);
    for (const k of hh.keys()) hhCols.add(k);
    const persons = r.persons.length > 0 ? r.persons : [undefined];
    for (const p of persons) {
      const row = new Map([...base, ...hh]);
      if (p) {
        const pm = new Map<string, Cell>();
        flatten(p, 'person', pm);
        for (const [k, v] of pm) {
          pCols.add(k);
          row.set(k, v);
        }
      }
      rows.push(row);
    }
  }
  const hhOrder = Object.keys(HouseholdDraftSchema.shape);
  const pOrder = Object.keys(PersonDraftSchema.shape);
  const sortBy = (order: readonly string[], base: string) => (a: string, b: string) => rank(order, a, base) - rank(order, b, base) || (a < b ? -1 : a > b ? 1 : 0);
  const cols = [...REG_COLS, ...[...hhCols].sort(sortBy(hhOrder, 'household')), ...[...pCols].sort(sortBy(pOrder, 'person'))];
  const lines = [cols.join(','), ...rows.map((row) => cols.map((c) => csvCell(row.get(c))).join(','))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
