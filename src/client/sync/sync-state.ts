// The engine's observable state and outcomes (what the UI shows), and the pure helpers that map
// wire failures onto them.
import type { Mutation, User } from '../../domain/index.ts';
import type { AckSummary } from '../db/outbox.ts';
import type { DataLoss, OutboxRow, SyncFailureData } from '../db/rows.ts';
import type { ApiFailure } from './api-client.ts';

/** `serverBusy`: the server asked to wait (503, or a Retry-After); the next try is at `nextAttemptAt`. */
export type SyncStatus = 'idle' | 'syncing' | 'offline' | 'serverBusy' | 'error' | 'signedOut';

/**
 * The last failure: `kind`, `status` and `code` are what the UI words (in the user's language);
 * `message` is the technical detail (English, for the log file and support), never shown as is.
 */
export interface SyncError {
  /** `internal`: the cycle threw (a bug, or the database closed under it); shown, and retried by the next trigger. */
  kind: SyncFailureData['failure'];
  status?: number;
  code?: string;
  message: string;
}

/**
 * A calm notice, not an alarm: this phone's local data was reset (a wiped store), and the
 * server's records say everything it had sent arrived and nothing was left queued. Kept until
 * dismissed or the app restarts; the sync log keeps it too.
 */
export interface SyncNotice {
  kind: 'localReset';
  detectedAt: string;
  /** How many of this phone's mutations the server holds (its highest device sequence number). */
  serverSeq: number;
}

export interface SyncState {
  status: SyncStatus;
  queued: number;
  oldestQueuedAt: string | undefined;
  /** ms since the oldest queued mutation was made (device clock). */
  oldestQueuedAgeMs: number | undefined;
  lastSuccessAt: string | undefined;
  /** When the next automatic attempt is due (ms since epoch), if one is scheduled. */
  nextAttemptAt: number | undefined;
  lastError: SyncError | undefined;
  conflicts: number;
  rejected: number;
  /** The alarm: the server's records say something this phone sent or had queued is missing (ST6, ST9). */
  dataLoss: DataLoss | undefined;
  /** The calm notice that the local data was reset with nothing lost. */
  notice: SyncNotice | undefined;
  user: User | undefined;
}

export type CycleOutcome =
  | { kind: 'ok'; pushed: AckSummary; pulled: number }
  | { kind: 'busy' }
  | { kind: 'stopped' }
  | { kind: 'signedOut' }
  | { kind: 'offline' | 'error'; error: SyncError }
  /** The server asked to wait; `retryAt` is when the next try is due (ms since epoch). */
  | { kind: 'serverBusy'; error: SyncError; retryAt: number };

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'badCredentials' | 'rateLimited' | 'network' | 'server' | 'storageFull' | 'otherUserQueued' | 'vaultKey'; message: string };

/** RT1: network errors, 408, 429 and 5xx are retried with backoff; other 4xx wait for a trigger. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** A retryable answer that says "busy": 503 (e.g. the server's database is busy) or any retryable status with Retry-After. */
export const isServerBusy = (f: ApiFailure): boolean => f.kind === 'http' && isRetryableStatus(f.status) && (f.status === 503 || f.retryAfterMs !== undefined);

/** A failure as the sync log keeps it (no free text: the screen words it). */
export function failureData(e: SyncError): SyncFailureData {
  return { failure: e.kind, ...(e.status !== undefined ? { status: e.status } : {}), ...(e.code !== undefined ? { code: e.code } : {}) };
}

export function toMutation(row: OutboxRow): Mutation {
  return { id: row.id, entity: row.entity, entityId: row.entityId, baseVersion: row.baseVersion, createdAt: row.createdAt, deviceSeq: row.deviceSeq, data: row.data };
}

export function describe(f: ApiFailure): SyncError {
  switch (f.kind) {
    case 'network':
      return { kind: 'network', message: `network: ${f.message}` };
    case 'invalid_response':
      return { kind: 'invalid_response', message: f.message };
    case 'http':
      return { kind: 'http', status: f.status, ...(f.error ? { code: f.error.code } : {}), message: `HTTP ${f.status}${f.error ? `: ${f.error.message}` : ''}` };
  }
}
