// Comparison review (issue 12) in SQL, shared by both stores: review items (rows of `queries`),
// the department registers, and the reads the comparison needs. Items are inserted as drafts
// with seq 0 (no pull sees them) and get a seq when released; `item_key` keeps a second
// comparison or import from duplicating an item.
import { ReviewQuerySchema, type ReviewCategory, type ReviewQuery, type ReviewQueryInput } from '../../domain/index.ts';
import type { CompareHousehold, RegisterKind, RegisterRecord } from '../review-types.ts';
import { json, marks, num, optStr, str, type Row, type SqlDriver, type SqlExec } from './sql-driver.ts';
import { insertRows, nextSeq } from './sql-push.ts';
import { ProgressDelta, applyProgress } from './sql-progress.ts';
import { scopeSql, type Scope } from './scope.ts';

/** The columns of `queries` a review item is written with (seq last). */
const ITEM_COLS = [
  'id',
  'household_id',
  'district_code',
  'household_no',
  'message',
  'status',
  'created_by',
  'created_at',
  'answer',
  'resolved_at',
  'version',
  'category',
  'origin',
  'subject',
  'match_info',
  'item_key',
  'released_at',
  'dismissed_at',
  'dismiss_reason',
  'answer_kind',
  'seq',
] as const;

export function toQuery(r: Row): ReviewQuery {
  const opt = (col: string) => optStr(r, col);
  const householdId = str(r, 'household_id');
  const answer = opt('answer');
  const subject = opt('subject');
  const match = opt('match_info');
  const o = (k: string, v: unknown) => (v === undefined ? {} : { [k]: v });
  return ReviewQuerySchema.parse({
    id: r.id,
    ...o('householdId', householdId === '' ? undefined : householdId),
    districtCode: r.district_code,
    ...o('householdNo', opt('household_no')),
    category: r.category,
    origin: r.origin,
    message: r.message,
    ...o('subject', subject === undefined ? undefined : JSON.parse(subject)),
    ...o('match', match === undefined ? undefined : JSON.parse(match)),
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    ...o('releasedAt', opt('released_at')),
    ...o('answer', answer === undefined ? undefined : JSON.parse(answer)),
    ...o('resolvedAt', opt('resolved_at')),
    ...o('dismissedAt', opt('dismissed_at')),
    ...o('dismissReason', opt('dismiss_reason')),
    version: num(r, 'version'),
  });
}

function itemRow(qy: ReviewQuery, key: string | null, seq: number): unknown[] {
  return [
    qy.id,
    qy.householdId ?? '',
    qy.districtCode,
    qy.householdNo ?? null,
    qy.message,
    qy.status,
    qy.createdBy,
    qy.createdAt,
    qy.answer ? JSON.stringify(qy.answer) : null,
    qy.resolvedAt ?? null,
    qy.version,
    qy.category,
    qy.origin,
    qy.subject ? JSON.stringify(qy.subject) : null,
    qy.match ? JSON.stringify(qy.match) : null,
    key,
    qy.releasedAt ?? null,
    qy.dismissedAt ?? null,
    qy.dismissReason ?? null,
    qy.answer?.kind ?? null,
    seq,
  ];
}

/** One query raised on a household (released at once: it is a person's question to the district). */
export function createQuery(db: SqlDriver, query: ReviewQueryInput): Promise<void> {
  const qy = ReviewQuerySchema.parse(query);
  return db.tx(async (q) => {
    const seq = qy.status === 'draft' ? 0 : await nextSeq(q, 1);
    await insertRows(q, 'queries', ITEM_COLS, [itemRow(qy, null, seq)]);
    const delta = new ProgressDelta();
    delta.query(qy.districtCode, qy.status, 1);
    await applyProgress(q, delta);
  });
}

/** Inserts draft items whose key is new; returns how many were created and how many existed. */
export function insertReviewItems(db: SqlDriver, items: readonly { key: string; item: ReviewQuery }[]): Promise<{ created: number; existing: number; byCategory: Record<string, number> }> {
  return db.tx(async (q) => {
    let created = 0;
    const byCategory: Record<string, number> = {};
    for (let i = 0; i < items.length; i += 500) {
      const part = items.slice(i, i + 500);
      const keys = [...new Set(part.map((p) => p.key))];
      const have = new Set((await q.all(`SELECT item_key FROM queries WHERE item_key IN (${marks(keys.length)})`, keys)).map((r) => str(r, 'item_key')));
      const fresh: unknown[][] = [];
      for (const p of part) {
        if (have.has(p.key)) continue;
        have.add(p.key);
        const qy = ReviewQuerySchema.parse(p.item);
        if (qy.status !== 'draft') throw new Error('review items are inserted as drafts');
        fresh.push(itemRow(qy, p.key, 0));
        byCategory[qy.category] = (byCategory[qy.category] ?? 0) + 1;
      }
      created += fresh.length;
      await insertRows(q, 'queries', ITEM_COLS, fresh);
    }
    return { created, existing: items.length - created, byCategory };
  });
}

