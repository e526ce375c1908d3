// The sync engine: pushes the outbox, then pulls, one tab at a time, and retries with backoff.
// Its rules are numbered in docs/SYNC.md (PU = push, PL = pull, ST = state, RT = retry, LK = lock).
//
//              signIn ok                      success
//   signedOut ───────────► idle ◄─────────────────────────────┐
//       ▲                   │ trigger: start, online, visible,  │
//       │ 401 (queue kept)  │ timer, SW message, syncNow        │
//       └──────────────── syncing ─────────────────────────────┘
//                           │ network error ──► offline ─┐ backoff timer, online,
//                           │ 5xx/408/429/bad answer ──► error ─┤ foreground, syncNow
//                           │ other 4xx ──► error (no timer) ───┘ ──► syncing
//
// Dependencies (db, fetch, clock, random, timers, locks) are injected; nothing global inside.
import { CLIENT_BATCH_SIZE, PROTOCOL_VERSION, type KnownDevice } from '../../domain/index.ts';
import type { PuchaDb } from '../db/database.ts';
import { clearSession, ensureDevice, getMeta, getSession, setMeta, deleteMeta } from '../db/meta.ts';
import { applyPushResults, logSyncEvent, markAttempt, type AckSummary } from '../db/outbox.ts';
import { applyPulledChanges } from '../db/pull-apply.ts';
import { outboxEntries, outboxStats } from '../db/queries.ts';
import type { DataLoss, OutboxRow, SyncEvent } from '../db/rows.ts';
import { ApiClient, withTimeout, type ApiFailure, type FetchLike } from './api-client.ts';
import { describe, isRetryableStatus, toMutation, type CycleOutcome, type SignInResult, type SyncError, type SyncState } from './sync-state.ts';
import { backoffDelay } from './backoff.ts';
import { leaseLock, webLock, type LockManagerLike, type SyncLock } from './sync-lock.ts';
import { claimPhone, mayHandOver, type HandoverRefusal } from '../db/handover.ts';

export * from './sync-state.ts';

export interface SyncEngineDeps {
  db: PuchaDb;
  fetch: FetchLike;
  now: () => number;
  baseUrl: string;
  random?: () => number;
  /** Schedules `fn` after `ms`; returns a cancel function. */
  setTimer?: (fn: () => void, ms: number) => () => void;
  /** navigator.locks where present; without it a lease row in meta is used. */
  locks?: LockManagerLike;
  appVersion?: string;
  /** A device id remembered outside IndexedDB, reused if the store was wiped (see meta.ensureDevice). */
  deviceIdHint?: string;
  /** navigator.storage.estimate() / persisted(), reported to the supervisors with each push. */
  storageEstimate?: () => Promise<{ usage: number; quota: number; persisted?: boolean }>;
  /** Poll interval while idle (pulls review queries, pushes anything missed). */
  periodMs?: number;
  /** A request that has not answered by then is aborted and counts as a network error. */
  requestTimeoutMs?: number;
}

const MAX_PULL_PAGES = 10_000;

export class SyncEngine {
  private readonly db: PuchaDb;
  private readonly api: ApiClient;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => () => void;
  private readonly lock: SyncLock;
  private readonly listeners = new Set<(s: SyncState) => void>();
  private state: SyncState = {
    status: 'signedOut',
    queued: 0,
    oldestQueuedAt: undefined,
    oldestQueuedAgeMs: undefined,
    lastSuccessAt: undefined,
    nextAttemptAt: undefined,
    lastError: undefined,
    conflicts: 0,
    rejected: 0,
    dataLoss: undefined,
    user: undefined,
  };
  private attempt = 0;
  private batchSize = CLIENT_BATCH_SIZE;
  private cancelTimer: (() => void) | undefined;
  private running: Promise<CycleOutcome> | undefined;
  private rerun: Promise<CycleOutcome> | undefined;
  private stopped = false;

