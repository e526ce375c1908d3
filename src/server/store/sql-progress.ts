// Rollup counters of the hierarchy (`progress`: one row per node, from the root '' down to each
// district). Every write that changes a counted value (listing, registrations, queries, new
// districts) adds its delta to the district's row and to every ancestor's row in the same
// transaction, so a progress answer reads O(children) rows instead of the records below.
// `computeProgress` recounts from the base tables: the migration and `rebuild-progress` use it,
// and the tests compare it with the maintained rows.
import { VisitStatusSchema, ageAtCensus, type VisitStatus } from '../../domain/index.ts';
import { flatRows, marks, num, optStr, str, type Row, type SqlExec } from './sql-driver.ts';
import { ancestorsOf, parentOf } from './scope.ts';

/** Checked by the type: a visit status added to the schema needs its counter column. */
const visitCol = (v: string): CounterCol | undefined => (VisitStatusSchema.safeParse(v).success ? VISIT_COLS[v as VisitStatus] : undefined);

export const VISIT_COLS = {
  pending: 'v_pending',
  registered: 'v_registered',
  selfReported: 'v_self_reported',
  notAtHome: 'v_not_at_home',
  refused: 'v_refused',
  vacant: 'v_vacant',
  demolished: 'v_demolished',
} as const satisfies Record<VisitStatus, string>;
export const COUNTER_COLS = [
  'districts',
  'listing',
  'v_pending',
  'v_registered',
  'v_self_reported',
  'v_not_at_home',
  'v_refused',
  'v_vacant',
  'v_demolished',
  'r_complete',
  'r_draft',
  'persons',
  'births',
  'deaths',
  'with_errors',
  'with_warnings',
  'q_open',
  'q_answered',
  'q_resolved',
  's_reported',
  's_verified',
  // Issue 14 (docs/OFFICE.md): the quality signals' counts and the acceptance states.
  'males',
  'females',
  'under5',
  'births_m',
  'births_f',
  'fam_households',
  'fam_persons',
  'r_overridden',
  'a_accepted',
  'a_submitted',
  'a_reopened',
  /** Listing entries still pending in accepted districts (they count as done). */
  'a_pending',
] as const;
export type CounterCol = (typeof COUNTER_COLS)[number];
export type Counts = Record<CounterCol, number>;

export const zeroCounts = (): Counts => Object.fromEntries(COUNTER_COLS.map((c) => [c, 0])) as Counts;

/** The counted columns of one registrations row. */
export interface RegCounted {
  status: string;
  persons: number;
  errors: number;
  warnings: number;
  births: number;
  deaths: number;
  /** 1 when the household filled the form in itself (`source: "self"`), and when an enumerator verified it. */
  self: number;
  verified: number;
  /** Issue 14: persons by sex, persons aged 0-4 at the standard time, H3 births by sex. */
  males: number;
  females: number;
  under5: number;
  birthsM: number;
  birthsF: number;
  /** 1 for a family household (H1 = 1). */
  family: number;
  /** 1 for a complete registration with at least one confirmed warning (override). */
  overridden: number;
  /** Who completed it (the writer of the version that first was complete) and the China-time day. */
  completedBy: string | null;
  completedDay: string | null;
}

/** The registrations columns countedFromRow reads. */
export const REG_COUNTED_SELECT = 'status, persons, errors, warnings, births, deaths, self, verified, males, females, under5, births_m, births_f, family, overridden, completed_by, completed_day';
/** The issue-14 columns of a registrations row, written after REG_COLS' base columns (regExtraValues). */
export const REG_EXTRA_COLS = ['user_id', 'males', 'females', 'under5', 'births_m', 'births_f', 'family', 'overridden', 'override_rules', 'completed_by', 'completed_day'] as const;

/** The China-time (UTC+8, no daylight saving) calendar day of an instant. */
export function chinaDay(at: string | Date): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Deltas per district, plus the latest registration write and any names learnt. */
export class ProgressDelta {
  readonly byDistrict = new Map<string, Counts>();
  readonly lastWrite = new Map<string, string>();
  readonly names = new Map<string, string>();
  /** Complete registrations per `${district}\0${userId}\0${day}` (enumerator_days). */
  readonly enumeratorDays = new Map<string, { complete: number; overridden: number }>();