export interface ReleaseFilter {
  /** A code prefix inside the caller's scope (all of the scope when absent). */
  area?: string;
  category?: ReviewCategory;
  ids?: readonly string[];
}

function filterSql(scope: Scope, f: ReleaseFilter): { sql: string; params: unknown[] } {
  const w = scopeSql(scope, 'district_code');
  let sql = w.sql;
  const params = [...w.params];
  if (f.area !== undefined && f.area !== '') {
    const a = scopeSql({ kind: 'prefix', prefix: f.area }, 'district_code');
    sql += ` AND ${a.sql}`;
    params.push(...a.params);
  }
  if (f.category !== undefined) {
    sql += ' AND category = ?';
    params.push(f.category);
  }
  if (f.ids !== undefined) {
    sql += f.ids.length === 0 ? ' AND 1 = 0' : ` AND id IN (${marks(f.ids.length)})`;
    params.push(...f.ids);
  }
  return { sql, params };
}

/** Releases the drafts the filter selects to their districts (they reach phones on the next pull). */
export function releaseItems(db: SqlDriver, scope: Scope, f: ReleaseFilter, at: string): Promise<number> {
  return db.tx(async (q) => {
    const w = filterSql(scope, f);
    const rows = await q.all(`SELECT id, district_code FROM queries WHERE status = 'draft' AND ${w.sql} ORDER BY id`, w.params);
    if (rows.length === 0) return 0;
    let seq = await nextSeq(q, rows.length);
    const delta = new ProgressDelta();
    // One statement per chunk: each row its own seq, in id order, from the block just taken.
    for (let i = 0; i < rows.length; i += 400) {
      const part = rows.slice(i, i + 400);
      const cases = part.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
      const params: unknown[] = [at];
      for (const r of part) params.push(str(r, 'id'), seq++);
      const ids = part.map((r) => str(r, 'id'));
      await q.run(`UPDATE queries SET status = 'open', released_at = ?, version = version + 1, seq = CASE id ${cases} END WHERE status = 'draft' AND id IN (${marks(ids.length)})`, [...params, ...ids]);
      for (const r of part) delta.query(str(r, 'district_code'), 'open', 1);
    }
    await applyProgress(q, delta);
    return rows.length;
  });
}

/** Withdraws an item with the office's reason; a released one reaches the phone as dismissed. */
export function dismissItem(db: SqlDriver, id: string, reason: string, at: string): Promise<ReviewQuery | undefined> {
  return db.tx(async (q) => {
    await q.lockKeys([`query:${id}`]);
    const r = (await q.all('SELECT * FROM queries WHERE id = ?', [id]))[0];
    if (!r) return undefined;
    const current = toQuery(r);
    if (current.status === 'dismissed') return current;
    // A draft stays invisible to phones (seq 0); a released item gets a new seq so phones hear of it.
    const seq = current.status === 'draft' ? 0 : await nextSeq(q, 1);
    await q.run("UPDATE queries SET status = 'dismissed', dismissed_at = ?, dismiss_reason = ?, version = ?, seq = ? WHERE id = ?", [at, reason, current.version + 1, seq, id]);
    const delta = new ProgressDelta();
    delta.query(current.districtCode, current.status, -1);
    await applyProgress(q, delta);
    return { ...current, status: 'dismissed', dismissedAt: at, dismissReason: reason, version: current.version + 1 };
  });
}

export interface ListItemsFilter {
  status?: string;
  category?: ReviewCategory;
  area?: string;
  /** Enumerators and supervisors never see drafts. */
  includeDrafts: boolean;
}

