// The encryption layer's plaintext cache: a row this page wrote or read is served again without a
// WebCrypto round trip, but only while the stored bytes are exactly the ones it knows, only under
// the same key, only for the same table and id, and never once the vault is locked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openDb, PuchaDb, saveRegistration } from '../../src/client/db/index.ts';
import type { ReviewQuery } from '../../src/domain/index.ts';
import { PlainCache } from '../../src/client/db/encryption.ts';
import { VaultLockedError } from '../../src/client/db/vault.ts';
import { DISTRICT, draftFor, fakeClock, freshIdb, idFactory, listingEntry, seedAssignment, TEST_KEY } from './fixtures.ts';

const listingEntries = (n: number) => Array.from({ length: n }, (_, i) => listingEntry(i + 1));

const opened: PuchaDb[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

async function store(idb: IDBFactory, name = 'pc'): Promise<PuchaDb> {
  const db = await openDb(name, { indexedDB: idb, IDBKeyRange, dataKey: TEST_KEY });
  opened.push(db);
  return db;
}

/** The rows as they lie in IndexedDB, read and written without the app's layers. */
async function raw(idb: IDBFactory, name: string): Promise<Dexie> {
  const d = new Dexie(name, { indexedDB: idb, IDBKeyRange });
  await d.open();
  return d;
}

const decrypts = () => vi.spyOn(crypto.subtle, 'decrypt');

describe('plaintext cache of the encryption layer', () => {
  it('[PC1] a row written, then read twice, is decrypted by none of the reads; each read gets its own copy', async () => {
    const db = await store(new IDBFactory());
    const [entry] = listingEntries(1);
    await db.listing.put(entry!);
    const spy = decrypts();
    const a = await db.listing.get(entry!.id);
    expect(a).toEqual(entry);
    a!.headName = 'changed by the caller';
    const b = await db.listing.get(entry!.id);
    expect(b).toEqual(entry);
    expect(spy).not.toHaveBeenCalled();
    // Inside a write transaction too (the save's reads), and through a query.
    await db.transaction('rw', db.listing, async () => {
      expect(await db.listing.get(entry!.id)).toEqual(entry);
      await db.listing.put({ ...entry!, headName: '王五' });
    });
    expect(await db.listing.where('districtCode').equals(entry!.districtCode).toArray()).toEqual([{ ...entry!, headName: '王五' }]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('[PC2] a row rewritten by another tab is read as the other tab wrote it', async () => {
    const idb = new IDBFactory();
    const one = await store(idb, 'tabs');
    const two = await store(idb, 'tabs');
    const [entry] = listingEntries(1);
    await one.listing.put(entry!);
    expect((await one.listing.get(entry!.id))?.headName).toBe(entry!.headName);
    await two.listing.put({ ...entry!, headName: '另一个标签页' });
    const spy = decrypts();
    expect((await one.listing.get(entry!.id))?.headName).toBe('另一个标签页');
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('[PC3] a write whose transaction aborted is never served: the stored row is', async () => {
    const db = await store(new IDBFactory());
    const [entry] = listingEntries(1);
    await db.listing.put(entry!);
    await expect(
      db.transaction('rw', db.listing, async () => {
        await db.listing.put({ ...entry!, headName: '未提交' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await db.listing.get(entry!.id))?.headName).toBe(entry!.headName);
  });

  it('[PC4] sealed bytes copied onto another record still fail to decrypt', async () => {
    const idb = new IDBFactory();
    const db = await store(idb, 'moved');
    const [a, b] = listingEntries(2);
    await db.listing.bulkPut([a!, b!]);
    expect(await db.listing.get(a!.id)).toEqual(a);
    const r = await raw(idb, 'moved');
    const sealedA = (await r.table('listing').get(a!.id)) as Record<string, unknown>;
    await r.table('listing').put({ ...sealedA, id: b!.id });
    r.close();
    await expect(db.listing.get(b!.id)).rejects.toThrow();
  });

  it('[PC5] once the key is forgotten the plaintext is dropped and nothing is served from memory', async () => {
    const db = await store(new IDBFactory());
    const [entry] = listingEntries(1);
    await db.listing.put(entry!);
    expect(await db.listing.get(entry!.id)).toEqual(entry);
    expect(db.plainCache.size).toBe(1);
    db.vault.forget();
    // Gone from memory with the key, not only refused.
    expect(db.plainCache.size).toBe(0);
    await expect(db.listing.get(entry!.id)).rejects.toBeInstanceOf(VaultLockedError);
  });

  it('[PC6] holds at most its bound, least recently used out first, and nothing under another key', async () => {
    const key = TEST_KEY;
    const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const c = new PlainCache(2);
    const bytes = (n: number) => new Uint8Array([n, n, n]);
    c.remember(key, 't', 'a', bytes(1), '"a"');
    c.remember(key, 't', 'b', bytes(2), '"b"');
    expect(c.recall(key, 't', 'a', bytes(1))).toBe('"a"'); // a is now the most recent
    c.remember(key, 't', 'c', bytes(3), '"c"');
    expect(c.size).toBe(2);
    expect(c.recall(key, 't', 'b', bytes(2))).toBeUndefined();
    expect(c.recall(key, 't', 'a', bytes(1))).toBe('"a"');
    expect(c.recall(key, 't', 'a', bytes(9))).toBeUndefined(); // other bytes: the row changed
    expect(c.recall(key, 'u', 'a', bytes(1))).toBeUndefined(); // other table
    expect(c.recall(other, 't', 'a', bytes(1))).toBeUndefined(); // other key
    c.remember(other, 't', 'd', bytes(4), '"d"');
    expect(c.size).toBe(1); // a new key drops what the old one knew
    expect(c.recall(key, 't', 'c', bytes(3))).toBeUndefined();
  });

  it('[PC7] a save whose reads the cache serves stays one transaction, review answer included', async () => {
    const db = new PuchaDb(`pc7-${Math.random()}`, { ...freshIdb(), now: fakeClock().now, newId: idFactory() });
    opened.push(db);
    // Which IndexedDB transaction each request of the store goes to.
    const ids = new WeakMap<object, number>();
    let next = 0;
    const seen: number[] = [];
    const tx = (t: object) => {
      if (!ids.has(t)) ids.set(t, ++next);
      seen.push(ids.get(t)!);
    };
    db.use({
      stack: 'dbcore',
      name: 'which-transaction',
      level: 5,
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          return {
            ...t,
            get: (req) => (tx(req.trans), t.get(req)),
            getMany: (req) => (tx(req.trans), t.getMany(req)),
            query: (req) => (tx(req.trans), t.query(req)),
            count: (req) => (tx(req.trans), t.count(req)),
            mutate: (req) => (tx(req.trans), t.mutate(req)),
          };
        },
      }),
    });
    await db.open();
    const [entry] = await seedAssignment(db, 1);
    const subject = { name: '李强', citizenId: '130102197503021334', sex: 1 as const, birth: '1975-03', address: '光华路9号' };
    const query: ReviewQuery = { id: 'q-1', districtCode: DISTRICT, category: 'hukouMissing', origin: 'compare', message: '户籍登记有此人，普查未登记', subject, status: 'open', createdBy: 'u-county', createdAt: '2020-11-20T08:00:00Z', version: 2 };
    await db.queries.put(query);
    const reg = draftFor(entry!, 2);
    const spy = decrypts();
    for (const review of [undefined, { queryId: 'q-1', personId: reg.persons[1]!.id, text: '已补登' }]) {
      seen.length = 0;
      const r = await saveRegistration(db, reg, review);
      expect(r.ok).toBe(true);
      expect(new Set(seen).size).toBe(1);
      expect(seen.length).toBeGreaterThanOrEqual(review ? 12 : 9);
    }
    expect(spy).not.toHaveBeenCalled(); // every read was served from the cache
    expect((await db.outbox.orderBy('seq').toArray()).map((m) => m.entity)).toEqual(['household', 'household', 'queryAnswer']);
  });
});
