// Department registers (部门资料: the hukou register, birth and death records) and the national
// office's problem list (问题清单) as CSV. Pure functions, no I/O. Every row is checked with its
// physical line number; any problem refuses the whole file (all or nothing), because a partly
// imported register would make the comparison report people as missing who are merely unread.
// Each row gets a stable key, so the same file imported twice is recognised row by row.
import { createHash } from 'node:crypto';
import { DistrictCodeSchema, HouseholdNoSchema, REVIEW_CATEGORIES, checkCitizenId, normalizeCitizenId, upgradeLegacyCitizenId, type ReviewCategory } from '../domain/index.ts';
import { parseCsv, type CsvRecord } from './csv.ts';
import type { NationalProblem, RegisterKind, RegisterRecord } from './review-types.ts';
import { decodeUtf8Text } from './text-encoding.ts';

export const REGISTER_COLUMNS: Record<RegisterKind, readonly string[]> = {
  hukou: ['citizenId', 'name', 'sex', 'birth', 'districtCode', 'address'],
  births: ['childName', 'sex', 'birth', 'districtCode', 'address', 'childCitizenId', 'motherName', 'motherCitizenId'],
  deaths: ['citizenId', 'name', 'sex', 'birth', 'death', 'districtCode'],
};
export const PROBLEM_COLUMNS = ['districtCode', 'householdNo', 'category', 'citizenId', 'name', 'message'] as const;

/** The categories as the national list names them in Chinese. */
export const CATEGORY_NAMES_ZH = {
  户籍人口漏报: 'hukouMissing',
  户籍人口错填: 'hukouMismatch',
  低龄人口漏报: 'childMissing',
  低龄人口错填: 'childMismatch',
  死亡人口漏报: 'deathMissing',
  重复登记: 'duplicate',
  内部逻辑: 'internalLogic',
  其他: 'other',
} as const satisfies Record<string, ReviewCategory>;

export interface RowError {
  /** Physical line of the row in the file (1 = header); 0 for the "... and N more" entry and for file-level problems (encoding). */
  line: number;
  message: string;
}
/** `lines[i]` is the physical line of `records[i]` (quoted newlines and blank lines make it differ from i + 2). */
export type RegisterCsvResult = { ok: true; records: RegisterRecord[]; lines: number[] } | { ok: false; errors: RowError[] };
export type ProblemsCsvResult = { ok: true; problems: NationalProblem[]; lines: number[] } | { ok: false; errors: RowError[] };

/** At most this many errors are listed; then one last entry with line 0 says how many more there were. */
export const MAX_ERRORS = 100;

class Errors {
  readonly list: RowError[] = [];
  /** All errors, listed or not: rows are judged by this, so the cap cannot let a bad row through to the key checks. */
  count = 0;
  add(line: number, message: string) {
    this.count++;
    if (this.list.length < MAX_ERRORS) this.list.push({ line, message });
  }
  done(): RowError[] {
    const more = this.count - this.list.length;
    return more > 0 ? [...this.list, { line: 0, message: `... and ${more} more problem(s)` }] : this.list;
  }
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);
// Names and addresses are single-line; messages may hold line breaks and tabs but never NUL (PostgreSQL text) or other controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Plain-object lookups would find "constructor" or "toString" on the prototype; Maps do not. */
const SEXES = new Map<string, 1 | 2>([
  ['1', 1],
  ['2', 2],
  ['男', 1],
  ['女', 2],
  ['m', 1],
  ['f', 2],
]);
const CATEGORIES = new Map<string, ReviewCategory>([...REVIEW_CATEGORIES.map((c) => [c, c] as const), ...Object.entries(CATEGORY_NAMES_ZH)]);

const show = (c: string) => (c === '' ? '(empty)' : c);

