// Zod schemas of the phone-only rows (outbox, record state, meta values, sync log). Domain rows
// (districts, listing, registrations, queries) use the domain schemas unchanged; everything read
// back from IndexedDB is parsed with one of these, because an old app version or a bug may have
// written it.
import { z } from 'zod';
import { VaultRecordSchema } from './vault.ts';
import { ApiErrorSchema, IdSchema, PracticeSummarySchema, TimestampSchema, UserSchema, MUTATION_ENTITIES } from '../../domain/index.ts';

export const EntitySchema = z.enum(MUTATION_ENTITIES);
/** What a mutation changes: a household registration, a listing entry, or a review query's answer. */
export type Entity = z.infer<typeof EntitySchema>;

/** A queued mutation. `data` is frozen at enqueue time: a later save enqueues a new row. */
export const OutboxRowSchema = z.strictObject({
  seq: z.number().int().min(1),
  id: IdSchema,
  entity: EntitySchema,
  entityId: IdSchema,
  baseVersion: z.number().int().min(0),
  createdAt: TimestampSchema,
  deviceSeq: z.number().int().min(1),
  data: z.record(z.string(), z.unknown()),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.number().optional(),
  lastError: z.string().optional(),
});
export type OutboxRow = z.infer<typeof OutboxRowSchema>;
/** An outbox row before Dexie assigns `seq`. */
export type NewOutboxRow = Omit<OutboxRow, 'seq'>;

export const RECORD_STATES = ['pending', 'synced', 'conflict', 'rejected'] as const;
export const RecordStateKindSchema = z.enum(RECORD_STATES);
export type RecordStateKind = z.infer<typeof RecordStateKindSchema>;

/**
 * Local sync state of one entity, kept apart so the registration rows stay exactly the domain
 * shape. `version` is the local version (what the next mutation's baseVersion is), `serverVersion`
 * the last version the server acknowledged or sent.
 */
export const RecordStateRowSchema = z.strictObject({
  key: z.string(),
  entity: EntitySchema,
  entityId: IdSchema,
  state: RecordStateKindSchema,
  version: z.number().int().min(0),
  serverVersion: z.number().int().min(0),
  /** The server's error for a rejected or conflicting mutation. */
  error: ApiErrorSchema.optional(),
  /** The mutation the error is about (its payload stays in the local record). */
  mutationId: IdSchema.optional(),
  updatedAt: TimestampSchema,
});
export type RecordStateRow = z.infer<typeof RecordStateRowSchema>;

export const recordKey = (entity: Entity, entityId: string): string => `${entity}:${entityId}`;

export const SessionSchema = z.strictObject({ token: z.string().min(1), expiresAt: TimestampSchema, user: UserSchema });
export type Session = z.infer<typeof SessionSchema>;

/** ST6: the server holds more of this very device's mutations than the phone (`kind` absent in rows written before ST9). */
const SameDeviceLossSchema = z.strictObject({
  kind: z.literal('sameDevice').optional(),
  detectedAt: TimestampSchema,
  /** The highest device sequence number the server holds from this device. */
  serverSeq: z.number().int().min(0),
  /** What the phone had when it noticed (0 after a wipe). */
  localSeq: z.number().int().min(0),
});
/** ST9: this phone started empty while another device of the same user still had items queued. */
const OtherDeviceLossSchema = z.strictObject({
  kind: z.literal('otherDevice'),
  detectedAt: TimestampSchema,
  deviceId: IdSchema,
  lastSeenAt: TimestampSchema.optional(),
  lastPushAt: TimestampSchema.optional(),
  /** The highest deviceSeq the server received from that device. */
  deviceSeq: z.number().int().min(0),
  /** Still queued there at its last push: records that may never have reached the server. */
  pendingOnDevice: z.number().int().min(1),
});
export const DataLossSchema = z.union([SameDeviceLossSchema, OtherDeviceLossSchema]);
export type DataLoss = z.infer<typeof DataLossSchema>;

