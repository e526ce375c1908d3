// The sync engine's side of the outbox: acknowledging pushed mutations (ONE transaction per
// answered batch, after the network call has finished, that also writes the batch's sync log
// entries), recording failed attempts, the bounded sync log, and the queue as the sync screen
// lists it (each line with its household). A row leaves the outbox only on an explicit
// per-mutation result.
import type { MutationResult } from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { OutboxRowSchema, recordKey, type Entity, type OutboxRow, type RecordStateRow, type SyncEvent, type SyncLogData } from './rows.ts';
import { SYNC_LOG_LIMIT } from './queries.ts';

/** The next batch to push: up to `limit` rows after `afterSeq` in push order, and how many are queued from there on. */
export interface OutboxBatch {
  rows: OutboxRow[];
  /** Queued mutations from this batch on (this batch included): the device report of its push. */
  pending: number;
}

/**
 * Reads the batch after `afterSeq` (one read-only transaction). The engine reads the next batch
 * while the previous one is still in flight, so rows whose answer is not yet written are skipped
 * by their `seq`, not by their absence. Rows that fail the schema are left out (as in outboxEntries).
 */
export async function outboxBatch(db: PuchaDb, afterSeq: number, limit: number): Promise<OutboxBatch> {
  return db.transaction('r', db.outbox, async () => {
    const after = db.outbox.where('seq').above(afterSeq);
    const raw = await after.clone().limit(limit).toArray();
    const pending = raw.length < limit ? raw.length : await after.count();
    const rows: OutboxRow[] = [];
    for (const r of raw) {
      const p = OutboxRowSchema.safeParse(r);
      if (p.success) rows.push(p.data);
    }
    return { rows, pending };
  });
}

/**
 * Mutations this phone numbered above `deviceSeq` that are still queued. Device numbers grow with
 * the outbox order (both are given out in the enqueue transaction), so they are the newest rows.
 */
export async function queuedAbove(db: PuchaDb, deviceSeq: number): Promise<number> {
  // Pages from the newest down, not a cursor: rows are encrypted, and value cursors cannot
  // decrypt (encryption.ts). Usually the first page already reaches the server's number.
  const PAGE = 200;
  let n = 0;
  let below = Infinity;
  for (;;) {
    const rows = await db.outbox.where('seq').below(below).reverse().limit(PAGE).toArray();
    for (const r of rows) {
      if (r.deviceSeq <= deviceSeq) return n;
      n++;
    }
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || !last) return n;
    below = last.seq;
  }
}

export interface AckSummary {
  applied: number;
  duplicate: number;
  conflict: number;
  rejected: number;
}

/** One sync log entry: an event and its numbers (worded by the sync screen in the user's language). */
export type SyncLogEntry = { [E in SyncEvent]: { event: E; data: SyncLogData[E] } }[SyncEvent];

/**
 * Applies the server's per-mutation results to the outbox and the record states, and logs the
 * batch (a summary, and one entry per conflict or rejection), all in one transaction: one strict
 * commit per answered batch. `rows[i]` must be the mutation `results[i]` answers (the engine
 * checks ids and order before calling this).
 */
