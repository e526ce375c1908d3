// The engine against the real server (in-process, temp SQLite file, port 0, real fetch) with
// faults injected (reliability.md R1, R2, R3, R7, R8). After quiescence: every saved version is
// on the server exactly once, the outbox is empty, nothing is duplicated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { exportUnsynced, syncLog, getMeta, listingOfDistrict, openDb, outboxStats, recordState, registrationByListingId, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import type { ListingEntry } from '../../src/domain/index.ts';
import { draftFor, fakeClock, idFactory, listingEntry, TEST_KEY } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/server/index.ts';
import { runCli } from '../../src/server/cli-commands.ts';

const D1 = '130102001003001';
const D_OTHER = '130102001004001'; // demo-enumerator-2's district

let server: LiveServer;
beforeAll(async () => {
  // Enough open households in D1 for every test (each takes its own).
  server = await LiveServer.create({ households: 120 });
});
afterAll(async () => {
  await server.dispose();
});

interface Phone {
  db: PuchaDb;
  now: () => number;
  engine: SyncEngine;
  timers: ManualTimers;
  /** mutation id -> (entity id, version) of every successful save */
  saved: Map<string, { entityId: string; version: number }>;
}

let phoneNo = 0;
async function phone(opts: { idb?: IDBFactory; name?: string; deviceIdHint?: string } = {}): Promise<Phone> {
  const clock = fakeClock(Date.now());
  const db = await openDb(opts.name ?? `live-phone-${++phoneNo}`, { indexedDB: opts.idb ?? new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory('lv') });
  const timers = new ManualTimers();
  const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, setTimer: timers.setTimer, random: () => 0.5, ...(opts.deviceIdHint ? { deviceIdHint: opts.deviceIdHint } : {}) });
  await engine.start();
  const r = await engine.signIn('demo-enumerator', 'pucha-demo');
  if (!r.ok) throw new Error(`sign-in: ${r.message}`);
  await engine.syncNow();
  return { db, now: clock.now, engine, timers, saved: new Map() };
}

/** Households of D1 that nobody registered yet (the phone's own work). */
async function openWork(p: Phone): Promise<ListingEntry[]> {
  const all = await listingOfDistrict(p.db, D1);
  const out: ListingEntry[] = [];
  for (const e of all) if (!(await registrationByListingId(p.db, e.id))) out.push(e);
  return out;
}

async function save(p: Phone, e: ListingEntry, persons: number, tag: string): Promise<void> {
  const existing = await registrationByListingId(p.db, e.id);
  const input = existing ? { ...existing, persons: draftFor(e, persons, tag).persons } : draftFor(e, persons, tag);
  const r = await saveRegistration(p.db, input);
  if (!r.ok) throw new Error(`save ${e.id}: ${r.reason}`);
  p.saved.set(r.mutationId, { entityId: r.registration.id, version: r.registration.version });
}

/** Syncs until the outbox is empty and a cycle ends ok (signing in again after a 401). */
async function quiesce(p: Phone, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (p.engine.getState().status === 'signedOut') await p.engine.signIn('demo-enumerator', 'pucha-demo');
    const out = await p.engine.syncNow();
    if (out.kind === 'ok' && (await outboxStats(p.db)).count === 0) return;
  }
  throw new Error(`no quiescence: ${JSON.stringify(p.engine.getState())}`);
}