/** Every meta key with the schema of its value. */
export const META = {
  /** Persistent device id (uuid), sent with every push and at login. */
  deviceId: IdSchema,
  /** Device sequence high-water mark: the last deviceSeq given to a mutation. */
  deviceSeq: z.number().int().min(0),
  /** Written once when the database is first created; its absence at start means a fresh (or wiped) store. */
  marker: z.strictObject({ createdAt: TimestampSchema, deviceId: IdSchema }),
  session: SessionSchema,
  /** The user whose records the phone holds (kept after sign-out; see handover.ts). */
  owner: z.strictObject({ userId: IdSchema, username: z.string() }),
  pullCursor: z.string(),
  lastSyncAt: TimestampSchema,
  dataLoss: DataLossSchema,
  /** Fallback sync lock where Web Locks are missing: owner and expiry (ms since epoch). */
  syncLease: z.strictObject({ owner: z.string(), expiresAt: z.number() }),
  /** The wrapped data key (vault.ts); in clear: it holds no key the files alone can open. */
  vault: VaultRecordSchema,
  /** Wrong PINs in a row and when the next try is allowed (ms since epoch): survives a reload. */
  pinAttempts: z.strictObject({ failures: z.number().int().min(0), notBefore: z.number() }),
  /** Minutes of inactivity before the app locks (the user's setting; default in lock.ts). */
  lockAfterMinutes: z.number().int().min(1).max(60),
  /** Practice counts of this phone's user (practice.ts): queued to the supervisor as a summary. */
  practice: PracticeSummarySchema,
  /** Practice store only: listing ids completed / tried (完成登记 tapped) in this round. */
  practiceCompleted: z.array(IdSchema),
  practiceTried: z.array(IdSchema),
} as const;
export type MetaKey = keyof typeof META;
export type MetaValue<K extends MetaKey> = z.infer<(typeof META)[K]>;
export const MetaRowSchema = z.strictObject({ key: z.string(), value: z.unknown() });
export type MetaRow = z.infer<typeof MetaRowSchema>;

/**
 * What a sync log entry records. Entries are structured (an event and its numbers and codes) so the
 * sync screen words them in the user's language; `message` is only in entries written before that.
 */
export interface SyncLogData {
  /** The app started (signed in as `user`, or not signed in). */
  start: { user?: string };
  /** A sign-in succeeded. */
  signedIn: { user: string };
  /** Another user signed in; the previous user had nothing queued and their records left the phone. */
  handover: Record<string, never>;
  /** `user`: by the user; `refused`: the server refused the session (401), the queue stays. */
  signedOut: { reason: 'user' | 'refused' };
  /** One push answered and acknowledged. */
  push: { sent: number; applied: number; duplicate: number; conflict: number; rejected: number };
  /** One mutation came back as a conflict or was rejected (the server keeps the payload). */
  conflict: { entity: Entity; entityId: string; code?: string };
  rejected: { entity: Entity; entityId: string; code?: string };
  /** 413: the batch was too large for the server and was halved. */
  batchHalved: { size: number };
  pull: { applied: number };
  /** A pulled page was dropped: the session changed while it was in flight. */
  pullDropped: Record<string, never>;
  /** Pulled changes that failed the schema (a server bug): not applied. */
  pullInvalid: { count: number };
  /** A failure that is retried by the backoff timer in `delaySec`. */
  retry: SyncFailureData & { delaySec: number };
  /** The server said it is busy (503, or Retry-After): the next try is at `nextAt` (ms since epoch). */
  serverBusy: SyncFailureData & { delaySec: number; nextAt: number };
  /** A failure that waits for the next trigger (other 4xx). */
  error: SyncFailureData;
  success: { acknowledged: number; pulled: number };
  /** The alarm: the server's records say something this phone sent or had queued is missing. */
  dataLoss:
    | { kind: 'sameDevice'; serverSeq: number; localSeq: number; missing: number }
    | { kind: 'otherDevice'; device: string; pending: number; serverSeq: number };
  /** The calm notice: this phone's local data was reset; everything it had sent is on the server. */
  localReset: { serverSeq: number; localSeq: number };
  /** Written by earlier versions only. */
  offline: Record<string, never>;
  import: Record<string, never>;
}
export type SyncEvent = keyof SyncLogData;
/** The failure of a sync step as the log keeps it: its kind, HTTP status and error code. */
export interface SyncFailureData {
  failure: 'network' | 'http' | 'invalid_response' | 'storageFull' | 'tooLarge' | 'internal';
  status?: number;
  code?: string;
}

export const SYNC_EVENTS = [
  'start',
  'signedIn',
  'handover',
  'push',
  'pull',
  'pullDropped',
  'pullInvalid',
  'success',
  'retry',
  'serverBusy',
  'batchHalved',
  'offline',
  'signedOut',
  'error',
  'conflict',
  'rejected',
  'dataLoss',
  'localReset',
  'import',
] as const satisfies readonly SyncEvent[];
export const SyncLogRowSchema = z.strictObject({
  id: z.number().int().min(1),
  at: TimestampSchema,
  event: z.enum(SYNC_EVENTS),
  /** The event's numbers and codes (SyncLogData[event]). */
  data: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Free text of entries written before the log was structured (shown as it is). */
  message: z.string().optional(),
});
export type SyncLogRow = z.infer<typeof SyncLogRowSchema>;

/**
 * What the enumerator has typed in one household and not yet saved: kept on every change (and on
 * pagehide), restored when the household is opened again, shown as 草稿 in the list, deleted
 * when the household is saved or the input discarded. Never pushed.
 */
export interface DraftRow {
  listingId: string;
  districtCode: string;
  /** The registration the draft edits, when the household has one. */
  registrationId?: string;
  /** The form's raw state (what useDraft holds), opaque to the store. */
  data: unknown;
  updatedAt: number;
}
