// Push and pull on any SqlDriver. A push runs in a transaction holding the locks of the keys it
// touches: read the earlier results and current versions, let the pure planner decide, then write
// results, revisions, current rows, quarantine and the device report together. Server
// sequence numbers (never device clocks) order pull; they are taken last, under the single
// server_seq row lock, so they are handed out in commit order and a pull never skips a row.
import type { MutationResult } from '../../domain/index.ts';
import { pendingAfterPush, type PushPlan, type PushPlanner } from '../push-plan.ts';
import { flatRows, json, marks, num, optNum, optStr, str, type SqlExec } from './sql-driver.ts';
import type { ChangeRow, EntityState, PushBatch, PushSnapshot, StoredResult } from './store.ts';
import { ApiErrorSchema, ListingEntrySchema, PRACTICE_ENTITY_PREFIX, type ListingEntry } from '../../domain/index.ts';
import { scopeSql, type Scope } from './scope.ts';
import { indexCitizenIds } from './sql-duplicates.ts';
import { registerPhoneCodes } from './sql-self.ts';
import { ProgressDelta, REG_COUNTED_SELECT, REG_EXTRA_COLS, applyProgress, countedFromRow, countedOf, regExtraValues, zeroCounts, type RegCounted } from './sql-progress.ts';
import { reopenAccepted } from './sql-office.ts';

/** Reserves `n` sequence numbers; returns the first. */
export async function nextSeq(q: SqlExec, n: number): Promise<number> {
  const rows = await q.all('UPDATE server_seq SET value = value + ? WHERE id = 1 RETURNING value', [n]);
  const row = rows[0];
  if (!row) throw new Error('server_seq row missing');
  return num(row, 'value') - n + 1;
}

/** Multi-row INSERT in chunks (parameter limits of both databases). */
export async function insertRows(q: SqlExec, table: string, cols: readonly string[], rows: readonly unknown[][], suffix = ''): Promise<void> {
  const per = Math.max(1, Math.floor(2000 / cols.length));
  const row = `(${marks(cols.length)})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values = Array.from({ length: chunk.length }, () => row).join(', ');
    await q.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values} ${suffix}`, flatRows(chunk));
  }
}

const upsertSet = (cols: readonly string[]) => cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ');

/**
 * The current rows' counted columns as read with the snapshot: the progress counters' deltas
 * start from them, so the write step needs no second read of the same rows.
 */
interface Prior {
  registrations: Map<string, { districtCode: string; counted: RegCounted }>;
  listing: Map<string, { districtCode: string; visitStatus: string }>;
  queries: Map<string, { districtCode: string; status: string }>;
}

