// Practice mode (issue 15): the practice district lives in its own store, and nothing of it can
// reach the real outbox, the unsynced export or the server — only the summary of counts, through
// the ordinary sync of the real store. Against the real server, with the real sync engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { defineVersion1, exportUnsynced, openDb, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { claimPhone } from '../../src/client/db/handover.ts';
import { getMeta } from '../../src/client/db/meta.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { openPractice, practiceStats, PRACTICE_DB_NAME, PRACTICE_DISTRICT_CODE, PRACTICE_HOUSEHOLDS } from '../../src/client/practice/practice.ts';
import { practiceSummaryEntityId } from '../../src/domain/index.ts';
import { draftFor, fakeClock, idFactory, TEST_KEY } from './fixtures.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const clock = fakeClock(Date.parse('2020-11-05T08:00:00Z'));
let server: LiveServer;
beforeAll(async () => {
  server = await LiveServer.create({ households: 10, now: () => new Date(clock.now()) });
});
afterAll(async () => {
  await server.dispose();
});

interface Phone {
  idb: IDBFactory;
  real: PuchaDb;
  engine: SyncEngine;
  userId: string;
}

async function phone(tag: string): Promise<Phone> {
  const idb = new IDBFactory();
  const real = await openDb('pucha', { indexedDB: idb, IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory(tag) });
  const engine = new SyncEngine({ db: real, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, random: () => 0.5 });
  await engine.start();
  const signed = await engine.signIn('demo-enumerator', 'pucha-demo');
  if (!signed.ok) throw new Error('sign-in failed');
  expect((await engine.syncNow()).kind).toBe('ok');
  const session = await real.meta.get('session');
  const userId = (session?.value as { user: { id: string } }).user.id;
  return { idb, real, engine, userId };
}

const realEntities = async (db: PuchaDb) => (await db.outbox.toArray()).map((r) => r.entity);

