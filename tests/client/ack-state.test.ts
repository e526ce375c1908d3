// The record state an acknowledgement leaves behind, where the answer alone does not settle it:
// a record with more of its mutations still queued keeps its local version (the base of its next
// listing or answer mutation), and a rejection without a version keeps the server version the
// phone knew (the base the next mutation goes back to, PU5).
import { afterEach, describe, expect, it } from 'vitest';
import { applyPushResults, outboxBatch, openDb, recordKey, setVisitOutcome, type PuchaDb } from '../../src/client/db/index.ts';
import { fakeClock, freshIdb, idFactory, seedAssignment } from './fixtures.ts';

const opened: PuchaDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function store(): Promise<PuchaDb> {
  const db = await openDb(`ack-${Math.random()}`, { ...freshIdb(), now: fakeClock().now, newId: idFactory('ack') });
  opened.push(db);
  return db;
}

describe('record state after an acknowledgement', () => {
  it('[AK1] a record with a later mutation still queued keeps its local version and stays pending', async () => {
    const db = await store();
    const [entry] = await seedAssignment(db, 1);
    for (const status of ['notAtHome', 'refused', 'notAtHome'] as const) expect((await setVisitOutcome(db, entry!.id, { status })).ok).toBe(true);
    const key = recordKey('listing', entry!.id);
    expect((await db.recordState.get(key))?.version).toBe(3);
    // Only the first of the three goes out and is applied.
    const batch = await outboxBatch(db, 0, 1);
    expect(batch.rows.map((r) => r.baseVersion)).toEqual([0]);
    await applyPushResults(db, batch.rows, [{ id: batch.rows[0]!.id, status: 'applied', version: 1 }]);
    expect(await db.recordState.get(key)).toMatchObject({ state: 'pending', version: 3, serverVersion: 1 });
    // The next visit bases on the local version, not on the acknowledged one.
    await setVisitOutcome(db, entry!.id, { status: 'refused' });
    expect((await db.outbox.orderBy('seq').last())?.baseVersion).toBe(3);
    // Two of the same record in one batch, the later one still queued after it: the same.
    const next = await outboxBatch(db, batch.lastSeq, 2);
    await applyPushResults(db, next.rows, next.rows.map((r, i) => ({ id: r.id, status: 'applied' as const, version: 2 + i })));
    expect(await db.recordState.get(key)).toMatchObject({ state: 'pending', version: 4, serverVersion: 3 });
    const last = await outboxBatch(db, next.lastSeq, 10);
    await applyPushResults(db, last.rows, last.rows.map((r) => ({ id: r.id, status: 'applied' as const, version: 4 })));
    expect(await db.recordState.get(key)).toMatchObject({ state: 'synced', version: 4, serverVersion: 4 });
  });

  it('[AK2] a rejection that names no version keeps the server version the phone knew', async () => {
    const db = await store();
    const [entry] = await seedAssignment(db, 1);
    await setVisitOutcome(db, entry!.id, { status: 'notAtHome' });
    const key = recordKey('listing', entry!.id);
    const first = await outboxBatch(db, 0, 10);
    await applyPushResults(db, first.rows, [{ id: first.rows[0]!.id, status: 'applied', version: 5 }]);
    expect(await db.recordState.get(key)).toMatchObject({ state: 'synced', serverVersion: 5 });
    await setVisitOutcome(db, entry!.id, { status: 'refused' });
    const second = await outboxBatch(db, first.lastSeq, 10);
    const error = { code: 'validation_failed' as const, message: 'refused by the server' };
    await applyPushResults(db, second.rows, [{ id: second.rows[0]!.id, status: 'rejected', error }]);
    expect(await db.recordState.get(key)).toMatchObject({ state: 'rejected', serverVersion: 5, mutationId: second.rows[0]!.id, error });
    // With nothing else queued, the next mutation goes back to the server's version.
    await setVisitOutcome(db, entry!.id, { status: 'notAtHome' });
    expect((await db.outbox.orderBy('seq').last())?.baseVersion).toBe(5);
  });
});
