// The drain's reads and acknowledgements (issue 10, drain speed): the outbox batch read as stored
// and decrypted outside its transaction, `pending` without recounting the whole queue, the queued
// count the engine shows during a drain, damaged rows, and the record states of an answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { applyPushResults, countQueued, outboxBatch, outboxEntries, recordState, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { draftFor, seedAssignment, testDb } from './fixtures.ts';
import { rig } from './sync-helpers.ts';
import type { ListingEntry } from '../../src/domain/index.ts';

async function save(db: PuchaDb, entries: readonly ListingEntry[], tag = 'a'): Promise<void> {
  for (const e of entries) {
    const r = await saveRegistration(db, draftFor(e, 2, tag));
    if (!r.ok) throw new Error(r.reason);
  }
}

const fullCount = (db: PuchaDb, afterSeq: number) => db.outbox.where('seq').above(afterSeq).count();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the outbox batch read', () => {
  it('reports pending exactly at every batch while saves are queued between reads, counting only the rows queued since', async () => {
    const db = await testDb();
    const entries = await seedAssignment(db, 260);
    await save(db, entries.slice(0, 250));
    // Every count the reads ask IndexedDB for, by the lowest seq its range may include.
    const counted: number[] = [];
    const proto: IDBObjectStore = FakeObjectStore.prototype;
    const count = Object.getOwnPropertyDescriptor(proto, 'count')?.value as (this: IDBObjectStore, q?: IDBValidKey | IDBKeyRange) => IDBRequest<number>;
    vi.spyOn(proto, 'count').mockImplementation(function (this: IDBObjectStore, query?: unknown) {
      if (this.name === 'outbox' && query instanceof IDBKeyRange) counted.push(query.lowerOpen ? Number(query.lower) + 1 : Number(query.lower));
      return count.call(this, query as IDBValidKey | IDBKeyRange | undefined);
    });

    const b1 = await outboxBatch(db, 0, 100);
    expect(b1.rows).toHaveLength(100);
    expect(b1.pending).toBe(250);
    await save(db, entries.slice(250, 260)); // queued while batch 1 is out
    counted.length = 0;
    const b2 = await outboxBatch(db, b1.lastSeq, 100, b1.tail);
    // Only the rows queued after what batch 1 knew were counted, never batch 2's range again.
    expect(counted).toEqual([b1.tail.upTo + 1]);
    expect(b2.pending).toBe(await fullCount(db, b1.lastSeq));
    expect(b2.pending).toBe(160);
    const b3 = await outboxBatch(db, b2.lastSeq, 100, b2.tail);
    expect(b3.rows).toHaveLength(60);
    expect(b3.pending).toBe(60);
    expect(b3.rows.map((r) => r.entityId)).toEqual(entries.slice(200, 260).map((e) => `R-${e.id}`));
    const b4 = await outboxBatch(db, b3.lastSeq, 100, b3.tail);
    expect(b4).toMatchObject({ rows: [], pending: 0, lastSeq: b3.lastSeq });
  });

  it('reports pending exactly when a batch reaches past what the previous read knew', async () => {
    const db = await testDb();
    const entries = await seedAssignment(db, 300);
    await save(db, entries.slice(0, 130));
    const b1 = await outboxBatch(db, 0, 100);
    expect(b1.tail.stored).toBe(30);
    await save(db, entries.slice(130, 300)); // 170 more: the next batch holds 30 known rows and 70 new ones
    const b2 = await outboxBatch(db, b1.lastSeq, 100, b1.tail);
    expect(b2.rows).toHaveLength(100);
    expect(b2.pending).toBe(200);
    expect(b2.pending).toBe(await fullCount(db, b1.lastSeq));
    const b3 = await outboxBatch(db, b2.lastSeq, 100, b2.tail);
    expect(b3.pending).toBe(await fullCount(db, b2.lastSeq));
    expect(b3.pending).toBe(100);
  });

  it('countQueued equals the outbox count as batches are acknowledged and saves queued', async () => {
    const db = await testDb();
    const entries = await seedAssignment(db, 240);
    await save(db, entries.slice(0, 200));
    const b1 = await outboxBatch(db, 0, 100);
    const b2 = await outboxBatch(db, b1.lastSeq, 100, b1.tail);
    expect(await countQueued(db, b2.lastSeq, b2.tail)).toBe(await db.outbox.count());
    await applyPushResults(db, b1.rows, b1.rows.map((r) => ({ id: r.id, status: 'applied' as const, version: 1 })));
    await save(db, entries.slice(200, 240));
    expect(await countQueued(db, b2.lastSeq, b2.tail)).toBe(await db.outbox.count());
    expect(await db.outbox.count()).toBe(140);
  });

  it('leaves out a row that no longer decrypts; the drain pushes every other row and the damaged one stays queued', async () => {
    const { db, server, engine, entries } = await rig({ households: 150 });
    await save(db, entries.slice(0, 150));
    const victim = (await outboxEntries(db))[120];
    if (!victim) throw new Error('no row');
    // Flip one byte of the sealed row, as a damaged disk or a tampered profile would.
    await new Promise<void>((resolve, reject) => {
      const tx = db.backendDB().transaction('outbox', 'readwrite');
      const store = tx.objectStore('outbox');
      const get = store.get(victim.seq);
      get.onsuccess = () => {
        const row = get.result as { _e: Uint8Array };
        const sealed = new Uint8Array(row._e);
        sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 0xff;
        store.put({ ...row, _e: sealed });
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('write failed'));
    });
    const out = await engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { applied: 149 } });
    expect(server.results.has(victim.id)).toBe(false);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.outbox.toCollection().primaryKeys())[0]).toBe(victim.seq);
    expect(engine.getState()).toMatchObject({ status: 'idle', queued: 1, oldestQueuedAt: undefined });
    expect(await recordState(db, 'household', victim.entityId)).toMatchObject({ state: 'pending' });
  });
});

