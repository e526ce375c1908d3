// Department registers (部门资料: the hukou register, birth and death records) and the national
// office's problem list (问题清单) as CSV. Every row is checked with its line number; the caller
// refuses the whole file on any problem (all or nothing). Each row gets a stable key, so the same
// file imported twice is recognised row by row (idempotent imports).
import { createHash } from 'node:crypto';
import { DistrictCodeSchema, HouseholdNoSchema, REVIEW_CATEGORIES, checkCitizenId, normalizeCitizenId, upgradeLegacyCitizenId, type ReviewCategory } from '../domain/index.ts';
import { parseCsv } from './csv.ts';
import type { NationalProblem, RegisterKind, RegisterRecord } from './review-types.ts';
import { decodeUtf8Text } from './text-encoding.ts';

export const REGISTER_COLUMNS: Record<RegisterKind, readonly string[]> = {
  hukou: ['citizenId', 'name', 'sex', 'birth', 'districtCode', 'address'],
  births: ['childName', 'sex', 'birth', 'districtCode', 'address', 'childCitizenId', 'motherName', 'motherCitizenId'],
  deaths: ['citizenId', 'name', 'sex', 'birth', 'death', 'districtCode'],
};
export const PROBLEM_COLUMNS = ['districtCode', 'householdNo', 'category', 'citizenId', 'name', 'message'] as const;

/** The categories as a national list names them in Chinese. */
export const CATEGORY_NAMES_ZH: Record<string, ReviewCategory> = {
  户籍人口漏报: 'hukouMissing',
  户籍人口错填: 'hukouMismatch',
  低龄人口漏报: 'childMissing',
  低龄人口错填: 'childMismatch',
  死亡人口漏报: 'deathMissing',
  重复登记: 'duplicate',
  内部逻辑: 'internalLogic',
  其他: 'other',
};

export interface RowError {
  line: number;
  message: string;
}
export type RegisterCsvResult = { ok: true; records: RegisterRecord[] } | { ok: false; errors: RowError[] };
export type ProblemsCsvResult = { ok: true; problems: NationalProblem[] } | { ok: false; errors: RowError[] };

/** At most this many errors are listed; the last entry (line 0) says how many more there were. */
export const MAX_ERRORS = 100;

