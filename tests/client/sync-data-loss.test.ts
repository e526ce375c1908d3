// The data-loss rule of reliability.md R11 (docs/SYNC.md ST6, ST9) at its boundary: the alarm
// fires when the server's records say that something this phone sent or had queued is missing,
// for exactly one such mutation, and not for zero. A store wiped after a complete sync, whose
// server holds everything, gets the calm notice instead ("local data reset, nothing lost").
import { describe, expect, it } from 'vitest';
import { getMeta, outboxStats, saveRegistration, syncLog, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine, type FetchLike } from '../../src/client/sync/index.ts';
import type { KnownDevice } from '../../src/domain/index.ts';
import { draftFor, fakeClock, freshIdb, seedAssignment, testDb, type Clock } from './fixtures.ts';
import { FakeServer, ManualTimers } from './fake-server.ts';
import { rig } from './sync-helpers.ts';

interface Phone {
  db: PuchaDb;
  engine: SyncEngine;
}

/** A phone on its own (fresh) store, started; `households` listing entries seeded for saving. */
async function phone(server: FakeServer, clock: Clock, opts: { hint?: string; households?: number; fetch?: FetchLike } = {}): Promise<Phone> {
  const db = await testDb({ clock, idb: freshIdb() });
  if (opts.households) await seedAssignment(db, opts.households);
  const engine = new SyncEngine({
    db,
    fetch: opts.fetch ?? server.fetch,
    now: clock.now,
    baseUrl: 'http://fake.test',
    setTimer: new ManualTimers().setTimer,
    random: () => 0.5,
    ...(opts.hint !== undefined ? { deviceIdHint: opts.hint } : {}),
  });
  await engine.start();
  return { db, engine };
}

async function signIn(p: Phone): Promise<void> {
  const r = await p.engine.signIn('demo-enumerator', 'pucha-demo');
  if (!r.ok) throw new Error(`sign-in: ${r.message}`);
}

async function saveAll(p: Phone, n: number): Promise<void> {
  const entries = await p.db.listing.toArray();
  for (const e of entries.slice(0, n)) if (!(await saveRegistration(p.db, draftFor(e))).ok) throw new Error('save');
}

const dataLossEntries = async (db: PuchaDb) => (await syncLog(db)).filter((l) => l.event === 'dataLoss');

