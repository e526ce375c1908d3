// Retry, sign-in and trigger rules (docs/SYNC.md RT*) against the fake server.
import { describe, expect, it } from 'vitest';
import { getSession, outboxEntries, outboxStats, saveRegistration, syncLog } from '../../src/client/db/index.ts';
import { BACKOFF_CAP_MS, backoffDelay, parseRetryAfter, type FetchLike } from '../../src/client/sync/index.ts';
import { draftFor } from './fixtures.ts';
import { POLL, REQUEST_TIMEOUT, rig, scheduled } from './sync-helpers.ts';

describe('backoff', () => {
  it('[RT1] full jitter: uniform below min(cap, 2 s * 2^attempt), never below Retry-After', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, () => 0.999999))).toEqual([1999, 3999, 7999, 15999, BACKOFF_CAP_MS - 1]);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.5, 120_000)).toBe(120_000);
    expect(backoffDelay(20, () => 0.9, 1000)).toBe(270_000);
  });

  it('[RT1] Retry-After is capped at 5 minutes: a proxy asking for a day does not stall the phone', () => {
    expect(backoffDelay(0, () => 0, 86_400_000)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(0, () => 0, BACKOFF_CAP_MS + 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(0, () => 0, BACKOFF_CAP_MS - 1)).toBe(BACKOFF_CAP_MS - 1);
    // The jitter stays below the cap too, so no delay is ever longer.
    expect(backoffDelay(30, () => 0.999999, 86_400_000)).toBe(BACKOFF_CAP_MS);
  });

  it('[RT1] Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2020-11-05T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 05 Nov 2020 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('retries', () => {
  it('[RT1] 503 with Retry-After: nothing leaves the outbox, the retry waits at least that long', async () => {
    const { db, server, engine, entries, timers, clock } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503, retryAfter: '120' } });
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'serverBusy', error: { kind: 'http', status: 503 }, retryAt: clock.now() + 120_000 });
    expect(engine.getState()).toMatchObject({ status: 'serverBusy', queued: 1, nextAttemptAt: clock.now() + 120_000 });
    expect(timers.armed()).toEqual([120_000]);
    expect((await outboxEntries(db))[0]).toMatchObject({ attempts: 1, nextAttemptAt: clock.now() + 120_000, lastError: expect.stringContaining('503') as unknown });
    clock.advance(120_000);
    timers.fire(120_000);
    await engine.syncNow();
    expect((await outboxStats(db)).count).toBe(0);
    expect(engine.getState().status).toBe('idle');
  });

  it('[RT1] a Retry-After of a day (seconds or an HTTP date) waits 5 minutes, shown as server busy until then', async () => {
    const { db, server, engine, entries, timers, clock } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503, code: 'unavailable', retryAfter: '86400' } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'serverBusy', retryAt: clock.now() + BACKOFF_CAP_MS });
    expect(timers.armed()).toEqual([BACKOFF_CAP_MS]);
    expect(engine.getState()).toMatchObject({ status: 'serverBusy', nextAttemptAt: clock.now() + BACKOFF_CAP_MS, lastError: { status: 503, code: 'unavailable' } });
    expect((await syncLog(db))[0]).toMatchObject({ event: 'serverBusy', data: { failure: 'http', status: 503, code: 'unavailable', delaySec: 300, nextAt: clock.now() + BACKOFF_CAP_MS } });
    const tomorrow = new Date(clock.now() + 86_400_000).toUTCString();
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 429, code: 'rate_limited', retryAfter: tomorrow } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'serverBusy' });
    expect(timers.armed()).toEqual([BACKOFF_CAP_MS]);
    // After the wait it goes through.
    clock.advance(BACKOFF_CAP_MS);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect(engine.getState()).toMatchObject({ status: 'idle', queued: 0 });
  });

  it('[RT1] the server\'s "database busy" (503 unavailable, Retry-After 2) is server busy, not a sync error; a 500 stays an error', async () => {
    const { db, server, engine, entries, timers, clock } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503, code: 'unavailable', retryAfter: '2' } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'serverBusy', retryAt: clock.now() + 2000 });
    expect(engine.getState().status).toBe('serverBusy');
    expect(timers.armed()).toEqual([2000]);
    // A 503 without Retry-After is busy too, with the backoff's delay.
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503 } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'serverBusy' });
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 500 } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'error', error: { status: 500 } });
    expect(engine.getState().status).toBe('error');
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
  });

  it('[RT1] 500s and network errors back off exponentially up to the cap, then reset on success', async () => {
    const { db, server, engine, entries, timers } = await rig({ random: () => 0.999 });
    await saveRegistration(db, draftFor(entries[0]!));
    const before = scheduled(timers).length;
    for (let i = 0; i < 10; i++) server.faults.push({ when: 'push', fault: i % 2 ? { kind: 'network' } : { kind: 'status', status: 500 } });
    const kinds: string[] = [];
    for (let i = 0; i < 10; i++) kinds.push((await engine.syncNow()).kind);
    expect(kinds).toEqual(['error', 'offline', 'error', 'offline', 'error', 'offline', 'error', 'offline', 'error', 'offline']);
    expect(scheduled(timers).slice(before)).toEqual([1998, 3996, 7992, 15984, 31968, 63936, 127872, 255744, 299700, 299700]);
    expect((await outboxEntries(db))[0]?.attempts).toBe(10);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect(timers.armed()).toEqual([POLL]);
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 500 } });
    await saveRegistration(db, draftFor(entries[1]!));
    await engine.syncNow();
    expect(scheduled(timers).at(-1)).toBe(1998);
  });

  it('[RT1] 408 and 429 are retried too; a pull failure is retried the same way', async () => {
    const { server, engine, timers } = await rig();
    server.faults.push({ when: 'pull', fault: { kind: 'status', status: 429, retryAfter: '30' } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'serverBusy', error: { status: 429 } });
    expect(timers.armed()).toEqual([30_000]);
    server.faults.push({ when: 'pull', fault: { kind: 'status', status: 408 } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'error', error: { status: 408 } });
    expect(timers.armed()).toHaveLength(1);
  });

  it('[RT1] a request that hangs is aborted after the timeout and counts as a network error', async () => {
    const hang: FetchLike = (_u, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    let hanging = false;
    const { db, engine, entries, timers } = await rig({ wrapFetch: (real) => (u, i) => (hanging ? hang(u, i) : real(u, i)) });
    hanging = true;
    await saveRegistration(db, draftFor(entries[0]!));
    const cycle = engine.syncNow();
    // Wait until the push is in flight (its timeout armed), then let the timeout elapse.
    while (!timers.armed().includes(REQUEST_TIMEOUT)) await new Promise((r) => setTimeout(r, 5));
    timers.fire(REQUEST_TIMEOUT);
    expect(await cycle).toMatchObject({ kind: 'offline', error: { kind: 'network' } });
    hanging = false;
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
  });

  it('[RT2] other 4xx keep the data, show the error and wait for a trigger instead of a timer', async () => {
    const { db, server, engine, entries, timers } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 400, code: 'client_too_old' } });
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'error', error: { status: 400, code: 'client_too_old' } });
    expect(timers.armed()).toEqual([]);
    expect(engine.getState()).toMatchObject({ status: 'error', queued: 1, nextAttemptAt: undefined, lastError: { code: 'client_too_old' } });
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
  });

  it('[RT3] online and foreground reset the backoff and sync at once', async () => {
    const { db, server, engine, entries, timers } = await rig({ random: () => 0.999 });
    await saveRegistration(db, draftFor(entries[0]!));
    server.offline = true;
    for (let i = 0; i < 4; i++) await engine.syncNow();
    expect(engine.getState().status).toBe('offline');
    expect(scheduled(timers).at(-1)).toBe(15984);
    engine.onOffline();
    expect(timers.armed()).toEqual([]);
    expect(engine.getState().nextAttemptAt).toBeUndefined();
    engine.onOnline(); // still offline in fact: the delay starts again from 2 s
    await engine.syncNow();
    expect(scheduled(timers).slice(-2)).toEqual([1998, 3996]);
    server.offline = false;
    engine.onForeground();
    await engine.syncNow();
    expect((await outboxStats(db)).count).toBe(0);
  });

  it('[RT4] 401 signs out and keeps the queue; after sign-in it is pushed', async () => {
    const { db, server, engine, entries, timers } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    server.revokeAll();
    expect(await engine.syncNow()).toEqual({ kind: 'signedOut' });
    expect(engine.getState()).toMatchObject({ status: 'signedOut', queued: 1 });
    expect(await getSession(db)).toBeUndefined();
    expect(timers.armed()).toEqual([]);
    expect(await engine.syncNow()).toEqual({ kind: 'signedOut' });
    expect(await engine.signIn('demo-enumerator', 'wrong')).toMatchObject({ ok: false, reason: 'badCredentials' });
    expect(await engine.signIn('demo-enumerator', 'pucha-demo')).toMatchObject({ ok: true });
    await engine.syncNow();
    expect((await outboxStats(db)).count).toBe(0);
  });

  it('sign-out keeps the queue and the records', async () => {
    const { db, engine, entries } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    await engine.signOut();
    expect(engine.getState()).toMatchObject({ status: 'signedOut', queued: 1 });
    expect(await db.registrations.count()).toBe(1);
  });
});

