// The sync engine's side of the outbox: acknowledging pushed mutations (one transaction per
// answered batch, after the network call has finished), recording failed attempts, and the
// bounded sync log. A row leaves the outbox only on an explicit per-mutation result.
import type { MutationResult } from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { recordKey, type OutboxRow, type RecordStateRow, type SyncEvent } from './rows.ts';
import { SYNC_LOG_LIMIT } from './queries.ts';

export interface AckSummary {
  applied: number;
  duplicate: number;
  conflict: number;
  rejected: number;
}

/**
 * Applies the server's per-mutation results to the outbox and the record states. `rows[i]` must
 * be the mutation `results[i]` answers (the engine checks ids and order before calling this).
 */
export async function applyPushResults(db: PuchaDb, rows: readonly OutboxRow[], results: readonly MutationResult[]): Promise<AckSummary> {
  if (rows.length !== results.length) throw new Error('applyPushResults: one result per mutation expected');
  rows.forEach((row, i) => {
    if (results[i]?.id !== row.id) throw new Error('applyPushResults: results out of order');
  });
  return db.transaction('rw', [db.outbox, db.recordState], async () => {
    const sum: AckSummary = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
    const at = new Date(db.now()).toISOString();
    // Rows another tab already acknowledged are gone: their record state is that tab's to set.
    const present = new Set(
      (await db.outbox.bulkGet(rows.map((r) => r.seq))).flatMap((r) =>
        r && r.id === rows.find((x) => x.seq === r.seq)?.id ? [r.seq] : [],
      ),
    );
    await db.outbox.bulkDelete([...present]);
    const pairs = [...new Map(rows.map((r) => [recordKey(r.entity, r.entityId), [r.entity, r.entityId] as [string, string]])).values()];
    const stillQueued = new Set(
      (await db.outbox.where('[entity+entityId]').anyOf(pairs).keys()).map((k) =>
        Array.isArray(k) ? `${String(k[0])}:${String(k[1])}` : '',
      ),
    );
    const keys = pairs.map(([e, id]) => `${e}:${id}`);
    const states = new Map<string, RecordStateRow>();
    for (const [i, st] of (await db.recordState.bulkGet(keys)).entries()) if (st) states.set(keys[i] ?? '', st);
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

/** Appends to the sync log and keeps only the last 200 events. */
export async function logSyncEvent(db: PuchaDb, event: SyncEvent, message: string): Promise<void> {
  await db.transaction('rw', db.syncLog, async () => {
    const id = await db.syncLog.add({ at: new Date(db.now()).toISOString(), event, message: message.slice(0, 500) });
    await db.syncLog
      .where('id')
      .belowOrEqual(id - SYNC_LOG_LIMIT)
      .delete();
  });
}
