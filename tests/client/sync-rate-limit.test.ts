// The engine against the real server with a low per-device push limit (reliability.md S4, R7):
// a 429 with Retry-After leaves the outbox as it is, the retry timer waits at least that long,
// and after the wait everything arrives exactly once. Phone and server share one fake clock.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { listingOfDistrict, openDb, outboxStats, saveRegistration, syncLog, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { draftFor, fakeClock, idFactory, TEST_KEY } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const D1 = '130102001003001';
const clock = fakeClock(Date.parse('2020-11-05T08:00:00Z'));
let server: LiveServer;
beforeAll(async () => {
  server = await LiveServer.create({ households: 20, pushLimit: { max: 2, windowMs: 60_000 }, now: () => new Date(clock.now()) });
});
afterAll(async () => {
  await server.dispose();
});

async function saveNext(db: PuchaDb, taken: Set<string>): Promise<string> {
  const entry = (await listingOfDistrict(db, D1)).find((e) => !taken.has(e.id));
  if (!entry) throw new Error('no open household left');
  taken.add(entry.id);
  const r = await saveRegistration(db, draftFor(entry, 2, 'rl'));
  if (!r.ok) throw new Error(`save: ${r.reason}`);
  return r.mutationId;
}

describe('per-device push limit against the real server', () => {
  it('[RT1][PU7] 429 rate_limited: nothing leaves the outbox, the retry waits Retry-After, then everything arrives once', async () => {
    const db = await openDb('rate-limit-phone', { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory('rl') });
    const timers = new ManualTimers();
    const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, setTimer: timers.setTimer, random: () => 0.5 });
    await engine.start();
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await engine.syncNow(); // first pull: the assignment (no push: the outbox is empty)
    const taken = new Set<string>();
    const sent: string[] = [];

    // Two pushes fit in the window.
    for (let i = 0; i < 2; i++) {
      sent.push(await saveNext(db, taken));
      expect((await engine.syncNow()).kind).toBe('ok');
    }
    // The third is over the limit: the server answers 429 with Retry-After 60 and stores nothing.
    clock.advance(1_000);
    sent.push(await saveNext(db, taken), await saveNext(db, taken));
    const before = server.mutationStatuses().size;
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'serverBusy', error: { status: 429 } });
    expect(engine.getState().status).toBe('serverBusy');
    expect((await outboxStats(db)).count).toBe(2);
    expect(server.mutationStatuses().size).toBe(before);
    const retryAt = clock.now() + 59_000;
    expect(engine.getState().nextAttemptAt).toBeGreaterThanOrEqual(retryAt);
    expect(timers.armed()).toHaveLength(1);
    expect(timers.armed()[0]).toBeGreaterThanOrEqual(59_000);

    // After the wait the retry timer fires and the queue drains.
    clock.advance(timers.armed()[0] ?? 0);
    timers.fire();
    await vi.waitFor(async () => {
      expect(engine.getState().status).toBe('idle');
      expect((await outboxStats(db)).count).toBe(0);
    });
    const statuses = server.mutationStatuses();
    for (const id of sent) expect(statuses.get(id)).toBe('applied');
    expect(server.revisions().filter((r) => sent.includes(r.mutationId))).toHaveLength(sent.length);
    expect((await syncLog(db)).some((e) => e.event === 'serverBusy' && e.data?.status === 429 && e.data.code === 'rate_limited')).toBe(true);
    engine.stop();
    db.close();
  });
});