/** Every saved version is on the server exactly once, applied, and nothing else of ours is. */
function expectExactlyOnce(phones: Phone[]): void {
  const revs = server.revisions();
  const byMutation = new Map<string, number>();
  for (const r of revs) byMutation.set(r.mutationId, (byMutation.get(r.mutationId) ?? 0) + 1);
  const statuses = server.mutationStatuses();
  for (const p of phones) {
    for (const [id, s] of p.saved) {
      expect(byMutation.get(id), `mutation ${id}`).toBe(1);
      expect(statuses.get(id)).toBe('applied');
      const rev = revs.find((r) => r.mutationId === id);
      expect(rev).toMatchObject({ entityId: s.entityId, version: s.version, dataVersion: s.version });
    }
  }
  const keys = revs.filter((r) => r.status === 'applied').map((r) => `${r.entityId}@${r.version}`);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('engine against the real server', () => {
  it('[PU7][RT1][RT4][PU6] 500, 503 + Retry-After, 401, 413, a dropped answer and a restart: every version exactly once', async () => {
    const p = await phone();
    const work = (await openWork(p)).slice(0, 12);
    expect(work.length).toBe(12);
    const faults = [
      { when: 'push', fault: { kind: 'status', status: 500 } },
      { when: 'push', fault: { kind: 'status', status: 503, retryAfter: '7' } },
      { when: 'push', fault: { kind: 'status', status: 401, code: 'unauthorized' } },
      { when: 'push', fault: { kind: 'status', status: 413, code: 'payload_too_large' } },
      { when: 'push', fault: { kind: 'dropAfterCommit' } },
      { when: 'pull', fault: { kind: 'dropAfterCommit' } },
    ] as const;
    for (const [i, f] of faults.entries()) {
      for (const e of work.slice(i * 2, i * 2 + 2)) await save(p, e, 2 + i, `s${i}`);
      await save(p, work[i]!, 3, `edit${i}`); // a second version of an earlier household
      server.faults.push({ when: f.when, fault: { ...f.fault } });
      const out = await p.engine.syncNow();
      expect(out.kind).not.toBe('ok');
      if (i === 1) {
        expect(p.engine.getState().nextAttemptAt).toBeGreaterThanOrEqual(p.now() + 7000);
        expect(p.timers.armed()[0]).toBeGreaterThanOrEqual(7000);
      }
      if (i === 2) expect(p.engine.getState().status).toBe('signedOut');
      if (i === 4) {
        // Restart the server on the same file while the phone still waits for its answer.
        await server.restart();
      }
    }
    await quiesce(p);
    expect((await outboxStats(p.db)).count).toBe(0);
    expect(p.saved.size).toBe(18);
    expectExactlyOnce([p]);
    for (const e of work) expect((await recordState(p.db, 'household', (await registrationByListingId(p.db, e.id))!.id))?.state).toBe('synced');
  });

  it('[PU7] the server down (connection refused) and back on the same file: the queue drains once', async () => {
    const p = await phone();
    const work = (await openWork(p)).slice(0, 5);
    await server.stop();
    for (const e of work) await save(p, e, 4, 'down');
    expect(await p.engine.syncNow()).toMatchObject({ kind: 'offline' });
    expect(p.engine.getState()).toMatchObject({ status: 'offline', queued: 5 });
    await server.start();
    p.engine.onOnline();
    await quiesce(p);
    expectExactlyOnce([p]);
  });

  it('[LK1][LK3] two tabs (two engines on one store) with offline/online flapping: each version once', async () => {
    const idb = new IDBFactory();
    const a = await phone({ idb, name: 'two-tabs' });
    const dbB = await openDb('two-tabs', { indexedDB: idb, IDBKeyRange, dataKey: TEST_KEY, newId: idFactory('tb') });
    const engineB = new SyncEngine({ db: dbB, fetch: server.fetch, now: () => Date.now(), baseUrl: LIVE_BASE, setTimer: new ManualTimers().setTimer });
    await engineB.start();
    const work = (await openWork(a)).slice(0, 10);
    const flaps: Promise<unknown>[] = [];
    for (const [i, e] of work.entries()) {
      await save(a, e, 2, `t${i}`);
      server.offline = i % 3 === 1;
      flaps.push(a.engine.syncNow(), engineB.syncNow());
    }
    const outcomes = await Promise.all(flaps);
    expect(outcomes.map((o) => (o as { kind: string }).kind)).toContain('busy');
    server.offline = false;
    await quiesce(a);
    await engineB.syncNow();
    expect((await outboxStats(dbB)).count).toBe(0);
    expectExactlyOnce([a]);
  });

  it('[R8] two phones at once with flapping and dropped answers converge, nothing duplicated', async () => {
    const [a, b] = await Promise.all([phone(), phone()]);
    const work = await openWork(a);
    expect(work.length).toBeGreaterThanOrEqual(8);
    const mine = { a: work.slice(0, 4), b: work.slice(4, 8) };
    for (let round = 0; round < 4; round++) {
      for (const e of mine.a) await save(a, e, 2 + round, `a${round}`);
      for (const e of mine.b) await save(b, e, 2 + round, `b${round}`);
      server.offline = round === 1;
      if (round === 2) server.faults.push({ when: 'push', fault: { kind: 'dropAfterCommit' } }, { when: 'push', fault: { kind: 'dropAfterCommit' } });
      await Promise.all([a.engine.syncNow(), b.engine.syncNow()]);
    }
    server.offline = false;
    await Promise.all([quiesce(a), quiesce(b)]);
    expectExactlyOnce([a, b]);
  });

  it('[PU4] two phones edit the same household from the same base: both stored, the second flagged conflict', async () => {
    const [a, b] = await Promise.all([phone(), phone()]);
    const target = (await openWork(a)).at(-1);
    if (!target) throw new Error('no open household left');
    await b.engine.syncNow();
    await save(a, target, 2, 'first');
    await save(b, target, 5, 'second');
    await quiesce(a);
    await quiesce(b);
    const regId = (await registrationByListingId(b.db, target.id))!.id;
    expect(await recordState(b.db, 'household', regId)).toMatchObject({ state: 'conflict', serverVersion: 1 });
    expect((await registrationByListingId(b.db, target.id))?.persons).toHaveLength(5);
    const revs = server.revisions().filter((r) => r.entityId === regId);
    expect(revs.map((r) => r.status).sort()).toEqual(['applied', 'conflict']);
  });

  it('[PU5] a mutation outside the caller\'s scope is rejected, kept and shown', async () => {
    const p = await phone();
    const foreign = listingEntry(1, D_OTHER);
    await p.db.listing.put(foreign);
    await save(p, foreign, 2, 'x');
    await quiesce(p);
    const regId = draftFor(foreign).id;
    expect(await recordState(p.db, 'household', regId)).toMatchObject({ state: 'rejected', error: { code: 'forbidden' } });
    expect(p.engine.getState().rejected).toBe(1);
    expect(await p.db.registrations.get(regId)).toBeDefined();
  });

  it('[ST9] a phone wiped after a complete sync: the real server holds all it sent and nothing was queued, so the calm notice, no alarm', async () => {
    const p = await phone();
    const work = (await openWork(p)).slice(0, 2);
    expect(work).toHaveLength(2);
    for (const e of work) await save(p, e, 2, 'w');
    await quiesce(p);
    const deviceId = await getMeta(p.db, 'deviceId');
    p.engine.stop();
    // The store is cleared; the sign-in screen still remembers the device id.
    const wiped = await phone({ ...(deviceId ? { deviceIdHint: deviceId } : {}) });
    expect(wiped.engine.getState()).toMatchObject({ dataLoss: undefined, notice: { kind: 'localReset', serverSeq: 2 } });
    expect(await getMeta(wiped.db, 'dataLoss')).toBeUndefined();
    expect((await syncLog(wiped.db)).filter((l) => l.event === 'dataLoss')).toEqual([]);
    // Its two households came back with the first pull.
    for (const e of work) expect(await registrationByListingId(wiped.db, e.id)).toBeDefined();
  });
});

describe('unsynced export through the admin CLI', () => {
  it('[ST8] the office imports a phone\'s export with import-unsynced; the phone\'s later push is all duplicates', async () => {
    const p = await phone();
    const work = (await openWork(p)).slice(0, 3);
    expect(work).toHaveLength(3);
    for (const e of work) await save(p, e, 3, 'cli');
    const file = join(server.dir, 'unsynced.json');
    writeFileSync(file, JSON.stringify(await exportUnsynced(p.db)));
    await server.stop();
    const store = await openSqliteStore(server.path);
    const lines: string[] = [];
    const code = await runCli(['import-unsynced', file], store, { stdin: () => Promise.resolve(''), out: (l) => lines.push(l), err: (l) => lines.push(l), now: () => new Date() });
    await store.close();
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('3 applied');
    await server.start();
    await quiesce(p);
    expect((await syncLog(p.db)).some((l) => l.event === 'push' && l.data?.sent === 3 && l.data.applied === 0 && l.data.duplicate === 3)).toBe(true);
    expectExactlyOnce([p]);
  });
});
