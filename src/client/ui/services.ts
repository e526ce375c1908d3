// What the screens need from the outside world, as small ports handed down through React context.
// main.tsx (the composition root) builds the concrete ones: Dexie db, SyncEngine, window.fetch,
// navigator.storage. Tests pass fakes. Screens never import concrete classes.
import { createContext, useContext } from 'react';
import type { PuchaDb } from '../db/database.ts';
import type { Session } from '../db/rows.ts';

/** The sync engine as the UI sees it (main.tsx adapts the engine's own state to this). */
/** `serverBusy`: the server asked to wait (503 or Retry-After); `nextAttemptAt` says until when. */
export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'serverBusy' | 'error' | 'signedOut';
/** The last failure as the screens word it in the user's language (kind, HTTP status, error code). */
export interface SyncFailure {
  kind: 'network' | 'http' | 'invalid_response' | 'storageFull' | 'tooLarge' | 'internal';
  status?: number;
  code?: string;
}
export interface SyncStatus {
  phase: SyncPhase;
  /** ISO time of the last successful push + pull. */
  lastSuccessAt?: string;
  /** ms since epoch of the next automatic attempt, when one is scheduled. */
  nextAttemptAt?: number;
  /** What went wrong last: technical detail in English (for support), not shown as is. */
  error?: string;
  /** What went wrong last, for the screens to word. */
  failure?: SyncFailure;
  /** Local data was lost (see DataLossReport). */
  dataLoss?: DataLossReport;
  /** The calm notice: this phone's local data was reset, and the server holds everything it had sent. */
  notice?: { kind: 'localReset'; serverSeq: number };
}
/**
 * `sameDevice`: the server holds more of this device's mutations than the phone (ST6).
 * `otherDevice`: this phone started empty while another device of the user still had items queued (ST9).
 */
export type DataLossReport =
  | { kind: 'sameDevice'; serverSeq: number; localSeq: number }
  | { kind: 'otherDevice'; deviceId: string; lastSeenAt?: string; pendingOnDevice: number };
export interface SyncPort {
  getStatus: () => SyncStatus;
  subscribe: (listener: () => void) => () => void;
  /** Starts a sync now (no-op while one runs); resolves when it ends. */
  syncNow: () => Promise<void>;
  /** The user has seen the data-loss report. */
  acknowledgeDataLoss: () => Promise<void>;
}

export type LoginResult =
  | { ok: true }
  | { ok: false; reason: 'unauthorized' | 'rateLimited' | 'network' | 'otherUserQueued' | 'vaultKey' | 'other'; message?: string };
export interface AuthPort {
  login: (username: string, password: string) => Promise<LoginResult>;
  /** Forgets the session (the caller has checked that nothing is unsynced). */
  signOut: () => Promise<void>;
}

export interface StorageInfo {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}
export interface StoragePort {
  /** Asks for persistent storage; undefined when the browser has no such API. */
  persist: () => Promise<boolean | undefined>;
  info: () => Promise<StorageInfo>;
}

export interface ExportFile {
  filename: string;
  blob: Blob;
  /** How many queued items the file holds. */
  count: number;
}
export interface ExportPort {
  /** The unsynced data as a file encrypted with the user's passphrase (src/shared/unsynced-crypto.ts). */
  exportUnsynced: (passphrase: string) => Promise<ExportFile>;
}

/** Authenticated JSON/file access to the API for the supervisor dashboard. */
/** A failure carries the api.md error `code` when the server sent one (screens word it in the user's language). */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string; code?: string };
export interface ApiPort {
  get: (path: string) => Promise<ApiResult<unknown>>;
  /** A file download, byte for byte (a CSV's UTF-8 BOM included: decoding it as text would drop it). */
  getBlob: (path: string) => Promise<ApiResult<Blob>>;
  send: (method: 'POST' | 'PATCH', path: string, body: unknown) => Promise<ApiResult<unknown>>;
}

/** Practice mode (issue 15): what the household screen reports from the practice district. */
export interface PracticePort {
  recordAttempt: (a: { listingId: string; errors: number; completed: boolean }) => Promise<void>;
}

export interface AppServices {
  db: PuchaDb;
  sync: SyncPort;
  auth: AuthPort;
  storage: StoragePort;
  exporter: ExportPort;
  /** Builds an API client that carries the session's token. */
  api: (session: Session) => ApiPort;
  /** Hands a file to the user (download). */
  saveFile: (file: ExportFile) => void;
  now: () => number;
  appVersion: string;
  /** False where the browser has no Background Sync (Firefox, Safari): queued data goes up only while the app is open. */
  backgroundSync?: boolean;
  /** Present only inside practice mode, where `db` is the practice store. */
  practice?: PracticePort;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <ServicesContext.Provider>');
  return s;
}
