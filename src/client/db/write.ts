// Shared machinery of the named write operations: the typed failure results, the one place that
// turns a full disk into `storageFull`, and the enqueue step that writes a frozen outbox row and
// the record's sync state inside the caller's transaction.
import type { Finding } from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { getMeta, setMeta } from './meta.ts';
import { recordKey, type Entity, type OutboxRow, type RecordStateRow } from './rows.ts';

export interface Issue {
  path: (string | number)[];
  message: string;
}
export type OpFailure =
  | { ok: false; reason: 'storageFull'; message: string }
  | { ok: false; reason: 'invalid'; issues: Issue[] }
  | { ok: false; reason: 'incomplete'; findings: Finding[] }
  | { ok: false; reason: 'notFound'; what: string };
export type OpResult<T extends object> = ({ ok: true } & T) | OpFailure;

const errName = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string' ? e.name : undefined;

/**
 * Reliability finding 7: Chrome may report a full disk only as a transaction abort, which Dexie
 * surfaces as AbortError with `inner` = QuotaExceededError. Both mean "not saved".
 */
export function isQuotaError(e: unknown): boolean {
  if (errName(e) === 'QuotaExceededError') return true;
  if (errName(e) === 'AbortError' && typeof e === 'object' && e !== null && 'inner' in e) return errName(e.inner) === 'QuotaExceededError';
  return false;
}

/** Runs one write operation; a quota failure becomes a value, any other exception is a bug and propagates. */
export async function guardQuota<T extends object>(op: () => Promise<OpResult<T>>): Promise<OpResult<T>> {
  try {
    return await op();
  } catch (e) {
    if (isQuotaError(e)) return { ok: false, reason: 'storageFull', message: e instanceof Error ? e.message : 'storage full' };
    throw e;
  }
}

export const issuesOf = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): Issue[] =>
  error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));

export interface Enqueue {
  entity: Entity;
  entityId: string;
  baseVersion: number;
  data: Record<string, unknown>;
  /** An existing mutation's id and time (an imported export, ST8); a new mutation gets new ones. */
  id?: string;
  createdAt?: string;
}

/**
 * Adds one frozen mutation to the outbox and marks the record pending. Must run inside the
 * operation's transaction (tables: outbox, meta, recordState) so the record and its mutation
 * are written together or not at all. The only way into the outbox: the named operations and the
 * import of an unsynced export use it alike (one numbering, one record-state rule).
 */
export async function enqueue(db: PuchaDb, m: Enqueue, pre?: EnqueueReads): Promise<OutboxRow> {
  const { state: prev, deviceSeq: last } = pre ?? (await enqueueReads(db, m.entity, m.entityId));
  const deviceSeq = last + 1;
  const row = {
    id: m.id ?? db.newId(),
    entity: m.entity,
    entityId: m.entityId,
    baseVersion: m.baseVersion,
    createdAt: m.createdAt ?? new Date(db.now()).toISOString(),
    deviceSeq,
    // A deep copy: later edits of the caller's object can never change what is queued.
    data: structuredClone(m.data),
    attempts: 0,
  };
  const state: RecordStateRow = {
    key: recordKey(m.entity, m.entityId),
    entity: m.entity,
    entityId: m.entityId,
    // A conflict or rejection stays visible until a later mutation of the record is applied.
    state: prev && (prev.state === 'conflict' || prev.state === 'rejected') ? prev.state : 'pending',
    version: m.baseVersion + 1,
    serverVersion: prev?.serverVersion ?? 0,
    ...(prev?.error ? { error: prev.error } : {}),
    ...(prev?.mutationId ? { mutationId: prev.mutationId } : {}),
    updatedAt: new Date(db.now()).toISOString(),
  };
  // The three writes go out together: they share the caller's transaction, so they commit or
  // fail as one, and a save waits one round trip for them instead of three.
  const [seq] = await Promise.all([db.outbox.add(row), setMeta(db, 'deviceSeq', deviceSeq), db.recordState.put(state)]);
  return { ...row, seq };
}

/** What enqueue reads before it writes: the record's sync state and the last device sequence number given out. */
export interface EnqueueReads {
  state: RecordStateRow | undefined;
  deviceSeq: number;
}

/**
 * Enqueue's reads, in one round. A caller that reads other rows first may issue this alongside
 * them and pass the result to `enqueue`, as long as nothing enqueues in between (a second
 * mutation in between would be given the same device sequence number).
 */
export async function enqueueReads(db: PuchaDb, entity: Entity, entityId: string): Promise<EnqueueReads> {
  const [state, deviceSeq] = await Promise.all([db.recordState.get(recordKey(entity, entityId)), getMeta(db, 'deviceSeq')]);
  return { state, deviceSeq: deviceSeq ?? 0 };
}

/**
 * The baseVersion of the next mutation of a record, given the version the phone holds. After a
 * rejection (and with nothing else queued) the server never took the phone's version, so the
 * next mutation bases on the server's version again instead of conflicting with it (PU5).
 * `state` is the record's sync state when the caller has read it already.
 */
export async function nextBase(db: PuchaDb, entity: Entity, entityId: string, localVersion: number, state?: { state: RecordStateRow | undefined }): Promise<number> {
  const st = state ? state.state : await db.recordState.get(recordKey(entity, entityId));
  if (st?.state !== 'rejected') return localVersion;
  const queued = await db.outbox.where('[entity+entityId]').equals([entity, entityId]).count();
  return queued === 0 ? st.serverVersion : localVersion;
}

/** The tables a write operation that enqueues must hold. */
export const enqueueTables = (db: PuchaDb) => [db.outbox, db.meta, db.recordState];