export async function applyPushResults(db: PuchaDb, rows: readonly OutboxRow[], results: readonly MutationResult[]): Promise<AckSummary> {
  if (rows.length !== results.length) throw new Error('applyPushResults: one result per mutation expected');
  rows.forEach((row, i) => {
    if (results[i]?.id !== row.id) throw new Error('applyPushResults: results out of order');
  });
  if (rows.length === 0) return { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
  return db.transaction('rw', [db.outbox, db.recordState, db.syncLog], async () => {
    const sum: AckSummary = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
    const at = new Date(db.now()).toISOString();
    const seqs = rows.map((r) => r.seq);
    const pairs = [...new Map(rows.map((r) => [recordKey(r.entity, r.entityId), [r.entity, r.entityId] as [string, string]])).values()];
    const keys = pairs.map(([e, id]) => `${e}:${id}`);
    // The record states are read while the outbox is worked on (another table, the same transaction).
    const statesRead = db.recordState.bulkGet(keys);
    // Rows another tab already acknowledged are gone: their record state is that tab's to set. A
    // seq is never given out twice (IndexedDB's key generator only grows), so the keys of the
    // batch's seq range say which rows are still here, without reading their payloads.
    const wanted = new Set(seqs);
    const range = () => db.outbox.where('seq').between(Math.min(...seqs), Math.max(...seqs), true, true);
    const inRange = await range().primaryKeys();
    const present = new Set(inRange.filter((k) => wanted.has(k)));
    // Usually every row in the batch's seq range is the batch's: one range delete instead of one per row.
    if (present.size === inRange.length) await range().delete();
    else await db.outbox.bulkDelete([...present]);
    // Records with mutations still queued after this batch (one index lookup each, all at once).
    const stillQueued = new Set<string>();
    await Promise.all(
      pairs.map(async ([e, id], i) => {
        if ((await db.outbox.where('[entity+entityId]').equals([e, id]).limit(1).primaryKeys()).length > 0) stillQueued.add(keys[i] ?? '');
      }),
    );
    const states = new Map<string, RecordStateRow>();
    for (const [i, st] of (await statesRead).entries()) if (st) states.set(keys[i] ?? '', st);
    const changed = new Map<string, RecordStateRow>();
    for (const [i, row] of rows.entries()) {
      const result = results[i];
      if (!result) continue;
      sum[result.status]++;
      if (!present.has(row.seq)) continue;
      const key = recordKey(row.entity, row.entityId);
      const prev = states.get(key);
      // Later mutations of the same record in this batch count as still queued until their own result.
      const laterInBatch = rows.slice(i + 1).some((r) => r.entity === row.entity && r.entityId === row.entityId);
      const queued = stillQueued.has(key) || laterInBatch;
      const base: RecordStateRow = {
        key,
        entity: row.entity,
        entityId: row.entityId,
        state: 'pending',
        version: prev?.version ?? row.baseVersion + 1,
        serverVersion: prev?.serverVersion ?? 0,
        updatedAt: at,
      };
      let next: RecordStateRow;
      switch (result.status) {
        case 'applied':
        case 'duplicate':
          next = { ...base, state: queued ? 'pending' : 'synced', serverVersion: result.version ?? row.baseVersion + 1 };
          break;
        case 'conflict':
        case 'rejected':
          // Kept locally and shown; the server stored the payload (as a revision or in quarantine).
          next = {
            ...base,
            state: result.status,
            serverVersion: result.version ?? base.serverVersion,
            mutationId: row.id,
            ...(result.error ? { error: result.error } : {}),
          };
          break;
      }
      states.set(key, next);
      changed.set(key, next);
    }
    await db.recordState.bulkPut([...changed.values()]);
    const entries: SyncLogEntry[] = [{ event: 'push', data: { sent: rows.length, ...sum } }];
    for (const [i, r] of results.entries()) {
      const row = rows[i];
      if (row && (r.status === 'conflict' || r.status === 'rejected')) {
        entries.push({ event: r.status, data: { entity: row.entity, entityId: row.entityId, ...(r.error ? { code: r.error.code } : {}) } });
      }
    }
    await appendLog(db, entries);
    return sum;
  });
}

/** Notes a failed attempt on the mutations of a batch (bookkeeping only; `data` is never touched). */
export async function markAttempt(
  db: PuchaDb,
  rows: readonly OutboxRow[],
  error: string,
  nextAttemptAt: number | undefined,
): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    for (const row of rows) {
      await db.outbox.update(row.seq, (r) => {
        r.attempts += 1;
        r.lastError = error.slice(0, 500);
        if (nextAttemptAt === undefined) delete r.nextAttemptAt;
        else r.nextAttemptAt = nextAttemptAt;
      });
    }
  });
}