/** Column name -> index, or undefined after reporting missing, unknown and repeated columns on the header's line. */
function header(rec: CsvRecord, expected: readonly string[], errors: Errors): Map<string, number> | undefined {
  const cols = rec.fields.map((f) => f.trim());
  const unknown = cols.filter((c) => !expected.includes(c));
  const missing = expected.filter((c) => !cols.includes(c));
  const repeated = cols.filter((c, i) => expected.includes(c) && cols.indexOf(c) !== i);
  if (unknown.length === 0 && missing.length === 0 && repeated.length === 0) return new Map(cols.map((c, i) => [c, i]));
  const parts = [
    missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown column(s) ${unknown.map(show).join(', ')}` : '',
    repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter((s) => s !== '');
  errors.add(rec.line, `${parts.join('; ')}; the header must be ${expected.join(',')} (any order)`);
  return undefined;
}

function realDate(y: number, m: number, d: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= days;
}

export const MIN_YEAR = 1890;
export const MAX_YEAR = 2021;
const DATE_FORMATS = `YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD or YYYY-MM, years ${MIN_YEAR}..${MAX_YEAR}`;

/**
 * A register date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` (a real calendar date) or `YYYY-MM`
 * (month only). Spreadsheets drop leading zeros (`2019/2/10`), so one-digit months and days are
 * accepted with either separator; mixed separators are not. Years MIN_YEAR..MAX_YEAR.
 */
export function parseRegisterDate(raw: string): { month: string; date?: string } | undefined {
  const v = raw.trim();
  const full = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(v);
  const compact = full ? undefined : /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  const monthOnly = full || compact ? undefined : /^(\d{4})[-/](\d{1,2})$/.exec(v);
  let y: string, mo: string, d: string | undefined;
  if (full) [y, mo, d] = [full[1] ?? '', full[3] ?? '', full[4]];
  else if (compact) [y, mo, d] = [compact[1] ?? '', compact[2] ?? '', compact[3]];
  else if (monthOnly) [y, mo, d] = [monthOnly[1] ?? '', monthOnly[2] ?? '', undefined];
  else return undefined;
  const year = Number(y);
  if (year < MIN_YEAR || year > MAX_YEAR || !realDate(year, Number(mo), d === undefined ? 1 : Number(d))) return undefined;
  const month = `${y}-${mo.padStart(2, '0')}`;
  return d === undefined ? { month } : { month, date: `${month}-${d.padStart(2, '0')}` };
}

/** Is `a` strictly before `b`, compared at the precision both have (a month-only date is not before a day in that month)? */
function before(a: { month: string; date?: string }, b: { month: string; date?: string }): boolean {
  return a.date !== undefined && b.date !== undefined ? a.date < b.date : a.month < b.month;
}

const ID_REASONS = {
  format: 'is not 18 digits (the last may be X) or 15 digits',
  checkDigit: 'has a wrong check digit',
  date: 'holds no real birth date',
} as const;

/**
 * A citizen ID as a register gives it: normalised, a legacy 15-digit one upgraded to 18. Empty
 * gives neither id nor error. An ID whose birth date disagrees with the row's birth or sex column
 * is kept: registers do contain such errors, and the comparison reports them.
 */
function citizenId(raw: string): { id?: string; error?: string } {
  const n = normalizeCitizenId(raw);
  if (n === '') return {};
  const id = /^\d{15}$/.test(n) ? (upgradeLegacyCitizenId(n) ?? n) : n;
  const c = checkCitizenId(id);
  if (c.ok) return { id };
  // checkCitizenId refuses dates after the census moment (2020-10-31), but a births register
  // extracted later holds children born after it; the comparison's window decides about them.
  // Dates beyond the registers' year range are still refused.
  if (c.reason === 'future') return id.slice(6, 10) <= String(MAX_YEAR) ? { id } : { error: `citizen ID ${raw.trim()} holds a birth date after ${MAX_YEAR}` };
  return { error: `citizen ID ${raw.trim()} ${ID_REASONS[c.reason]}` };
}

/** A trimmed text cell: undefined when empty (reported if required) or invalid (reported). */
function textCell(raw: string, what: string, required: boolean, errors: Errors, line: number, max: number, control = CONTROL): string | undefined {
  const v = raw.trim();
  if (v === '') {
    if (required) errors.add(line, `${what} is empty`);
    return undefined;
  }
  if (v.length > max) errors.add(line, `${what} is longer than ${max} characters`);
  else if (control.test(v)) errors.add(line, `${what} contains control characters`);
  else return v;
  return undefined;
}

/** Numbers repeated no-ID keys in file order. */
function numbered(seen: Map<string, number>, base: string): string {
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return n === 1 ? base : `${base}#${n}`;
}

/** Parses one register file (already decoded text; see parseRegisterBytes for bytes). */
export function parseRegisterCsv(kind: RegisterKind, text: string): RegisterCsvResult {
  const expected = REGISTER_COLUMNS[kind];
  const rows = parseCsv(text);
  const first = rows[0];
  if (!first) return { ok: false, errors: [{ line: 1, message: `the file is empty; the header must be ${expected.join(',')}` }] };
  const errors = new Errors();
  const cols = header(first, expected, errors);
  if (!cols) return { ok: false, errors: errors.done() };
  const records: RegisterRecord[] = [];
  const lines: number[] = [];
  const idLines = new Map<string, number>();
  const noIdKeys = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (!row || row.fields.every((f) => f.trim() === '')) continue; // blank line, or a spreadsheet's row of empty cells
    const line = row.line;
    if (row.fields.length !== cols.size) {
      errors.add(line, `expected ${cols.size} fields, found ${row.fields.length}`);
      continue;
    }
    const errorsBefore = errors.count;
    const f = (c: string) => row.fields[cols.get(c) ?? -1] ?? '';
    const districtCode = f('districtCode').trim();
    if (!DistrictCodeSchema.safeParse(districtCode).success) errors.add(line, `districtCode ${show(districtCode)} is not a 15-digit district code`);
    const sexRaw = f('sex').trim();
    const sex = SEXES.get(sexRaw.toLowerCase());
    if (sex === undefined) errors.add(line, `sex ${show(sexRaw)} is not 1/2, 男/女 or M/F`);
    const birth = parseRegisterDate(f('birth'));
    if (!birth) errors.add(line, `birth ${show(f('birth').trim())} is not a date (${DATE_FORMATS})`);
    const idOf = (col: string, required: boolean) => {
      const c = citizenId(f(col));
      if (c.error !== undefined) errors.add(line, `${col}: ${c.error}`);
      else if (c.id === undefined && required) errors.add(line, `${col} is empty`);
      return c.id;
    };
    const idCol = kind === 'births' ? 'childCitizenId' : 'citizenId';
    const id = idOf(idCol, kind === 'hukou');
    const name = kind === 'births' ? textCell(f('childName'), 'childName', false, errors, line, 100) : textCell(f('name'), 'name', true, errors, line, 100);
    const address = kind === 'deaths' ? undefined : textCell(f('address'), 'address', false, errors, line, 200);
    const motherName = kind === 'births' ? textCell(f('motherName'), 'motherName', true, errors, line, 100) : undefined;
    const motherCitizenId = kind === 'births' ? idOf('motherCitizenId', false) : undefined;
    let death: { month: string; date?: string } | undefined;
    if (kind === 'deaths') {
      death = parseRegisterDate(f('death'));
      if (!death) errors.add(line, `death ${show(f('death').trim())} is not a date (${DATE_FORMATS})`);
      else if (birth && before(death, birth)) errors.add(line, 'death is before birth');
    }
    if (errors.count !== errorsBefore || sex === undefined || !birth) continue;

    let key: string;
    if (id !== undefined) {
      const seen = idLines.get(id);
      if (seen !== undefined) {
        errors.add(line, `citizen ID ${id} is also on line ${seen}`);
        continue;
      }
      idLines.set(id, line);
      key = id;
    } else {
      // No ID: a hash of what identifies the row (births: mother's ID or name, birth, sex, child's
      // name, district; deaths: name, sex, birth, death, district; full dates when given, else
      // months; the address is left out so a re-typed address keeps the key). Rows that hash alike
      // (twins with no names, or a row given twice) get #2, #3 in file order, so the same file
      // re-imported yields the same keys, while a changed field yields a new key.
      const parts =
        kind === 'births'
          ? [motherCitizenId ?? motherName ?? '', birth.date ?? birth.month, sex, name ?? '', districtCode]
          : [name ?? '', sex, birth.date ?? birth.month, death?.date ?? death?.month ?? '', districtCode];
      key = numbered(noIdKeys, `${kind === 'births' ? 'b' : 'd'}-${hash(parts.join('|'))}`);
    }
    const rec: RegisterRecord = { kind, key, districtCode, sex, birth: birth.month };
    if (id !== undefined) rec.citizenId = id;
    if (name !== undefined) rec.name = name;
    if (birth.date !== undefined) rec.birthDate = birth.date;
    if (death) {
      rec.death = death.month;
      if (death.date !== undefined) rec.deathDate = death.date;
    }
    if (address !== undefined) rec.address = address;
    if (motherName !== undefined) rec.motherName = motherName;
    if (motherCitizenId !== undefined) rec.motherCitizenId = motherCitizenId;
    records.push(rec);
    lines.push(line);
  }
  return errors.count > 0 ? { ok: false, errors: errors.done() } : { ok: true, records, lines };
}

/**
 * Decodes (UTF-8 with or without a BOM only: GBK or UTF-16 would import mojibake names) and
 * parses a register file. An encoding refusal is one error with line 0; its message names the line.
 */
export function parseRegisterBytes(kind: RegisterKind, bytes: Uint8Array): RegisterCsvResult {
  const d = decodeUtf8Text(bytes);
  if (!d.ok) return { ok: false, errors: [{ line: 0, message: d.message }] };
  return parseRegisterCsv(kind, d.text);
}

/** Parses the national problem list (already decoded text). */
export function parseProblemsCsv(text: string): ProblemsCsvResult {
  const rows = parseCsv(text);
  const first = rows[0];
  if (!first) return { ok: false, errors: [{ line: 1, message: `the file is empty; the header must be ${PROBLEM_COLUMNS.join(',')}` }] };
  const errors = new Errors();
  const cols = header(first, PROBLEM_COLUMNS, errors);
  if (!cols) return { ok: false, errors: errors.done() };
  const problems: NationalProblem[] = [];
  const lines: number[] = [];
  const keys = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (!row || row.fields.every((f) => f.trim() === '')) continue;
    const line = row.line;
    if (row.fields.length !== cols.size) {
      errors.add(line, `expected ${cols.size} fields, found ${row.fields.length}`);
      continue;
    }
    const errorsBefore = errors.count;
    const f = (c: string) => (row.fields[cols.get(c) ?? -1] ?? '').trim();
    const districtCode = f('districtCode');
    if (!DistrictCodeSchema.safeParse(districtCode).success) errors.add(line, `districtCode ${show(districtCode)} is not a 15-digit district code`);
    const householdNo = f('householdNo');
    if (householdNo !== '' && !HouseholdNoSchema.safeParse(householdNo).success) errors.add(line, `householdNo ${householdNo} is not a 3-digit household number`);
    const rawCat = f('category');
    const category = CATEGORIES.get(rawCat);
    if (category === undefined) errors.add(line, `category ${show(rawCat)} is none of ${REVIEW_CATEGORIES.join(', ')} (or ${Object.keys(CATEGORY_NAMES_ZH).join('、')})`);
    const id = citizenId(f('citizenId'));
    if (id.error !== undefined) errors.add(line, `citizenId: ${id.error}`);
    const name = textCell(f('name'), 'name', false, errors, line, 100);
    const message = textCell(f('message'), 'message', true, errors, line, 2000, CONTROL_EXCEPT_BREAKS);
    if (errors.count !== errorsBefore || category === undefined || message === undefined) continue;
    // The key hashes the normalised columns (category as its code, ID upper-cased), so a list
    // re-exported with Chinese category names or lower-case x still matches; exact repeats get #2...
    const key = numbered(keys, `n-${hash([districtCode, householdNo, category, id.id ?? '', name ?? '', message].join('|'))}`);
    const p: NationalProblem = { key, districtCode, category, message };
    if (householdNo !== '') p.householdNo = householdNo;
    if (id.id !== undefined) p.citizenId = id.id;
    if (name !== undefined) p.name = name;
    problems.push(p);
    lines.push(line);
  }
  return errors.count > 0 ? { ok: false, errors: errors.done() } : { ok: true, problems, lines };
}
