// Phone handover (issue 8): a phone holds one user's records. Another user may not sign in while
// the previous user's queue is not empty (refused on the phone, before any credentials are sent);
// once it is empty, the previous user's records leave the phone as the new user signs in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getMeta, getSession, listingOfDistrict, openDb, outboxStats, registrationByListingId, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { draftFor, fakeClock, idFactory, TEST_KEY } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const D_A = '130102001003001'; // demo-enumerator
const D_B = '130102001004001'; // demo-enumerator-2

let server: LiveServer;
let logins = 0;
beforeAll(async () => {
  server = await LiveServer.create({ households: 10 });
  server.onRequest = (path) => {
    if (path === '/auth/login') logins++;
    return Promise.resolve();
  };
});
afterAll(async () => server.dispose());

let n = 0;
async function device(): Promise<{ db: PuchaDb; engine: SyncEngine }> {
  const clock = fakeClock(Date.now());
  const db = await openDb(`handover-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory('ho') });
  const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, setTimer: new ManualTimers().setTimer, random: () => 0.5 });
  await engine.start();
  return { db, engine };
}

describe('phone handover', () => {
  it('[HO1] refused while the previous user has a queue; the same user may sign in again; allowed and wiped once synced', async () => {
    const { db, engine } = await device();
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await engine.syncNow();
    const entry = (await listingOfDistrict(db, D_A)).find((e) => e.visit.status === 'pending');
    if (!entry) throw new Error('no open household');
    server.offline = true;
    const saved = await saveRegistration(db, draftFor(entry, 2, 'ho'));
    if (!saved.ok) throw new Error(saved.reason);
    server.offline = false;
    const cursor = await getMeta(db, 'pullCursor');

    const before = logins;
    const refused = await engine.signIn('demo-enumerator-2', 'pucha-demo');
    expect(refused).toMatchObject({ ok: false, reason: 'otherUserQueued' });
    expect(logins).toBe(before); // no credentials were sent
    expect((await getSession(db))?.user.username).toBe('demo-enumerator');
    expect(await registrationByListingId(db, entry.id)).toBeDefined();
    expect((await outboxStats(db)).count).toBe(1);
    expect(await getMeta(db, 'pullCursor')).toBe(cursor);

    // the same user (a 401, a new token) keeps everything, queue included
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    expect(await registrationByListingId(db, entry.id)).toBeDefined();

    await engine.syncNow();
    expect((await outboxStats(db)).count).toBe(0);
    expect((await engine.signIn('demo-enumerator-2', 'pucha-demo')).ok).toBe(true);
    // the wipe happened with the sign-in, before any pull
    expect(await registrationByListingId(db, entry.id)).toBeUndefined();
    expect(await listingOfDistrict(db, D_A)).toEqual([]);
    await engine.syncNow();
    expect(await listingOfDistrict(db, D_A)).toEqual([]);
    expect((await listingOfDistrict(db, D_B)).length).toBeGreaterThan(0);
    expect((await db.districts.toArray()).map((d) => d.code)).toEqual([D_B]);
    // and the household the first user registered is on the server, under that user
    expect(server.revisions().some((r) => r.entityId === saved.registration.id && r.status === 'applied')).toBe(true);
    engine.stop();
  });
});
