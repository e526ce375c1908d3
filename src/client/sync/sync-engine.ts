// The sync engine: pushes the outbox, then pulls, one tab at a time, and retries with backoff.
// Its rules are numbered in docs/SYNC.md (PU = push, PL = pull, ST = state, RT = retry, LK = lock).
//
//              signIn ok                      success
//   signedOut ───────────► idle ◄─────────────────────────────┐
//       ▲                   │ trigger: start, online, visible,  │
//       │ 401 (queue kept)  │ timer, SW message, syncNow        │
//       └──────────────── syncing ─────────────────────────────┘
//                           │ network error ──► offline ─┐ backoff timer, online,
//                           │ 503 / Retry-After ──► serverBusy ─┤ foreground, syncNow
//                           │ 5xx/408/429/bad answer ──► error ─┤
//                           │ other 4xx ──► error (no timer) ───┘ ──► syncing
//
// Dependencies (db, fetch, clock, random, timers, locks) are injected; nothing global inside.
import { CLIENT_BATCH_SIZE, PROTOCOL_VERSION, type KnownDevice, type MutationResult, type PushRequest } from '../../domain/index.ts';
import type { PuchaDb } from '../db/database.ts';
import { clearSession, ensureDevice, getMeta, getSession, setMeta, deleteMeta } from '../db/meta.ts';
import { appendLog, applyPushResults, countQueued, logSyncEvent, markAttempt, outboxBatch, queuedAbove, type AckSummary, type OutboxBatch, type QueueTail } from '../db/outbox.ts';
import { applyPulledChanges } from '../db/pull-apply.ts';
import { isQuotaError } from '../db/write.ts';
import type { DataLoss, OutboxRow, SyncEvent, SyncLogData } from '../db/rows.ts';
import { ApiClient, withTimeout, type ApiFailure, type FetchLike } from './api-client.ts';
import { describe, failureData, isRetryableStatus, isServerBusy, toMutation, type CycleOutcome, type SignInResult, type SyncError, type SyncState } from './sync-state.ts';
import { backoffDelay } from './backoff.ts';
import { leaseLock, webLock, type LockManagerLike, type SyncLock } from './sync-lock.ts';
import { claimPhone, mayHandOver, type HandoverRefusal } from '../db/handover.ts';
import { addDeviceKey } from '../db/lock.ts';

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
  /**
   * The device id this phone had, remembered outside IndexedDB (see platform.ts). A wiped store
   * gets a new device id; at sign-in the login answer lists the user's other devices with what
   * each still had queued, and this id tells which of them was this phone (ST9).
   */
  deviceIdHint?: string;
  /** navigator.storage.estimate() / persisted(), reported to the supervisors with each push. */
  storageEstimate?: () => Promise<{ usage: number; quota: number; persisted?: boolean }>;
  /** Poll interval while idle (pulls review queries, pushes anything missed). */
  periodMs?: number;
  /** A request that has not answered by then is aborted and counts as a network error. */
  requestTimeoutMs?: number;
  /** Mutations per push (default and most: CLIENT_BATCH_SIZE); tests use small batches to drain in many. */
  batchSize?: number;
}

const MAX_PULL_PAGES = 10_000;
/** Changes per pull page (the server's most): after a drain, the phone's own versions come back in few round trips. */
const PULL_PAGE = 1000;