class Errors {
  readonly list: RowError[] = [];
  private more = 0;
  add(line: number, message: string) {
    if (this.list.length < MAX_ERRORS) this.list.push({ line, message });
    else this.more++;
  }
  get any() {
    return this.list.length > 0;
  }
  done(): RowError[] {
    return this.more > 0 ? [...this.list, { line: 0, message: `... and ${this.more} more problem(s)` }] : this.list;
  }
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function header(fields: readonly string[], expected: readonly string[], errors: Errors): Map<string, number> | undefined {
  const cols = fields.map((f) => f.trim());
  const unknown = cols.filter((c) => !expected.includes(c));
  const missing = expected.filter((c) => !cols.includes(c));
  const dup = cols.filter((c, i) => cols.indexOf(c) !== i);
  if (unknown.length || missing.length || dup.length) {
    errors.add(
      1,
      [
        missing.length ? `missing column(s) ${missing.join(', ')}` : '',
        unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
        dup.length ? `repeated column(s) ${dup.join(', ')}` : '',
      ]
        .filter((s) => s !== '')
        .join('; ') + `; the header is ${expected.join(',')}`,
    );
    return undefined;
  }
  return new Map(cols.map((c, i) => [c, i]));
}

function realDate(y: number, m: number, d: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= days;
}

/** `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or `YYYY-MM`; years 1890..2021. */
export function parseRegisterDate(raw: string): { month: string; date?: string } | undefined {
  const v = raw.trim();
  const full = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  const month = /^(\d{4})[-/](\d{1,2})$/.exec(v);
  const m = full ?? month;
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = full ? Number(m[3]) : 1;
  if (y < 1890 || y > 2021 || !realDate(y, mo, d)) return undefined;
  const ym = `${m[1]}-${String(mo).padStart(2, '0')}`;
  return full ? { month: ym, date: `${ym}-${String(d).padStart(2, '0')}` } : { month: ym };
}

const SEXES: Record<string, 1 | 2> = { '1': 1, '2': 2, 男: 1, 女: 2, m: 1, f: 2 };

/** A citizen ID as the register gives it: normalised, a 15-digit one upgraded; undefined + reason when invalid. */
function citizenId(raw: string): { id?: string; error?: string } {
  let id = normalizeCitizenId(raw);
  if (id === '') return {};
  if (/^\d{15}$/.test(id)) id = upgradeLegacyCitizenId(id) ?? id;
  const c = checkCitizenId(id);
  // A register may hold a child born after the census moment: the comparison's window decides.
  if (c.ok || c.reason === 'future') return { id };
  const why = { format: 'is not 18 digits (the last may be X)', checkDigit: 'has a wrong check digit', date: 'holds no real birth date' }[c.reason];
  return { error: `citizen ID ${raw.trim()} ${why}` };
}

function name(raw: string, what: string, required: boolean, errors: Errors, line: number, max = 100): string | undefined {
  const v = raw.trim();
  if (v === '') {
    if (required) errors.add(line, `${what} is empty`);
    return undefined;
  }
  if (v.length > max) errors.add(line, `${what} is longer than ${max} characters`);
  else if (CONTROL.test(v)) errors.add(line, `${what} contains control characters`);
  else return v;
  return undefined;
}

/** Parses one register file (already decoded text). */
export function parseRegisterCsv(kind: RegisterKind, text: string): RegisterCsvResult {
  const errors = new Errors();
  const rows = parseCsv(text);
  const first = rows[0];
  if (!first) return { ok: false, errors: [{ line: 1, message: `the file is empty; the header is ${REGISTER_COLUMNS[kind].join(',')}` }] };
  const cols = header(first.fields, REGISTER_COLUMNS[kind], errors);
  if (!cols) return { ok: false, errors: errors.done() };
  const records: RegisterRecord[] = [];
  const byKey = new Map<string, number>();
  const noIdKeys = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row.fields.every((f) => f.trim() === '')) continue;
    const line = row.line;
    const before = errors.list.length;
    if (row.fields.length !== cols.size) {
      errors.add(line, `expected ${cols.size} fields, found ${row.fields.length}`);
      continue;
    }
    const f = (c: string) => row.fields[cols.get(c) ?? -1] ?? '';
    const district = f('districtCode').trim();
    if (!DistrictCodeSchema.safeParse(district).success) errors.add(line, `districtCode ${district} is not a 15-digit district code`);
    const sex = SEXES[f('sex').trim().toLowerCase()];
    if (sex === undefined) errors.add(line, `sex ${f('sex').trim()} is not 1/2, 男/女 or M/F`);
    const birth = parseRegisterDate(f('birth'));
    if (!birth) errors.add(line, `birth ${f('birth').trim()} is not a date (YYYY-MM-DD, YYYYMMDD or YYYY-MM, 1890..2021)`);
    const rec: Partial<RegisterRecord> = { kind, districtCode: district, ...(sex !== undefined ? { sex } : {}) };
    if (birth) {
      rec.birth = birth.month;
      if (birth.date !== undefined) rec.birthDate = birth.date;
    }
    const idOf = (col: string) => {
      const r = citizenId(f(col));
      if (r.error !== undefined) errors.add(line, `${col}: ${r.error}`);
      return r.id;
    };
    if (kind === 'hukou') {
      const id = idOf('citizenId');
      if (id === undefined && f('citizenId').trim() === '') errors.add(line, 'citizenId is empty');
      if (id !== undefined) rec.citizenId = id;
      const n = name(f('name'), 'name', true, errors, line);
      if (n !== undefined) rec.name = n;
      const a = name(f('address'), 'address', false, errors, line, 200);
      if (a !== undefined) rec.address = a;
    } else if (kind === 'births') {
      const id = idOf('childCitizenId');
      if (id !== undefined) rec.citizenId = id;
      const n = name(f('childName'), 'childName', false, errors, line);
      if (n !== undefined) rec.name = n;
      const mn = name(f('motherName'), 'motherName', true, errors, line);
      if (mn !== undefined) rec.motherName = mn;
      const mid = idOf('motherCitizenId');
      if (mid !== undefined) rec.motherCitizenId = mid;
      const a = name(f('address'), 'address', false, errors, line, 200);
      if (a !== undefined) rec.address = a;
    } else {
      const id = idOf('citizenId');
      if (id !== undefined) rec.citizenId = id;
      const n = name(f('name'), 'name', true, errors, line);
      if (n !== undefined) rec.name = n;
      const death = parseRegisterDate(f('death'));
      if (!death) errors.add(line, `death ${f('death').trim()} is not a date (YYYY-MM-DD, YYYYMMDD or YYYY-MM, 1890..2021)`);
      else {
        rec.death = death.month;
        if (death.date !== undefined) rec.deathDate = death.date;
        if (birth && (death.date ?? death.month) < (birth.date ?? birth.month)) errors.add(line, 'death is before birth');
      }
    }
    if (errors.list.length !== before) continue;
    let key: string;
    if (rec.citizenId !== undefined) {
      key = rec.citizenId;
      const seen = byKey.get(key);
      if (seen !== undefined) {
        errors.add(line, `citizen ID ${key} is also on line ${seen}`);
        continue;
      }
      byKey.set(key, line);
    } else {
      const parts =
        kind === 'births'
          ? [rec.motherCitizenId ?? rec.motherName, rec.birthDate ?? rec.birth, rec.sex, rec.name ?? '', district]
          : [rec.name, rec.sex, rec.birthDate ?? rec.birth, rec.deathDate ?? rec.death, district];
      const base = `${kind === 'births' ? 'b' : 'd'}-${hash(parts.join('|'))}`;
      // Twins without names (or two identical rows) get #2, #3 in file order: the same file
      // imported again yields the same keys.
      const n = (noIdKeys.get(base) ?? 0) + 1;
      noIdKeys.set(base, n);
      key = n === 1 ? base : `${base}#${n}`;
    }
    records.push({ ...(rec as RegisterRecord), key });
  }
  return errors.any ? { ok: false, errors: errors.done() } : { ok: true, records };
}