describe('the acknowledgement of an answer', () => {
  it('keeps a record pending while a later mutation of it is queued, in the batch or after it, and synced once its last one is answered', async () => {
    let pushes = 0;
    let afterFirst: Record<string, unknown> | undefined;
    const r = await rig({
      households: 4,
      deps: { batchSize: 3 },
      wrapFetch: (real) => async (url, init) => {
        if (url.includes('/sync/push') && ++pushes === 2) {
          // The first answer is written while this push is out: wait for it, then look.
          for (let i = 0; i < 1000 && (await r.db.outbox.count()) > 3; i++) await new Promise((ok) => setTimeout(ok, 1));
          afterFirst = Object.fromEntries(await Promise.all(['a', 'b', 'c'].map(async (k, i) => [k, await recordState(r.db, 'household', `R-${r.entries[i]?.id ?? ''}`)] as const)));
        }
        return real(url, init);
      },
    });
    const [a, b, c] = r.entries as [ListingEntry, ListingEntry, ListingEntry];
    // Push order a, a, b | c, a, c: the first batch holds a twice and b, and a has one more after it.
    await save(r.db, [a]);
    await save(r.db, [a, b], 'b');
    await save(r.db, [c], 'c');
    await save(r.db, [a], 'd');
    await save(r.db, [c], 'e');
    const out = await r.engine.syncNow();
    expect(out).toMatchObject({ kind: 'ok', pushed: { applied: 6 } });
    expect(afterFirst).toMatchObject({
      a: { state: 'pending', serverVersion: 2, version: 3 },
      b: { state: 'synced', serverVersion: 1 },
      c: { state: 'pending', serverVersion: 0 },
    });
    expect(await recordState(r.db, 'household', `R-${a.id}`)).toMatchObject({ state: 'synced', serverVersion: 3, version: 3 });
    expect(await recordState(r.db, 'household', `R-${b.id}`)).toMatchObject({ state: 'synced', serverVersion: 1 });
    expect(await recordState(r.db, 'household', `R-${c.id}`)).toMatchObject({ state: 'synced', serverVersion: 2, version: 2 });
  });

  it('an answer for rows another tab already acknowledged leaves their record states alone', async () => {
    const db = await testDb();
    const entries = await seedAssignment(db, 3);
    await save(db, entries);
    const rows = await outboxEntries(db);
    const results = rows.map((r) => ({ id: r.id, status: 'applied' as const, version: 1 }));
    // The other tab acknowledged the middle row and its record was edited again since.
    await db.outbox.delete(rows[1]?.seq ?? 0);
    await db.recordState.update(`household:${rows[1]?.entityId ?? ''}`, { state: 'conflict' });
    const sum = await applyPushResults(db, rows, results);
    expect(sum).toEqual({ applied: 3, duplicate: 0, conflict: 0, rejected: 0 });
    expect(await db.outbox.count()).toBe(0);
    expect(await recordState(db, 'household', rows[0]?.entityId ?? '')).toMatchObject({ state: 'synced' });
    expect(await recordState(db, 'household', rows[1]?.entityId ?? '')).toMatchObject({ state: 'conflict' });
  });
});