  add(district: string, col: CounterCol, n: number) {
    if (n === 0) return;
    let c = this.byDistrict.get(district);
    if (!c) {
      c = zeroCounts();
      this.byDistrict.set(district, c);
    }
    c[col] += n;
  }
  registration(district: string, row: RegCounted, sign: 1 | -1) {
    this.add(district, row.status === 'complete' ? 'r_complete' : 'r_draft', sign);
    this.add(district, 'persons', sign * row.persons);
    this.add(district, 'births', sign * row.births);
    this.add(district, 'deaths', sign * row.deaths);
    if (row.errors > 0) this.add(district, 'with_errors', sign);
    if (row.warnings > 0) this.add(district, 'with_warnings', sign);
    if (row.self > 0) this.add(district, 's_reported', sign);
    if (row.self > 0 && row.verified > 0) this.add(district, 's_verified', sign);
    this.add(district, 'males', sign * row.males);
    this.add(district, 'females', sign * row.females);
    this.add(district, 'under5', sign * row.under5);
    this.add(district, 'births_m', sign * row.birthsM);
    this.add(district, 'births_f', sign * row.birthsF);
    if (row.family > 0) {
      this.add(district, 'fam_households', sign);
      this.add(district, 'fam_persons', sign * row.persons);
    }
    if (row.overridden > 0) this.add(district, 'r_overridden', sign);
    if (row.status === 'complete' && row.completedBy !== null && row.completedDay !== null) {
      const key = `${district}\u0000${row.completedBy}\u0000${row.completedDay}`;
      const e = this.enumeratorDays.get(key) ?? { complete: 0, overridden: 0 };
      e.complete += sign;
      e.overridden += sign * (row.overridden > 0 ? 1 : 0);
      this.enumeratorDays.set(key, e);
    }
  }
  listing(district: string, visitStatus: string, sign: 1 | -1) {
    this.add(district, 'listing', sign);
    const col = visitCol(visitStatus);
    if (col) this.add(district, col, sign);
  }
  query(district: string, status: string, sign: 1 | -1) {
    if (status === 'open') this.add(district, 'q_open', sign);
    else if (status === 'answered') this.add(district, 'q_answered', sign);
    else if (status === 'resolved') this.add(district, 'q_resolved', sign);
  }
  district(code: string, name: string) {
    this.add(code, 'districts', 1);
    for (const [node, n] of namesFromDistrictName(code, name)) this.names.set(node, n);
  }
  wrote(district: string, at: string) {
    const prev = this.lastWrite.get(district);
    if (prev === undefined || at > prev) this.lastWrite.set(district, at);
  }
  get empty() {
    return this.byDistrict.size === 0 && this.lastWrite.size === 0 && this.names.size === 0 && this.enumeratorDays.size === 0;
  }
}

/**
 * Names of the district's ancestors from its imported name, read from the end: the last word is
 * the district itself, then area, township, county, city, province (e.g. "长安区 建北街道 光华社区
 * 第003普查小区" names the county, the township and the area). Words that are not there stay unknown.
 */
export function namesFromDistrictName(code: string, name: string): Map<string, string> {
  const out = new Map<string, string>([[code, name]]);
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return out;
  const above = words.slice(0, -1).reverse();
  const levels = [12, 9, 6, 4, 2];
  above.forEach((w, i) => {
    const len = levels[i];
    if (len !== undefined) out.set(code.slice(0, len), w);
  });
  return out;
}

/** Registration counters of a record's data: H3 births and H4 deaths of the household. */
export function birthsDeaths(data: unknown): { births: number; deaths: number } {
  const h = typeof data === 'object' && data !== null && 'household' in data ? (data as { household?: unknown }).household : undefined;
  const pair = (k: string): number => {
    const v = typeof h === 'object' && h !== null ? (h as Record<string, unknown>)[k] : undefined;
    if (typeof v !== 'object' || v === null) return 0;
    const { male, female } = v as { male?: unknown; female?: unknown };
    return (typeof male === 'number' ? male : 0) + (typeof female === 'number' ? female : 0);
  };
  return { births: pair('births'), deaths: pair('deaths') };
}

