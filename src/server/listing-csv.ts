// The office's listing file (户主姓名底册) as CSV: one household per row, headers are the
// ListingEntry field names (nested ones dotted: expected.residents, visit.status), plus an
// optional districtName. Every row is checked with ListingEntrySchema; problems come back as
// values with their line numbers, so the CLI can refuse the whole file.
import { createHash } from 'node:crypto';
import { ListingEntrySchema, type ListingEntry } from '../domain/index.ts';
import { parseCsv } from './csv.ts';

export interface ListingRowError {
  line: number;
  message: string;
}

export type ListingCsvResult = { ok: true; entries: ListingEntry[]; districtNames: Map<string, string> } | { ok: false; errors: ListingRowError[] };

const INT_FIELDS = new Set(['householdType', 'expected.residents', 'expected.hukouHereAbsent', 'expected.births', 'expected.deaths', 'expected.overseas', 'visit.attempts']);
const BOOL_FIELDS = new Set(['selfEnumeration', 'longForm']);
const BOOLS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, 是: true, 否: false };

/** Stable id for rows without one, so importing the same file twice finds the same entries. */
function derivedId(o: Record<string, unknown>): string {
  const key = ['districtCode', 'buildingNo', 'unitNo', 'householdNo'].map((k) => (typeof o[k] === 'string' ? o[k] : '')).join('|');
  return `L-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

function setPath(o: Record<string, unknown>, path: string, value: unknown) {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    o[head] = value;
    return;
  }
  const child = o[head];
  const next: Record<string, unknown> = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  o[head] = next;
  setPath(next, rest.join('.'), value);
}

function cellValue(col: string, raw: string): unknown {
  const v = raw.trim();
  if (INT_FIELDS.has(col)) return /^-?\d+$/.test(v) ? Number(v) : v;
  if (BOOL_FIELDS.has(col)) return v.toLowerCase() in BOOLS ? BOOLS[v.toLowerCase()] : v;
  return v;
}

export function parseListingCsv(text: string): ListingCsvResult {
  const records = parseCsv(text);
  const errors: ListingRowError[] = [];
  const header = records[0];
  if (!header) return { ok: false, errors: [{ line: 1, message: 'the file is empty' }] };
  const cols = header.fields.map((c) => c.trim());
  for (const required of ['districtCode', 'buildingNo', 'householdNo', 'address', 'headName', 'kind', 'householdType']) {
    if (!cols.includes(required)) errors.push({ line: header.line, message: `missing column ${required}` });
  }
  if (errors.length > 0) return { ok: false, errors };
  const entries: ListingEntry[] = [];
  const districtNames = new Map<string, string>();
  const seenIds = new Map<string, number>();
  const seenNos = new Map<string, number>();
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== cols.length) {
      errors.push({ line: rec.line, message: `expected ${cols.length} fields, found ${rec.fields.length}` });
      continue;
    }
    const o: Record<string, unknown> = { selfEnumeration: false, longForm: false, origin: 'listing', visit: { status: 'pending', attempts: 0 } };
    let districtName: string | undefined;
    cols.forEach((c, i) => {
      const raw = rec.fields[i] ?? '';
      if (raw.trim() === '') return; // empty cell = absent (optional answers are absent, not "")
      if (c === 'districtName') districtName = raw.trim();
      else setPath(o, c, cellValue(c, raw));
    });
    o.id ??= derivedId(o);
    const parsed = ListingEntrySchema.safeParse(o);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ line: rec.line, message: `${issue.path.join('.') || 'row'}: ${issue.message}` });
      continue;
    }
    const e = parsed.data;
    const dupId = seenIds.get(e.id);
    if (dupId !== undefined) errors.push({ line: rec.line, message: `id ${e.id} repeats line ${dupId}` });
    const noKey = `${e.districtCode}/${e.householdNo}`;
    const dupNo = seenNos.get(noKey);
    if (dupNo !== undefined) errors.push({ line: rec.line, message: `household number ${e.householdNo} repeats line ${dupNo} in district ${e.districtCode}` });
    seenIds.set(e.id, rec.line);
    seenNos.set(noKey, rec.line);
    if (districtName !== undefined) districtNames.set(e.districtCode, districtName);
    entries.push(e);
  }
  if (entries.length === 0 && errors.length === 0) errors.push({ line: header.line, message: 'the file has no rows' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries, districtNames };
}