async function readSnapshot(q: SqlExec, keys: PushBatch['keys'], listingIds: readonly string[], answerHouseholds: readonly string[] = []): Promise<{ snapshot: PushSnapshot; prior: Prior }> {
  const snapshot: PushSnapshot = {
    mutations: new Map<string, StoredResult>(),
    entities: new Map<string, EntityState>(),
    listings: new Map<string, { districtCode: string; entry?: ListingEntry }>(),
    practice: new Map<string, { version: number; createdAt: string }>(),
    members: new Map<string, { districtCode: string; ids: ReadonlySet<string> }>(),
  };
  const prior: Prior = { registrations: new Map(), listing: new Map(), queries: new Map() };
  const ids = [...new Set(keys.map((k) => k.mutationId))];
  if (ids.length > 0) {
    for (const r of await q.all(`SELECT id, status, version, error, device_id FROM mutations WHERE id IN (${marks(ids.length)})`, ids)) {
      const status = str(r, 'status');
      if (status !== 'applied' && status !== 'conflict' && status !== 'rejected') throw new Error('bad stored status');
      const version = optNum(r, 'version');
      const error = optStr(r, 'error');
      snapshot.mutations.set(str(r, 'id'), {
        status,
        ...(version !== undefined ? { version } : {}),
        ...(error !== undefined ? { error: ApiErrorSchema.parse(JSON.parse(error)) } : {}),
        deviceId: str(r, 'device_id'),
      });
    }
  }
  const lids = [...new Set(listingIds)];
  for (const r of await rowsById(q, (l) => `SELECT id, district_code, data FROM listing WHERE id IN (${l})`, lids)) {
    // A stored entry our schema no longer reads still places the household in its district.
    const entry = ListingEntrySchema.safeParse(json(r, 'data'));
    snapshot.listings.set(str(r, 'id'), { districtCode: str(r, 'district_code'), ...(entry.success ? { entry: entry.data } : {}) });
  }
  // The persons of households that review answers say a person was added to (rare: read whole).
  for (const r of await rowsById(q, (l) => `SELECT id, district_code, data FROM registrations WHERE id IN (${l})`, [...new Set(answerHouseholds)])) {
    snapshot.members?.set(str(r, 'id'), { districtCode: str(r, 'district_code'), ids: memberIds(json(r, 'data')) });
  }
  // Practice summaries by the user id their entityId names (a foreign one is refused by the planner).
  const practiceUsers = [...new Set(keys.filter((k) => k.entity === 'practice' && k.entityId.startsWith(PRACTICE_ENTITY_PREFIX)).map((k) => k.entityId.slice(PRACTICE_ENTITY_PREFIX.length)))];
  for (const r of await rowsById(q, (l) => `SELECT user_id, version, created_at FROM practice_summaries WHERE user_id IN (${l})`, practiceUsers)) {
    snapshot.practice.set(str(r, 'user_id'), { version: num(r, 'version'), createdAt: str(r, 'created_at') });
  }
  const tables = { household: 'registrations', listing: 'listing', query: 'queries' } as const;
  const extra = { household: `, ${REG_COUNTED_SELECT}`, listing: ', visit_status', query: ', status, category' } as const;
  for (const entity of ['household', 'listing', 'query'] as const) {
    const eids = [...new Set(keys.filter((k) => k.entity === entity).map((k) => k.entityId))];
    if (eids.length === 0) continue;
    for (const r of await rowsById(q, (l) => `SELECT id, version, district_code${extra[entity]} FROM ${tables[entity]} WHERE id IN (${l})`, eids)) {
      const id = str(r, 'id');
      const districtCode = str(r, 'district_code');
      const queryStatus = entity === 'query' ? str(r, 'status') : undefined;
      snapshot.entities.set(`${entity}:${id}`, {
        version: num(r, 'version'),
        districtCode,
        ...(queryStatus !== undefined ? { queryStatus, queryCategory: str(r, 'category') } : {}),
      });
      if (entity === 'household') {
        prior.registrations.set(id, { districtCode, counted: countedFromRow(r) });
      } else if (entity === 'listing') prior.listing.set(id, { districtCode, visitStatus: str(r, 'visit_status') });
      else prior.queries.set(id, { districtCode, status: str(r, 'status') });
    }
  }
  return { snapshot, prior };
}

