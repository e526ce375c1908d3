// ST5: the upgrades (version 2, then 3) run on version 1 data: the queue survives, every row still parses,
// and the record states and device sequence numbers are derived.
import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { defineVersion1, openDb, outboxEntries, recordStates, registrationById, listingOfDistrict, getMeta, saveRegistration } from '../../src/client/db/index.ts';
import { DISTRICT, district, draftFor, fakeClock, freshIdb, idFactory, listingEntry } from './fixtures.ts';

describe('schema upgrade v1 -> v2', () => {
  it('[ST5] keeps the queue, backfills deviceSeq and derives record states', async () => {
    const idb = freshIdb();
    const v1 = new Dexie('pucha-upgrade', idb);
    defineVersion1(v1);
    await v1.open();
    const entries = [1, 2, 3].map((i) => listingEntry(i));
    const queued = { ...draftFor(entries[0]!), version: 2, updatedAt: '2020-11-05T08:00:00.000Z' };
    const synced = { ...draftFor(entries[1]!), version: 4, updatedAt: '2020-11-04T08:00:00.000Z' };
    await v1.table('districts').put(district());
    await v1.table('listing').bulkPut(entries);
    await v1.table('registrations').bulkPut([queued, synced]);
    await v1.table('meta').bulkPut([{ key: 'deviceId', value: 'dev-1' }, { key: 'deviceSeq', value: 7 }]);
    // Version-1 outbox rows had no deviceSeq and no attempts counter.
    await v1.table('outbox').bulkAdd([
      { id: 'm-1', entity: 'household', entityId: queued.id, baseVersion: 0, createdAt: '2020-11-05T07:00:00.000Z', data: { ...queued, version: 1 } },
      { id: 'm-2', entity: 'household', entityId: queued.id, baseVersion: 1, createdAt: '2020-11-05T08:00:00.000Z', data: queued },
      { id: 'm-3', entity: 'listing', entityId: entries[2]!.id, baseVersion: 0, createdAt: '2020-11-05T08:01:00.000Z', data: entries[2] },
    ]);
    v1.close();

    const db = await openDb('pucha-upgrade', { ...idb, now: fakeClock().now, newId: idFactory() });
    // upgraded through version 2 (data moves) to version 3 (the drafts table, empty)
    expect(db.verno).toBe(3);
    expect(await db.drafts.count()).toBe(0);
    const out = await outboxEntries(db);
    expect(out.map((m) => [m.id, m.deviceSeq, m.attempts])).toEqual([
      ['m-1', 8, 0],
      ['m-2', 9, 0],
      ['m-3', 10, 0],
    ]);
    expect(await getMeta(db, 'deviceSeq')).toBe(10);
    const states = Object.fromEntries((await recordStates(db)).map((s) => [s.key, [s.state, s.version, s.serverVersion]]));
    expect(states).toEqual({
      [`household:${queued.id}`]: ['pending', 2, 0],
      [`household:${synced.id}`]: ['synced', 4, 4],
      [`listing:${entries[2]!.id}`]: ['pending', 1, 0],
    });
    expect(await registrationById(db, synced.id)).toEqual(synced);
    expect((await listingOfDistrict(db, DISTRICT)).map((e) => e.householdNo)).toEqual(['001', '002', '003']);
    // The next save continues the version and sequence numbering.
    const r = await saveRegistration(db, draftFor(entries[0]!));
    expect(r.ok && r.registration.version).toBe(3);
    expect((await outboxEntries(db)).at(-1)).toMatchObject({ baseVersion: 2, deviceSeq: 11 });
  });
});
