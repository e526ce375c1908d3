// R10 / R9 at the store level: a failure inside an operation's transaction (a full disk reported
// either way Chrome does it, or a bug) leaves neither the record nor its outbox entry.
import { describe, expect, it } from 'vitest';
import { Dexie, type DBCoreMutateRequest } from 'dexie';
import { PuchaDb, addFieldHousehold, answerQuery, isQuotaError, outboxStats, registrationById, saveRegistration, setVisitOutcome, listingEntry as readEntry, getMeta } from '../../src/client/db/index.ts';
import { putDraft } from '../../src/client/db/drafts.ts';
import { DISTRICT, draftFor, fakeClock, freshIdb, idFactory, seedAssignment } from './fixtures.ts';

type Failure = () => Error;

/** Opens a database whose writes to `table` fail with `fail()` while `armed` says so. */
async function dbFailingOn(table: string, fail: Failure) {
  const db = new PuchaDb('atomic', { ...freshIdb(), now: fakeClock().now, newId: idFactory() });
  const switchable = { armed: false };
  db.use({
    stack: 'dbcore',
    name: 'inject-failure',
    create: (down) => ({
      ...down,
      table: (name) => {
        const t = down.table(name);
        if (name !== table) return t;
        return { ...t, mutate: (req: DBCoreMutateRequest) => (switchable.armed ? Promise.reject(fail()) : t.mutate(req)) };
      },
    }),
  });
  await db.open();
  const entries = await seedAssignment(db, 3);
  await db.queries.put({ id: 'Q-1', householdId: 'R-1', districtCode: DISTRICT, message: 'm', category: 'other', origin: 'query', status: 'open', createdBy: 'u', createdAt: '2020-11-10T09:00:00Z', version: 1 });
  switchable.armed = true;
  return { db, entries, switchable };
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const abortWrappingQuota = () => new Dexie.AbortError('Transaction aborted', quota());

describe('quota errors become storageFull, nothing half-written', () => {
  for (const [label, fail] of [
    ['QuotaExceededError', quota],
    ['AbortError with inner QuotaExceededError', abortWrappingQuota],
  ] as const) {
    it(`[ST4] ${label} on the outbox write: the registration is not saved either`, async () => {
      const { db, entries } = await dbFailingOn('outbox', fail);
      const input = draftFor(entries[0]!);
      const r = await saveRegistration(db, input);
      expect(r).toMatchObject({ ok: false, reason: 'storageFull' });
      expect(await registrationById(db, input.id)).toBeUndefined();
      expect((await outboxStats(db)).count).toBe(0);
      // The device sequence number taken inside the transaction is rolled back too.
      expect((await getMeta(db, 'deviceSeq')) ?? 0).toBe(0);
    });

    // A save issues its registration, draft, outbox and record-state writes at once: a failure of
    // any one of them, while the others are already under way, must still leave none of them.
    for (const table of ['registrations', 'recordState', 'drafts', 'meta'] as const) {
      it(`[ST4] ${label} on the ${table} write of a save: nothing of the save is left`, async () => {
        const { db, entries, switchable } = await dbFailingOn(table, fail);
        const input = draftFor(entries[0]!);
        switchable.armed = false;
        await putDraft(db, { ...input, version: 0, updatedAt: '2020-11-10T09:00:00Z' });
        switchable.armed = true;
        const r = await saveRegistration(db, input);
        expect(r).toMatchObject({ ok: false, reason: 'storageFull' });
        expect(await registrationById(db, input.id)).toBeUndefined();
        expect((await outboxStats(db)).count).toBe(0);
        expect(await db.recordState.count()).toBe(0);
        expect(await db.drafts.get(input.listingId)).toBeDefined();
        expect((await getMeta(db, 'deviceSeq')) ?? 0).toBe(0);
      });
    }

    it(`[ST4] ${label} on the record write: no outbox entry`, async () => {
      const { db, entries } = await dbFailingOn('listing', fail);
      expect(await setVisitOutcome(db, entries[0]!.id, { status: 'vacant' })).toMatchObject({ ok: false, reason: 'storageFull' });
      expect(await addFieldHousehold(db, { districtCode: DISTRICT, buildingNo: '1', address: 'a', headName: 'h' })).toMatchObject({ ok: false, reason: 'storageFull' });
      expect((await readEntry(db, entries[0]!.id))?.visit.status).toBe('pending');
      expect((await outboxStats(db)).count).toBe(0);
    });
  }

  it('[ST4] a quota failure on the record state write undoes the answer and its mutation', async () => {
    const { db } = await dbFailingOn('recordState', quota);
    expect(await answerQuery(db, 'Q-1', { text: 'ok' })).toMatchObject({ ok: false, reason: 'storageFull' });
    expect((await db.queries.get('Q-1'))?.status).toBe('open');
    expect((await outboxStats(db)).count).toBe(0);
  });

  it('a failure that is not about quota is a bug: it throws, and still nothing is half-written', async () => {
    const { db, entries } = await dbFailingOn('outbox', () => new TypeError('boom'));
    const input = draftFor(entries[0]!);
    await expect(saveRegistration(db, input)).rejects.toThrow('boom');
    expect(await registrationById(db, input.id)).toBeUndefined();
  });

  it('the store works again once space is freed', async () => {
    const { db, entries, switchable } = await dbFailingOn('outbox', quota);
    expect((await saveRegistration(db, draftFor(entries[0]!))).ok).toBe(false);
    switchable.armed = false;
    const r = await saveRegistration(db, draftFor(entries[0]!));
    expect(r.ok && r.registration.version).toBe(1);
  });
});

describe('isQuotaError', () => {
  it('recognises both shapes and nothing else', () => {
    expect(isQuotaError(quota())).toBe(true);
    expect(isQuotaError(abortWrappingQuota())).toBe(true);
    expect(isQuotaError(new Dexie.AbortError('aborted'))).toBe(false);
    expect(isQuotaError(new Dexie.AbortError('aborted', new TypeError('x')))).toBe(false);
    expect(isQuotaError(new Error('QuotaExceededError'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
});
