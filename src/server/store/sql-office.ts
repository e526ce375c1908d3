// Issue 14 (docs/OFFICE.md), store side: the daily freeze and its rows, acceptance (验收) and its
// state changes (also those that happen inside a push), and the bounded reads of the quality
// signals (an area's enumerators, the households behind a signal, one household's context).
import type { ReviewQuery } from '../../domain/index.ts';
import { marks, num, optStr, str, type Row, type SqlDriver, type SqlExec } from './sql-driver.ts';
import { COUNTER_COLS, ProgressDelta, applyProgress, toProgressRow, zeroCounts, type Counts } from './sql-progress.ts';
import { toQuery } from './sql-review.ts';
import { ancestorsOf, scopeSql, type Scope } from './scope.ts';

export const ACCEPTANCE_STATES = ['open', 'submitted', 'accepted', 'returned', 'reopened'] as const;
export type AcceptanceState = (typeof ACCEPTANCE_STATES)[number];
export type AcceptanceAction = 'submit' | 'accept' | 'return' | 'reopen';
export const BLOCKER_KINDS = ['pending', 'errors', 'warnings', 'review', 'queued'] as const;
export interface Blocker {
  kind: (typeof BLOCKER_KINDS)[number];
  count: number;
}

/** What still keeps a district from acceptance, from its counters and its phones' queues (zero counts left out). */
export function blockersOf(c: Counts, queued: number): Blocker[] {
  const all: Blocker[] = [
    { kind: 'pending', count: c.v_pending },
    { kind: 'errors', count: c.with_errors },
    { kind: 'warnings', count: c.with_warnings },
    { kind: 'review', count: c.q_open + c.q_answered },
    { kind: 'queued', count: queued },
  ];
  return all.filter((b) => b.count > 0);
}

export interface DailyRun {
  day: string;
  late: boolean;
  frozenAt: string;
}
export interface DailyRow {
  day: string;
  node: string;
  name?: string;
  counts: Counts;
  maxPerDay: number;
  devicesQueued: number;
  lastPushAt: string | undefined;
}
export interface AcceptanceRecord {
  district: string;
  name?: string;
  state: AcceptanceState;
  history: { action: AcceptanceAction; by: string | null; at: string; reason?: string }[];
}
export interface AcceptanceListRow {
  district: string;
  name?: string;
  state: AcceptanceState;
  counts: Counts;
}
export type ActResult = { ok: true; state: AcceptanceState } | { ok: false; reason: 'conflict'; state: AcceptanceState } | { ok: false; reason: 'not_ready'; blockers: Blocker[] } | { ok: false; reason: 'not_found' };

export interface EnumeratorQuality {
  userId: string;
  username: string;
  name: string;
  complete: number;
  overridden: number;
  topRules: { rule: string; n: number }[];
  maxPerDay: number;
  maxDay: string | null;
}

export type HouseholdFilter =
  | { kind: 'births' | 'deaths' | 'under5' | 'overridden' | 'all' }
  | { kind: 'rule'; rule: string }
  | { kind: 'day'; userId: string; day: string };
export interface HouseholdKey {
  districtCode: string;
  householdNo: string;
  id: string;
}
export interface SignalHousehold {
  householdId: string;
  districtCode: string;
  householdNo: string;
  headName: string | null;
  enumerator: string | null;
  persons: number;
  births: number;
  deaths: number;
  overrides: string[];
  updatedAt: string;
}

function dailyRow(r: Row): DailyRow {
  const p = toProgressRow(r);
  return { day: str(r, 'day'), node: p.node, ...(p.name !== undefined ? { name: p.name } : {}), counts: p.counts, maxPerDay: num(r, 'max_per_day'), devicesQueued: num(r, 'devices_queued'), lastPushAt: p.lastPushAt };
}

const DAILY_COLS = ['node', 'parent', 'name', ...COUNTER_COLS, 'max_per_day', 'last_push_at'];
const LENGTHS = [0, 2, 4, 6, 9, 12, 15];

