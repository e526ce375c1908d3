// Rollup counters of the hierarchy (`progress`: one row per node, from the root '' down to each
// district). Every write that changes a counted value (listing, registrations, queries, new
// districts) adds its delta to the district's row and to every ancestor's row in the same
// transaction, so a progress answer reads O(children) rows instead of the records below.
// `computeProgress` recounts from the base tables: the migration and `rebuild-progress` use it,
// and the tests compare it with the maintained rows.
import { VisitStatusSchema, type VisitStatus } from '../../domain/index.ts';
import { marks, num, optStr, str, type Row, type SqlExec } from './sql-driver.ts';
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
}

/** Deltas per district, plus the latest registration write and any names learnt. */
export class ProgressDelta {
  readonly byDistrict = new Map<string, Counts>();
  readonly lastWrite = new Map<string, string>();
  readonly names = new Map<string, string>();

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
    return this.byDistrict.size === 0 && this.lastWrite.size === 0 && this.names.size === 0;
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

/** The counted columns of a registration row about to be written. */
export function countedOf(r: { status: string; persons: number; errors: number; warnings: number; data: unknown }): RegCounted {
  return { status: r.status, persons: r.persons, errors: r.errors, warnings: r.warnings, ...birthsDeaths(r.data), ...selfFlags(r.data) };
}

/** The counted columns as read back from a registrations row. */
export function countedFromRow(r: Row): RegCounted {
  return { status: str(r, 'status'), persons: num(r, 'persons'), errors: num(r, 'errors'), warnings: num(r, 'warnings'), births: num(r, 'births'), deaths: num(r, 'deaths'), self: num(r, 'self'), verified: num(r, 'verified') };
}

/** Adds the deltas to the district rows and all their ancestors (sorted: no lock-order cycles on PostgreSQL). */
export async function applyProgress(q: SqlExec, delta: ProgressDelta): Promise<void> {
  if (delta.empty) return;
  const nodes = new Map<string, { counts: Counts; last?: string; name?: string }>();
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
  const rows = [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cols = ['node', 'parent', 'name', ...COUNTER_COLS, 'last_push_at'];
  const per = Math.floor(2000 / cols.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = chunk.map(() => `(${marks(cols.length)})`).join(', ');
    const params = chunk.flatMap(([n, e]) => [n, parentOf(n), e.name ?? null, ...COUNTER_COLS.map((c) => e.counts[c]), e.last ?? null]);
    await q.run(
      `INSERT INTO progress (${cols.join(', ')}) VALUES ${values} ON CONFLICT (node) DO UPDATE SET
         name = COALESCE(progress.name, excluded.name),
         ${COUNTER_COLS.map((c) => `${c} = progress.${c} + excluded.${c}`).join(', ')},
         last_push_at = CASE WHEN progress.last_push_at IS NULL OR excluded.last_push_at > progress.last_push_at THEN excluded.last_push_at ELSE progress.last_push_at END`,
      params,
    );
  }
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
       sum(CASE WHEN self > 0 AND verified > 0 THEN 1 ELSE 0 END) AS sv, max(updated_at) AS last
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
  const cols = ['node', 'parent', 'name', ...COUNTER_COLS, 'last_push_at'];
  const rows = [...computed.entries()].map(([n, e]) => [n, parentOf(n), names.get(n) ?? null, ...COUNTER_COLS.map((c) => e.counts[c]), e.lastPushAt ?? null]);
  const per = Math.floor(2000 / cols.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await q.run(`INSERT INTO progress (${cols.join(', ')}) VALUES ${chunk.map(() => `(${marks(cols.length)})`).join(', ')}`, chunk.flat());
  }
  return rows.length;
}

/**
 * Fills counter columns of every registration from its data, 500 rows at a time in id order;
 * `values` gives the columns' values, all zero (the column default) meaning nothing to write.
 */
async function backfillColumns(q: SqlExec, cols: readonly string[], values: (data: unknown) => number[]): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await q.all('SELECT id, data FROM registrations WHERE id > ? ORDER BY id LIMIT 500', [after]);
    if (rows.length === 0) return;
    for (const r of rows) {
      const v = values(JSON.parse(str(r, 'data')) as unknown);
      if (v.some((x) => x !== 0)) await q.run(`UPDATE registrations SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...v, str(r, 'id')]);
    }
    after = str(rows[rows.length - 1] ?? {}, 'id');
  }
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
