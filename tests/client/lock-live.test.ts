// App lock and encryption at rest (issue 10), with the real sync server: the data key is made at
// the first sign-in and wrapped by the server's device key, the PIN wraps it too; a reload finds
// the store locked; wrong PINs earn waits and the tenth signs out; a sign-in with the password
// opens the same records again and the queue, kept encrypted all along, is pushed first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getMeta, getSession, hasSession, listingOfDistrict, openDb, outboxStats, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from '../../src/client/db/database.ts';
import { choosePin, createVaultWithPin, unlockWithPin } from '../../src/client/db/lock.ts';
import { VaultLockedError } from '../../src/client/db/vault.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { draftFor, fakeClock, idFactory, type Clock } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const D_A = '130102001003001'; // demo-enumerator's district
const PIN = '470215';

let server: LiveServer;
beforeAll(async () => {
  server = await LiveServer.create({ households: 6 });
});
afterAll(async () => server.dispose());

let n = 0;
interface Phone {
  idb: IDBFactory;
  name: string;
  clock: Clock;
}
const newPhone = (): Phone => ({ idb: new IDBFactory(), name: `lock-${++n}`, clock: fakeClock(Date.now()) });
/** Opens the phone's store as the app does after a (re)start: no key given, the vault decides. */
async function start(p: Phone): Promise<{ db: PuchaDb; engine: SyncEngine }> {
  const db = await openDb(p.name, { indexedDB: p.idb, IDBKeyRange, now: p.clock.now, newId: idFactory('lk') });
  const engine = new SyncEngine({ db, fetch: server.fetch, now: p.clock.now, baseUrl: LIVE_BASE, setTimer: new ManualTimers().setTimer, random: () => 0.5 });
  return { db, engine };
}
/** The rows as they lie in IndexedDB, read without the app's layers. */
async function rawRows(p: Phone, table: string): Promise<Record<string, unknown>[]> {
  const raw = new Dexie(p.name, { indexedDB: p.idb, IDBKeyRange });
  await raw.open();
  try {
    return (await raw.table(table).toArray()) as Record<string, unknown>[];
  } finally {
    raw.close();
  }
}

/** The phone's store as the version before encryption opened it: the same schema, no encryption layer. */
async function previousVersionStore(p: Phone): Promise<Dexie> {
  const old = new Dexie(p.name, { indexedDB: p.idb, IDBKeyRange });
  old.version(1).stores(SCHEMA_V1);
  old.version(2).stores(SCHEMA_V2);
  old.version(3).stores(SCHEMA_V3);
  await old.open();
  return old;
}

