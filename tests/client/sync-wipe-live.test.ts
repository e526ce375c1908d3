// Reliability R11 against the real server: a real wipe erases the device id with the data, so the
// phone signs in as a new device. The login answer lists the user's other devices; the empty
// phone sees that its predecessor still had saves queued and records the data-loss report (ST9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getMeta, listingOfDistrict, openDb, outboxStats, registrationByListingId, setVisitOutcome, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { fakeClock, idFactory, TEST_KEY } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const D1 = '130102001003001';
let server: LiveServer;
beforeAll(async () => {
  server = await LiveServer.create({ households: 160 });
});
afterAll(async () => {
  await server.dispose();
});

async function signedInPhone(name: string): Promise<{ db: PuchaDb; engine: SyncEngine }> {
  const clock = fakeClock(Date.now());
  const db = await openDb(name, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory(name) });
  const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, setTimer: new ManualTimers().setTimer, random: () => 0.5 });
  await engine.start();
  const r = await engine.signIn('demo-enumerator', 'pucha-demo');
  if (!r.ok) throw new Error(`sign-in: ${r.message}`);
  return { db, engine };
}

describe('wipe detection across device ids, real server', () => {
  it('[ST9] the empty phone reports the one save its predecessor still had queued (the boundary: exactly one); the assignment comes back', async () => {
    const old = await signedInPhone('wipe-old');
    expect((await old.engine.syncNow()).kind).toBe('ok');
    expect(old.engine.getState().dataLoss).toBeUndefined();
    const open: string[] = [];
    for (const e of await listingOfDistrict(old.db, D1)) if (!(await registrationByListingId(old.db, e.id))) open.push(e.id);
    expect(open.length).toBeGreaterThanOrEqual(101);
    for (const id of open.slice(0, 101)) expect((await setVisitOutcome(old.db, id, { status: 'vacant' })).ok).toBe(true);
    // The first batch of 100 arrives; then the connection is gone for good (the phone is wiped later).
    let pushes = 0;
    server.onRequest = (path) => {
      if (path === '/sync/push' && ++pushes === 2) server.offline = true;
      return Promise.resolve();
    };
    expect((await old.engine.syncNow()).kind).toBe('offline');
    expect((await outboxStats(old.db)).count).toBe(1);
    const oldId = await getMeta(old.db, 'deviceId');
    old.engine.stop();
    server.onRequest = undefined;
    server.offline = false;

    // Wiped: new store, new device id, no hint.
    const fresh = await signedInPhone('wipe-new');
    expect(await getMeta(fresh.db, 'deviceId')).not.toBe(oldId);
    expect(fresh.engine.getState().dataLoss).toMatchObject({ kind: 'otherDevice', deviceId: oldId, pendingOnDevice: 1, deviceSeq: 100 });
    expect((await fresh.engine.syncNow()).kind).toBe('ok');
    expect((await listingOfDistrict(fresh.db, D1)).length).toBe(160);
    expect(fresh.engine.getState().dataLoss).toMatchObject({ kind: 'otherDevice', pendingOnDevice: 1 });
    fresh.engine.stop();
  });
});