const noSum = (): AckSummary => ({ applied: 0, duplicate: 0, conflict: 0, rejected: 0 });

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
    notice: undefined,
    user: undefined,
  };
  private attempt = 0;
  private readonly maxBatch: number;
  private batchSize: number;
  private cancelTimer: (() => void) | undefined;
  private running: Promise<CycleOutcome> | undefined;
  private rerun: Promise<CycleOutcome> | undefined;
  private stopped = false;
  /**
   * When each row the drain has in hand was queued, by seq: the shown state's "oldest queued"
   * is then one key read, not a decryption of the first outbox row twice a second.
   */
  private readonly queuedAt = new Map<number, string>();

  constructor(private readonly deps: SyncEngineDeps) {
    // Practice households must never reach the server (issue 15): the practice store cannot sync.
    if (deps.db.practice) throw new Error('the practice store is never synced');
    this.db = deps.db;
    this.maxBatch = Math.max(1, Math.min(CLIENT_BATCH_SIZE, deps.batchSize ?? CLIENT_BATCH_SIZE));
    this.batchSize = this.maxBatch;
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
    await ensureDevice(this.db);
    const session = await getSession(this.db);
    await this.refresh({ status: session ? 'idle' : 'signedOut', user: session?.user });
    await this.log('start', session ? { user: session.user.username } : {});
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
    const { deviceId } = await ensureDevice(this.db);
    const may = await mayHandOver(this.db, username);
    if (!may.ok) return this.refused(may);
    const res = await this.api.login({ username, password, deviceId });
    if (!res.ok) {
      const reason = res.kind === 'network' ? 'network' : res.kind === 'http' && res.status === 401 ? 'badCredentials' : res.kind === 'http' && res.status === 429 ? 'rateLimited' : 'server';
      return { ok: false, reason, message: describe(res).message };
    }
    const { otherDevices, deviceKey, ...session } = res.value;
    // Checked again with the session write: a save could have raced the network call.
    const claimed = await claimPhone(this.db, session, deviceKey);
    if (!claimed.ok) {
      if (claimed.reason === 'storageFull') return { ok: false, reason: 'storageFull', message: claimed.message };
      if (claimed.reason === 'vaultKey') {
        await this.api.logout(session.token);
        return { ok: false, reason: 'vaultKey', message: 'the records on this phone are locked with a key this sign-in cannot open' };
      }
      // The server issued a token the phone will not use: give it back (best effort).
      await this.api.logout(session.token);
      return this.refused(claimed);
    }
    if (claimed.wiped) await this.log('handover', {});
    await this.checkOtherDevices(otherDevices ?? []);
    this.attempt = 0;
    this.batchSize = this.maxBatch;
    await this.refresh({ status: 'idle', user: res.value.user, lastError: undefined });
    await this.log('signedIn', { user: res.value.user.username });
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
    await this.log('signedOut', { reason: 'user' });
    if (session) await this.api.logout(session.token);
  }

  /** The UI has shown the data-loss alarm (or the calm notice that the local data was reset). */
  async acknowledgeDataLoss(): Promise<void> {
    await deleteMeta(this.db, 'dataLoss');
    await this.refresh({ notice: undefined });
  }

  // ---- one cycle ----------------------------------------------------------------------------

  private async cycle(): Promise<CycleOutcome> {
    if (this.stopped) return { kind: 'stopped' };
    // Locked (a restart before the PIN): the token and the queue cannot be read; the unlock starts the engine.
    if (this.db.vault.state() === 'locked') return { kind: 'stopped' };
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
    const { deviceId } = await ensureDevice(this.db);
    // A store encrypted before its device key was known (upgraded offline): until that wrap
    // exists, only the PIN opens it, so it is made at the first chance.
    if (this.db.vault.needsWrap() === 'device') {
      const key = await this.api.deviceKey(token);
      if (key.ok) await addDeviceKey(this.db, key.value.deviceKey);
    }
    const pushed = await this.pushAll(token, deviceId, renew);
    if (!('applied' in pushed)) return pushed;
    // PL1: pull from the stored cursor until the server says there is no more.
    let pulled = 0;
    let cursor = await getMeta(this.db, 'pullCursor');
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      if (this.stopped) return { kind: 'stopped' };
      await renew();
      const res = await this.api.pull(token, cursor, PULL_PAGE);
      if (!res.ok) return this.failed(describe(res), [], res);
      if (page === 0 && res.value.deviceSeq !== undefined) await this.checkDeviceSeq(res.value.deviceSeq);
      const applied = await applyPulledChanges(this.db, res.value.changes, res.value.cursor, token);
      if (applied.ok && applied.stale) {
        // Signed out or handed over while the page was in flight: not this session's to write.
        await this.log('pullDropped', {});
        return (await getSession(this.db)) ? { kind: 'stopped' } : { kind: 'signedOut' };
      }
      if (!applied.ok) {
        const message = applied.reason === 'storageFull' ? applied.message : applied.reason;
        return this.failed({ kind: 'storageFull', message }, []);
      }
      pulled += applied.applied;
      if (applied.invalid.length > 0) await this.log('pullInvalid', { count: applied.invalid.length });
      cursor = res.value.cursor;
      if (!res.value.more) break;
    }
    await this.log('pull', { applied: pulled });
    return { kind: 'ok', pushed, pulled };
  }

  /**
   * PU1: the outbox in `seq` order, in batches of at most 100, pipelined. The next batch is read
   * while a push is out and goes out as soon as its answer arrives; the answers are written by one
   * writer in arrival order, each in one transaction with its record states and log entries, and
   * answers that arrive while it writes go together into its next transaction (so a slow disk
   * means fewer strict commits, never more than one per batch). Never two pushes in flight (a
   * later batch may build on an earlier one), and at most two answers wait for the disk. A row
   * leaves the outbox only through its own result (PU7): a crash anywhere re-pushes, `duplicate`.
   */
  private async pushAll(token: string, deviceId: string, renew: () => Promise<boolean>): Promise<AckSummary | Exclude<CycleOutcome, { kind: 'ok' }>> {
    const pushed = noSum();
    // The shown state follows the drain at most twice a second (the screens count the outbox themselves).
    let shownAt = this.deps.now();
    const reader = new BatchReader(this.db);
    const w = new AnswerWriter(this.db, pushed, async (written) => {
      for (const r of written) this.queuedAt.delete(r.seq);
      if (this.deps.now() - shownAt < 500) return;
      shownAt = this.deps.now();
      await this.refresh({}, () => reader.queued());
    });
    try {
      for (;;) {
        if (this.stopped) return { kind: 'stopped' };
        const batch = await reader.next(this.batchSize);
        if (!batch) break;
        reader.prefetch(this.batchSize); // read while the push is out
        for (const r of batch.rows) this.queuedAt.set(r.seq, r.createdAt);
        await renew();
        const rows = batch.rows;
        const res = await this.api.push(token, await this.pushRequest(deviceId, batch));
        if (!res.ok) {
          await w.drain();
          if (res.kind === 'http' && res.status === 413) {
            if (this.batchSize > 1) {
              // PU6: too large for the server: halve and try again at once.
              this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
              await this.log('batchHalved', { size: this.batchSize });
              await reader.restart(rows[0] ? rows[0].seq - 1 : 0);
              continue;
            }
            return await this.failed({ kind: 'tooLarge', status: 413, message: `mutation ${rows[0]?.id ?? ''} alone is over the server's size limit` }, rows);
          }
          return await this.failed(describe(res), rows, res);
        }
        const results = res.value.results;
        // PU2: exactly one result per mutation, in order; anything else is an answer we cannot trust.
        if (results.length !== rows.length || results.some((r, i) => r.id !== rows[i]?.id)) {
          await w.drain();
          return await this.failed({ kind: 'invalid_response', message: 'push answer does not match the batch' }, rows);
        }
        await w.add(rows, results);
      }
      await w.drain();
      return pushed;
    } catch (e) {
      // A full disk while an answer was written: its rows stay queued and are pushed again (duplicate).
      if (isQuotaError(e)) return this.failed({ kind: 'storageFull', message: e instanceof Error ? e.message : 'storage full' }, []);
      throw e;
    } finally {
      // Returning early (a failure, a stop): answers still being written land before the cycle ends.
      await w.settle();
      await reader.settle();
      this.queuedAt.clear();
    }
  }

  /** PU8: the batch with the device report (queued from this batch on, app version, clock, storage). */
  private async pushRequest(deviceId: string, batch: OutboxBatch): Promise<PushRequest> {
    const storage = await this.deps.storageEstimate?.().catch(() => undefined);
    return {
      deviceId,
      protocolVersion: PROTOCOL_VERSION,
      mutations: batch.rows.map(toMutation),
      device: {
        pending: batch.pending,
        appVersion: this.deps.appVersion ?? 'dev',
        clock: new Date(this.deps.now()).toISOString(),
        ...(storage ? { storage: { usage: Math.max(0, storage.usage), quota: Math.max(0, storage.quota) } } : {}),
        ...(storage?.persisted !== undefined ? { persisted: storage.persisted } : {}),
      },
    };
  }

  /**
   * ST6: the pull answer's `deviceSeq` is the highest device number the server holds from this
   * device. Above the phone's own high-water mark, the phone's store was reset while the server
   * holds all it sent: not a loss (the calm notice), and numbering continues after the server's
   * value. Below it, every number in between must still be queued on the phone; one that is
   * neither queued nor on the server is a mutation the phone sent (or made) and lost: the alarm.
   * A gap is reported once (the sync log keeps data-loss entries).
   */
  private async checkDeviceSeq(serverSeq: number): Promise<void> {
    const found = await this.db.transaction('rw', [this.db.meta, this.db.outbox, this.db.syncLog], async () => {
      const localSeq = (await getMeta(this.db, 'deviceSeq')) ?? 0;
      if (serverSeq === localSeq) return undefined;
      const at = new Date(this.deps.now()).toISOString();
      if (serverSeq > localSeq) {
        await setMeta(this.db, 'deviceSeq', serverSeq);
        await appendLog(this.db, [{ event: 'localReset', data: { serverSeq, localSeq } }]);
        return { notice: { kind: 'localReset', detectedAt: at, serverSeq } } as const;
      }
      const missing = localSeq - serverSeq - (await queuedAbove(this.db, serverSeq));
      if (missing < 1 || (await this.reported({ kind: 'sameDevice', serverSeq, localSeq, missing }))) return undefined;
      const loss: DataLoss = { kind: 'sameDevice', detectedAt: at, serverSeq, localSeq };
      await setMeta(this.db, 'dataLoss', loss);
      await appendLog(this.db, [{ event: 'dataLoss', data: { kind: 'sameDevice', serverSeq, localSeq, missing } }]);
      return { loss };
    });
    if (found && 'notice' in found) this.state = { ...this.state, notice: found.notice };
  }

  /** Whether the newest data-loss entry of the log is this very report (same numbers). */
  private async reported(data: SyncLogData['dataLoss']): Promise<boolean> {
    const last = await this.db.syncLog
      .orderBy('id')
      .reverse()
      .filter((r) => r.event === 'dataLoss')
      .first();
    return last?.data !== undefined && Object.entries(data).every(([k, v]) => last.data?.[k] === v);
  }

  /**
   * ST9: a wipe erases the device id with the data, so a wiped phone signs in as a new device and
   * the login answer lists the user's other devices with what each still had queued after its
   * last push. If this phone holds nothing of its own (no outbox, no device number) and one of
   * them still had 1 or more queued, those may never have reached the server: the alarm. If the
   * one that was this phone (`deviceIdHint`) had sent everything, the calm notice. A new phone
   * whose predecessor had sent everything is not a loss; the assignment comes down either way.
   */
  private async checkOtherDevices(others: readonly KnownDevice[]): Promise<void> {
    // The server lists the devices most recently seen first: the likeliest predecessor.
    const lost = others.find((d) => (d.pendingOnDevice ?? 0) >= 1);
    const former = others.find((d) => d.deviceId === this.deps.deviceIdHint && d.deviceSeq > 0);
    if (!lost && !former) return;
    const found = await this.db.transaction('rw', [this.db.meta, this.db.outbox, this.db.syncLog], async () => {
      const localSeq = (await getMeta(this.db, 'deviceSeq')) ?? 0;
      if (localSeq > 0 || (await this.db.outbox.count()) > 0) return undefined;
      const at = new Date(this.deps.now()).toISOString();
      if (lost) {
        const loss: DataLoss = {
          kind: 'otherDevice',
          detectedAt: at,
          deviceId: lost.deviceId,
          ...(lost.lastSeenAt !== undefined ? { lastSeenAt: lost.lastSeenAt } : {}),
          ...(lost.lastPushAt !== undefined ? { lastPushAt: lost.lastPushAt } : {}),
          deviceSeq: lost.deviceSeq,
          pendingOnDevice: lost.pendingOnDevice ?? 0,
        };
        await setMeta(this.db, 'dataLoss', loss);
        await appendLog(this.db, [{ event: 'dataLoss', data: { kind: 'otherDevice', device: lost.deviceId, pending: loss.pendingOnDevice, serverSeq: lost.deviceSeq } }]);
        return undefined;
      }
      if (!former) return undefined;
      await appendLog(this.db, [{ event: 'localReset', data: { serverSeq: former.deviceSeq, localSeq } }]);
      return { kind: 'localReset', detectedAt: at, serverSeq: former.deviceSeq } as const;
    });
    if (found) this.state = { ...this.state, notice: found };
  }

  private async failed(error: SyncError, rows: readonly OutboxRow[], res?: ApiFailure): Promise<Extract<CycleOutcome, { kind: 'signedOut' | 'offline' | 'error' | 'serverBusy' }>> {
    if (res?.kind === 'http' && res.status === 401) {
      // RT4: the token is no good: ask to sign in again; the queue stays.
      await clearSession(this.db);
      await this.log('signedOut', { reason: 'refused' });
      return { kind: 'signedOut' };
    }
    const retryable = res === undefined || res.kind !== 'http' || isRetryableStatus(res.status);
    // RT1: never sooner than Retry-After, and never later than 5 minutes for it (backoff.ts).
    const delay = backoffDelay(this.attempt, this.random, res?.kind === 'http' ? res.retryAfterMs : undefined);
    const nextAt = retryable ? this.deps.now() + delay : undefined;
    if (rows.length > 0) await markAttempt(this.db, rows, error.message, nextAt);
    const busy = res !== undefined && isServerBusy(res);
    const delaySec = Math.round(delay / 1000);
    if (nextAt === undefined) await this.log('error', failureData(error));
    else if (busy) await this.log('serverBusy', { ...failureData(error), delaySec, nextAt });
    else await this.log('retry', { ...failureData(error), delaySec });
    if (nextAt === undefined) return { kind: 'error', error };
    this.attempt++;
    this.schedule(delay);
    if (busy) return { kind: 'serverBusy', error, retryAt: nextAt };
    return { kind: error.kind === 'network' ? 'offline' : 'error', error };
  }

  private async finish(out: CycleOutcome): Promise<CycleOutcome> {
    switch (out.kind) {
      case 'ok': {
        this.attempt = 0;
        this.batchSize = this.maxBatch;
        const at = new Date(this.deps.now()).toISOString();
        await setMeta(this.db, 'lastSyncAt', at);
        await this.log('success', { acknowledged: out.pushed.applied + out.pushed.duplicate, pulled: out.pulled });
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
      case 'serverBusy':
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

  /**
   * Reads what the state shows from the store (one read-only transaction) and tells the
   * subscribers. `count` (during a drain): the same number as the whole outbox's count, which
   * IndexedDB takes by walking every key (~10 ms per 5,000 rows, twice a second).
   */
  private async refresh(patch: Partial<SyncState>, count?: () => Promise<number>): Promise<void> {
    const db = this.db;
    const read = await db.transaction('r', [db.outbox, db.recordState, db.meta], async () => ({
      queued: count ? await count() : await db.outbox.count(),
      oldest: await this.oldestQueuedAt(),
      conflicts: await db.recordState.where('state').equals('conflict').count(),
      rejected: await db.recordState.where('state').equals('rejected').count(),
      lastSuccessAt: (await getMeta(db, 'lastSyncAt')) ?? undefined,
      dataLoss: await getMeta(db, 'dataLoss'),
    }));
    this.state = {
      ...this.state,
      queued: read.queued,
      oldestQueuedAt: read.oldest,
      oldestQueuedAgeMs: read.oldest === undefined ? undefined : Math.max(0, this.deps.now() - Date.parse(read.oldest)),
      lastSuccessAt: read.lastSuccessAt,
      conflicts: read.conflicts,
      rejected: read.rejected,
      dataLoss: read.dataLoss,
      ...patch,
    };
    for (const l of this.listeners) l(this.state);
  }

  /** When the first queued row was queued (inside refresh's transaction). */
  private async oldestQueuedAt(): Promise<string | undefined> {
    const first = (await this.db.outbox.orderBy('seq').limit(1).primaryKeys())[0];
    if (first === undefined) return undefined;
    const known = this.queuedAt.get(first);
    if (known !== undefined) return known;
    // The row is encrypted: while the app is locked, the count is all there is to show; a row
    // that no longer decrypts (damaged: never pushed, still counted) has no age to show either.
    if (this.db.vault.state() === 'locked') return undefined;
    return (await this.db.outbox.get(first).catch(() => undefined))?.createdAt;
  }

  private async log<E extends SyncEvent>(event: E, data: SyncLogData[E]): Promise<void> {
    await logSyncEvent(this.db, event, data);
  }
}

/**
 * Writes push answers in arrival order, one transaction at a time; answers that arrive while a
 * transaction runs are written together in the next one. `add` returns once at most one answer
 * waits behind the running transaction (a slow disk slows the pushes, answers do not pile up).
 */
class AnswerWriter {
  private readonly waiting: { rows: readonly OutboxRow[]; results: readonly MutationResult[] }[] = [];
  /** The transaction being written, if any. */
  private current: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly db: PuchaDb,
    private readonly pushed: AckSummary,
    private readonly afterWrite: (written: readonly OutboxRow[]) => Promise<void>,
  ) {}

  async add(rows: readonly OutboxRow[], results: readonly MutationResult[]): Promise<void> {
    this.check();
    this.waiting.push({ rows, results });
    if (!this.current) this.write();
    while (this.waiting.length > 1 && this.current) await this.current;
    this.check();
  }

  /** Waits until every answer is written; throws what a write threw. */
  async drain(): Promise<void> {
    while (this.current) await this.current;
    this.check();
  }

  /** Waits for the writes, whatever they do (the cycle is ending anyway). */
  async settle(): Promise<void> {
    while (this.current) await this.current;
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }

  private write(): void {
    const group = this.waiting.splice(0, this.waiting.length);
    this.current = (async () => {
      try {
        const rows = group.flatMap((g) => g.rows);
        const sum = await applyPushResults(
          this.db,
          rows,
          group.flatMap((g) => g.results),
        );
        for (const k of ['applied', 'duplicate', 'conflict', 'rejected'] as const) this.pushed[k] += sum[k];
        await this.afterWrite(rows);
      } catch (e) {
        // The answers not written stay queued in the outbox and are pushed again (duplicate).
        this.failure = { error: e };
        this.waiting.length = 0;
      }
      this.current = undefined;
      if (this.waiting.length > 0) this.write();
    })();
  }
}

/** Reads the outbox in push order, a batch ahead: the next batch is in hand when a push is answered. */
class BatchReader {
  private ready: OutboxBatch | undefined;
  private reading: Promise<OutboxBatch> | undefined;
  private after = 0;
  /** What the last read knew of the queue past it (so the next one counts only new rows). */
  private tail: QueueTail | undefined;

  constructor(private readonly db: PuchaDb) {}

  /** The next batch after the last one handed out, or undefined when nothing is queued after it. */
  async next(size: number): Promise<OutboxBatch | undefined> {
    for (;;) {
      const batch = this.ready ?? (await (this.reading ?? this.read(size)));
      this.ready = undefined;
      this.reading = undefined;
      if (batch.lastSeq <= this.after) return undefined;
      this.after = batch.lastSeq;
      this.tail = batch.tail;
      // A batch whose every row was left out (damaged rows): read on past it.
      if (batch.rows.length > 0) return batch;
    }
  }

  /** How many rows are queued (countQueued; before the first read, the whole count). */
  queued(): Promise<number> {
    return this.tail ? countQueued(this.db, this.after, this.tail) : this.db.outbox.count();
  }

  /** Starts reading the batch after the last one handed out. */
  prefetch(size: number): void {
    if (this.ready || this.reading) return;
    this.reading = this.read(size);
    this.reading.then(
      (b) => {
        if (this.reading) this.ready = b;
      },
      () => undefined, // surfaces in next()
    );
  }

  /** Forgets what was read ahead; the next batch starts after `seq`. */
  async restart(seq: number): Promise<void> {
    await this.settle();
    this.ready = undefined;
    this.reading = undefined;
    this.after = seq;
    this.tail = undefined;
  }

  async settle(): Promise<void> {
    await this.reading?.catch(() => undefined);
  }

  private read(size: number): Promise<OutboxBatch> {
    return outboxBatch(this.db, this.after, size, this.tail);
  }
}
