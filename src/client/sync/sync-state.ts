// The engine's observable state and outcomes (what the UI shows), and the pure helpers that map
// wire failures onto them.
import type { Mutation, User } from '../../domain/index.ts';
import type { AckSummary } from '../db/outbox.ts';
import type { DataLoss, OutboxRow } from '../db/rows.ts';
import type { ApiFailure } from './api-client.ts';

export type SyncStatus = 'idle' | 'syncing' | 'offline' | 'error' | 'signedOut';

/** The last failure, as the UI shows it. */
export interface SyncError {
  /** `internal`: the cycle threw (a bug, or the database closed under it); shown, and retried by the next trigger. */
  kind: 'network' | 'http' | 'invalid_response' | 'storageFull' | 'tooLarge' | 'internal';
  status?: number;
  code?: string;
  message: string;
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
  /** Set when the server knows more of this device's mutations than the phone has: the local store was lost. */
  dataLoss: DataLoss | undefined;
  user: User | undefined;
}

export type CycleOutcome =
  | { kind: 'ok'; pushed: AckSummary; pulled: number }
  | { kind: 'busy' }
  | { kind: 'stopped' }
  | { kind: 'signedOut' }
  | { kind: 'offline' | 'error'; error: SyncError };

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'badCredentials' | 'rateLimited' | 'network' | 'server' | 'storageFull' | 'otherUserQueued'; message: string };

/** RT1: network errors, 408, 429 and 5xx are retried with backoff; other 4xx wait for a trigger. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

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