/** Decodes (UTF-8 with or without BOM only) and parses a register file. */
export function parseRegisterBytes(kind: RegisterKind, bytes: Uint8Array): RegisterCsvResult {
  const d = decodeUtf8Text(bytes);
  if (!d.ok) return { ok: false, errors: [{ line: 0, message: d.message }] };
  return parseRegisterCsv(kind, d.text);
}

const CATEGORIES = new Set<string>(REVIEW_CATEGORIES);

/** Parses the national problem list (already decoded text). */
export function parseProblemsCsv(text: string): ProblemsCsvResult {
  const errors = new Errors();
  const rows = parseCsv(text);
  const first = rows[0];
  if (!first) return { ok: false, errors: [{ line: 1, message: `the file is empty; the header is ${PROBLEM_COLUMNS.join(',')}` }] };
  const cols = header(first.fields, PROBLEM_COLUMNS, errors);
  if (!cols) return { ok: false, errors: errors.done() };
  const problems: NationalProblem[] = [];
  const keys = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row.fields.every((f) => f.trim() === '')) continue;
    const line = row.line;
    const before = errors.list.length;
    if (row.fields.length !== cols.size) {
      errors.add(line, `expected ${cols.size} fields, found ${row.fields.length}`);
      continue;
    }
    const f = (c: string) => (row.fields[cols.get(c) ?? -1] ?? '').trim();
    const district = f('districtCode');
    if (!DistrictCodeSchema.safeParse(district).success) errors.add(line, `districtCode ${district} is not a 15-digit district code`);
    const no = f('householdNo');
    if (no !== '' && !HouseholdNoSchema.safeParse(no).success) errors.add(line, `householdNo ${no} is not a 3-digit household number`);
    const rawCat = f('category');
    const category = CATEGORIES.has(rawCat) ? (rawCat as ReviewCategory) : CATEGORY_NAMES_ZH[rawCat];
    if (category === undefined) errors.add(line, `category ${rawCat} is none of ${REVIEW_CATEGORIES.join(', ')}`);
    const id = citizenId(f('citizenId'));
    if (id.error !== undefined) errors.add(line, `citizenId: ${id.error}`);
    const n = name(f('name'), 'name', false, errors, line);
    const message = name(f('message'), 'message', true, errors, line, 2000);
    if (errors.list.length !== before || category === undefined || message === undefined) continue;
    const base = `n-${hash([district, no, category, id.id ?? '', n ?? '', message].join('|'))}`;
    const k = (keys.get(base) ?? 0) + 1;
    keys.set(base, k);
    problems.push({
      key: k === 1 ? base : `${base}#${k}`,
      districtCode: district,
      ...(no !== '' ? { householdNo: no } : {}),
      category,
      ...(id.id !== undefined ? { citizenId: id.id } : {}),
      ...(n !== undefined ? { name: n } : {}),
      message,
    });
  }
  return errors.any ? { ok: false, errors: errors.done() } : { ok: true, problems };
}