describe('app lock and encryption at rest', () => {
  it('[LK1] sign-in makes the key, the PIN wraps it, a restart is locked, the PIN opens it', async () => {
    const p = newPhone();
    const first = await start(p);
    expect(first.db.vault.state()).toBe('none');
    expect((await first.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    expect(first.db.vault.state()).toBe('unlocked');
    expect(first.db.vault.pinRequired()).toBe(true); // the app asks for a PIN before anything else
    await first.engine.syncNow();
    const entry = (await listingOfDistrict(first.db, D_A))[0];
    if (!entry) throw new Error('no listing');
    expect(await choosePin(first.db, '111111')).toEqual({ ok: false, problem: 'weak' });
    expect(await choosePin(first.db, '12345')).toEqual({ ok: false, problem: 'format' });
    expect(await choosePin(first.db, PIN)).toEqual({ ok: true });
    expect(first.db.vault.pinRequired()).toBe(false);
    const vault = await getMeta(first.db, 'vault');
    expect(vault?.pin?.iterations).toBeGreaterThanOrEqual(600_000);
    expect(vault?.device).toBeDefined();
    first.engine.stop();
    first.db.close();

    const again = await start(p);
    expect(again.db.vault.state()).toBe('locked');
    await expect(listingOfDistrict(again.db, D_A)).rejects.toBeInstanceOf(VaultLockedError);
    await expect(getSession(again.db)).rejects.toBeInstanceOf(VaultLockedError);
    expect(await hasSession(again.db)).toBe(true); // readable while locked: the lock screen needs it
    expect(await unlockWithPin(again.db, '000000')).toMatchObject({ ok: false, reason: 'wrong', left: 9 });
    expect(await unlockWithPin(again.db, PIN)).toEqual({ ok: true });
    expect((await listingOfDistrict(again.db, D_A)).map((e) => e.id)).toContain(entry.id);
    expect((await getSession(again.db))?.user.username).toBe('demo-enumerator');
    // a success clears the count: the next wrong PIN has all its tries again
    again.db.vault.forget();
    expect(await unlockWithPin(again.db, '000000')).toMatchObject({ ok: false, reason: 'wrong', left: 9 });
    again.db.close();
  });

  it('[LK2] no name, citizen ID, address or token lies in clear in IndexedDB; index fields and ids only', async () => {
    const p = newPhone();
    const { db, engine } = await start(p);
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await engine.syncNow();
    const entry = (await listingOfDistrict(db, D_A))[0];
    if (!entry) throw new Error('no listing');
    server.offline = true;
    const draft = draftFor(entry, 2, 'lk');
    const saved = await saveRegistration(db, draft);
    if (!saved.ok) throw new Error(saved.reason);
    const session = await getSession(db);
    engine.stop();
    db.close();

    const secrets = [entry.headName, entry.address, ...draft.persons.flatMap((x) => [x.name, x.citizenId ?? '']), session?.token ?? 'x', session?.user.name ?? 'x'].filter((s): s is string => typeof s === 'string' && s.length >= 2);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const clearFields: Record<string, string[]> = {
      listing: ['_e', 'id', 'districtCode', 'householdNo'],
      registrations: ['_e', 'id', 'listingId', 'districtCode'],
      outbox: ['_e', 'seq', 'id', 'entity', 'entityId'],
    };
    for (const [table, allowed] of Object.entries(clearFields)) {
      const rows = await rawRows(p, table);
      expect(rows.length, table).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Object.keys(row).every((k) => allowed.includes(k)), `${table}: ${Object.keys(row).join(',')}`).toBe(true);
        const text = JSON.stringify(row) + new TextDecoder().decode(row._e as Uint8Array);
        for (const s of secrets) expect(text.includes(s), `${table} holds ${s}`).toBe(false);
      }
    }
    const meta = await rawRows(p, 'meta');
    const sessionRow = meta.find((r) => r.key === 'session');
    expect(Object.keys(sessionRow ?? {}).sort()).toEqual(['_e', 'key']);
    for (const s of secrets) expect(JSON.stringify(meta).includes(s), `meta holds ${s}`).toBe(false);
    // two rows with the same content get different ciphertexts (fresh IVs)
    const outbox = await rawRows(p, 'outbox');
    const blobs = new Set(outbox.map((r) => Buffer.from(r._e as Uint8Array).toString('hex').slice(0, 24)));
    expect(blobs.size).toBe(outbox.length);
    server.offline = false;
  });

  it('[LK3] wrong PINs wait longer and longer (kept across a restart); the tenth signs out; the password opens the same records and the queue is pushed', async () => {
    const p = newPhone();
    const first = await start(p);
    expect((await first.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await first.engine.syncNow();
    const entry = (await listingOfDistrict(first.db, D_A))[1];
    if (!entry) throw new Error('no listing');
    expect(await choosePin(first.db, PIN)).toEqual({ ok: true });
    server.offline = true;
    const saved = await saveRegistration(first.db, draftFor(entry, 1, 'lk3'));
    if (!saved.ok) throw new Error(saved.reason);
    server.offline = false;
    first.engine.stop();
    first.db.close();

    let phone = await start(p);
    const waits: number[] = [];
    for (let i = 1; i <= 9; i++) {
      const r = await unlockWithPin(phone.db, '909090');
      if (!r.ok && r.reason === 'wrong') {
        expect(r.left).toBe(10 - i);
        waits.push(r.notBefore - p.clock.now());
        // too early: refused without even trying the PIN (the right one included)
        if (r.notBefore > p.clock.now()) expect(await unlockWithPin(phone.db, PIN)).toMatchObject({ ok: false, reason: 'wait' });
        p.clock.advance(r.notBefore - p.clock.now());
      } else throw new Error(`try ${i}: ${JSON.stringify(r)}`);
      if (i === 5) {
        // a restart does not reset the count
        phone.db.close();
        phone = await start(p);
      }
    }
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (let i = 3; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1] ?? 0);
    expect(await unlockWithPin(phone.db, '909090')).toEqual({ ok: false, reason: 'signedOut' });
    expect(await hasSession(phone.db)).toBe(false);
    expect(phone.db.vault.state()).toBe('locked');
    expect(await phone.db.outbox.count()).toBe(1); // still there, still encrypted

    // Forgotten PIN: the password, online. The server's device key opens the same data key.
    const signed = await phone.engine.signIn('demo-enumerator', 'pucha-demo');
    expect(signed.ok).toBe(true);
    expect(phone.db.vault.state()).toBe('unlocked');
    expect(phone.db.vault.pinRequired()).toBe(true); // a new PIN before the app opens
    expect((await outboxStats(phone.db)).count).toBe(1);
    await phone.engine.syncNow();
    expect((await outboxStats(phone.db)).count).toBe(0);
    expect(server.revisions().filter((r) => r.entityId === saved.registration.id && r.status === 'applied')).toHaveLength(1);
    expect(await choosePin(phone.db, '582046')).toEqual({ ok: true });
    phone.engine.stop();
    phone.db.close();
    const after = await start(p);
    expect(await unlockWithPin(after.db, PIN)).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await unlockWithPin(after.db, '582046')).toEqual({ ok: true });
    after.db.close();
  });

  it('[LK4] a store written in clear by the version before encryption is sealed at the next sign-in, queue included', async () => {
    const p = newPhone();
    const old = await previousVersionStore(p);
    const boot = await start(newPhone()); // a throwaway phone only to fetch a real listing entry
    expect((await boot.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await boot.engine.syncNow();
    const entry = (await listingOfDistrict(boot.db, D_A))[2];
    if (!entry) throw new Error('no listing');
    boot.engine.stop();
    boot.db.close();
    await old.table('listing').put(entry);
    await old.table('outbox').add({ id: crypto.randomUUID(), entity: 'listing', entityId: entry.id, baseVersion: 0, createdAt: new Date().toISOString(), deviceSeq: 1, data: { ...entry }, attempts: 0 });
    old.close();
    expect(JSON.stringify(await rawRows(p, 'listing'))).toContain(entry.headName);

    const { db, engine } = await start(p);
    expect(db.vault.state()).toBe('none');
    expect((await listingOfDistrict(db, D_A)).map((e) => e.id)).toEqual([entry.id]); // readable as it was
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    const raw = await rawRows(p, 'listing');
    expect(raw.length).toBeGreaterThan(0);
    expect(JSON.stringify(raw)).not.toContain(entry.headName);
    expect(raw.every((r) => r._e !== undefined)).toBe(true);
    expect((await listingOfDistrict(db, D_A)).some((e) => e.headName === entry.headName)).toBe(true);
    const queued = await rawRows(p, 'outbox');
    expect(queued.length).toBeGreaterThan(0);
    expect(JSON.stringify(queued)).not.toContain(entry.headName);
    expect(queued.every((r) => r._e !== undefined)).toBe(true);
    engine.stop();
    db.close();
  });

  it('[LK5] without the key nothing with personal data is written, and a failed transaction leaves nothing half-written', async () => {
    const p = newPhone();
    const { db, engine } = await start(p);
    expect((await engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await engine.syncNow();
    const [a, b] = await listingOfDistrict(db, D_A);
    if (!a || !b) throw new Error('no listing');
    // atomic across the waits for WebCrypto: read, write, write, fail -> nothing
    await expect(
      db.transaction('rw', db.listing, async () => {
        const x = await db.listing.get(a.id);
        await db.listing.put({ ...a, headName: `${x?.headName ?? ''}改` });
        await db.listing.put({ ...b, headName: '改' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await db.listing.get(a.id))?.headName).toBe(a.headName);
    expect((await db.listing.get(b.id))?.headName).toBe(b.headName);
    // and the same transaction without the failure commits both
    await db.transaction('rw', db.listing, async () => {
      const x = await db.listing.get(a.id);
      await db.listing.put({ ...a, headName: `${x?.headName ?? ''}改` });
      await db.listing.put({ ...b, headName: '改' });
    });
    expect((await db.listing.get(b.id))?.headName).toBe('改');
    db.vault.forget();
    await expect(db.listing.put(a)).rejects.toBeInstanceOf(VaultLockedError);
    await expect(db.drafts.put({ listingId: a.id, districtCode: D_A, data: {}, updatedAt: 1 })).rejects.toBeInstanceOf(VaultLockedError);
    expect(await db.listing.count()).toBeGreaterThan(0);
    engine.stop();
    db.close();
  });
  it('[LK6] a phone upgraded while signed in: the PIN makes the vault and seals the rows; the next sync adds the device key', async () => {
    const boot = await start(newPhone());
    expect((await boot.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    await boot.engine.syncNow();
    const entry = (await listingOfDistrict(boot.db, D_A))[3];
    const session = await getSession(boot.db);
    // The same phone: its token was issued to its device id, which the old store kept too.
    const deviceId = await getMeta(boot.db, 'deviceId');
    const marker = await getMeta(boot.db, 'marker');
    if (!entry || !session || !deviceId || !marker) throw new Error('no listing');
    boot.engine.stop();
    boot.db.close();
    const p = newPhone();
    const old = await previousVersionStore(p);
    await old.table('listing').put(entry);
    await old.table('meta').bulkPut([
      { key: 'session', value: session },
      { key: 'owner', value: { userId: session.user.id, username: session.user.username } },
      { key: 'deviceId', value: deviceId },
      { key: 'marker', value: marker },
      { key: 'deviceSeq', value: 0 },
    ]);
    old.close();

    const { db, engine } = await start(p);
    expect(db.vault.state()).toBe('none');
    expect(await hasSession(db)).toBe(true);
    expect(await createVaultWithPin(db, '123456')).toEqual({ ok: false, problem: 'weak' });
    expect(await createVaultWithPin(db, PIN)).toEqual({ ok: true });
    expect(JSON.stringify(await rawRows(p, 'listing'))).not.toContain(entry.headName);
    expect(JSON.stringify(await rawRows(p, 'meta'))).not.toContain(session.token);
    expect((await getMeta(db, 'vault'))?.device).toBeUndefined();
    await engine.start();
    await engine.syncNow();
    expect((await getMeta(db, 'vault'))?.device).toBeDefined();
    engine.stop();
    db.close();
    // the device wrap works: forget the PIN, sign in, same records
    const again = await start(p);
    expect(again.db.vault.state()).toBe('locked');
    expect((await again.engine.signIn('demo-enumerator', 'pucha-demo')).ok).toBe(true);
    expect((await listingOfDistrict(again.db, D_A)).some((e) => e.headName === entry.headName)).toBe(true);
    again.engine.stop();
    again.db.close();
  });
});
