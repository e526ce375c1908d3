// Pull rules (PL*), wipe detection (ST6) and the one-tab lock (LK*), against the fake server.
import { describe, expect, it } from 'vitest';
import { applyPulledChanges, getMeta, listDistricts, listingOfDistrict, outboxStats, recordState, registrationById, reviewQueries, saveRegistration, setVisitOutcome, syncLog } from '../../src/client/db/index.ts';
import { SyncEngine, type LockManagerLike } from '../../src/client/sync/index.ts';
import { district, draftFor, fakeClock, listingEntry, testDb, freshIdb } from './fixtures.ts';
import { FakeServer, ManualTimers } from './fake-server.ts';
import { rig } from './sync-helpers.ts';

describe('pull', () => {
  it('[PL1] pulls every page from the stored cursor and applies districts, listing, households and queries', async () => {
    const { db, server, engine } = await rig({ households: 0 });
    server.pageSize = 7;
    server.put('district', '130102003003002', district('130102003003002'));
    for (let i = 1; i <= 20; i++) server.put('listing', listingEntry(i, '130102003003002').id, listingEntry(i, '130102003003002'));
    const e1 = listingEntry(1, '130102003003002');
    server.put('household', `R-${e1.id}`, { ...draftFor(e1), version: 1, updatedAt: '2020-11-05T08:00:00Z' });
    server.put('query', 'Q-9', { id: 'Q-9', householdId: `R-${e1.id}`, districtCode: '130102003003002', message: '核实', status: 'open', createdBy: 'u-sup', createdAt: '2020-11-09T08:00:00Z', version: 1 });
    const before = server.requests.length;
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pulled: 23 });
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(Array(4).fill('/sync/pull'));
    expect(await getMeta(db, 'pullCursor')).toBe('23');
    expect((await listDistricts(db)).map((d) => d.code)).toContain('130102003003002');
    expect(await listingOfDistrict(db, '130102003003002')).toHaveLength(20);
    expect((await registrationById(db, `R-${e1.id}`))?.version).toBe(1);
    expect((await reviewQueries(db, { status: 'open' })).map((q) => q.id)).toEqual(['Q-9']);
    // The next cycle asks from the cursor and gets nothing new.
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pulled: 0 });
  });

  it('[PL2] a pulled change never overwrites a record with queued mutations', async () => {
    const { db, server, engine, entries } = await rig();
    await setVisitOutcome(db, entries[0]!.id, { status: 'vacant' });
    server.put('listing', entries[0]!.id, { ...entries[0]!, headName: '办公室改的' }, 1);
    server.faults.push({ when: 'push', fault: { kind: 'network' } });
    await engine.syncNow(); // push fails: nothing pulled either
    const r = await applyPulledChanges(db, [{ entity: 'listing', id: entries[0]!.id, version: 1, data: { ...entries[0]!, headName: '办公室改的' }, deleted: false }]);
    expect(r).toMatchObject({ ok: true, applied: 0, skipped: 1 });
    expect((await db.listing.get(entries[0]!.id))?.visit.status).toBe('vacant');
  });

  it('[PL3] a synced record takes newer versions; an older one is ignored', async () => {
    const { db, engine, entries } = await rig();
    await saveRegistration(db, draftFor(entries[0]!, 2));
    await saveRegistration(db, draftFor(entries[0]!, 3));
    await engine.syncNow();
    const id = draftFor(entries[0]!).id;
    const old = await applyPulledChanges(db, [{ entity: 'household', id, version: 1, data: { ...draftFor(entries[0]!, 1), version: 1, updatedAt: '2020-11-01T00:00:00Z' }, deleted: false }]);
    expect(old).toMatchObject({ applied: 0, skipped: 1 });
    const newer = await applyPulledChanges(db, [{ entity: 'household', id, version: 4, data: { ...draftFor(entries[0]!, 4), version: 4, updatedAt: '2020-11-06T00:00:00Z' }, deleted: false }]);
    expect(newer).toMatchObject({ applied: 1 });
    expect(await recordState(db, 'household', id)).toMatchObject({ state: 'synced', version: 4 });
    // The next save bases on the pulled version.
    const r = await saveRegistration(db, draftFor(entries[0]!, 5));
    expect(r.ok && r.registration.version).toBe(5);
  });

  it('[PL4] a change that fails the schema is not applied, the rest of the page is', async () => {
    const { db, engine, server, entries } = await rig();
    server.put('listing', 'L-bad', { id: 'L-bad', headName: 42 });
    server.put('listing', entries[0]!.id, { ...entries[0]!, headName: '新名字' });
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pulled: 1 });
    expect(await db.listing.get('L-bad')).toBeUndefined();
    expect((await db.listing.get(entries[0]!.id))?.headName).toBe('新名字');
    expect((await syncLog(db)).some((l) => l.event === 'pullInvalid' && l.data?.count === 1)).toBe(true);
  });

  it('deleted changes remove the record', async () => {
    const { db, entries } = await rig();
    await applyPulledChanges(db, [{ entity: 'listing', id: entries[4]!.id, version: 3, data: null, deleted: true }]);
    expect(await db.listing.get(entries[4]!.id)).toBeUndefined();
  });
});