/**
 * The self-enumeration columns of a record's data (issue 13): a complete `source: "self"`
 * registration is self-reported; it is verified once it carries an enumerator's verification.
 */
export function selfFlags(data: unknown): { self: number; verified: number } {
  if (typeof data !== 'object' || data === null) return { self: 0, verified: 0 };
  const d = data as { source?: unknown; status?: unknown; verification?: unknown };
  const self = d.source === 'self' && d.status === 'complete' ? 1 : 0;
  return { self, verified: self === 1 && typeof d.verification === 'object' && d.verification !== null ? 1 : 0 };
}

/** The quality signals' values of a record's data (issue 14). */
export function qualityOf(data: unknown, status: string): { males: number; females: number; under5: number; birthsM: number; birthsF: number; family: number; overridden: number; overrideRules: string[] } {
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  let males = 0;
  let females = 0;
  let under5 = 0;
  for (const p of Array.isArray(d.persons) ? (d.persons as unknown[]) : []) {
    if (typeof p !== 'object' || p === null) continue;
    const { sex, birth } = p as { sex?: unknown; birth?: unknown };
    if (sex === 1) males++;
    else if (sex === 2) females++;
    if (typeof birth === 'string') {
      const age = ageAtCensus(birth);
      if (age !== undefined && age >= 0 && age <= 4) under5++;
    }
  }
  const h = typeof d.household === 'object' && d.household !== null ? (d.household as Record<string, unknown>) : {};
  const b = typeof h.births === 'object' && h.births !== null ? (h.births as { male?: unknown; female?: unknown }) : {};
  const rules = [
    ...new Set(
      (Array.isArray(d.overrides) ? (d.overrides as unknown[]) : [])
        .map((o) => (typeof o === 'object' && o !== null ? (o as { rule?: unknown }).rule : undefined))
        .filter((x): x is string => typeof x === 'string'),
    ),
  ].sort();
  return {
    males,
    females,
    under5,
    birthsM: typeof b.male === 'number' ? b.male : 0,
    birthsF: typeof b.female === 'number' ? b.female : 0,
    family: h.householdType === 1 ? 1 : 0,
    overridden: status === 'complete' && rules.length > 0 ? 1 : 0,
    overrideRules: rules,
  };
}

/**
 * Who completed a registration and on which China-time day: kept from the stored row once it was
 * complete, else the writer of this version when it is complete (null for an office import).
 */
export function completion(status: string, userId: string | null, at: string, prior?: RegCounted): { completedBy: string | null; completedDay: string | null } {
  if (status !== 'complete') return { completedBy: null, completedDay: null };
  if (prior && prior.status === 'complete' && prior.completedDay !== null) return { completedBy: prior.completedBy, completedDay: prior.completedDay };
  return { completedBy: userId, completedDay: chinaDay(at) };
}

/** The counted columns of a registration row about to be written by `userId` (null: office import, self-enumeration) at `at`. */
export function countedOf(r: { status: string; persons: number; errors: number; warnings: number; data: unknown }, userId: string | null, at: string, prior: RegCounted | undefined): RegCounted & { userId: string | null; overrideRules: string[] } {
  const { overrideRules, ...q } = qualityOf(r.data, r.status);
  return { status: r.status, persons: r.persons, errors: r.errors, warnings: r.warnings, ...birthsDeaths(r.data), ...selfFlags(r.data), ...q, ...completion(r.status, userId, at, prior), userId, overrideRules };
}

/** The values of REG_EXTRA_COLS for a row countedOf described. */
export function regExtraValues(c: RegCounted & { userId: string | null; overrideRules: string[] }): unknown[] {
  return [c.userId, c.males, c.females, c.under5, c.birthsM, c.birthsF, c.family, c.overridden, c.overrideRules.length > 0 ? JSON.stringify(c.overrideRules) : null, c.completedBy, c.completedDay];
}

