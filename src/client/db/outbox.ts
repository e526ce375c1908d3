// The sync engine's side of the outbox: acknowledging pushed mutations (ONE transaction per
// answered batch, after the network call has finished, that also writes the batch's sync log
// entries), recording failed attempts, the bounded sync log, and the queue as the sync screen
// lists it (each line with its household). A row leaves the outbox only on an explicit
// per-mutation result.
import type { MutationResult } from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { OutboxRowSchema, recordKey, type Entity, type OutboxRow, type RecordStateRow, type SyncEvent, type SyncLogData } from './rows.ts';
import { SYNC_LOG_LIMIT } from './queries.ts';
import { ENCRYPTED_TABLES, decryptRow, isEncryptedRow } from './encryption.ts';
import { VaultLockedError } from './vault.ts';

/**
 * What a reader of the outbox knows of the queue past its last batch: `stored` rows are stored in
 * (the batch's last seq, `upTo`]. Only acknowledgements remove outbox rows, and they go in push
 * order behind the reader, so this stays true while one engine drains; rows queued meanwhile
 * get seqs above `upTo` (IndexedDB's key generator only grows).
 */
export interface QueueTail {
  upTo: number;
  stored: number;
}

/** The next batch to push: up to `limit` rows after `afterSeq` in push order, and how many are queued from there on. */
export interface OutboxBatch {
  rows: OutboxRow[];
  /** Queued mutations from this batch on (this batch included): the device report of its push. */
  pending: number;
  /** The last seq read (rows left out included): the next batch starts after it. */
  lastSeq: number;
  /** For the next batch's read (see QueueTail). */
  tail: QueueTail;
}

/**
 * Reads the batch after `afterSeq`. The engine reads the next batch while the previous one is
 * still in flight, so rows whose answer is not yet written are skipped by their `seq`, not by
 * their absence. Rows that fail the schema are left out (as in outboxEntries), and so are rows
 * that no longer decrypt (tampered or damaged: they stay queued, counted, never pushed).
 *
 * The rows are read as stored, in one short read-only transaction of IndexedDB itself, and
 * decrypted after it has ended. Read through Dexie, the encryption middleware has to keep the
 * transaction busy while WebCrypto works (encryption.ts, keepAlive): a stream of requests that
 * costs the browser CPU, and a transaction on the outbox that the acknowledgement of the
 * previous answer (a read-write one) must wait for. Here the read holds the store ~3 ms per 100.
 *
 * `pending` needs a count of the rows after the batch, and IndexedDB counts a key range by
 * walking it: over a 10,000-row queue that is ~10x the batch read itself, at every batch. With
 * `known` (the previous batch's `tail`) only the rows queued since are counted; a batch that
 * reaches the end of the queue counts nothing (pending is its own size).
 */
export async function outboxBatch(db: PuchaDb, afterSeq: number, limit: number, known?: QueueTail): Promise<OutboxBatch> {
  const read = await readStored(db, afterSeq, limit, known);
  const key = db.vault.dataKey();
  const rows: OutboxRow[] = [];
  for (const r of await Promise.all(read.stored.map((s) => openRow(key, s)))) {
    const p = OutboxRowSchema.safeParse(r);
    if (p.success) rows.push(p.data);
  }
  return { rows, pending: read.pending, lastSeq: read.lastSeq, tail: read.tail };
}

/**
 * How many rows are queued, for a reader that has handed out batches up to `lastSeq` with
 * `tail` known past it: the rows up to `lastSeq` (handed out, not yet acknowledged: few), the
 * tail's, and rows queued since. The same number as `db.outbox.count()` without walking the
 * whole queue (inside a transaction holding the outbox, or on its own).
 */
export async function countQueued(db: PuchaDb, lastSeq: number, tail: QueueTail): Promise<number> {
  const [upToHere, since] = await Promise.all([db.outbox.where('seq').belowOrEqual(lastSeq).count(), db.outbox.where('seq').above(tail.upTo).count()]);
  return upToHere + tail.stored + since;
}