/** The head's name from a registration's data (relationship 0), else the first person's. */
function headName(data: unknown): string | null {
  const persons = typeof data === 'object' && data !== null && Array.isArray((data as { persons?: unknown }).persons) ? ((data as { persons: unknown[] }).persons) : [];
  const named = persons.filter((p): p is { name: string; relationship?: unknown } => typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string');
  return (named.find((p) => p.relationship === 0) ?? named[0])?.name ?? null;
}

const rulesOf = (r: Row): string[] => {
  const t = optStr(r, 'override_rules');
  if (t === undefined) return [];
  const v = JSON.parse(t) as unknown;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

export class SqlOffice {
  constructor(private readonly db: SqlDriver) {}

  /**
   * Freezes every node's counters as the daily row of `day`, once: the `daily_runs` row is
   * inserted first in the same transaction, and a second freeze of the day (another node, a
   * retry) conflicts on its key and writes nothing. `beforeCommit` lets a test fail the freeze
   * after its rows are written.
   */
  freezeDay(day: string, opts: { late: boolean; at: string; beforeCommit?: () => Promise<void> }): Promise<{ frozen: boolean; nodes: number }> {
    return this.db.tx(async (q) => {
      const won = await q.all('INSERT INTO daily_runs (day, late, frozen_at, nodes) VALUES (?, ?, ?, 0) ON CONFLICT (day) DO NOTHING RETURNING day', [day, opts.late ? 1 : 0, opts.at]);
      if (won.length === 0) return { frozen: false, nodes: 0 };
      const nodes = await q.run(`INSERT INTO daily_progress (day, ${DAILY_COLS.join(', ')}) SELECT ?, ${DAILY_COLS.join(', ')} FROM progress WHERE districts > 0`, [day]);
      // Phones with a queue, per node: few at any time (the partial index of devices with a queue).
      for (const len of LENGTHS) {
        const rows = await q.all(
          `SELECT substr(de.district_code, 1, ${len}) AS node, count(DISTINCT d.id) AS n FROM devices d CROSS JOIN district_enumerators de
            WHERE de.user_id = d.user_id AND d.pending > 0 GROUP BY substr(de.district_code, 1, ${len})`,
        );
        for (const r of rows) await q.run('UPDATE daily_progress SET devices_queued = ? WHERE day = ? AND node = ?', [num(r, 'n'), day, str(r, 'node')]);
      }
      await q.run('UPDATE daily_runs SET nodes = ? WHERE day = ?', [nodes, day]);
      await opts.beforeCommit?.();
      return { frozen: true, nodes };
    });
  }

  async frozenDays(from: string): Promise<Set<string>> {
    return new Set((await this.db.all('SELECT day FROM daily_runs WHERE day >= ?', [from])).map((r) => str(r, 'day')));
  }

  /** When the store first received anything (its first revision), undefined when it holds no district yet. */
  async firstDataAt(): Promise<string | null | undefined> {
    const rev = (await this.db.all('SELECT received_at FROM revisions ORDER BY id LIMIT 1'))[0];
    if (rev) return str(rev, 'received_at');
    return (await this.db.all('SELECT code FROM districts LIMIT 1')).length > 0 ? null : undefined;
  }

  async dailyRuns(from: string, to: string): Promise<DailyRun[]> {
    return (await this.db.all('SELECT day, late, frozen_at FROM daily_runs WHERE day >= ? AND day <= ? ORDER BY day', [from, to])).map((r) => ({
      day: str(r, 'day'),
      late: num(r, 'late') > 0,
      frozenAt: str(r, 'frozen_at'),
    }));
  }

  /** The node's daily rows and its children's (O(days x children)). */
  async daily(node: string, from: string, to: string): Promise<{ node: DailyRow[]; children: DailyRow[] }> {
    const self = (await this.db.all('SELECT * FROM daily_progress WHERE node = ? AND day >= ? AND day <= ? ORDER BY day', [node, from, to])).map(dailyRow);
    const children = (await this.db.all('SELECT * FROM daily_progress WHERE parent = ? AND day >= ? AND day <= ? AND districts > 0 ORDER BY day, node', [node, from, to])).map(dailyRow);
    return { node: self, children };
  }

  /** The daily rows of the districts in a scope (a supervisor's node). */
  async dailyOfDistricts(scope: Scope, from: string, to: string): Promise<DailyRow[]> {
    const w = scopeSql(scope, 'node');
    return (await this.db.all(`SELECT * FROM daily_progress WHERE ${w.sql} AND day >= ? AND day <= ? ORDER BY day, node`, [...w.params, from, to])).map(dailyRow);
  }

  /** Each node's max_per_day (the running maximum `/quality` reports). */
  async maxPerDay(nodes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < nodes.length; i += 500) {
      const part = nodes.slice(i, i + 500);
      for (const r of await this.db.all(`SELECT node, max_per_day FROM progress WHERE node IN (${marks(part.length)})`, part)) out.set(str(r, 'node'), num(r, 'max_per_day'));
    }
    return out;
  }

  async acceptance(district: string): Promise<AcceptanceRecord | undefined> {
    const d = (await this.db.all('SELECT d.code, d.name, a.state FROM districts d LEFT JOIN acceptance a ON a.district_code = d.code WHERE d.code = ?', [district]))[0];
    if (!d) return undefined;
    const history = (
      await this.db.all('SELECT h.action, h.at, h.reason, u.username FROM acceptance_history h LEFT JOIN users u ON u.id = h.user_id WHERE h.district_code = ? ORDER BY h.id', [district])
    ).map((r) => {
      const reason = optStr(r, 'reason');
      return { action: str(r, 'action') as AcceptanceAction, by: optStr(r, 'username') ?? null, at: str(r, 'at'), ...(reason !== undefined ? { reason } : {}) };
    });
    return { district, name: str(d, 'name'), state: (optStr(d, 'state') ?? 'open') as AcceptanceState, history };
  }

  /**
   * One acceptance step in one transaction. The district's progress rows are locked first, in the
   * order every push locks them (sorted from the root), so a push and an acceptance never cross:
   * either the push commits first (and its counts are what the blockers are checked against) or
   * the acceptance does (and the push, reading the accepted state after its own counter update,
   * reopens the district).
   */
  act(district: string, action: 'submit' | 'accept' | 'return', userId: string, at: string, queued: number, reason?: string): Promise<ActResult> {
    return this.db.tx(async (q): Promise<ActResult> => {
      for (const n of ancestorsOf(district)) await q.run('UPDATE progress SET districts = districts WHERE node = ?', [n]);
      const p = (await q.all('SELECT * FROM progress WHERE node = ?', [district]))[0];
      if (!p) return { ok: false, reason: 'not_found' };
      const counts = toProgressRow(p).counts;
      const row = (await q.all('SELECT state FROM acceptance WHERE district_code = ?', [district]))[0];
      const state = (row ? str(row, 'state') : 'open') as AcceptanceState;
      const from: readonly AcceptanceState[] = action === 'submit' ? ['open', 'returned', 'reopened'] : ['submitted'];
      if (!from.includes(state)) return { ok: false, reason: 'conflict', state };
      if (action !== 'return') {
        const blockers = blockersOf(counts, queued);
        if (blockers.length > 0) return { ok: false, reason: 'not_ready', blockers };
      }
      const next: AcceptanceState = action === 'submit' ? 'submitted' : action === 'accept' ? 'accepted' : 'returned';
      const pendingAtAccept = next === 'accepted' ? counts.v_pending : 0;
      await q.run(
        `INSERT INTO acceptance (district_code, state, updated_at, pending_at_accept) VALUES (?, ?, ?, ?)
         ON CONFLICT (district_code) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, pending_at_accept = excluded.pending_at_accept`,
        [district, next, at, pendingAtAccept],
      );
      await q.run('INSERT INTO acceptance_history (district_code, action, user_id, at, reason) VALUES (?, ?, ?, ?, ?)', [district, action, userId, at, reason ?? null]);
      const delta = new ProgressDelta();
      if (state === 'reopened') delta.add(district, 'a_reopened', -1);
      if (state === 'submitted') delta.add(district, 'a_submitted', -1);
      if (next === 'submitted') delta.add(district, 'a_submitted', 1);
      if (next === 'accepted') {
        delta.add(district, 'a_accepted', 1);
        delta.add(district, 'a_pending', pendingAtAccept);
      }
      await applyProgress(q, delta);
      return { ok: true, state: next };
    });
  }

  /** The districts of a scope in a state, by code after `after` (open: those without an acceptance row). */
  async acceptanceList(scope: Scope, state: AcceptanceState, after: string, limit: number): Promise<AcceptanceListRow[]> {
    const w = scopeSql(scope, 'd.code');
    const cols = COUNTER_COLS.map((c) => `p.${c}`).join(', ');
    const rows =
      state === 'open'
        ? await this.db.all(
            `SELECT d.code AS district, d.name AS dname, ${cols} FROM districts d LEFT JOIN acceptance a ON a.district_code = d.code LEFT JOIN progress p ON p.node = d.code
              WHERE ${w.sql} AND d.code > ? AND a.state IS NULL ORDER BY d.code LIMIT ?`,
            [...w.params, after, limit],
          )
        : await this.db.all(
            `SELECT d.code AS district, d.name AS dname, ${cols} FROM acceptance a JOIN districts d ON d.code = a.district_code LEFT JOIN progress p ON p.node = d.code
              WHERE a.state = ? AND ${w.sql} AND a.district_code > ? ORDER BY a.district_code LIMIT ?`,
            [state, ...w.params, after, limit],
          );
    return rows.map((r) => {
      const counts = zeroCounts();
      for (const c of COUNTER_COLS) counts[c] = r[c] === null || r[c] === undefined ? 0 : num(r, c);
      return { district: str(r, 'district'), name: str(r, 'dname'), state, counts };
    });
  }

  /**
   * The enumerators who completed registrations in the scope (bounded: a township or a
   * supervisor's districts): complete and overridden counts, the most in one China-time day, and
   * the rules they confirmed most (from the scope's registrations with an override).
   */
  async enumeratorQuality(scope: Scope): Promise<EnumeratorQuality[]> {
    const w = scopeSql(scope, 'ed.district_code');
    const byUser = new Map<string, EnumeratorQuality>();
    for (const r of await this.db.all(
      `SELECT ed.user_id, u.username, u.name, ed.day, sum(ed.complete) AS c, sum(ed.overridden) AS o FROM enumerator_days ed JOIN users u ON u.id = ed.user_id
        WHERE ${w.sql} GROUP BY ed.user_id, u.username, u.name, ed.day`,
      w.params,
    )) {
      const id = str(r, 'user_id');
      const e = byUser.get(id) ?? { userId: id, username: str(r, 'username'), name: str(r, 'name'), complete: 0, overridden: 0, topRules: [], maxPerDay: 0, maxDay: null };
      const c = num(r, 'c');
      e.complete += c;
      e.overridden += num(r, 'o');
      const day = str(r, 'day');
      if (c > e.maxPerDay || (c === e.maxPerDay && e.maxDay !== null && day < e.maxDay)) {
        e.maxPerDay = c;
        e.maxDay = day;
      }
      byUser.set(id, e);
    }
    const rw = scopeSql(scope, 'district_code');
    const rules = new Map<string, Map<string, number>>();
    for (const r of await this.db.all(`SELECT completed_by, override_rules FROM registrations WHERE ${rw.sql} AND status = 'complete' AND overridden > 0 AND completed_by IS NOT NULL`, rw.params)) {
      const u = str(r, 'completed_by');
      const m = rules.get(u) ?? new Map<string, number>();
      for (const rule of rulesOf(r)) m.set(rule, (m.get(rule) ?? 0) + 1);
      rules.set(u, m);
    }
    for (const [u, m] of rules) {
      const e = byUser.get(u);
      if (e) e.topRules = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([rule, n]) => ({ rule, n }));
    }
    return [...byUser.values()].filter((e) => e.complete > 0);
  }

  /**
   * The registrations in the scope behind a signal, a page after `after`, in the order of the
   * registrations' (district, household number, id) index: a page reads its rows in index order
   * and stops at `limit` (an order by size would sort the whole county for every page).
   */
  async signalHouseholds(scope: Scope, filter: HouseholdFilter, enumeratorId: string | undefined, after: HouseholdKey | undefined, limit: number): Promise<{ rows: SignalHousehold[]; last?: HouseholdKey }> {
    const w = scopeSql(scope, 'r.district_code');
    const where = [w.sql];
    const params: unknown[] = [...w.params];
    switch (filter.kind) {
      case 'births':
        where.push('r.births > 0');
        break;
      case 'deaths':
        where.push('r.deaths > 0');
        break;
      case 'under5':
        where.push('r.under5 > 0');
        break;
      case 'overridden':
        where.push('r.overridden > 0');
        break;
      case 'rule':
        where.push("r.override_rules LIKE ? ESCAPE '\\'");
        params.push(`%"${filter.rule.replace(/[\\%_]/g, (m) => `\\${m}`)}"%`);
        break;
      case 'day':
        where.push("r.completed_by = ? AND r.completed_day = ? AND r.status = 'complete'");
        params.push(filter.userId, filter.day);
        break;
      case 'all':
        break;
    }
    if (enumeratorId !== undefined) {
      where.push('(r.completed_by = ? OR (r.completed_by IS NULL AND r.user_id = ?))');
      params.push(enumeratorId, enumeratorId);
    }
    if (after) {
      where.push('(r.district_code > ? OR (r.district_code = ? AND (r.household_no > ? OR (r.household_no = ? AND r.id > ?))))');
      params.push(after.districtCode, after.districtCode, after.householdNo, after.householdNo, after.id);
    }
    const order = 'r.district_code, r.household_no, r.id';
    const rows = await this.db.all(
      `SELECT r.id, r.district_code, r.household_no, r.persons, r.births, r.deaths, r.override_rules, r.updated_at, r.data, u.username
         FROM registrations r LEFT JOIN users u ON u.id = COALESCE(r.completed_by, r.user_id)
        WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
      [...params, limit],
    );
    const out = rows.map((r) => ({
      householdId: str(r, 'id'),
      districtCode: str(r, 'district_code'),
      householdNo: str(r, 'household_no'),
      headName: headName(JSON.parse(str(r, 'data')) as unknown),
      enumerator: optStr(r, 'username') ?? null,
      persons: num(r, 'persons'),
      births: num(r, 'births'),
      deaths: num(r, 'deaths'),
      overrides: rulesOf(r),
      updatedAt: str(r, 'updated_at'),
    }));
    const l = out.at(-1);
    return { rows: out, ...(l ? { last: { districtCode: l.districtCode, householdNo: l.householdNo, id: l.householdId } } : {}) };
  }

  /** A registration's district, its enumerator (who completed it, else who last wrote it) and its released queries. */
  async registrationContext(id: string): Promise<{ districtCode: string; districtName: string; enumerator: { id: string; username: string; name: string } | null; queries: ReviewQuery[] } | undefined> {
    const r = (
      await this.db.all(
        `SELECT r.district_code, d.name AS dname, u.id AS uid, u.username, u.name AS uname FROM registrations r JOIN districts d ON d.code = r.district_code
           LEFT JOIN users u ON u.id = COALESCE(r.completed_by, r.user_id) WHERE r.id = ?`,
        [id],
      )
    )[0];
    if (!r) return undefined;
    const districtCode = str(r, 'district_code');
    const queries = (await this.db.all("SELECT * FROM queries WHERE district_code = ? AND household_id = ? AND status <> 'draft' ORDER BY created_at, id", [districtCode, id])).map(toQuery);
    const uid = optStr(r, 'uid');
    return { districtCode, districtName: str(r, 'dname'), enumerator: uid !== undefined ? { id: uid, username: str(r, 'username'), name: str(r, 'uname') } : null, queries };
  }
}

/**
 * A write to an accepted district is stored as always and reopens it, in the push's own
 * transaction: state `reopened`, a `reopen` history entry, and the counters moved. Called after
 * the push has updated (and so locked) the districts' progress rows: an acceptance step that
 * committed meanwhile is seen here.
 */
export async function reopenAccepted(q: SqlExec, touched: ReadonlyMap<string, { userId: string; at: string }>, delta: ProgressDelta): Promise<void> {
  const codes = [...touched.keys()].sort();
  for (let i = 0; i < codes.length; i += 500) {
    const part = codes.slice(i, i + 500);
    const rows = await q.all(`SELECT district_code, pending_at_accept FROM acceptance WHERE state = 'accepted' AND district_code IN (${marks(part.length)})`, part);
    for (const r of rows) {
      const d = str(r, 'district_code');
      const who = touched.get(d);
      const at = who?.at ?? new Date().toISOString();
      await q.run("UPDATE acceptance SET state = 'reopened', updated_at = ?, pending_at_accept = 0 WHERE district_code = ?", [at, d]);
      await q.run("INSERT INTO acceptance_history (district_code, action, user_id, at) VALUES (?, 'reopen', ?, ?)", [d, who?.userId ?? null, at]);
      delta.add(d, 'a_accepted', -1);
      delta.add(d, 'a_reopened', 1);
      delta.add(d, 'a_pending', -num(r, 'pending_at_accept'));
    }
  }
}