  constructor(private readonly deps: SyncEngineDeps) {
    this.db = deps.db;
    this.random = deps.random ?? Math.random;
    this.setTimer =
      deps.setTimer ??
      ((fn, ms) => {
        const h = setTimeout(fn, ms);
        return () => clearTimeout(h);
      });
    this.lock = deps.locks ? webLock(deps.locks) : leaseLock(deps.db, deps.db.newId());
    this.api = new ApiClient({ fetch: withTimeout(deps.fetch, this.setTimer, deps.requestTimeoutMs ?? 60_000), baseUrl: deps.baseUrl, now: deps.now });
  }

  getState(): SyncState {
    return this.state;
  }

  subscribe(listener: (s: SyncState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** App start: loads the state, then syncs if signed in. */
  async start(): Promise<void> {
    this.stopped = false;
    await ensureDevice(this.db, this.deps.deviceIdHint);
    const session = await getSession(this.db);
    await this.refresh({ status: session ? 'idle' : 'signedOut', user: session?.user });
    await this.log('start', session ? `signed in as ${session.user.username}` : 'not signed in');
    if (session) this.kick();
  }

  /** Stops timers; a cycle in flight finishes its current step and does not reschedule. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** Runs a sync cycle now; a call while one runs queues exactly one more cycle after it. */
  syncNow(): Promise<CycleOutcome> {
    if (this.running) {
      this.rerun ??= this.running.then(() => {
        this.rerun = undefined;
        return this.syncNow();
      });
      return this.rerun;
    }
    const run = this.cycle().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** RT3: `online` and returning to the foreground reset the backoff and sync at once. */
  onOnline(): void {
    this.attempt = 0;
    this.kick();
  }

  onOffline(): void {
    this.clearTimer();
    this.refresh({ status: this.state.status === 'signedOut' ? 'signedOut' : 'offline', nextAttemptAt: undefined }).catch((e: unknown) => this.crashed(e));
  }

  onForeground(): void {
    this.attempt = 0;
    this.kick();
  }

  /** The service worker's wake-up (`{ type: 'sync' }`), e.g. from Background Sync. */
  onServiceWorkerMessage(data: unknown): void {
    if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'sync') this.kick();
  }

  /** Called by the UI after a save: updates the queued count and syncs. */
  notifyLocalChange(): void {
    this.refresh({}).then(
      () => this.kick(),
      (e: unknown) => this.crashed(e),
    );
  }

  /**
   * Issue 8: a phone holds one user's records. Another user is refused while the previous user's
   * outbox is not empty (before any credentials are sent, and again atomically with the session
   * write); once it is empty, the previous records are removed as the new session is stored.
   */
  async signIn(username: string, password: string): Promise<SignInResult> {
    const { deviceId } = await ensureDevice(this.db, this.deps.deviceIdHint);
    const may = await mayHandOver(this.db, username);
    if (!may.ok) return this.refused(may);
    const res = await this.api.login({ username, password, deviceId });
    if (!res.ok) {
      const reason = res.kind === 'network' ? 'network' : res.kind === 'http' && res.status === 401 ? 'badCredentials' : res.kind === 'http' && res.status === 429 ? 'rateLimited' : 'server';
      return { ok: false, reason, message: describe(res).message };
    }
    const { otherDevices, ...session } = res.value;
    // Checked again with the session write: a save could have raced the network call.
    const claimed = await claimPhone(this.db, session);
    if (!claimed.ok) {
      if (claimed.reason === 'storageFull') return { ok: false, reason: 'storageFull', message: claimed.message };
      // The server issued a token the phone will not use: give it back (best effort).
      await this.api.logout(session.token);
      return this.refused(claimed);
    }
    if (claimed.wiped) await this.log('start', 'the previous user had nothing queued: their records were removed from this phone');
    await this.checkOtherDevices(otherDevices ?? []);
    this.attempt = 0;
    this.batchSize = CLIENT_BATCH_SIZE;
    await this.refresh({ status: 'idle', user: res.value.user, lastError: undefined });
    await this.log('start', `signed in as ${res.value.user.username}`);
    this.kick();
    return { ok: true, user: res.value.user };
  }

  // Nothing is written for a refusal, not even a log line: the phone stays exactly as it was.
  private refused(r: HandoverRefusal): SignInResult {
    return { ok: false, reason: 'otherUserQueued', message: `${r.queued} item(s)${r.owner ? ` of ${r.owner}` : ''} are not synced yet: sync or export them first` };
  }

  /** Forgets the token; the queue and the records stay (they are pushed after the next sign-in). */
  async signOut(): Promise<void> {
    const session = await getSession(this.db);
    await clearSession(this.db);
    this.clearTimer();
    await this.refresh({ status: 'signedOut', user: undefined, nextAttemptAt: undefined });
    await this.log('signedOut', 'signed out by the user');
    if (session) await this.api.logout(session.token);
  }

  /** The UI has shown the "local data lost" report. */
  async acknowledgeDataLoss(): Promise<void> {
    await deleteMeta(this.db, 'dataLoss');
    await this.refresh({});
  }

  // ---- one cycle ----------------------------------------------------------------------------

  private async cycle(): Promise<CycleOutcome> {
    if (this.stopped) return { kind: 'stopped' };
    const session = await getSession(this.db);
    if (!session) {
      await this.refresh({ status: 'signedOut', user: undefined });
      return { kind: 'signedOut' };
    }
    this.clearTimer();
    await this.refresh({ status: 'syncing', nextAttemptAt: undefined });
    const out = await this.lock.run((renew) => this.runLocked(session.token, renew));
    if (out === 'busy') {
      // Another tab syncs; look again later in case it dies (its lease runs out).
      this.schedule(this.deps.periodMs ?? 60_000);
      await this.refresh({ status: 'idle' });
      return { kind: 'busy' };
    }
    return this.finish(out);
  }

  private async runLocked(token: string, renew: () => Promise<boolean>): Promise<CycleOutcome> {
    const { deviceId } = await ensureDevice(this.db, this.deps.deviceIdHint);
    const pushed: AckSummary = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
    // PU1: in outbox order, batches of at most 100, each acknowledged before the next is read.
    for (;;) {
      if (this.stopped) return { kind: 'stopped' };
      const rows = await outboxEntries(this.db, this.batchSize);
      if (rows.length === 0) break;
      await renew();
      const pending = (await outboxStats(this.db)).count;
      const storage = await this.deps.storageEstimate?.().catch(() => undefined);
      const res = await this.api.push(token, {
        deviceId,
        protocolVersion: PROTOCOL_VERSION,
        mutations: rows.map(toMutation),
        device: {
          pending,
          appVersion: this.deps.appVersion ?? 'dev',
          clock: new Date(this.deps.now()).toISOString(),
          ...(storage ? { storage: { usage: Math.max(0, storage.usage), quota: Math.max(0, storage.quota) } } : {}),
          ...(storage?.persisted !== undefined ? { persisted: storage.persisted } : {}),
        },
      });
      if (!res.ok) {
        if (res.kind === 'http' && res.status === 413) {
          if (this.batchSize > 1) {
            // PU6: too large for the server: halve and try again at once.
            this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
            await this.log('retry', `413: batch halved to ${this.batchSize}`);
            continue;
          }
          const error: SyncError = { kind: 'tooLarge', status: 413, message: `mutation ${rows[0]?.id ?? ''} alone is over the server's size limit` };
          return this.failed(error, rows, undefined);
        }
        return this.failed(describe(res), rows, res.kind === 'http' ? res.retryAfterMs : undefined, res);
      }
      const results = res.value.results;
      // PU2: exactly one result per mutation, in order; anything else is an answer we cannot trust.
      if (results.length !== rows.length || results.some((r, i) => r.id !== rows[i]?.id)) {
        return this.failed({ kind: 'invalid_response', message: 'push answer does not match the batch' }, rows, undefined);
      }
      const sum = await applyPushResults(this.db, rows, results);
      for (const k of ['applied', 'duplicate', 'conflict', 'rejected'] as const) pushed[k] += sum[k];
      await this.log('push', `${rows.length} sent: ${sum.applied} applied, ${sum.duplicate} duplicate, ${sum.conflict} conflict, ${sum.rejected} rejected`);
      for (const [i, r] of results.entries()) {
        if (r.status === 'conflict' || r.status === 'rejected') {
          await this.log(r.status, `${rows[i]?.entity ?? ''} ${rows[i]?.entityId ?? ''}: ${r.error?.message ?? r.status}`);
        }
      }
      await this.refresh({});
    }
    // PL1: pull from the stored cursor until the server says there is no more.
    let pulled = 0;
    let cursor = await getMeta(this.db, 'pullCursor');
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      if (this.stopped) return { kind: 'stopped' };
      await renew();
      const res = await this.api.pull(token, cursor);
      if (!res.ok) return this.failed(describe(res), [], res.kind === 'http' ? res.retryAfterMs : undefined, res);
      if (page === 0 && res.value.deviceSeq !== undefined) await this.checkDeviceSeq(res.value.deviceSeq);
      const applied = await applyPulledChanges(this.db, res.value.changes, res.value.cursor, token);
      if (applied.ok && applied.stale) {
        // Signed out or handed over while the page was in flight: not this session's to write.
        await this.log('pull', 'page dropped: the session changed while it was in flight');
        return (await getSession(this.db)) ? { kind: 'stopped' } : { kind: 'signedOut' };
      }
      if (!applied.ok) {
        const message = applied.reason === 'storageFull' ? applied.message : applied.reason;
        return this.failed({ kind: 'storageFull', message }, [], undefined);
      }
      pulled += applied.applied;
      if (applied.invalid.length > 0) await this.log('error', `pull: ${applied.invalid.length} changes failed the schema (first: ${applied.invalid[0]?.message.slice(0, 200) ?? ''})`);
      cursor = res.value.cursor;
      if (!res.value.more) break;
    }
    await this.log('pull', `${pulled} changes applied`);
    return { kind: 'ok', pushed, pulled };
  }

  /** ST6: the server holds more of this device's mutations than the phone ever numbered: data was lost here. */
  private async checkDeviceSeq(serverSeq: number): Promise<void> {
    const loss = await this.db.transaction('rw', this.db.meta, async () => {
      const localSeq = (await getMeta(this.db, 'deviceSeq')) ?? 0;
      if (serverSeq <= localSeq) return undefined;
      const found: DataLoss = { kind: 'sameDevice', detectedAt: new Date(this.deps.now()).toISOString(), serverSeq, localSeq };
      await setMeta(this.db, 'dataLoss', found);
      // New mutations continue after the server's number, so the loss is reported once.
      await setMeta(this.db, 'deviceSeq', serverSeq);
      return found;
    });
    if (loss) await this.log('dataLoss', `server holds mutations up to #${loss.serverSeq} from this device, the phone had #${loss.localSeq}`);
  }

  /**
   * ST9: a real wipe also erases the device id, so this phone signed in as a new device and ST6
   * cannot see the loss. If it holds nothing of its own (no outbox, no device sequence) while
   * another device of the same user still had items queued at its last push, those may never
   * have reached the server: report it. A new phone whose predecessor had sent everything is
   * not a loss, and the assignment comes down with the first pull either way.
   */
  private async checkOtherDevices(others: readonly KnownDevice[]): Promise<void> {
    // The server lists the devices most recently seen first: the likeliest predecessor.
    const lost = others.find((d) => (d.pendingOnDevice ?? 0) > 0);
    if (!lost?.pendingOnDevice) return;
    const pendingOnDevice = lost.pendingOnDevice;
    const loss = await this.db.transaction('rw', this.db.meta, this.db.outbox, async () => {
      const localSeq = (await getMeta(this.db, 'deviceSeq')) ?? 0;
      if (localSeq > 0 || (await this.db.outbox.count()) > 0) return undefined;
      const found: DataLoss = {
        kind: 'otherDevice',
        detectedAt: new Date(this.deps.now()).toISOString(),
        deviceId: lost.deviceId,
        ...(lost.lastSeenAt !== undefined ? { lastSeenAt: lost.lastSeenAt } : {}),
        ...(lost.lastPushAt !== undefined ? { lastPushAt: lost.lastPushAt } : {}),
        deviceSeq: lost.deviceSeq,
        pendingOnDevice,
      };
      await setMeta(this.db, 'dataLoss', found);
      return found;
    });
    if (loss) await this.log('dataLoss', `this phone starts empty; device ${lost.deviceId} (last seen ${lost.lastSeenAt ?? 'never'}) still had ${pendingOnDevice} queued`);
  }

  private async failed(error: SyncError, rows: readonly OutboxRow[], retryAfterMs: number | undefined, res?: ApiFailure): Promise<CycleOutcome> {
    if (res?.kind === 'http' && res.status === 401) {
      // RT4: the token is no good: ask to sign in again; the queue stays.
      await clearSession(this.db);
      await this.log('signedOut', 'the server refused the session (401)');
      return { kind: 'signedOut' };
    }
    const retryable = res === undefined || res.kind !== 'http' || isRetryableStatus(res.status);
    const delay = backoffDelay(this.attempt, this.random, retryAfterMs);
    const nextAt = retryable ? this.deps.now() + delay : undefined;
    if (rows.length > 0) await markAttempt(this.db, rows, error.message, nextAt);
    await this.log(retryable ? 'retry' : 'error', `${error.message}${nextAt ? `; next attempt in ${Math.round(delay / 1000)} s` : ''}`);
    if (retryable) {
      this.attempt++;
      this.schedule(delay);
    }
    return { kind: error.kind === 'network' ? 'offline' : 'error', error };
  }

  private async finish(out: CycleOutcome): Promise<CycleOutcome> {
    switch (out.kind) {
      case 'ok': {
        this.attempt = 0;
        this.batchSize = CLIENT_BATCH_SIZE;
        const at = new Date(this.deps.now()).toISOString();
        await setMeta(this.db, 'lastSyncAt', at);
        await this.log('success', `sync done: ${out.pushed.applied + out.pushed.duplicate} acknowledged, ${out.pulled} pulled`);
        if (!this.stopped) this.schedule(this.deps.periodMs ?? 60_000);
        await this.refresh({ status: 'idle', lastError: undefined, lastSuccessAt: at });
        break;
      }
      case 'signedOut':
        this.clearTimer();
        await this.refresh({ status: 'signedOut', user: undefined, nextAttemptAt: undefined });
        break;
      case 'offline':
      case 'error':
        await this.refresh({ status: out.kind, lastError: out.error });
        break;
      case 'busy':
      case 'stopped':
        await this.refresh({ status: 'idle' });
        break;
    }
    return out;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** A trigger's cycle: nobody awaits it, so an exception becomes the shown state instead of an unhandled rejection. */
  private kick(): void {
    this.syncNow().catch((e: unknown) => this.crashed(e));
  }

  private crashed(e: unknown): void {
    // The database may be closed (the tab is going away): report without touching it.
    this.state = { ...this.state, status: 'error', lastError: { kind: 'internal', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
    for (const l of this.listeners) l(this.state);
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (this.stopped) return;
    this.state = { ...this.state, nextAttemptAt: this.deps.now() + ms };
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = undefined;
      this.kick();
    }, ms);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.state = { ...this.state, nextAttemptAt: undefined };
  }

  private async refresh(patch: Partial<SyncState>): Promise<void> {
    const stats = await outboxStats(this.db);
    const conflicts = await this.db.recordState.where('state').equals('conflict').count();
    const rejected = await this.db.recordState.where('state').equals('rejected').count();
    const lastSuccessAt = (await getMeta(this.db, 'lastSyncAt')) ?? undefined;
    const dataLoss = await getMeta(this.db, 'dataLoss');
    const oldest = stats.oldestCreatedAt;
    this.state = {
      ...this.state,
      queued: stats.count,
      oldestQueuedAt: oldest,
      oldestQueuedAgeMs: oldest === undefined ? undefined : Math.max(0, this.deps.now() - Date.parse(oldest)),
      lastSuccessAt,
      conflicts,
      rejected,
      dataLoss,
      ...patch,
    };
    for (const l of this.listeners) l(this.state);
  }

  private async log(event: SyncEvent, message: string): Promise<void> {
    await logSyncEvent(this.db, event, message);
  }
}
