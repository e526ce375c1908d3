// The engine's push rules (docs/SYNC.md PU*) against the fake server.
import { describe, expect, it } from 'vitest';
import { ensureDevice, outboxEntries, outboxStats, recordState, registrationById, saveRegistration, setVisitOutcome, syncLog } from '../../src/client/db/index.ts';
import { draftFor, listingEntry } from './fixtures.ts';
import { rig } from './sync-helpers.ts';
import { Dexie, type Table, type Transaction } from 'dexie';
import { PROTOCOL_VERSION, type ListingEntry } from '../../src/domain/index.ts';

async function saveMany(db: Parameters<typeof saveRegistration>[0], entries: ListingEntry[], times = 1) {
  for (let t = 0; t < times; t++) {
    for (const e of entries) {
      const r = await saveRegistration(db, draftFor(e, 2, `v${t}`));
      if (!r.ok) throw new Error(r.reason);
    }
  }
}

describe('push', () => {
  it('[PU1] pushes the outbox in order, in batches of at most 100', async () => {
    const { db, server, engine } = await rig({ households: 125 });
    const entries = await db.listing.toArray();
    await saveMany(db, entries, 2); // 250 mutations
    const queued = (await outboxEntries(db)).map((m) => m.id);
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { applied: 250 } });
    expect(server.requests.filter((r) => r.path === '/sync/push').map((r) => r.mutations)).toEqual([100, 100, 50]);
    expect([...server.results.keys()]).toEqual(queued);
    expect(await outboxStats(db)).toEqual({ count: 0, oldestCreatedAt: undefined });
  });

  it('[PU1] pipelined: the next batch goes out while the previous answer is written; never two pushes in flight; at most one write transaction per batch, holding the acknowledgements, the record states and the log', async () => {
    const events: string[] = [];
    let pushes = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const { db, server, engine } = await rig({
      households: 125,
      wrapFetch: (real) => async (url, init) => {
        if (!url.includes('/sync/push')) return real(url, init);
        const n = ++pushes;
        events.push(`send ${n}`);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await real(url, init);
        } finally {
          inFlight--;
          events.push(`answer ${n}`);
        }
      },
    });
    await saveMany(db, await db.listing.toArray(), 2); // 250 mutations: batches of 100, 100, 50
    // Every write transaction from here on, with the tables it writes, noted when it commits.
    const writes = new Map<Transaction, Set<string>>();
    const note = (what: string) => () => {
      const trans = Dexie.currentTransaction;
      if (!trans) throw new Error('a write outside a transaction');
      let tables = writes.get(trans);
      if (!tables) {
        const no = writes.size + 1;
        tables = new Set();
        writes.set(trans, tables);
        const seen = tables;
        trans.on('complete', () => events.push(`commit ${no}: ${[...seen].sort().join(' ')}`));
      }
      tables.add(what);
    };
    for (const t of [db.outbox, db.recordState, db.syncLog, db.meta] as Table[]) {
      t.hook('creating', note(`${t.name}+`));
      t.hook('updating', note(`${t.name}~`));
      t.hook('deleting', note(`${t.name}-`));
    }
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { applied: 250 } });
    expect(pushes).toBe(3);
    expect(maxInFlight).toBe(1);
    // Every answer is written in one transaction with everything it changes (answers that arrive
    // while one is written share the next one: at most one strict commit per batch)...
    const acks = events.flatMap((e, i) => (e.includes('outbox-') ? [i] : []));
    expect(acks.length).toBeGreaterThanOrEqual(1);
    expect(acks.length).toBeLessThanOrEqual(3);
    for (const i of acks) expect(events[i]?.replace(/^commit \d+: /, '')).toBe('outbox- recordState~ syncLog+');
    // ...and nothing else is written while the batches go out (the lease was taken before).
    const pushPhase = events.slice(events.indexOf('send 1'), (acks.at(-1) ?? 0) + 1);
    expect(pushPhase.filter((e) => e.startsWith('commit'))).toHaveLength(acks.length);
    // Batch 2 goes out before the answer of batch 1 is committed.
    expect(events.indexOf('send 2')).toBeLessThan(acks[0] ?? -1);
    expect((await syncLog(db)).filter((l) => l.event === 'push').reduce((n, l) => n + Number(l.data?.sent ?? 0), 0)).toBe(250);
    expect(server.revisions).toHaveLength(250);
    expect((await outboxStats(db)).count).toBe(0);
    // Each push reported what was still queued from its own batch on (answered batches excluded).
    expect(server.pushBodies.slice(-3).map((b) => (b as { device: { pending: number } }).device.pending)).toEqual([250, 150, 50]);
  });

  it('[PU7] a failure mid-pipeline (the second answer lost) keeps the first batch acknowledged and the rest queued; the retry is all duplicates', async () => {
    let pushes = 0;
    const { db, server, engine } = await rig({
      households: 125,
      wrapFetch: (real) => async (url, init) => {
        if (url.includes('/sync/push') && ++pushes === 2) {
          await real(url, init); // the server commits, the answer never arrives
          throw new TypeError('Failed to fetch');
        }
        return real(url, init);
      },
    });
    await saveMany(db, await db.listing.toArray(), 2);
    expect(await engine.syncNow()).toMatchObject({ kind: 'offline' });
    expect((await outboxStats(db)).count).toBe(150);
    expect(server.revisions).toHaveLength(200);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { applied: 50, duplicate: 100 } });
    expect(server.revisions).toHaveLength(250);
    expect((await outboxStats(db)).count).toBe(0);
  });

  it('[PU3] applied mutations leave the outbox and the record is synced with the server version', async () => {
    const { db, server, engine, entries } = await rig();
    await saveMany(db, entries.slice(0, 1), 3);
    await engine.syncNow();
    const id = draftFor(entries[0]!).id;
    expect(server.versionsOf(id)).toEqual([1, 2, 3]);
    expect(await recordState(db, 'household', id)).toMatchObject({ state: 'synced', version: 3, serverVersion: 3 });
    expect(engine.getState()).toMatchObject({ status: 'idle', queued: 0, lastError: undefined });
  });

  it('[PU3][PU7] an answer dropped after commit: the re-push is acknowledged as duplicate, stored once', async () => {
    const { db, server, engine, entries } = await rig();
    await saveMany(db, entries);
    server.faults.push({ when: 'push', fault: { kind: 'dropAfterCommit' } });
    const first = await engine.syncNow();
    expect(first.kind).toBe('offline');
    expect((await outboxStats(db)).count).toBe(5);
    expect(server.revisions).toHaveLength(5);
    const second = await engine.syncNow();
    expect(second).toMatchObject({ kind: 'ok', pushed: { applied: 0, duplicate: 5 } });
    expect(server.revisions).toHaveLength(5);
    expect((await outboxStats(db)).count).toBe(0);
    expect((await recordState(db, 'household', draftFor(entries[0]!).id))?.state).toBe('synced');
  });

  it('[PU4] a conflict removes the mutation, flags the record and keeps the local data', async () => {
    const { db, server, engine, entries } = await rig();
    const local = draftFor(entries[0]!, 3, 'phone');
    // Another writer got version 1 to the server first.
    server.put('household', local.id, { ...draftFor(entries[0]!, 1, 'office'), version: 1, updatedAt: '2020-11-05T08:00:00Z' });
    await saveRegistration(db, local);
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { conflict: 1 } });
    expect((await outboxStats(db)).count).toBe(0);
    expect(await recordState(db, 'household', local.id)).toMatchObject({ state: 'conflict', serverVersion: 1 });
    // The pull that followed brought version 1 but did not overwrite the phone's copy.
    expect((await registrationById(db, local.id))?.persons).toHaveLength(3);
    expect(server.revisions.filter((r) => r.entityId === local.id).map((r) => r.status)).toEqual(['conflict']);
    expect(engine.getState().conflicts).toBe(1);
    // The supervisor resolves: version 2 on the server replaces the local copy on the next pull.
    server.put('household', local.id, { ...draftFor(entries[0]!, 2, 'resolved'), version: 2, updatedAt: '2020-11-06T08:00:00Z' });
    await engine.syncNow();
    expect(await recordState(db, 'household', local.id)).toMatchObject({ state: 'synced', version: 2, serverVersion: 2 });
    expect((await registrationById(db, local.id))?.persons).toHaveLength(2);
  });

  it('[PU5] a rejected mutation leaves the outbox into a visible rejected state, never dropped silently', async () => {
    const { db, server, engine, entries } = await rig();
    server.rejectIf = (m) => m.entity === 'listing';
    await setVisitOutcome(db, entries[0]!.id, { status: 'refused', note: '拒绝' });
    await saveMany(db, entries.slice(1, 2));
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { applied: 1, rejected: 1 } });
    expect((await outboxStats(db)).count).toBe(0);
    const st = await recordState(db, 'listing', entries[0]!.id);
    expect(st).toMatchObject({ state: 'rejected', error: { code: 'validation_failed' } });
    expect((await db.listing.get(entries[0]!.id))?.visit.status).toBe('refused');
    expect(engine.getState().rejected).toBe(1);
    const log = await db.syncLog.toArray();
    expect(log.some((l) => l.event === 'rejected')).toBe(true);
    // A later accepted mutation of the same record clears the flag.
    server.rejectIf = () => false;
    await setVisitOutcome(db, entries[0]!.id, { status: 'registered' });
    await engine.syncNow();
    expect((await recordState(db, 'listing', entries[0]!.id))?.state).toBe('synced');
  });

  it('[PU6] 413 halves the batch until the server takes it', async () => {
    const { db, server, engine } = await rig({ households: 70 });
    await saveMany(db, await db.listing.toArray());
    server.maxBatch = 20;
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { applied: 70 } });
    expect(server.requests.filter((r) => r.path === '/sync/push').map((r) => [r.mutations, r.status])).toEqual([
      [70, 413],
      [50, 413],
      [25, 413],
      [12, 200],
      [12, 200],
      [12, 200],
      [12, 200],
      [12, 200],
      [10, 200],
    ]);
  });

  it('[PU6] a single mutation too large for the server stops with tooLarge and stays queued', async () => {
    const { db, server, engine, entries } = await rig();
    await saveMany(db, entries.slice(0, 1));
    server.maxBatch = 0;
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'error', error: { kind: 'tooLarge' } });
    expect((await outboxEntries(db))[0]).toMatchObject({ attempts: 1 });
  });

  it('[PU2] an answer whose results do not match the batch removes nothing', async () => {
    const { db, server, engine, entries } = await rig();
    await saveMany(db, entries.slice(0, 3));
    server.faults.push({ when: 'push', fault: { kind: 'garbage' } });
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'error', error: { kind: 'invalid_response' } });
    expect((await outboxStats(db)).count).toBe(3);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { duplicate: 3 } });
  });

  it('[PU8] each push carries device id, protocol version, device sequence numbers and the device report', async () => {
    const { db, server, engine, entries, clock } = await rig();
    await saveMany(db, entries.slice(0, 2));
    await engine.syncNow();
    const body = server.pushBodies.at(-1);
    const { deviceId } = await ensureDevice(db);
    expect(body).toMatchObject({
      deviceId,
      protocolVersion: PROTOCOL_VERSION,
      device: { pending: 2, appVersion: 'dev', clock: new Date(clock.now()).toISOString() },
      mutations: [{ deviceSeq: 1 }, { deviceSeq: 2 }],
    });
    expect(server.deviceSeq.get(deviceId)).toBe(2);
  });

  it('[PU8] the device report carries the storage estimate when the browser gives one', async () => {
    const { db, server, engine, entries } = await rig({ deps: { storageEstimate: () => Promise.resolve({ usage: 1234, quota: 99_999, persisted: true }), appVersion: '0.3.0' } });
    await saveMany(db, entries.slice(0, 1));
    await engine.syncNow();
    expect(server.pushBodies.at(-1)).toMatchObject({ device: { pending: 1, appVersion: '0.3.0', storage: { usage: 1234, quota: 99_999 }, persisted: true } });
  });

  it('a registration for an entry unknown to the server side is still pushed and acknowledged', async () => {
    const { db, engine } = await rig();
    await db.listing.put(listingEntry(50));
    await saveRegistration(db, draftFor(listingEntry(50)));
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok', pushed: { applied: 1 } });
  });
});