describe('practice mode', () => {
  it('seeds a practice district in its own store; the real outbox only ever gets the summary', async () => {
    const p = await phone('pa');
    const before = await p.real.outbox.count();
    const s = await openPractice(p.real, p.userId, 7);
    expect(s.db.practice).toBe(true);
    expect(s.db.name).toBe(PRACTICE_DB_NAME);
    expect(s.db.name).not.toBe(p.real.name);
    expect(await s.db.districts.toArray()).toMatchObject([{ code: PRACTICE_DISTRICT_CODE, name: '练习小区' }]);
    expect(await s.db.listing.count()).toBe(PRACTICE_HOUSEHOLDS);
    expect(await s.db.queries.count()).toBe(1);
    // The real store holds none of it.
    expect(await p.real.listing.where('districtCode').equals(PRACTICE_DISTRICT_CODE).count()).toBe(0);
    expect(await p.real.registrations.where('districtCode').equals(PRACTICE_DISTRICT_CODE).count()).toBe(0);

    // A practice household saved, then a blocked and a successful 完成登记.
    const entry = (await s.db.listing.toArray()).find((e) => e.visit.status === 'pending');
    if (!entry) throw new Error('no pending practice household');
    const saved = await saveRegistration(s.db, draftFor(entry, 3, 'pa'));
    expect(saved.ok).toBe(true);
    await s.recordAttempt({ listingId: entry.id, errors: 4, completed: false });
    await s.recordAttempt({ listingId: entry.id, errors: 0, completed: true });
    await s.recordAttempt({ listingId: entry.id, errors: 0, completed: true }); // completed again: still one household
    expect(await practiceStats(p.real)).toEqual({ completed: 1, attempts: 3, errorsAtAttempts: 4, households: 1, resets: 0 });
    // Only summaries were queued in the real store, each holding counts and nothing else.
    const rows = (await p.real.outbox.toArray()).slice(before);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.entity).toBe('practiceSummary');
      expect(r.entityId).toBe(practiceSummaryEntityId(p.userId));
      expect(Object.keys(r.data).sort()).toEqual(['attempts', 'completed', 'errorsAtAttempts', 'households', 'resets']);
    }
    expect(await realEntities(p.real)).not.toContain('household');

    // The practice store can never be synced or exported.
    expect(() => new SyncEngine({ db: s.db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE })).toThrow(/practice/);
    await expect(exportUnsynced(s.db)).rejects.toThrow(/practice/);
    // The real export carries the summary only.
    const file = JSON.stringify(await exportUnsynced(p.real));
    expect(file).not.toContain(entry.id);
    expect(file).not.toContain(PRACTICE_DISTRICT_CODE);

    // Synced: the server holds the summary and no practice household, listing or revision.
    const mutationsBefore = new Set(server.mutationStatuses().keys());
    expect((await p.engine.syncNow()).kind).toBe('ok');
    const sent = [...server.mutationStatuses().entries()].filter(([id]) => !mutationsBefore.has(id));
    expect(sent.map(([, status]) => status).every((st) => st === 'applied')).toBe(true);
    expect(sent.map(([id]) => id).sort()).toEqual(rows.map((r) => r.id).sort());
    const revisions = server.revisions();
    expect(revisions.filter((r) => r.entityId.includes(entry.id) || r.entityId.includes(PRACTICE_DISTRICT_CODE))).toEqual([]);
    expect(revisions.filter((r) => r.entityId === `R-${entry.id}`)).toEqual([]);
    expect(revisions.filter((r) => r.entity !== 'practiceSummary' && sent.some(([id]) => id === r.mutationId))).toEqual([]);
    expect(await p.real.outbox.count()).toBe(0);
    // The practice store still holds its own household (never touched by the sync).
    expect(await s.db.registrations.get(`R-${entry.id}`)).toBeDefined();
    s.close();
  });

  it('start again deletes every practice record, counts the reset, and leaks nothing into the real store', async () => {
    const p = await phone('pb');
    const s = await openPractice(p.real, p.userId, 11);
    const entry = (await s.db.listing.toArray()).find((e) => e.visit.status === 'pending');
    if (!entry) throw new Error('no pending practice household');
    expect((await saveRegistration(s.db, draftFor(entry, 2, 'pb'))).ok).toBe(true);
    const firstIds = new Set((await s.db.listing.toArray()).map((e) => e.id));
    const again = await s.reset();
    expect(await again.db.registrations.get(`R-${entry.id}`)).toBeUndefined();
    expect(await again.db.outbox.count()).toBe(0);
    expect(await again.db.listing.count()).toBe(PRACTICE_HOUSEHOLDS);
    expect((await practiceStats(p.real)).resets).toBe(1);
    expect(firstIds.size).toBe(PRACTICE_HOUSEHOLDS);
    expect(await realEntities(p.real)).toEqual(expect.arrayContaining(['practiceSummary']));
    expect((await realEntities(p.real)).filter((e) => e !== 'practiceSummary')).toEqual([]);
    again.close();
  });

  it('a practice store from an older app version upgrades in place and still never reaches the real outbox', async () => {
    const idb = new IDBFactory();
    // An old (version 1) practice store with a queued household mutation of its own.
    const old = new Dexie(PRACTICE_DB_NAME, { indexedDB: idb, IDBKeyRange });
    defineVersion1(old);
    await old.open();
    await old.table('meta').put({ key: 'owner', value: { userId: 'u-old', username: 'u-old' } });
    await old.table('districts').put({ code: PRACTICE_DISTRICT_CODE, name: '练习小区', enumerators: ['u-old'] });
    await old.table('outbox').add({ id: 'm-practice-old', entity: 'household', entityId: 'R-practice', baseVersion: 0, createdAt: '2020-11-02T00:00:00.000Z', data: {} });
    old.close();
    const real = await openDb('pucha', { indexedDB: idb, IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory('pc') });
    const s = await openPractice(real, 'u-old', 3);
    // Upgraded: the practice store's own queue got its v2 numbering there, not in the real store.
    expect((await s.db.outbox.toArray()).map((r) => r.id)).toEqual(['m-practice-old']);
    expect((await real.outbox.toArray()).map((r) => r.entity)).toEqual([]);
    expect(await real.recordState.count()).toBe(0);
    s.close();
    // Another user opening practice on this phone never sees the old user's practice.
    const other = await openPractice(real, 'u-new', 4);
    expect(await other.db.outbox.count()).toBe(0);
    expect((await other.db.districts.toArray()).map((d) => d.enumerators)).toEqual([['u-new']]);
    other.close();
  });

  it('another user taking over the phone removes the previous user’s practice district and counts', async () => {
    const p = await phone('pd');
    const s = await openPractice(p.real, p.userId, 5);
    const entry = (await s.db.listing.toArray())[0];
    if (!entry) throw new Error('no practice household');
    await s.recordAttempt({ listingId: entry.id, errors: 2, completed: false });
    s.close();
    expect((await p.engine.syncNow()).kind).toBe('ok'); // nothing queued: a handover is allowed
    expect((await p.idb.databases()).map((d) => d.name)).toContain(PRACTICE_DB_NAME);
    const claimed = await claimPhone(p.real, {
      token: 'token-of-the-next-user',
      expiresAt: '2030-01-01T00:00:00.000Z',
      user: { id: 'u-next', username: 'next', name: '下一位', role: 'enumerator', districts: [] },
    });
    expect(claimed).toMatchObject({ ok: true, wiped: true });
    expect((await p.idb.databases()).map((d) => d.name)).not.toContain(PRACTICE_DB_NAME);
    expect(await getMeta(p.real, 'practice')).toBeUndefined();
  });
});