describe('a wiped phone signs in as a new device; the login answer says what its predecessor still had queued (ST9)', () => {
  /**
   * Phone A saves `saved` households and pushes them with a network that dies after the first push
   * (batches of 100), so the server's last report from A says `saved - 100` were still queued
   * (0 for 100 or fewer). Then A's store is wiped; the sign-in screen still remembers A's device id.
   */
  async function wipedAfter(saved: number): Promise<{ server: FakeServer; before: Phone; after: Phone; oldId: string }> {
    const clock = fakeClock();
    const server = new FakeServer(clock.now);
    server.reportDevices = true;
    let pushes = 0;
    const dying: FetchLike = (url, init) => (url.endsWith('/sync/push') && ++pushes > 1 ? Promise.reject(new TypeError('Failed to fetch')) : server.fetch(url, init));
    const before = await phone(server, clock, { households: saved, fetch: dying });
    await signIn(before);
    await before.engine.syncNow();
    await saveAll(before, saved);
    await before.engine.syncNow();
    expect((await outboxStats(before.db)).count).toBe(Math.max(0, saved - 100));
    const oldId = (await getMeta(before.db, 'deviceId')) ?? '';
    before.engine.stop();
    clock.advance(3_600_000);
    const after = await phone(server, clock, { hint: oldId });
    await signIn(after);
    return { server, before, after, oldId };
  }

  it('[ST9] exactly one mutation still queued at the last push: the alarm, naming that device and the one record', async () => {
    const { after, oldId } = await wipedAfter(101);
    expect(after.engine.getState().dataLoss).toMatchObject({ kind: 'otherDevice', deviceId: oldId, pendingOnDevice: 1, deviceSeq: 100 });
    expect(await getMeta(after.db, 'dataLoss')).toMatchObject({ kind: 'otherDevice', pendingOnDevice: 1 });
    expect(after.engine.getState().notice).toBeUndefined();
    expect((await dataLossEntries(after.db)).map((l) => l.data)).toEqual([{ kind: 'otherDevice', device: oldId, pending: 1, serverSeq: 100 }]);
    after.engine.stop();
  });

  it('[ST9] none queued (the issue: a complete sync, then the store is cleared): no alarm, the calm notice, and everything comes back', async () => {
    const { after, oldId } = await wipedAfter(100);
    expect(after.engine.getState().dataLoss).toBeUndefined();
    expect(await getMeta(after.db, 'dataLoss')).toBeUndefined();
    expect(after.engine.getState().notice).toMatchObject({ kind: 'localReset', serverSeq: 100 });
    expect(await dataLossEntries(after.db)).toEqual([]);
    expect((await syncLog(after.db)).some((l) => l.event === 'localReset' && l.data?.serverSeq === 100)).toBe(true);
    // A new device id (the old one is the server's record of what it sent), and the 100 households come down again.
    expect(await getMeta(after.db, 'deviceId')).not.toBe(oldId);
    expect(await after.engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect(await after.db.registrations.count()).toBe(100);
    expect(after.engine.getState()).toMatchObject({ status: 'idle', dataLoss: undefined });
    // Dismissed, it stays away.
    await after.engine.acknowledgeDataLoss();
    expect(after.engine.getState().notice).toBeUndefined();
    after.engine.stop();
  });

  const device = (deviceId: string, deviceSeq: number, pendingOnDevice?: number): KnownDevice => ({
    deviceId,
    lastSeenAt: '2020-11-04T17:30:00.000Z',
    deviceSeq,
    ...(pendingOnDevice !== undefined ? { pendingOnDevice } : {}),
  });
  async function signedInWith(otherDevices: KnownDevice[], hint?: string): Promise<Phone> {
    const clock = fakeClock();
    const server = new FakeServer(clock.now);
    server.otherDevices = otherDevices;
    const p = await phone(server, clock, hint !== undefined ? { hint } : {});
    await signIn(p);
    return p;
  }

  it('[ST9] the boundary on the login answer alone: pendingOnDevice 1 alarms, 0 and absent do not', async () => {
    const one = await signedInWith([device('phone-a', 7, 1)]);
    expect(one.engine.getState().dataLoss).toMatchObject({ kind: 'otherDevice', deviceId: 'phone-a', pendingOnDevice: 1 });
    const zero = await signedInWith([device('phone-a', 7, 0), device('never-pushed', 0)]);
    expect(zero.engine.getState().dataLoss).toBeUndefined();
    expect(await getMeta(zero.db, 'dataLoss')).toBeUndefined();
    // Not the first device listed that decides: any device with something queued.
    const second = await signedInWith([device('newer-phone', 3, 0), device('old-phone', 40, 2)]);
    expect(second.engine.getState().dataLoss).toMatchObject({ deviceId: 'old-phone', pendingOnDevice: 2 });
  });

  it('[ST9] the calm notice only for the device that was this phone, and only if the server holds something from it', async () => {
    expect((await signedInWith([device('phone-a', 7, 0)], 'phone-a')).engine.getState().notice).toMatchObject({ kind: 'localReset', serverSeq: 7 });
    // Another device's clean record is not about this phone: nothing to say.
    expect((await signedInWith([device('phone-b', 7, 0)], 'phone-a')).engine.getState().notice).toBeUndefined();
    expect((await signedInWith([device('phone-a', 0)], 'phone-a')).engine.getState().notice).toBeUndefined();
    // A loss elsewhere outweighs the notice.
    const both = await signedInWith([device('phone-a', 7, 0), device('phone-b', 9, 1)], 'phone-a');
    expect(both.engine.getState()).toMatchObject({ dataLoss: { deviceId: 'phone-b' }, notice: undefined });
  });
});

describe('the same device: the pull answer holds the highest device number the server has from it (ST6)', () => {
  /**
   * A phone that has pushed 3 households (device numbers 1..3, all acknowledged). `lose` makes the
   * server forget that many of them (a server restored from an older backup); `saveDuringPull`
   * saves one more household just before the pull leaves, so number 4 is queued, not sent.
   */
  async function afterPull(lose: number, saveDuringPull: boolean) {
    let armed = false;
    const later: { save?: () => Promise<unknown> } = {};
    const r = await rig({
      households: 5,
      wrapFetch: (real) => async (url, init) => {
        if (armed && url.includes('/sync/pull')) {
          armed = false;
          await later.save?.();
        }
        return real(url, init);
      },
    });
    for (const e of r.entries.slice(0, 3)) await saveRegistration(r.db, draftFor(e));
    expect(await r.engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { applied: 3 } });
    const deviceId = (await getMeta(r.db, 'deviceId')) ?? '';
    expect(r.server.deviceSeq.get(deviceId)).toBe(3);
    r.server.deviceSeq.set(deviceId, 3 - lose);
    later.save = () => saveRegistration(r.db, draftFor(r.entries[3]!));
    armed = saveDuringPull;
    expect(await r.engine.syncNow()).toMatchObject({ kind: 'ok' });
    return { ...r, deviceId };
  }

  it('[ST6] exactly one acknowledged mutation missing on the server: the alarm, reported once', async () => {
    const { db, engine, entries } = await afterPull(1, false);
    expect(engine.getState().dataLoss).toMatchObject({ kind: 'sameDevice', serverSeq: 2, localSeq: 3 });
    expect((await dataLossEntries(db)).map((l) => l.data)).toEqual([{ kind: 'sameDevice', serverSeq: 2, localSeq: 3, missing: 1 }]);
    await engine.acknowledgeDataLoss();
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect(engine.getState().dataLoss).toBeUndefined();
    expect(await dataLossEntries(db)).toHaveLength(1);
    // The next push covers the gap (the server's highest number is past it): nothing more to say.
    await saveRegistration(db, draftFor(entries[4]!));
    await engine.syncNow();
    expect(engine.getState().dataLoss).toBeUndefined();
    expect(await dataLossEntries(db)).toHaveLength(1);
  });

  it('[ST6] one missing while a newer one is still queued here: still the alarm (the queued one is not counted as sent)', async () => {
    const { db, engine } = await afterPull(1, true);
    expect(engine.getState().dataLoss).toMatchObject({ kind: 'sameDevice', serverSeq: 2, localSeq: 4 });
    expect((await dataLossEntries(db)).map((l) => l.data?.missing)).toEqual([1]);
  });

  it('[ST6] zero missing: the numbers above the server\'s are all still queued here, or there are none', async () => {
    const queued = await afterPull(0, true);
    expect(await getMeta(queued.db, 'deviceSeq')).toBe(4);
    expect(queued.engine.getState().dataLoss).toBeUndefined();
    expect(await dataLossEntries(queued.db)).toEqual([]);
    const none = await afterPull(0, false);
    expect(none.engine.getState()).toMatchObject({ dataLoss: undefined, notice: undefined });
  });

  it('[ST6] the server ahead of the phone (its numbering was reset): the calm notice, numbering continues after the server\'s', async () => {
    const { db, engine, entries, server, deviceId } = await afterPull(0, false);
    await db.meta.delete('deviceSeq');
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect(engine.getState()).toMatchObject({ dataLoss: undefined, notice: { kind: 'localReset', serverSeq: 3 } });
    expect(await getMeta(db, 'deviceSeq')).toBe(3);
    await saveRegistration(db, draftFor(entries[4]!));
    await engine.syncNow();
    expect(server.deviceSeq.get(deviceId)).toBe(4);
    expect(await dataLossEntries(db)).toEqual([]);
  });
});