/** The counted columns as read back from a registrations row. */
export function countedFromRow(r: Row): RegCounted {
  return {
    status: str(r, 'status'),
    persons: num(r, 'persons'),
    errors: num(r, 'errors'),
    warnings: num(r, 'warnings'),
    births: num(r, 'births'),
    deaths: num(r, 'deaths'),
    self: num(r, 'self'),
    verified: num(r, 'verified'),
    males: num(r, 'males'),
    females: num(r, 'females'),
    under5: num(r, 'under5'),
    birthsM: num(r, 'births_m'),
    birthsF: num(r, 'births_f'),
    family: num(r, 'family'),
    overridden: num(r, 'overridden'),
    completedBy: optStr(r, 'completed_by') ?? null,
    completedDay: optStr(r, 'completed_day') ?? null,
  };
}

/** Adds the deltas to the district rows and all their ancestors (sorted: no lock-order cycles on PostgreSQL). */
export async function applyProgress(q: SqlExec, delta: ProgressDelta): Promise<void> {
  if (delta.empty) return;
  const maxPerDay = await applyEnumeratorDays(q, delta);
  const nodes = new Map<string, { counts: Counts; last?: string; name?: string; max?: number }>();
  const node = (n: string) => {
    let e = nodes.get(n);
    if (!e) {
      e = { counts: zeroCounts() };
      nodes.set(n, e);
    }
    return e;
  };
  for (const [district, counts] of delta.byDistrict) {
    for (const n of ancestorsOf(district)) {
      const e = node(n);
      for (const c of COUNTER_COLS) e.counts[c] += counts[c];
    }
  }
  for (const [district, at] of delta.lastWrite) {
    for (const n of ancestorsOf(district)) {
      const e = node(n);
      if (e.last === undefined || at > e.last) e.last = at;
    }
  }
  for (const [n, name] of delta.names) node(n).name = name;
  for (const [district, n] of maxPerDay) {
    for (const a of ancestorsOf(district)) {
      const e = node(a);
      e.max = Math.max(e.max ?? 0, n);
    }
  }
  const rows = [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cols = ['node', 'parent', 'name', ...COUNTER_COLS, 'last_push_at', 'max_per_day'];
  const per = Math.floor(2000 / cols.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map(() => `(${marks(cols.length)})`).join(', ');
    const params = chunk.flatMap(([n, e]) => [n, parentOf(n), e.name ?? null, ...COUNTER_COLS.map((c) => e.counts[c]), e.last ?? null, e.max ?? 0]);
    await q.run(
      `INSERT INTO progress (${cols.join(', ')}) VALUES ${values} ON CONFLICT (node) DO UPDATE SET
         name = COALESCE(progress.name, excluded.name),
         ${COUNTER_COLS.map((c) => `${c} = progress.${c} + excluded.${c}`).join(', ')},
         last_push_at = CASE WHEN progress.last_push_at IS NULL OR excluded.last_push_at > progress.last_push_at THEN excluded.last_push_at ELSE progress.last_push_at END,
         max_per_day = CASE WHEN excluded.max_per_day > progress.max_per_day THEN excluded.max_per_day ELSE progress.max_per_day END`,
      params,
    );
  }
}

/**
 * Adds the delta's complete registrations per (district, enumerator, day) in sorted key order;
 * returns, per district, the highest count a growing row reached (the nodes' running maximum:
 * `max_per_day` never decreases when a registration is taken back to draft; documented).
 */
async function applyEnumeratorDays(q: SqlExec, delta: ProgressDelta): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const rows = [...delta.enumeratorDays.entries()].filter(([, v]) => v.complete !== 0 || v.overridden !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) return out;
  const grew = new Set(rows.filter(([, v]) => v.complete > 0).map(([k]) => k));
  const cols = ['district_code', 'user_id', 'day', 'complete', 'overridden'];
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const params = chunk.flatMap(([k, v]) => [...k.split('\u0000'), v.complete, v.overridden]);
    const back = await q.all(
      `INSERT INTO enumerator_days (${cols.join(', ')}) VALUES ${chunk.map(() => `(${marks(cols.length)})`).join(', ')}
       ON CONFLICT (district_code, user_id, day) DO UPDATE SET complete = enumerator_days.complete + excluded.complete, overridden = enumerator_days.overridden + excluded.overridden
       RETURNING district_code, user_id, day, complete`,
      params,
    );
    for (const r of back) {
      const d = str(r, 'district_code');
      if (!grew.has(`${d}\u0000${str(r, 'user_id')}\u0000${str(r, 'day')}`)) continue;
      out.set(d, Math.max(out.get(d) ?? 0, num(r, 'complete')));
    }
  }
  return out;
}

