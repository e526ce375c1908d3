// ST8: the unsynced export carries everything not acknowledged; importing it on another phone
// and pushing is idempotent (same mutation ids: what the server has comes back as duplicate).
import { describe, expect, it } from 'vitest';
import { syncLog, exportUnsynced, importUnsynced, outboxEntries, outboxStats, recordState, saveRegistration, setVisitOutcome } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { UnsyncedExportSchema } from '../../src/domain/index.ts';
import { draftFor, seedAssignment, testDb } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { rig } from './sync-helpers.ts';

describe('unsynced export / import', () => {
  it('[ST8] exports the outbox, the records and the rejections, and parses with the domain schema', async () => {
    const { db, server, engine, entries } = await rig();
    server.rejectIf = (m) => m.entity === 'listing';
    await setVisitOutcome(db, entries[0]!.id, { status: 'refused' });
    await engine.syncNow(); // rejected
    await saveRegistration(db, draftFor(entries[1]!));
    await saveRegistration(db, draftFor(entries[1]!, 3));
    await saveRegistration(db, draftFor(entries[2]!));
    const doc = await exportUnsynced(db, '1.2.3');
    const json = JSON.parse(JSON.stringify(doc)) as unknown;
    expect(UnsyncedExportSchema.safeParse(json).success).toBe(true);
    expect(doc.mutations.map((m) => m.id)).toEqual((await outboxEntries(db)).map((m) => m.id));
    expect(doc.records.registrations.map((r) => [r.id, r.version])).toEqual(
      expect.arrayContaining([
        [draftFor(entries[1]!).id, 2],
        [draftFor(entries[2]!).id, 1],
      ]),
    );
    expect(doc.records.listing.map((e) => e.id)).toEqual([entries[0]!.id]);
    expect(doc.issues).toEqual([{ entity: 'listing', entityId: entries[0]!.id, state: 'rejected', mutationId: expect.any(String) as unknown, error: expect.objectContaining({ code: 'validation_failed' }) as unknown }]);
    expect(doc).toMatchObject({ format: 'pucha-unsynced', formatVersion: 1, appVersion: '1.2.3', userId: 'u-enum-1' });
  });

  it('[ST8] importing on another phone enqueues the same ids once; the push stores each version exactly once', async () => {
    const a = await rig();
    for (const e of a.entries) await saveRegistration(a.db, draftFor(e));
    // Phone A got its first push through, but never heard the answer; then it broke.
    a.server.faults.push({ when: 'push', fault: { kind: 'dropAfterCommit' } });
    await a.engine.syncNow();
    expect(a.server.revisions).toHaveLength(5);
    await saveRegistration(a.db, draftFor(a.entries[0]!, 4));
    const file = JSON.parse(JSON.stringify(await exportUnsynced(a.db))) as unknown;

    const b = await testDb({ name: 'phone-b' });
    await seedAssignment(b, 5);
    expect(await importUnsynced(b, file)).toEqual({ ok: true, enqueued: 6, alreadyQueued: 0, records: 5 });
    // The second time its records are not rewritten either: phone B now has them queued.
    expect(await importUnsynced(b, file)).toEqual({ ok: true, enqueued: 0, alreadyQueued: 6, records: 0 });
    expect((await outboxEntries(b)).map((m) => m.id)).toEqual((await outboxEntries(a.db)).map((m) => m.id));
    const engineB = new SyncEngine({ db: b, fetch: a.server.fetch, now: a.clock.now, baseUrl: 'http://fake.test', setTimer: new ManualTimers().setTimer });
    await engineB.signIn('demo-enumerator', 'pucha-demo'); // starts a sync
    await engineB.syncNow();
    expect((await syncLog(b)).some((l) => l.event === 'push' && JSON.stringify(l.data) === JSON.stringify({ sent: 6, applied: 1, duplicate: 5, conflict: 0, rejected: 0 }))).toBe(true);
    expect(a.server.revisions).toHaveLength(6);
    expect(a.server.versionsOf(draftFor(a.entries[0]!).id)).toEqual([1, 2]);
    expect((await outboxStats(b)).count).toBe(0);
    expect(await recordState(b, 'household', draftFor(a.entries[0]!).id)).toMatchObject({ state: 'synced', serverVersion: 2 });
    // Phone A, repaired, pushes the same file's mutations again: all duplicates.
    expect(await a.engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { duplicate: 6 } });
    expect(a.server.revisions).toHaveLength(6);
  });

  it('a file that is not an unsynced export is invalid and changes nothing', async () => {
    const db = await testDb();
    expect(await importUnsynced(db, { format: 'something-else' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect((await outboxStats(db)).count).toBe(0);
  });
});