export async function listItems(db: SqlExec, scope: Scope, f: ListItemsFilter, after: { createdAt: string; id: string } | undefined, limit: number): Promise<ReviewQuery[]> {
  const w = filterSql(scope, { ...(f.area !== undefined ? { area: f.area } : {}), ...(f.category !== undefined ? { category: f.category } : {}) });
  const params: unknown[] = [...w.params];
  let sql = `SELECT * FROM queries WHERE ${w.sql}`;
  if (f.status !== undefined) {
    sql += ' AND status = ?';
    params.push(f.status);
  }
  if (!f.includeDrafts) sql += " AND status <> 'draft'";
  if (after) {
    sql += ' AND (created_at > ? OR (created_at = ? AND id > ?))';
    params.push(after.createdAt, after.createdAt, after.id);
  }
  const rows = await db.all(`${sql} ORDER BY created_at, id LIMIT ?`, [...params, limit]);
  return rows.map(toQuery);
}

export interface ReviewStatsRow {
  node: string;
  category: ReviewCategory;
  drafts: number;
  released: number;
  open: number;
  answered: number;
  closed: number;
  dismissed: number;
  /** Items answered `addedPerson`: persons added through review (the undercount found). */
  addedPersons: number;
}

/** Counts inside the scope and area, by the first `groupLength` digits of the district and category. */
export async function reviewStats(db: SqlExec, scope: Scope, area: string, groupLength: number): Promise<ReviewStatsRow[]> {
  const len = Math.min(15, Math.max(0, Math.trunc(groupLength)));
  const w = filterSql(scope, area === '' ? {} : { area });
  const rows = await db.all(
    `SELECT substr(district_code, 1, ${Math.trunc(len)}) AS node, category, status, count(*) AS n,
            sum(CASE WHEN answer_kind = 'addedPerson' AND status IN ('answered', 'resolved') THEN 1 ELSE 0 END) AS added,
            sum(CASE WHEN released_at IS NOT NULL THEN 1 ELSE 0 END) AS released
       FROM queries WHERE ${w.sql} GROUP BY substr(district_code, 1, ${Math.trunc(len)}), category, status`,
    w.params,
  );
  const out = new Map<string, ReviewStatsRow>();
  for (const r of rows) {
    const k = `${str(r, 'node')}|${str(r, 'category')}`;
    let e = out.get(k);
    if (!e) {
      e = { node: str(r, 'node'), category: str(r, 'category') as ReviewCategory, drafts: 0, released: 0, open: 0, answered: 0, closed: 0, dismissed: 0, addedPersons: 0 };
      out.set(k, e);
    }
    const n = num(r, 'n');
    const s = str(r, 'status');
    if (s === 'draft') e.drafts += n;
    else if (s === 'open') e.open += n;
    else if (s === 'answered') e.answered += n;
    else if (s === 'resolved') e.closed += n;
    else if (s === 'dismissed') e.dismissed += n;
    e.released += num(r, 'released');
    e.addedPersons += num(r, 'added');
  }
  return [...out.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

export interface RegisterImportResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const recordData = (r: RegisterRecord) => {
  const { kind: _k, key: _key, ...rest } = r;
  return JSON.stringify(rest);
};

/** All or nothing: new keys inserted, changed rows updated, identical rows untouched. */
export function importRegister(db: SqlDriver, kind: RegisterKind, records: readonly RegisterRecord[], importId: string, userId: string | null, at: string): Promise<RegisterImportResult> {
  return db.tx(async (q) => {
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    for (let i = 0; i < records.length; i += 500) {
      const part = records.slice(i, i + 500);
      const keys = part.map((r) => r.key);
      const have = new Map((await q.all(`SELECT record_key, data FROM register_records WHERE kind = ? AND record_key IN (${marks(keys.length)})`, [kind, ...keys])).map((r) => [str(r, 'record_key'), str(r, 'data')]));
      const rows: unknown[][] = [];
      for (const r of part) {
        if (r.kind !== kind) throw new Error('a record of another kind');
        const data = recordData(r);
        const old = have.get(r.key);
        if (old === data) {
          unchanged++;
          continue;
        }
        if (old === undefined) inserted++;
        else updated++;
        rows.push([kind, r.key, r.districtCode, r.citizenId ?? null, data, importId, at]);
      }
      await insertRows(
        q,
        'register_records',
        ['kind', 'record_key', 'district_code', 'citizen_id', 'data', 'import_id', 'imported_at'],
        rows,
        'ON CONFLICT (kind, record_key) DO UPDATE SET district_code = excluded.district_code, citizen_id = excluded.citizen_id, data = excluded.data, import_id = excluded.import_id, imported_at = excluded.imported_at',
      );
    }
    await q.run('INSERT INTO register_imports (id, kind, rows, inserted, updated, unchanged, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [importId, kind, records.length, inserted, updated, unchanged, userId, at]);
    return { rows: records.length, inserted, updated, unchanged };
  });
}

export interface RecordKey {
  districtCode: string;
  kind: string;
  key: string;
}

/** Register records of the scope (and area), in (district, kind, key) order after a key. */
export async function registerRecordsPage(db: SqlExec, scope: Scope, area: string, after: RecordKey | undefined, limit: number): Promise<(RegisterRecord & { districtCode: string })[]> {
  const w = filterSql(scope, area === '' ? {} : { area });
  const params: unknown[] = [...w.params];
  let sql = `SELECT kind, record_key, district_code, data FROM register_records WHERE ${w.sql}`;
  if (after) {
    sql += ' AND (district_code > ? OR (district_code = ? AND (kind > ? OR (kind = ? AND record_key > ?))))';
    params.push(after.districtCode, after.districtCode, after.kind, after.kind, after.key);
  }
  const rows = await db.all(`${sql} ORDER BY district_code, kind, record_key LIMIT ?`, [...params, limit]);
  return rows.map((r) => {
    const data = json(r, 'data') as Omit<RegisterRecord, 'kind' | 'key'>;
    return { ...data, kind: str(r, 'kind') as RegisterKind, key: str(r, 'record_key'), districtCode: str(r, 'district_code') };
  });
}

/** Register rows by kind inside the scope. */
export async function registerCounts(db: SqlExec, scope: Scope): Promise<Record<RegisterKind, number>> {
  const w = scopeSql(scope, 'district_code');
  const out: Record<RegisterKind, number> = { hukou: 0, births: 0, deaths: 0 };
  for (const r of await db.all(`SELECT kind, count(*) AS n FROM register_records WHERE ${w.sql} GROUP BY kind`, w.params)) {
    const k = str(r, 'kind');
    if (k === 'hukou' || k === 'births' || k === 'deaths') out[k] = num(r, 'n');
  }
  return out;
}

interface LooseRegistration {
  status?: unknown;
  persons?: { id?: unknown; name?: unknown; citizenId?: unknown; sex?: unknown; birth?: unknown; relationship?: unknown }[];
  deaths?: { id?: unknown; name?: unknown; citizenId?: unknown; sex?: unknown; birth?: unknown; death?: unknown }[];
  overrides?: { rule?: unknown; path?: unknown }[];
}
const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
const o = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });

/** Registered households of the whole store with their listing address, in id order after `afterId`. */
export async function compareHouseholdsPage(db: SqlExec, afterId: string, limit: number): Promise<CompareHousehold[]> {
  const rows = await db.all(
    `SELECT r.id, r.district_code, r.household_no, r.status, r.data, l.data AS listing
       FROM registrations r LEFT JOIN listing l ON l.id = r.listing_id WHERE r.id > ? ORDER BY r.id LIMIT ?`,
    [afterId, limit],
  );
  return rows.map((r) => {
    const data = json(r, 'data') as LooseRegistration;
    const listing = optStr(r, 'listing');
    const address = listing === undefined ? undefined : s((JSON.parse(listing) as { address?: unknown }).address);
    return {
      registrationId: str(r, 'id'),
      districtCode: str(r, 'district_code'),
      householdNo: str(r, 'household_no'),
      status: str(r, 'status') === 'complete' ? 'complete' : 'draft',
      ...o('address', address),
      persons: (data.persons ?? []).map((p) => ({
        personId: s(p.id) ?? '',
        ...o('name', s(p.name)),
        ...o('citizenId', s(p.citizenId)),
        ...o('sex', n(p.sex)),
        ...o('birth', s(p.birth)),
        ...o('relationship', n(p.relationship)),
      })),
      deaths: (data.deaths ?? []).map((d) => ({
        deathId: s(d.id) ?? '',
        ...o('name', s(d.name)),
        ...o('citizenId', s(d.citizenId)),
        ...o('sex', n(d.sex)),
        ...o('birth', s(d.birth)),
        ...o('death', s(d.death)),
      })),
      overrides: (data.overrides ?? []).flatMap((v) => (typeof v.rule === 'string' && Array.isArray(v.path) ? [{ rule: v.rule, path: v.path.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') }] : [])),
    };
  });
}