export interface ProgressRow {
  node: string;
  name?: string;
  counts: Counts;
  lastPushAt?: string;
}

export function toProgressRow(r: Row): ProgressRow {
  const counts = zeroCounts();
  for (const c of COUNTER_COLS) counts[c] = num(r, c);
  const name = optStr(r, 'name');
  const last = optStr(r, 'last_push_at');
  return { node: str(r, 'node'), ...(name !== undefined ? { name } : {}), counts, ...(last !== undefined ? { lastPushAt: last } : {}) };
}

/** Counts of every node recounted from the base tables (full scans: for rebuilds and tests only). */
export async function computeProgress(q: SqlExec): Promise<Map<string, { counts: Counts; lastPushAt?: string }>> {
  const delta = new ProgressDelta();
  for (const r of await q.all('SELECT code FROM districts')) delta.add(str(r, 'code'), 'districts', 1);
  for (const r of await q.all('SELECT district_code, visit_status, count(*) AS n FROM listing GROUP BY district_code, visit_status')) {
    const d = str(r, 'district_code');
    const n = num(r, 'n');
    delta.add(d, 'listing', n);
    const col = visitCol(str(r, 'visit_status'));
    if (col) delta.add(d, col, n);
  }
  for (const r of await q.all(
    `SELECT district_code, sum(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) AS c, sum(CASE WHEN status = 'complete' THEN 0 ELSE 1 END) AS d,
       sum(persons) AS p, sum(births) AS b, sum(deaths) AS x, sum(CASE WHEN errors > 0 THEN 1 ELSE 0 END) AS e,
       sum(CASE WHEN warnings > 0 THEN 1 ELSE 0 END) AS w, sum(CASE WHEN self > 0 THEN 1 ELSE 0 END) AS sr,
       sum(CASE WHEN self > 0 AND verified > 0 THEN 1 ELSE 0 END) AS sv, max(updated_at) AS last,
       sum(males) AS ma, sum(females) AS fe, sum(under5) AS u5, sum(births_m) AS bm, sum(births_f) AS bf,
       sum(family) AS fh, sum(CASE WHEN family > 0 THEN persons ELSE 0 END) AS fp, sum(CASE WHEN overridden > 0 THEN 1 ELSE 0 END) AS ov
     FROM registrations GROUP BY district_code`,
  )) {
    const d = str(r, 'district_code');
    delta.add(d, 'r_complete', num(r, 'c'));
    delta.add(d, 'r_draft', num(r, 'd'));
    delta.add(d, 'persons', num(r, 'p'));
    delta.add(d, 'births', num(r, 'b'));
    delta.add(d, 'deaths', num(r, 'x'));
    delta.add(d, 'with_errors', num(r, 'e'));
    delta.add(d, 'with_warnings', num(r, 'w'));
    delta.add(d, 's_reported', num(r, 'sr'));
    delta.add(d, 's_verified', num(r, 'sv'));
    delta.add(d, 'males', num(r, 'ma'));
    delta.add(d, 'females', num(r, 'fe'));
    delta.add(d, 'under5', num(r, 'u5'));
    delta.add(d, 'births_m', num(r, 'bm'));
    delta.add(d, 'births_f', num(r, 'bf'));
    delta.add(d, 'fam_households', num(r, 'fh'));
    delta.add(d, 'fam_persons', num(r, 'fp'));
    delta.add(d, 'r_overridden', num(r, 'ov'));
    const last = optStr(r, 'last');
    if (last !== undefined) delta.wrote(d, last);
  }
  for (const r of await q.all('SELECT district_code, status, count(*) AS n FROM queries GROUP BY district_code, status')) {
    const d = str(r, 'district_code');
    const s = str(r, 'status');
    const n = num(r, 'n');
    // Drafts (not released) and dismissed items are no district's open work.
    if (s === 'open' || s === 'answered' || s === 'resolved') delta.add(d, s === 'open' ? 'q_open' : s === 'answered' ? 'q_answered' : 'q_resolved', n);
  }
  for (const r of await q.all('SELECT district_code, state, pending_at_accept FROM acceptance')) {
    const d = str(r, 'district_code');
    const s = str(r, 'state');
    if (s === 'accepted') {
      delta.add(d, 'a_accepted', 1);
      delta.add(d, 'a_pending', num(r, 'pending_at_accept'));
    } else if (s === 'submitted') delta.add(d, 'a_submitted', 1);
    else if (s === 'reopened') delta.add(d, 'a_reopened', 1);
  }
  const out = new Map<string, { counts: Counts; lastPushAt?: string }>();
  for (const [district, counts] of delta.byDistrict) {
    for (const n of ancestorsOf(district)) {
      let e = out.get(n);
      if (!e) {
        e = { counts: zeroCounts() };
        out.set(n, e);
      }
      for (const c of COUNTER_COLS) e.counts[c] += counts[c];
    }
  }
  for (const [district, at] of delta.lastWrite) {
    for (const n of ancestorsOf(district)) {
      const e = out.get(n);
      if (e && (e.lastPushAt === undefined || at > e.lastPushAt)) e.lastPushAt = at;
    }
  }
  return out;
}