describe('triggers and observable state', () => {
  it('[RT5] start syncs when signed in; a trigger during a cycle queues exactly one more', async () => {
    const { db, server, engine, entries } = await rig();
    await saveRegistration(db, draftFor(entries[0]!));
    const before = server.requests.length;
    const a = engine.syncNow();
    const b = engine.syncNow();
    const c = engine.syncNow();
    expect(b).toBe(c);
    await Promise.all([a, b, c]);
    // push + pull, then one more cycle (nothing to push: pull only)
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/sync/push', '/sync/pull', '/sync/pull']);
  });

  it('[RT5] a service-worker message, the timer and notifyLocalChange each start a cycle', async () => {
    const { db, server, engine, entries, timers } = await rig();
    const pulls = () => server.requests.filter((r) => r.path === '/sync/pull').length;
    let n = pulls();
    engine.onServiceWorkerMessage({ type: 'sync' });
    await engine.syncNow();
    expect(pulls()).toBeGreaterThan(n);
    engine.onServiceWorkerMessage({ type: 'other' });
    n = pulls();
    timers.fire(POLL);
    await engine.syncNow();
    expect(pulls()).toBeGreaterThan(n);
    await saveRegistration(db, draftFor(entries[0]!));
    engine.notifyLocalChange(); // nobody calls syncNow: the change alone must reach the server
    for (let i = 0; i < 400 && (await outboxStats(db)).count > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect((await outboxStats(db)).count).toBe(0);
  });

  it('subscribers see status, queue and last success; the sync log keeps the last 200 events', async () => {
    const { db, server, engine, entries, clock } = await rig({ signIn: false });
    const seen: string[] = [];
    engine.subscribe((s) => seen.push(s.status));
    await engine.start();
    expect(engine.getState().status).toBe('signedOut');
    await engine.signIn('demo-enumerator', 'pucha-demo');
    await saveRegistration(db, draftFor(entries[0]!));
    clock.advance(90_000);
    server.offline = true;
    await engine.syncNow();
    expect(engine.getState()).toMatchObject({ status: 'offline', queued: 1, oldestQueuedAgeMs: 90_000, lastError: { kind: 'network' } });
    server.offline = false;
    await engine.syncNow();
    expect(engine.getState()).toMatchObject({ status: 'idle', queued: 0, lastSuccessAt: new Date(clock.now()).toISOString() });
    expect(seen).toEqual(expect.arrayContaining(['signedOut', 'idle', 'syncing', 'offline']));
    for (let i = 0; i < 120; i++) await engine.syncNow();
    const log = await syncLog(db);
    expect(log).toHaveLength(200);
    expect(await db.syncLog.count()).toBe(200);
    expect(log[0]?.event).toBe('success');
  });
});
