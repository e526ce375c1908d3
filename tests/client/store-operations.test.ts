import { describe, expect, it, beforeEach } from 'vitest';
import {
  addFieldHousehold,
  answerQuery,
  ensureDevice,
  outboxEntries,
  outboxStats,
  progressOfDistrict,
  listingOfDistrict,
  recordState,
  registrationById,
  registrationByListingId,
  saveRegistration,
  setVisitOutcome,
  getMeta,
  type PuchaDb,
} from '../../src/client/db/index.ts';
import { generateDistrict, type ListingEntry, type ReviewQuery } from '../../src/domain/index.ts';
import { DISTRICT, draftFor, fakeClock, listingEntry, seedAssignment, testDb, type Clock } from './fixtures.ts';

let db: PuchaDb;
let clock: Clock;
let entries: ListingEntry[];

beforeEach(async () => {
  clock = fakeClock();
  db = await testDb({ clock });
  entries = await seedAssignment(db, 5);
});

const first = () => {
  const e = entries[0];
  if (!e) throw new Error('fixture');
  return e;
};

describe('saveRegistration', () => {
  it('[ST1] writes the registration and its outbox mutation together, version 1', async () => {
    const r = await saveRegistration(db, draftFor(first()));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.registration.version).toBe(1);
    const stored = await registrationById(db, r.registration.id);
    expect(stored).toEqual(r.registration);
    expect(await registrationByListingId(db, first().id)).toEqual(r.registration);
    const out = await outboxEntries(db);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: r.mutationId, entity: 'household', entityId: r.registration.id, baseVersion: 0, deviceSeq: 1, attempts: 0 });
    expect(out[0]?.data).toEqual(r.registration);
    expect(await recordState(db, 'household', r.registration.id)).toMatchObject({ state: 'pending', version: 1, serverVersion: 0 });
  });

  it('[ST3] each save is version + 1 with baseVersion = version - 1 and its own mutation', async () => {
    const input = draftFor(first());
    for (let i = 0; i < 3; i++) expect((await saveRegistration(db, input)).ok).toBe(true);
    const out = await outboxEntries(db);
    expect(out.map((m) => m.baseVersion)).toEqual([0, 1, 2]);
    expect(out.map((m) => (m.data as { version: number }).version)).toEqual([1, 2, 3]);
    expect(out.map((m) => m.deviceSeq)).toEqual([1, 2, 3]);
    expect(new Set(out.map((m) => m.id)).size).toBe(3);
    expect((await registrationById(db, input.id))?.version).toBe(3);
  });

  it('[ST2] a queued payload is frozen: later edits and saves never change it', async () => {
    const input = draftFor(first());
    const r1 = await saveRegistration(db, input);
    if (!r1.ok) throw new Error('save failed');
    // Mutating the caller's objects after the save must not reach the queued copy.
    r1.registration.persons.length = 0;
    input.persons[0]!.name = 'changed';
    await saveRegistration(db, { ...input, persons: input.persons.slice(0, 2) });
    const [m1, m2] = await outboxEntries(db);
    expect((m1?.data as { persons: unknown[] }).persons).toHaveLength(6);
    expect((m2?.data as { persons: unknown[] }).persons).toHaveLength(2);
  });

  it('[ST4] an input that fails the draft schema is invalid and writes nothing', async () => {
    const bad = { ...draftFor(first()), householdNo: '12' };
    const r = await saveRegistration(db, bad);
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    if (r.ok || r.reason !== 'invalid') return;
    expect(r.issues[0]?.path).toEqual(['householdNo']);
    expect(await outboxStats(db)).toEqual({ count: 0, oldestCreatedAt: undefined });
    expect(await registrationById(db, bad.id)).toBeUndefined();
  });

  it('[ST4] a complete registration missing always-asked answers is incomplete, with findings at the fields', async () => {
    const input = draftFor(first());
    const { sex: _sex, ...noSex } = input.persons[1]!;
    const r = await saveRegistration(db, { ...input, status: 'complete', persons: [input.persons[0]!, noSex] });
    expect(r).toMatchObject({ ok: false, reason: 'incomplete' });
    if (r.ok || r.reason !== 'incomplete') return;
    expect(r.findings.some((f) => f.severity === 'error' && f.path.join('.') === 'persons.1.sex')).toBe(true);
    expect(await outboxStats(db)).toMatchObject({ count: 0 });
  });

  it('[ST4] a registration for a listing entry the phone does not have is notFound', async () => {
    const r = await saveRegistration(db, draftFor(listingEntry(77)));
    expect(r).toMatchObject({ ok: false, reason: 'notFound' });
  });
});