/** A stored outbox row in clear; undefined when it does not decrypt. Without the key (locked), throws. */
async function openRow(key: CryptoKey | undefined, stored: unknown): Promise<unknown> {
  if (!key && isEncryptedRow(stored)) throw new VaultLockedError('cannot read outbox');
  try {
    return await decryptRow(key, 'outbox', stored);
  } catch {
    return undefined;
  }
}

const seqOf = (row: unknown): number | undefined => {
  const seq: unknown = typeof row === 'object' && row !== null && 'seq' in row ? row.seq : undefined;
  return typeof seq === 'number' ? seq : undefined;
};

/** Resolves with a request's result from inside its success callback (its transaction still active). */
function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Up to `limit` stored rows after `afterSeq` in seq order, how many are stored after it, and what is known past them. */
async function readStored(db: PuchaDb, afterSeq: number, limit: number, known: QueueTail | undefined): Promise<{ stored: unknown[]; pending: number; lastSeq: number; tail: QueueTail }> {
  if (!db.isOpen()) await db.open();
  const tx = db.backendDB().transaction('outbox', 'readonly');
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('outbox read aborted'));
  });
  const store = tx.objectStore('outbox');
  const read = async () => {
    const stored = await request(store.getAll(IDBKeyRange.lowerBound(afterSeq, true), limit));
    const lastSeq = seqOf(stored.at(-1)) ?? afterSeq;
    // The end of the queue: nothing after it (rows queued from now on come after lastSeq).
    if (stored.length < limit) return { stored, pending: stored.length, lastSeq, tail: { upTo: lastSeq, stored: 0 } };
    if (known && known.upTo >= lastSeq) {
      const since = await request(store.count(IDBKeyRange.lowerBound(known.upTo, true)));
      return { stored, pending: Math.max(stored.length, known.stored + since), lastSeq, tail: { upTo: known.upTo, stored: Math.max(0, known.stored - stored.length) } };
    }
    if (known) {
      // The batch reached past what was known: count what lies beyond it (rows queued meanwhile, few).
      const beyond = await request(store.count(IDBKeyRange.lowerBound(lastSeq, true)));
      return { stored, pending: stored.length + beyond, lastSeq, tail: { upTo: lastSeq, stored: 0 } };
    }
    // First batch of a drain: one full count, and the highest seq it covers.
    const [pending, top] = await Promise.all([request(store.count(IDBKeyRange.lowerBound(afterSeq, true))), request(store.openKeyCursor(null, 'prev'))]);
    const upTo = typeof top?.key === 'number' ? top.key : lastSeq;
    return { stored, pending, lastSeq, tail: { upTo, stored: Math.max(0, pending - stored.length) } };
  };
  const [out] = await Promise.all([read(), done]);
  return out;
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
  return db.transaction('rw', [db.outbox, db.recordState, db.syncLog], async (tx) => {
    const sum: AckSummary = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
    const at = new Date(db.now()).toISOString();
    const seqs = rows.map((r) => r.seq);
    const perRecord = new Map<string, { pair: [Entity, string]; n: number }>();
    for (const r of rows) {
      const k = recordKey(r.entity, r.entityId);
      const e = perRecord.get(k);
      if (e) e.n++;
      else perRecord.set(k, { pair: [r.entity, r.entityId], n: 1 });
    }
    const keys = [...perRecord.keys()];
    // The reads, all issued at once on the transaction itself: keys and small clear rows, so no
    // decryption is involved, and one request each without a Dexie collection around it (that
    // halves their cost in Chromium). The writes below go through Dexie, so live queries see them.
    const idb = tx.idbtrans;
    const outbox = idb.objectStore('outbox');
    const byRecord = outbox.index('[entity+entityId]');
    const lo = Math.min(...seqs);
    const hi = Math.max(...seqs);
    const [inRange, recordSeqs] = await Promise.all([
      // Rows another tab already acknowledged are gone: their record state is that tab's to set. A
      // seq is never given out twice (IndexedDB's key generator only grows), so the keys of the
      // batch's seq range say which rows are still here, without reading their payloads.
      request(outbox.getAllKeys(IDBKeyRange.bound(lo, hi))),
      // Each record's queued rows, at most one more than the batch has: a row beyond the batch's means still queued.
      Promise.all([...perRecord.values()].map(({ pair, n }) => request(byRecord.getAllKeys(IDBKeyRange.bound(pair, pair), n + 1)))),
    ]);
    const wanted = new Set(seqs);
    const present = new Set(inRange.filter((k): k is number => typeof k === 'number' && wanted.has(k)));
    // Records with mutations still queued after this batch: a queued row that this batch does not remove.
    const stillQueued = new Set<string>();
    recordSeqs.forEach((found, i) => {
      if (found.some((k) => typeof k !== 'number' || !present.has(k))) stillQueued.add(keys[i] ?? '');
    });
    // The record's sync state as stored is needed only where the answer does not settle it: a
    // record with more of its mutations queued after this batch or several in it (its local
    // version is the stored one, not the first row's), or a conflict or rejection (its server
    // version may come from there). A record whose one queued mutation is applied becomes synced
    // at the version the answer gives, whatever its state was, so in a drain of new households
    // nothing is read here.
    const needState = keys.filter((k) => stillQueued.has(k) || (perRecord.get(k)?.n ?? 0) > 1);
    results.forEach((r, i) => {
      const row = rows[i];
      if (row && (r.status === 'conflict' || r.status === 'rejected')) needState.push(recordKey(row.entity, row.entityId));
    });
    const stateKeys = [...new Set(needState)];
    const stateRows: unknown[] =
      stateKeys.length === 0
        ? []
        : 'recordState' in ENCRYPTED_TABLES
          ? await db.recordState.bulkGet(stateKeys)
          : await Promise.all(stateKeys.map((k) => request<unknown>(idb.objectStore('recordState').get(k))));
    // Usually every row in the batch's seq range is the batch's: one range delete instead of one per row.
    const deleted = present.size === inRange.length ? db.outbox.where('seq').between(lo, hi, true, true).delete() : db.outbox.bulkDelete([...present]);
    const states = new Map<string, RecordStateRow>();
    // As Dexie's bulkGet handed them out before: the rows this module and enqueue write.
    stateRows.forEach((st, i) => {
      if (typeof st === 'object' && st !== null) states.set(stateKeys[i] ?? '', st as RecordStateRow);
    });
    const changed = new Map<string, RecordStateRow>();
    for (const [i, row] of rows.entries()) {
      const result = results[i];
      if (!result) continue;
      sum[result.status]++;
      const key = recordKey(row.entity, row.entityId);
      const rec = perRecord.get(key);
      if (rec) rec.n--; // now: this record's rows after this one in the batch
      if (!present.has(row.seq)) continue;
      const prev = states.get(key);
      // Later mutations of the same record in this batch count as still queued until their own result.
      const queued = stillQueued.has(key) || (rec?.n ?? 0) > 0;
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
    const put = db.recordState.bulkPut([...changed.values()]);
    const entries: SyncLogEntry[] = [{ event: 'push', data: { sent: rows.length, ...sum } }];
    for (const [i, r] of results.entries()) {
      const row = rows[i];
      if (row && (r.status === 'conflict' || r.status === 'rejected')) {
        entries.push({ event: r.status, data: { entity: row.entity, entityId: row.entityId, ...(r.error ? { code: r.error.code } : {}) } });
      }
    }
    await Promise.all([deleted, put, appendLog(db, entries)]);
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
      if (q?.householdId !== undefined) registrationOf.set(recordKey('queryAnswer', queryIds[i] ?? ''), q.householdId);
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