/** Recounts every node from the base tables and replaces the counters (names are kept). */
export async function rebuildProgress(q: SqlExec): Promise<number> {
  const names = new Map<string, string>();
  for (const r of await q.all('SELECT code, name FROM districts')) for (const [n, name] of namesFromDistrictName(str(r, 'code'), str(r, 'name'))) names.set(n, name);
  for (const r of await q.all('SELECT node, name FROM progress WHERE name IS NOT NULL')) names.set(str(r, 'node'), str(r, 'name'));
  const computed = await computeProgress(q);
  await q.run('DELETE FROM progress');
  const maxPerDay = await computeMaxPerDay(q);
  const cols = ['node', 'parent', 'name', ...COUNTER_COLS, 'last_push_at', 'max_per_day'];
  const rows = [...computed.entries()].map(([n, e]) => [n, parentOf(n), names.get(n) ?? null, ...COUNTER_COLS.map((c) => e.counts[c]), e.lastPushAt ?? null, maxPerDay.get(n) ?? 0]);
  const per = Math.floor(2000 / cols.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await q.run(`INSERT INTO progress (${cols.join(', ')}) VALUES ${chunk.map(() => `(${marks(cols.length)})`).join(', ')}`, flatRows(chunk));
  }
  return rows.length;
}

/** Every registration's `cols` (and id), 500 rows at a time in id order: the backfills' walk. */
async function registrationPages(q: SqlExec, cols: string, each: (rows: Row[]) => Promise<void>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await q.all(`SELECT id, ${cols} FROM registrations WHERE id > ? ORDER BY id LIMIT 500`, [after]);
    if (rows.length === 0) return;
    await each(rows);
    after = str(rows[rows.length - 1] ?? {}, 'id');
  }
}

/**
 * Fills counter columns of every registration from its data; `values` gives the columns' values,
 * all zero (the column default) meaning nothing to write.
 */
