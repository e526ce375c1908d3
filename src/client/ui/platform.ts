// Adapters from browser APIs and the SyncEngine to the UI's ports. Used by main.tsx only (the
// composition root); kept here so main.tsx stays a readable list of what is wired to what.
import type { DataLoss, Session } from '../db/rows.ts';
import type { SyncEngine, SyncState } from '../sync/sync-engine.ts';
import type { ApiPort, ApiResult, AuthPort, DataLossReport, ExportFile, StoragePort, SyncPort, SyncStatus } from './services.ts';

function lossReport(d: DataLoss): DataLossReport {
  if (d.kind === 'otherDevice') return { kind: 'otherDevice', deviceId: d.deviceId, pendingOnDevice: d.pendingOnDevice, ...(d.lastSeenAt !== undefined ? { lastSeenAt: d.lastSeenAt } : {}) };
  return { kind: 'sameDevice', serverSeq: d.serverSeq, localSeq: d.localSeq };
}

export function syncPort(engine: SyncEngine): SyncPort {
  let last: SyncState | undefined;
  let snapshot: SyncStatus = { phase: 'signedOut' };
  const toStatus = (s: SyncState): SyncStatus => ({
    phase: s.status,
    ...(s.lastSuccessAt !== undefined ? { lastSuccessAt: s.lastSuccessAt } : {}),
    ...(s.nextAttemptAt !== undefined ? { nextAttemptAt: s.nextAttemptAt } : {}),
    ...(s.lastError !== undefined && s.status !== 'idle' && s.status !== 'syncing'
      ? {
          error: s.lastError.message,
          failure: { kind: s.lastError.kind, ...(s.lastError.status !== undefined ? { status: s.lastError.status } : {}), ...(s.lastError.code !== undefined ? { code: s.lastError.code } : {}) },
        }
      : {}),
    ...(s.dataLoss !== undefined ? { dataLoss: lossReport(s.dataLoss) } : {}),
    ...(s.notice !== undefined ? { notice: { kind: s.notice.kind, serverSeq: s.notice.serverSeq } } : {}),
  });
  const current = (): SyncStatus => {
    const s = engine.getState();
    if (s !== last) {
      last = s;
      snapshot = toStatus(s);
    }
    return snapshot;
  };
  return {
    getStatus: current,
    subscribe: (l) => engine.subscribe(() => l()),
    syncNow: async () => {
      await engine.syncNow();
    },
    acknowledgeDataLoss: () => engine.acknowledgeDataLoss(),
  };
}

/** Remembered outside IndexedDB so a wiped store reuses the device id (the server then notices the loss). */
const DEVICE_HINT_KEY = 'pucha.deviceId';
export function deviceIdHint(): string | undefined {
  try {
    return localStorage.getItem(DEVICE_HINT_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
export function rememberDeviceId(id: string): void {
  try {
    localStorage.setItem(DEVICE_HINT_KEY, id);
  } catch {
    // storage blocked: only the wipe detection gets weaker
  }
}

export function authPort(engine: SyncEngine, afterSignIn: () => Promise<void>): AuthPort {
  return {
    async login(username, password) {
      const r = await engine.signIn(username, password);
      if (!r.ok) {
        const reason =
          r.reason === 'badCredentials' ? 'unauthorized' : r.reason === 'rateLimited' ? 'rateLimited' : r.reason === 'network' ? 'network' : r.reason === 'otherUserQueued' ? 'otherUserQueued' : r.reason === 'vaultKey' ? 'vaultKey' : 'other';
        return { ok: false, reason, message: r.message };
      }
      await afterSignIn();
      return { ok: true };
    },
    signOut: () => engine.signOut(),
  };
}

export function storagePort(storage: StorageManager | undefined): StoragePort {
  return {
    async persist() {
      if (!storage?.persist) return undefined;
      return storage.persist();
    },
    async info() {
      if (!storage) return {};
      const [est, persisted] = await Promise.all([storage.estimate?.().catch(() => undefined), storage.persisted?.().catch(() => undefined)]);
      return {
        ...(est?.usage !== undefined ? { usage: est.usage } : {}),
        ...(est?.quota !== undefined ? { quota: est.quota } : {}),
        ...(persisted !== undefined ? { persisted } : {}),
      };
    },
  };
}

export function apiPort(fetchFn: typeof fetch, session: Session): ApiPort {
  async function call(method: string, path: string, body: unknown, asFile: boolean): Promise<ApiResult<unknown>> {
    let res: Response;
    try {
      res = await fetchFn(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${session.token}`, accept: asFile ? 'text/csv' : 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      return { ok: false, status: 0, message: e instanceof Error ? e.message : String(e) };
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = `HTTP ${res.status}`;
      let code: string | undefined;
      try {
        const j: unknown = JSON.parse(text);
        if (typeof j === 'object' && j !== null && 'error' in j && typeof j.error === 'object' && j.error !== null && 'message' in j.error) {
          message += `: ${String(j.error.message)}`;
          if ('code' in j.error && typeof j.error.code === 'string') code = j.error.code;
        }
      } catch {
        // not JSON: the status says enough
      }
      return { ok: false, status: res.status, message, ...(code !== undefined ? { code } : {}) };
    }
    // The bytes, not res.text(): text() strips the CSV's BOM, and Excel needs it to read UTF-8.
    if (asFile) return { ok: true, value: new Blob([await res.arrayBuffer()], { type: res.headers.get('content-type') ?? 'application/octet-stream' }) };
    try {
      return { ok: true, value: (await res.json()) as unknown };
    } catch {
      return { ok: false, status: res.status, message: 'answer is not JSON' };
    }
  }
  return {
    get: (path) => call('GET', path, undefined, false),
    getBlob: async (path) => {
      const r = await call('GET', path, undefined, true);
      return !r.ok ? r : r.value instanceof Blob ? { ok: true, value: r.value } : { ok: false, status: 0, message: 'not a file' };
    },
    send: (method, path, body) => call(method, path, body, false),
  };
}

export function saveFile(file: ExportFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