/** Appends to the sync log (its own transaction) and keeps only the last 200 events. */
export async function logSyncEvent<E extends SyncEvent>(db: PuchaDb, event: E, data: SyncLogData[E]): Promise<void> {
  await db.transaction('rw', db.syncLog, () => appendLog(db, [{ event, data } as SyncLogEntry]));
}

/**
 * Inside a transaction holding `syncLog`: appends the entries and drops all but the last 200
 * events. Data-loss reports are kept (few, and the engine reads them back to report a loss once).
 */
export async function appendLog(db: PuchaDb, entries: readonly SyncLogEntry[]): Promise<void> {
  const at = new Date(db.now()).toISOString();
  let last = 0;
  for (const e of entries) last = await db.syncLog.add({ at, event: e.event, data: defined(e.data) });
  await db.syncLog
    .where('id')
    .belowOrEqual(last - SYNC_LOG_LIMIT)
    .filter((r) => r.event !== 'dataLoss')
    .delete();
}

/** The log row's data without undefined fields (the row schema takes numbers and strings only). */
function defined(data: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** The household a queued mutation (or a flagged record) is about, as the enumerator knows it. */
export interface HouseholdRef {
  householdNo: string;
  headName: string;
}

/**
 * The households of records, from their listing entries: a household's registration names its
 * listing entry, a listing mutation is the entry itself, a query answer's query names the
 * household's registration. Keyed by `entity:entityId`; a record whose entry is unknown is absent.
 */
export async function householdsOf(db: PuchaDb, refs: readonly { entity: Entity; entityId: string; data?: Record<string, unknown> }[]): Promise<Map<string, HouseholdRef>> {
  return db.transaction('r', [db.registrations, db.queries, db.listing], async () => {
    const listingOf = new Map<string, string>();
    const registrationOf = new Map<string, string>();
    for (const r of refs) {
      const key = recordKey(r.entity, r.entityId);
      if (r.entity === 'listing') listingOf.set(key, r.entityId);
      else if (r.entity === 'household') {
        const fromData = r.data?.listingId;
        if (typeof fromData === 'string') listingOf.set(key, fromData);
        else registrationOf.set(key, r.entityId);
      }
    }
    const queryIds = [...new Set(refs.filter((r) => r.entity === 'queryAnswer').map((r) => r.entityId))];
    for (const [i, q] of (await db.queries.bulkGet(queryIds)).entries()) {
      if (q) registrationOf.set(recordKey('queryAnswer', queryIds[i] ?? ''), q.householdId);
    }
    const regIds = [...new Set(registrationOf.values())];
    const regListing = new Map<string, string>();
    for (const [i, reg] of (await db.registrations.bulkGet(regIds)).entries()) if (reg) regListing.set(regIds[i] ?? '', reg.listingId);
    for (const [key, regId] of registrationOf) {
      const l = regListing.get(regId);
      if (l !== undefined) listingOf.set(key, l);
    }
    const listingIds = [...new Set(listingOf.values())];
    const entries = new Map<string, HouseholdRef>();
    for (const [i, e] of (await db.listing.bulkGet(listingIds)).entries()) if (e) entries.set(listingIds[i] ?? '', { householdNo: e.householdNo, headName: e.headName });
    const out = new Map<string, HouseholdRef>();
    for (const [key, l] of listingOf) {
      const e = entries.get(l);
      if (e) out.set(key, e);
    }
    return out;
  });
}

/** A queued mutation as the sync screen lists it. */
export interface QueueLine {
  seq: number;
  entity: Entity;
  entityId: string;
  createdAt: string;
  attempts: number;
  household: HouseholdRef | undefined;
}

/** The first `limit` queued mutations in push order, each with its household. */
export async function queueLines(db: PuchaDb, limit: number): Promise<QueueLine[]> {
  const rows = await db.outbox.orderBy('seq').limit(limit).toArray();
  const households = await householdsOf(db, rows);
  return rows.map((r) => ({
    seq: r.seq,
    entity: r.entity,
    entityId: r.entityId,
    createdAt: r.createdAt,
    attempts: r.attempts,
    household: households.get(recordKey(r.entity, r.entityId)),
  }));
}