async function backfillColumns(q: SqlExec, cols: readonly string[], values: (data: unknown) => number[]): Promise<void> {
  await registrationPages(q, 'data', async (rows) => {
    for (const r of rows) {
      const v = values(JSON.parse(str(r, 'data')) as unknown);
      if (v.some((x) => x !== 0)) await q.run(`UPDATE registrations SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...v, str(r, 'id')]);
    }
  });
}

/** Complete registrations per (district, enumerator, day) recounted from the registrations (tests; full scan). */
export async function computeEnumeratorDays(q: SqlExec): Promise<Map<string, { complete: number; overridden: number }>> {
  const out = new Map<string, { complete: number; overridden: number }>();
  for (const r of await q.all(
    `SELECT district_code, completed_by, completed_day, count(*) AS n, sum(overridden) AS o FROM registrations
      WHERE status = 'complete' AND completed_by IS NOT NULL AND completed_day IS NOT NULL GROUP BY district_code, completed_by, completed_day`,
  )) {
    out.set(`${str(r, 'district_code')}|${str(r, 'completed_by')}|${str(r, 'completed_day')}`, { complete: num(r, 'n'), overridden: num(r, 'o') });
  }
  return out;
}

/** The maintained enumerator_days rows (zero rows left out). */
export async function maintainedEnumeratorDays(q: SqlExec): Promise<Map<string, { complete: number; overridden: number }>> {
  const out = new Map<string, { complete: number; overridden: number }>();
  for (const r of await q.all('SELECT district_code, user_id, day, complete, overridden FROM enumerator_days WHERE complete <> 0 OR overridden <> 0')) {
    out.set(`${str(r, 'district_code')}|${str(r, 'user_id')}|${str(r, 'day')}`, { complete: num(r, 'complete'), overridden: num(r, 'overridden') });
  }
  return out;
}

/**
 * Migration 8: the issue-14 columns of every registration from its data and its writer (the
 * user of its latest applied revision; completed on the China-time day of its last write when
 * complete), then `enumerator_days` and the nodes' `max_per_day` from them. The caller rebuilds
 * the counters afterwards.
 */
export async function backfillQuality(q: SqlExec): Promise<void> {
  await registrationPages(q, 'status, updated_at, data', async (rows) => {
    const ids = rows.map((r) => str(r, 'id'));
    const writers = new Map<string, string>();
    // In revision order: the last applied revision's writer wins.
    for (const w of await q.all(
      `SELECT entity_id, user_id FROM revisions WHERE entity = 'household' AND status = 'applied' AND user_id IS NOT NULL AND entity_id IN (${marks(ids.length)}) ORDER BY id`,
      ids,
    )) {
      writers.set(str(w, 'entity_id'), str(w, 'user_id'));
    }
    for (const r of rows) {
      const id = str(r, 'id');
      const status = str(r, 'status');
      const { overrideRules, ...qv } = qualityOf(JSON.parse(str(r, 'data')) as unknown, status);
      const userId = writers.get(id) ?? null;
      const c = completion(status, userId, str(r, 'updated_at'));
      await q.run(
        `UPDATE registrations SET user_id = ?, males = ?, females = ?, under5 = ?, births_m = ?, births_f = ?, family = ?, overridden = ?, override_rules = ?, completed_by = ?, completed_day = ? WHERE id = ?`,
        [userId, qv.males, qv.females, qv.under5, qv.birthsM, qv.birthsF, qv.family, qv.overridden, overrideRules.length > 0 ? JSON.stringify(overrideRules) : null, c.completedBy, c.completedDay, id],
      );
    }
  });
  // One statement, whatever the province holds: no per-row round trips, nothing held in memory.
  await q.run('DELETE FROM enumerator_days');
  await q.run(
    `INSERT INTO enumerator_days (district_code, user_id, day, complete, overridden)
     SELECT district_code, completed_by, completed_day, count(*), sum(overridden) FROM registrations
      WHERE status = 'complete' AND completed_by IS NOT NULL AND completed_day IS NOT NULL GROUP BY district_code, completed_by, completed_day`,
  );
}

/** Each node's `max_per_day` recounted from enumerator_days (rebuilds and tests). */
export async function computeMaxPerDay(q: SqlExec): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of await q.all('SELECT district_code, max(complete) AS m FROM enumerator_days GROUP BY district_code')) {
    for (const n of ancestorsOf(str(r, 'district_code'))) out.set(n, Math.max(out.get(n) ?? 0, num(r, 'm')));
  }
  return out;
}

/** The registrations' self/verified columns from their data (migration 7). */
export function backfillSelfFlags(q: SqlExec): Promise<void> {
  return backfillColumns(q, ['self', 'verified'], (data) => {
    const f = selfFlags(data);
    return [f.self, f.verified];
  });
}

/** The registrations' births/deaths columns of version 1 rows, from their data (migration 2). */
export function backfillBirthsDeaths(q: SqlExec): Promise<void> {
  return backfillColumns(q, ['births', 'deaths'], (data) => {
    const { births, deaths } = birthsDeaths(data);
    return [births, deaths];
  });
}