describe('wipe detection across device ids', () => {
  const oldPhone = { deviceId: 'old-phone-7f3a', lastSeenAt: '2020-11-04T17:30:00.000Z', lastPushAt: '2020-11-04T17:30:00.000Z', deviceSeq: 41, pendingOnDevice: 3 };
  async function freshPhone(server: FakeServer, clock: ReturnType<typeof fakeClock>) {
    const db = await testDb({ clock, idb: freshIdb() });
    const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: 'http://x', setTimer: new ManualTimers().setTimer });
    await engine.start();
    return { db, engine };
  }

  it('[ST9] an empty phone whose user\'s other device still had items queued records a data-loss report at sign-in', async () => {
    const clock = fakeClock();
    const server = new FakeServer(clock.now);
    server.otherDevices = [{ deviceId: 'newer-phone-no-queue', lastSeenAt: '2020-11-04T18:00:00.000Z', deviceSeq: 0, pendingOnDevice: 0 }, oldPhone];
    server.put('district', district().code, district());
    server.put('listing', listingEntry(1).id, listingEntry(1));
    const { db, engine } = await freshPhone(server, clock);
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    const expected = { kind: 'otherDevice', deviceId: oldPhone.deviceId, lastSeenAt: oldPhone.lastSeenAt, lastPushAt: oldPhone.lastPushAt, deviceSeq: 41, pendingOnDevice: 3, detectedAt: new Date(clock.now()).toISOString() };
    expect(await getMeta(db, 'dataLoss')).toEqual(expected);
    expect(engine.getState().dataLoss).toEqual(expected);
    expect((await syncLog(db)).filter((l) => l.event === 'dataLoss')).toHaveLength(1);
    // The assignment comes down with the normal first pull; the report stays until acknowledged.
    expect((await engine.syncNow()).kind).toBe('ok');
    expect(await db.listing.count()).toBe(1);
    expect(engine.getState().dataLoss).toEqual(expected);
    await engine.acknowledgeDataLoss();
    expect(engine.getState().dataLoss).toBeUndefined();
    engine.stop();
  });

  it('[ST9] no report when the other devices had nothing queued, or when this phone holds data of its own', async () => {
    const clock = fakeClock();
    const server = new FakeServer(clock.now);
    // A new phone whose predecessor had sent everything: no alarm.
    server.otherDevices = [{ ...oldPhone, pendingOnDevice: 0 }, { deviceId: 'never-pushed', deviceSeq: 0 }];
    const a = await freshPhone(server, clock);
    expect((await a.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    expect(await getMeta(a.db, 'dataLoss')).toBeUndefined();
    expect(a.engine.getState().dataLoss).toBeUndefined();
    a.engine.stop();
    // A phone with its own queue (or numbered saves) signing in again is not a wiped one.
    server.otherDevices = [oldPhone];
    const b = await freshPhone(server, clock);
    await b.db.districts.put(district());
    await b.db.listing.put(listingEntry(2));
    expect((await saveRegistration(b.db, draftFor(listingEntry(2)))).ok).toBe(true);
    expect((await b.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    expect(await getMeta(b.db, 'dataLoss')).toBeUndefined();
    expect((await syncLog(b.db)).filter((l) => l.event === 'dataLoss')).toHaveLength(0);
    b.engine.stop();
  });
});

describe('one tab at a time', () => {
  it('[LK1] with the lease fallback, a second engine on the same store gets busy while one syncs', async () => {
    const { db, server, engine, entries, timers, clock } = await rig();
    const other = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: 'http://fake.test', setTimer: timers.setTimer });
    for (const e of entries) await saveRegistration(db, draftFor(e));
    const [a, b] = await Promise.all([engine.syncNow(), other.syncNow()]);
    expect([a.kind, b.kind].sort()).toEqual(['busy', 'ok']);
    expect((await outboxStats(db)).count).toBe(0);
    expect(server.revisions).toHaveLength(5);
    expect(await getMeta(db, 'syncLease')).toBeUndefined();
  });

  it('[LK1] an expired lease of a dead tab is taken over', async () => {
    const { db, engine, clock } = await rig();
    await db.meta.put({ key: 'syncLease', value: { owner: 'dead-tab', expiresAt: clock.now() + 1000 } });
    expect(await engine.syncNow()).toEqual({ kind: 'busy' });
    clock.advance(1001);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
  });

  it('[LK1] with Web Locks, the engine syncs only inside the granted lock', async () => {
    let held = false;
    const locks: LockManagerLike = {
      request: async (_name, _opts, cb) => {
        if (held) return cb(null);
        held = true;
        try {
          return await cb({ name: 'pucha-sync' });
        } finally {
          held = false;
        }
      },
    };
    const { db, server, engine, entries, timers, clock } = await rig({ deps: { locks } });
    const other = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: 'http://fake.test', setTimer: timers.setTimer, locks });
    await saveRegistration(db, draftFor(entries[0]!));
    const [a, b] = await Promise.all([engine.syncNow(), other.syncNow()]);
    expect([a.kind, b.kind].sort()).toEqual(['busy', 'ok']);
    expect(await getMeta(db, 'syncLease')).toBeUndefined();
  });
});