/** The ids of a stored registration's persons and deaths (what an `addedPerson` answer may name). */
export function memberIds(data: unknown): Set<string> {
  const ids = new Set<string>();
  if (typeof data !== 'object' || data === null) return ids;
  for (const list of [(data as { persons?: unknown }).persons, (data as { deaths?: unknown }).deaths]) {
    if (!Array.isArray(list)) continue;
    for (const x of list as unknown[]) {
      const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

export const REG_COLS = ['id', 'district_code', 'listing_id', 'household_no', 'form', 'status', 'version', 'persons', 'errors', 'warnings', 'births', 'deaths', 'self', 'verified', 'data', 'seq', 'updated_at', ...REG_EXTRA_COLS] as const;

/** Rows by id, in chunks within both databases' parameter limits. */
async function rowsById(q: SqlExec, sql: (inList: string) => string, ids: readonly string[]) {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    out.push(...(await q.all(sql(marks(part.length)), part)));
  }
  return out;
}
const LISTING_COLS = ['id', 'district_code', 'household_no', 'visit_status', 'version', 'data', 'seq'] as const;
/** A push also records which device wrote the version (migration 10; the pull leaves it out for that device). */
const WRITTEN_COLS = ['written_by', 'written_version'] as const;
const PUSHED_REG_COLS = [...REG_COLS, ...WRITTEN_COLS];
const PUSHED_LISTING_COLS = [...LISTING_COLS, ...WRITTEN_COLS];
/** For every writer but a push: the current version is no longer one a device pushed. */
export const NOT_PUSHED_SET = 'written_by = NULL, written_version = NULL';
/**
 * The `ON CONFLICT (id)` clause of a registrations or listing upsert by any writer but a push
 * (import, self-enumeration): every column from the new row, and the push mark cleared (PL5).
 */
export const replaceNotPushed = (cols: readonly string[]) => `ON CONFLICT (id) DO UPDATE SET ${upsertSet(cols)}, ${NOT_PUSHED_SET}`;

/** Only the last write of a record in a group reaches its current row (revisions keep all). */
function lastById<T extends { id: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

async function writePlans(q: SqlExec, items: readonly { batch: PushBatch; plan: PushPlan }[], prior: Prior): Promise<void> {
  // Serialise each record once: the revision and the current row carry the same text.
  const text = new Map<unknown, string>();
  const jsonOf = (v: unknown) => {
    let t = text.get(v);
    if (t === undefined) {
      t = JSON.stringify(v);
      text.set(v, t);
    }
    return t;
  };
  await insertRows(
    q,
    'mutations',
    ['id', 'user_id', 'device_id', 'entity', 'entity_id', 'base_version', 'device_seq', 'status', 'version', 'error', 'created_at', 'received_at', 'note'],
    items.flatMap(({ batch: b, plan }) =>
      plan.mutations.map((m) => [m.id, b.userId, b.deviceId, m.entity, m.entityId, m.baseVersion, m.deviceSeq ?? null, m.status, m.version ?? null, m.error ? JSON.stringify(m.error) : null, m.createdAt ?? null, b.receivedAt, m.note ?? null]),
    ),
  );
  await insertRows(
    q,
    'revisions',
    ['mutation_id', 'entity', 'entity_id', 'district_code', 'version', 'base_version', 'status', 'data', 'user_id', 'device_id', 'received_at'],
    items.flatMap(({ batch: b, plan }) => plan.revisions.map((r) => [r.mutationId, r.entity, r.entityId, r.districtCode, r.version, r.baseVersion, r.status, jsonOf(r.data), b.userId, b.deviceId, b.receivedAt])),
  );
  const quarantine = items.flatMap(({ batch: b, plan }) =>
    plan.quarantine.map((x) => [x.mutationId ?? null, b.userId, b.deviceId, x.districtCode ?? null, JSON.stringify(x.error), JSON.stringify(x.payload) ?? 'null', b.receivedAt]),
  );
  if (quarantine.length > 0) await insertRows(q, 'quarantine', ['mutation_id', 'user_id', 'device_id', 'district_code', 'error', 'payload', 'received_at'], quarantine);

  const regs = lastById(items.flatMap(({ batch: b, plan }) => plan.registrations.map((r) => ({ ...r, at: b.receivedAt, userId: b.userId, deviceId: b.deviceId }))));
  const lists = lastById(items.flatMap(({ batch: b, plan }) => plan.listing.map((l) => ({ ...l, deviceId: b.deviceId }))));
  const queries = lastById(items.flatMap(({ plan }) => plan.queries));
  const changed = regs.length + lists.length + queries.length;
  // Counter deltas: the current rows before this group's writes (read with the snapshot, in this
  // transaction), then the rows it writes.
  const delta = new ProgressDelta();
  for (const r of regs) {
    const o = prior.registrations.get(r.id);
    if (o) delta.registration(o.districtCode, o.counted, -1);
  }
  for (const l of lists) {
    const o = prior.listing.get(l.id);
    if (o) delta.listing(o.districtCode, o.visitStatus, -1);
    delta.listing(l.districtCode, l.visitStatus, 1);
  }
  for (const w of queries) {
    const o = prior.queries.get(w.id);
    // An answer to a dismissed item is kept (nothing is lost) but does not reopen it.
    if (!o || o.status === 'dismissed') continue;
    delta.query(o.districtCode, o.status, -1);
    delta.query(o.districtCode, 'answered', 1);
  }
  // Self-enumeration codes the phones made at the door (issue 13), before the citizen-ID locks.
  await registerPhoneCodes(q, lists, items[0]?.batch.receivedAt ?? new Date().toISOString());
  // The citizen-ID index takes its row locks (sorted) before server_seq (sql-duplicates.ts).
  await indexCitizenIds(q, regs);
  // Taken even when nothing needs a number: the server_seq row lock is always the last lock a
  // push transaction takes before the device rows, so concurrent ones cannot deadlock.
  let seq = await nextSeq(q, changed);
  if (regs.length > 0) {
    const rows = regs.map((r) => {
      const c = countedOf(r, r.userId, r.at, prior.registrations.get(r.id)?.counted);
      delta.registration(r.districtCode, c, 1);
      delta.wrote(r.districtCode, r.at);
      return [r.id, r.districtCode, r.listingId, r.householdNo, r.form, r.status, r.version, r.persons, r.errors, r.warnings, c.births, c.deaths, c.self, c.verified, jsonOf(r.data), seq++, r.at, ...regExtraValues(c), r.deviceId, r.version];
    });
    await insertRows(q, 'registrations', PUSHED_REG_COLS, rows, `ON CONFLICT (id) DO UPDATE SET ${upsertSet(PUSHED_REG_COLS)}`);
  }
  if (lists.length > 0) {
    const rows = lists.map((l) => [l.id, l.districtCode, l.householdNo, l.visitStatus, l.version, jsonOf(l.data), seq++, l.deviceId, l.version]);
    await insertRows(q, 'listing', PUSHED_LISTING_COLS, rows, `ON CONFLICT (id) DO UPDATE SET ${upsertSet(PUSHED_LISTING_COLS)}`);
  }
  for (const w of queries) {
    await q.run("UPDATE queries SET status = CASE WHEN status = 'dismissed' THEN status ELSE 'answered' END, answer = ?, answer_kind = ?, version = ?, seq = ? WHERE id = ?", [
      JSON.stringify(w.answer),
      w.answer.kind ?? null,
      w.version,
      seq++,
      w.id,
    ]);
  }
  // Issue 14: a write to an accepted district reopens it (never refused), in this transaction.
  const touched = new Map<string, { userId: string; at: string }>();
  for (const { batch: b, plan } of items) {
    const ds = [...plan.registrations.map((r) => r.districtCode), ...plan.listing.map((l) => l.districtCode), ...plan.queries.map((w) => prior.queries.get(w.id)?.districtCode)];
    for (const d of ds) if (d !== undefined) touched.set(d, { userId: b.userId, at: b.receivedAt });
  }
  // After server_seq, in sorted node order: the same lock order in every push transaction. Every
  // touched district's rows are written (locked), so an acceptance step waits for this push or
  // is seen by the reopen check below (sql-office.ts, SqlOffice.act).
  for (const d of touched.keys()) if (!delta.byDistrict.has(d)) delta.byDistrict.set(d, zeroCounts());
  await applyProgress(q, delta);
  const reopened = new ProgressDelta();
  await reopenAccepted(q, touched, reopened);
  await applyProgress(q, reopened);

  // Practice summaries: the planner already kept only the newest per user (under its key lock).
  const practice = [...new Map(items.flatMap(({ batch: b, plan }) => plan.practice.map((p) => [p.userId, { ...p, at: b.receivedAt }] as const))).values()];
  if (practice.length > 0) {
    const cols = ['user_id', 'completed', 'attempts', 'errors_at_attempts', 'households', 'resets', 'created_at', 'received_at', 'version'];
    const rows = practice.map((p) => [p.userId, p.summary.completed, p.summary.attempts, p.summary.errorsAtAttempts, p.summary.households, p.summary.resets, p.createdAt, p.at, p.version]);
    await insertRows(q, 'practice_summaries', cols, rows, `ON CONFLICT (user_id) DO UPDATE SET ${cols.filter((c) => c !== 'user_id').map((c) => `${c} = excluded.${c}`).join(', ')}`);
  }

  // One row per device: the latest report, the highest deviceSeq.
  const devices = new Map<string, { batch: PushBatch; plan: PushPlan; maxSeq: number }>();
  for (const { batch: b, plan } of items) {
    const prev = devices.get(b.deviceId);
    devices.set(b.deviceId, { batch: b, plan, maxSeq: Math.max(prev?.maxSeq ?? 0, plan.maxDeviceSeq) });
  }
  const deviceRows = [...devices.values()].map(({ batch: b, plan, maxSeq }) => {
    const d = b.device;
    return [b.deviceId, b.userId, b.receivedAt, b.receivedAt, d ? pendingAfterPush(d.pending, plan.results) : null, d?.appVersion ?? null, d?.storage?.usage ?? null, d?.storage?.quota ?? null, d?.persisted === undefined ? null : d.persisted ? 1 : 0, d?.clock ?? null, maxSeq];
  });
  await insertRows(
    q,
    'devices',
    ['id', 'user_id', 'last_seen_at', 'last_push_at', 'pending', 'app_version', 'storage_usage', 'storage_quota', 'persisted', 'clock', 'device_seq'],
    deviceRows,
    `ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, last_seen_at = excluded.last_seen_at, last_push_at = excluded.last_push_at,
       pending = COALESCE(excluded.pending, devices.pending), app_version = COALESCE(excluded.app_version, devices.app_version),
       storage_usage = COALESCE(excluded.storage_usage, devices.storage_usage), storage_quota = COALESCE(excluded.storage_quota, devices.storage_quota),
       persisted = COALESCE(excluded.persisted, devices.persisted), clock = COALESCE(excluded.clock, devices.clock),
       device_seq = CASE WHEN excluded.device_seq > devices.device_seq THEN excluded.device_seq ELSE devices.device_seq END`,
  );
}

export type PushOutcome = { ok: true; results: MutationResult[] } | { ok: false; error: unknown };

/**
 * Apply a group of pushes with one read and one set of writes (the fast path of group commit).
 * Each planner sees the effects of the pushes before it in the group; a planner that throws
 * fails only its own push. A failing write throws for the whole group (the caller then
 * applies the pushes one by one).
 */
export async function applyGroup(q: SqlExec, items: readonly { batch: PushBatch; planner: PushPlanner }[]): Promise<PushOutcome[]> {
  const { snapshot, prior } = await readSnapshot(
    q,
    items.flatMap((i) => i.batch.keys),
    items.flatMap((i) => i.batch.listingIds ?? []),
    items.flatMap((i) => i.batch.answerHouseholds ?? []),
  );
  const outcomes: PushOutcome[] = [];
  const planned: { batch: PushBatch; plan: PushPlan }[] = [];
  // A household saved by one push of the group and named by a later push's review answer.
  const named = new Set(items.flatMap((i) => i.batch.answerHouseholds ?? []));
  for (const it of items) {
    let plan: PushPlan;
    try {
      plan = it.planner(snapshot);
    } catch (error) {
      outcomes.push({ ok: false, error });
      continue;
    }
    for (const m of plan.mutations) {
      snapshot.mutations.set(m.id, { status: m.status, ...(m.version !== undefined ? { version: m.version } : {}), ...(m.error ? { error: m.error } : {}), deviceId: it.batch.deviceId });
    }
    for (const r of plan.registrations) {
      snapshot.entities.set(`household:${r.id}`, { version: r.version, districtCode: r.districtCode });
      if (named.has(r.id)) snapshot.members?.set(r.id, { districtCode: r.districtCode, ids: memberIds(r.data) });
    }
    for (const l of plan.listing) {
      snapshot.entities.set(`listing:${l.id}`, { version: l.version, districtCode: l.districtCode });
      snapshot.listings.set(l.id, { districtCode: l.districtCode, entry: l.data });
    }
    for (const p of plan.practice) snapshot.practice.set(p.userId, { version: p.version, createdAt: p.createdAt });
    for (const w of plan.queries) {
      const prev = snapshot.entities.get(`query:${w.id}`);
      if (prev) snapshot.entities.set(`query:${w.id}`, { ...prev, version: w.version, queryStatus: 'answered' });
    }
    planned.push({ batch: it.batch, plan });
    outcomes.push({ ok: true, results: plan.results });
  }
  await writePlans(q, planned, prior);
  return outcomes;
}

/** Apply one push inside a transaction that already holds the locks of its keys (see drain). */
export async function applyPush(q: SqlExec, batch: PushBatch, planner: PushPlanner): Promise<MutationResult[]> {
  const { snapshot, prior } = await readSnapshot(q, batch.keys, batch.listingIds ?? [], batch.answerHouseholds ?? []);
  const plan = planner(snapshot);
  await writePlans(q, [{ batch, plan }], prior);
  return plan.results;
}

/**
 * One page of changes after `afterSeq` in the scope, in seq order (district and query rows get
 * their data from the caller). With `exceptDevice`, a household or listing version that device
 * wrote itself by a push comes as `own` without its data (docs/SYNC.md PL5): the phone holds it
 * already, and the caller leaves it out of the answer. It still counts in the page, so the cursor
 * passes it and later pulls do not read it again.
 */
export async function pullRows(q: SqlExec, scope: Scope, afterSeq: number, limit: number, exceptDevice?: string): Promise<{ rows: ChangeRow[]; more: boolean }> {
  if (scope.kind === 'none') return { rows: [], more: false };
  const d = scopeSql(scope, 'code');
  const c = scopeSql(scope, 'district_code');
  // Each branch is limited on its own too, so no branch materialises more than one page. For a
  // small scope (an enumerator's or supervisor's districts) `+seq` keeps the planner on the
  // (district_code, seq) index instead of walking the whole seq index of a province.
  const k = scope.kind === 'enumerator' || scope.kind === 'supervisor' || scope.kind === 'district' ? '+seq' : 'seq';
  const ownSql = 'written_by = ? AND written_version = version';
  const pushed = (data: string) =>
    exceptDevice === undefined ? { cols: `${data} AS data, 0 AS own`, params: [] } : { cols: `CASE WHEN ${ownSql} THEN NULL ELSE ${data} END AS data, CASE WHEN ${ownSql} THEN 1 ELSE 0 END AS own`, params: [exceptDevice, exceptDevice] };
  const plain = { cols: 'NULL AS data, 0 AS own', params: [] };
  const branch = (entity: string, table: string, idCol: string, cols: { cols: string; params: unknown[] }, w: { sql: string; params: unknown[] }) => ({
    sql: `SELECT * FROM (SELECT '${entity}' AS entity, ${idCol} AS id, version, seq, ${cols.cols} FROM ${table} WHERE ${w.sql} AND ${k} > ? ORDER BY ${k} LIMIT ?) t_${table}`,
    params: [...cols.params, ...w.params, afterSeq, limit + 1],
  });
  const parts = [branch('district', 'districts', 'code', plain, d), branch('listing', 'listing', 'id', pushed('data'), c), branch('household', 'registrations', 'id', pushed('data'), c), branch('query', 'queries', 'id', plain, c)];
  const sql = parts.map((p) => p.sql).join(' UNION ALL ') + ' ORDER BY seq LIMIT ?';
  const raw = await q.all(sql, [...parts.flatMap((p) => p.params), limit + 1]);
  const more = raw.length > limit;
  const rows = raw.slice(0, limit).map((r): ChangeRow => {
    const entity = str(r, 'entity');
    if (entity !== 'district' && entity !== 'listing' && entity !== 'household' && entity !== 'query') throw new Error('bad entity');
    const row: ChangeRow = { entity, id: str(r, 'id'), version: num(r, 'version'), seq: num(r, 'seq'), data: r.data === null ? null : json(r, 'data') };
    if (num(r, 'own') === 1) row.own = true;
    return row;
  });
  return { rows, more };
}
