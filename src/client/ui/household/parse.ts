// Turning what the user typed into answers. Empty input means "no answer" (absent, never null or
// 0); anything else is parsed here and then checked against the domain's draft schema of the whole
// record before it is put in the draft, so the draft always parses.
import type { z } from 'zod';

/** Why typed input was not taken; each has a message under `input.*` in the i18n files. */
export type InputError = 'integer' | 'number' | 'yearMonth' | 'invalid' | 'bothCounts' | 'province' | 'allParts';

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: InputError };

const ok = <T>(value: T | undefined): Parsed<T> => ({ ok: true, value });

export function parseText(raw: string): Parsed<string> {
  const v = raw.trim();
  return ok(v === '' ? undefined : v);
}

export function parseInteger(raw: string): Parsed<number> {
  const v = raw.trim();
  if (v === '') return ok(undefined);
  return /^\d{1,7}$/.test(v) ? ok(Number(v)) : { ok: false, error: 'integer' };
}

export function parseDecimal(raw: string): Parsed<number> {
  const v = raw.trim().replace(',', '.');
  if (v === '') return ok(undefined);
  return /^\d{1,6}(\.\d{0,2})?$/.test(v) ? ok(Number(v)) : { ok: false, error: 'number' };
}

/** "YYYY-MM", also typed as "YYYYMM", "YYYY.MM", "YYYY/MM" or "YYYY-M" on a numeric keypad. */
export function parseYearMonth(raw: string): Parsed<string> {
  const v = raw.trim();
  if (v === '') return ok(undefined);
  const m = /^(\d{4})[-./年]?(\d{1,2})月?$/.exec(v);
  if (!m || (m[2]?.length === 1 && !/[-./年]/.test(v))) return { ok: false, error: 'yearMonth' };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { ok: false, error: 'yearMonth' };
  return ok(`${m[1]}-${String(month).padStart(2, '0')}`);
}

/**
 * Set (or, with `undefined`, remove) one answer of a record and parse the result with the record's
 * draft schema. Returns the parsed record, or `undefined` when the schema refuses the value.
 */
export function withAnswer<S extends z.ZodType>(schema: S, record: z.infer<S>, key: string, value: unknown): z.infer<S> | undefined {
  const next: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  const r = schema.safeParse(next);
  return r.success ? r.data : undefined;
}

/** Remove a key from an object, keeping `exactOptionalPropertyTypes` happy. */
export function without<T extends object, K extends keyof T>(obj: T, key: K): T {
  const next = { ...obj };
  delete next[key];
  return next;
}

/** Several counts answered together (H3 male/female): all empty is no answer, all filled is one. */
export function parseCounts<K extends string>(keys: readonly K[], raw: readonly string[]): Parsed<Record<K, number>> {
  if (raw.every((r) => r.trim() === '')) return ok(undefined);
  const out: Partial<Record<K, number>> = {};
  for (const [i, k] of keys.entries()) {
    const p = parseInteger(raw[i] ?? '');
    if (!p.ok) return p;
    if (p.value === undefined) return { ok: false, error: 'bothCounts' };
    out[k] = p.value;
  }
  return ok(out as Record<K, number>);
}

/** Province / city / county typed as names (or GB/T 2260 codes); the province is the one required part. */
export function parsePlace(raw: readonly [string, string, string]): Parsed<{ province: string; city?: string; county?: string }> {
  const [province, city, county] = raw.map((r) => r.trim());
  if (!province && !city && !county) return ok(undefined);
  if (!province) return { ok: false, error: 'province' };
  return ok({ province, ...(city ? { city } : {}), ...(county ? { county } : {}) });
}

/** Several texts answered together (C20 employer + business): all or none. */
export function parseTextGroup<K extends string>(keys: readonly K[], raw: readonly string[]): Parsed<Record<K, string>> {
  const vals = keys.map((_, i) => (raw[i] ?? '').trim());
  if (vals.every((v) => v === '')) return ok(undefined);
  if (vals.some((v) => v === '')) return { ok: false, error: 'allParts' };
  return ok(Object.fromEntries(keys.map((k, i) => [k, vals[i]])) as Record<K, string>);
}

export interface BirthRow {
  month: string;
  sex: number | undefined;
}

/**
 * C27 births in the last year: "none" is an empty list (an answer), rows must each have a month
 * and a sex. `undefined` choice = not answered.
 */
export function parseBirthRows(raw: { any: 'none' | 'some' | undefined; rows: readonly BirthRow[] }): Parsed<{ month: string; sex: number }[]> {
  if (raw.any === undefined) return ok(undefined);
  if (raw.any === 'none') return ok([]);
  const out: { month: string; sex: number }[] = [];
  for (const r of raw.rows) {
    const m = parseYearMonth(r.month);
    if (!m.ok) return m;
    if (m.value === undefined || r.sex === undefined) return { ok: false, error: 'allParts' };
    out.push({ month: m.value, sex: r.sex });
  }
  return out.length === 0 ? { ok: false, error: 'allParts' } : ok(out);
}