describe('setVisitOutcome', () => {
  it('[ST1] records the visit and enqueues a listing mutation with the whole entry', async () => {
    clock.advance(1000);
    const r = await setVisitOutcome(db, first().id, { status: 'notAtHome', callbackAt: '2020-11-06T18:00:00+08:00', note: '晚上再来' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry.visit).toEqual({ status: 'notAtHome', attempts: 1, lastAt: new Date(clock.now()).toISOString(), callbackAt: '2020-11-06T18:00:00+08:00', note: '晚上再来' });
    const second = await setVisitOutcome(db, first().id, { status: 'refused' });
    expect(second.ok && second.entry.visit).toMatchObject({ status: 'refused', attempts: 2 });
    const out = await outboxEntries(db);
    expect(out.map((m) => [m.entity, m.entityId, m.baseVersion])).toEqual([
      ['listing', first().id, 0],
      ['listing', first().id, 1],
    ]);
    expect(out[1]?.data).toMatchObject({ id: first().id, visit: { status: 'refused' } });
  });

  it('[ST4] an invalid outcome or an unknown listing id writes nothing', async () => {
    expect(await setVisitOutcome(db, first().id, { status: 'pending', callbackAt: 'tomorrow' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await setVisitOutcome(db, 'nope', { status: 'vacant' })).toMatchObject({ ok: false, reason: 'notFound' });
    expect((await outboxStats(db)).count).toBe(0);
  });
});

describe('addFieldHousehold', () => {
  const input = { districtCode: DISTRICT, buildingNo: '009', address: '光华路 99 号', headName: '新户' };

  it('[ST1] adds an origin "field" entry with the next free household number, queued', async () => {
    const r = await addFieldHousehold(db, input);
    expect(r.ok && r.entry).toMatchObject({ householdNo: '006', origin: 'field', visit: { status: 'pending', attempts: 0 } });
    const listing = await listingOfDistrict(db, DISTRICT);
    expect(listing.map((e) => e.householdNo)).toEqual(['001', '002', '003', '004', '005', '006']);
    expect((await outboxEntries(db))[0]).toMatchObject({ entity: 'listing', baseVersion: 0 });
  });

  it('never takes 999 (reserved for all-deceased households) and reports when 998 is used', async () => {
    await db.listing.put({ ...listingEntry(999), kind: 'allDeceased' });
    await db.listing.put(listingEntry(997));
    const r = await addFieldHousehold(db, input);
    expect(r.ok && r.entry.householdNo).toBe('998');
    const full = await addFieldHousehold(db, input);
    expect(full).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('an unknown district is notFound', async () => {
    expect(await addFieldHousehold(db, { ...input, districtCode: '999999999999999' })).toMatchObject({ ok: false, reason: 'notFound' });
  });
});

describe('answerQuery', () => {
  const query: ReviewQuery = {
    id: 'Q-1',
    householdId: 'R-x',
    category: 'other',
    origin: 'query',
    districtCode: DISTRICT,
    message: '请核实 3 号人员的出生年月',
    status: 'open',
    createdBy: 'u-sup-1',
    createdAt: '2020-11-10T09:00:00+08:00',
    version: 1,
  };

  it('[ST1] marks the query answered and enqueues a queryAnswer on the query version', async () => {
    await db.queries.put(query);
    const r = await answerQuery(db, 'Q-1', { text: '已核实，无误', outcome: 'verified' });
    expect(r.ok && r.query).toMatchObject({ status: 'answered', answer: { text: '已核实，无误', outcome: 'verified' } });
    expect((await outboxEntries(db))[0]).toMatchObject({ entity: 'queryAnswer', entityId: 'Q-1', baseVersion: 1, data: { text: '已核实，无误', outcome: 'verified' } });
  });

  it('an empty answer is invalid, an unknown query notFound', async () => {
    await db.queries.put(query);
    expect(await answerQuery(db, 'Q-1', { text: '  ' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await answerQuery(db, 'Q-2', { text: 'x' })).toMatchObject({ ok: false, reason: 'notFound' });
  });
});

describe('reads and device identity', () => {
  it('progress counts visits and complete registrations per district', async () => {
    await setVisitOutcome(db, first().id, { status: 'vacant' });
    await saveRegistration(db, draftFor(entries[1]!));
    const p = await progressOfDistrict(db, DISTRICT);
    expect(p).toMatchObject({ total: 5, registered: 0, drafts: 1, persons: 0 });
    expect(p.byVisit).toMatchObject({ pending: 4, vacant: 1 });
  });

  it('[ST6] the device id persists and the sequence numbers every mutation', async () => {
    const a = await ensureDevice(db);
    expect(a.fresh).toBe(true);
    const b = await ensureDevice(db);
    expect(b).toEqual({ deviceId: a.deviceId, fresh: false, deviceSeq: 0 });
    await saveRegistration(db, draftFor(first()));
    await setVisitOutcome(db, first().id, { status: 'registered' });
    expect(await getMeta(db, 'deviceSeq')).toBe(2);
    expect((await outboxStats(db)).oldestCreatedAt).toBe(new Date(clock.now()).toISOString());
  });
});

describe('complete registrations from the generator', () => {
  it('[ST4] a generated complete household saves; the same one with an injected edit-check error is incomplete', async () => {
    const g = generateDistrict({ seed: 11, code: DISTRICT, enumerators: ['u-enum-1'], households: 12, inject: ['idCheckDigit'] });
    const gdb = await testDb();
    await gdb.districts.put(g.district);
    await gdb.listing.bulkPut(g.listing);
    const bad = g.injected[0];
    expect(bad?.rule).toBe('ID_CHECK_DIGIT');
    const good = g.registrations.find((r) => r.id !== bad?.registrationId && r.status === 'complete');
    if (!good || !bad) throw new Error('generator fixture');
    // The household is still pending on the phone's listing (the generator lists it as registered).
    await gdb.listing.update(good.listingId, { visit: { status: 'pending', attempts: 0 } });
    const ok = await saveRegistration(gdb, good);
    expect(ok).toMatchObject({ ok: true, registration: { status: 'complete', version: 1 } });
    // [ST4] completing is the visit's outcome: the listing entry says registered, with its own mutation.
    expect((await gdb.listing.get(good.listingId))?.visit).toMatchObject({ status: 'registered', attempts: 1 });
    expect((await gdb.outbox.toArray()).map((m) => m.entity).sort()).toEqual(['household', 'listing']);
    // The visit's mutation and the household's each get their own device number, in queue order
    // (the save reads the counter before the visit takes a number; a stale read would give both
    // the same one, and the server's loss check counts on them being distinct).
    expect((await gdb.outbox.orderBy('seq').toArray()).map((m) => [m.entity, m.deviceSeq])).toEqual([
      ['listing', 1],
      ['household', 2],
    ]);
    // Saving the complete record again does not count another visit.
    await saveRegistration(gdb, { ...good, version: 1 });
    expect((await gdb.outbox.toArray()).map((m) => m.entity).sort()).toEqual(['household', 'household', 'listing']);
    expect(await getMeta(gdb, 'deviceSeq')).toBe(3);
    const broken = g.registrations.find((r) => r.id === bad.registrationId)!;
    const r = await saveRegistration(gdb, { ...broken, status: 'complete' }); // the generator marks it a draft
    expect(r).toMatchObject({ ok: false, reason: 'incomplete' });
    if (r.ok || r.reason !== 'incomplete') return;
    expect(r.findings.map((f) => [f.rule, f.path.join('.')])).toContainEqual(['ID_CHECK_DIGIT', bad.path.join('.')]);
    // As a draft the same answers save, with the finding returned for the form to show.
    const draft = await saveRegistration(gdb, { ...broken, status: 'draft' });
    expect(draft.ok && draft.findings.some((f) => f.rule === 'ID_CHECK_DIGIT')).toBe(true);
  });
});
