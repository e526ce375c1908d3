// Encryption at rest (issue 10), as a Dexie DBCore middleware at the bottom of the stack, so every
// read and write of a table with personal data passes through it and nothing above it (the app,
// liveQuery) sees a difference. A stored row keeps in clear only its primary key and the fields
// its indexes need (none of them personal: ids, district codes, household numbers, states); the
// whole row is AES-256-GCM encrypted into `_e` (12-byte random IV + ciphertext), with the table
// and the row's id as additional data, so a row moved to another record fails to decrypt.
//
// WebCrypto is asynchronous and an IndexedDB transaction commits as soon as it has no request
// pending when control returns to the event loop. So while a row is encrypted or decrypted the
// middleware keeps its transaction busy with cheap requests (`keepAlive`), and hands the result
// back from inside a request callback, where the transaction is active again: the caller's next
// request in the same transaction still works, and a transaction stays one atomic unit.
import type { DBCore, DBCoreCursor, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { VaultLockedError, type Vault } from './vault.ts';

/** The tables with personal data, each with the fields kept in clear (primary key first, then index fields). */
export const ENCRYPTED_TABLES: Readonly<Record<string, { clear: readonly string[]; id: string; sealsRow?: (row: Record<string, unknown>) => boolean }>> = {
  listing: { clear: ['id', 'districtCode', 'householdNo'], id: 'id' },
  registrations: { clear: ['id', 'listingId', 'districtCode'], id: 'id' },
  outbox: { clear: ['seq', 'id', 'entity', 'entityId'], id: 'id' },
  queries: { clear: ['id', 'householdId', 'districtCode', 'status'], id: 'id' },
  drafts: { clear: ['listingId', 'districtCode'], id: 'listingId' },
  // Only the session (the bearer token and the user's name); the rest of meta is device bookkeeping
  // the app needs before it is unlocked (device id, wipe marker, the vault record itself).
  meta: { clear: ['key'], id: 'key', sealsRow: (row) => ENCRYPTED_META.has(String(row.key)) },
};
export const ENCRYPTED_META: ReadonlySet<string> = new Set(['session']);

const ENC = '_e';
const enc = new TextEncoder();
const dec = new TextDecoder();

type Row = Record<string, unknown>;
const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
// Not `instanceof`: a value read back may come from another realm (a test's jsdom window).
const isBytes = (v: unknown): v is Uint8Array<ArrayBuffer> => Object.prototype.toString.call(v) === '[object Uint8Array]';
export const isEncryptedRow = (v: unknown): boolean => isRow(v) && isBytes(v[ENC]);

function aad(table: string, row: Row, idField: string): Uint8Array<ArrayBuffer> {
  return enc.encode(`pucha-row\u0000${table}\u0000${String(row[idField])}`);
}

export async function encryptRow(key: CryptoKey, table: string, row: Row, cache?: PlainCache): Promise<Row> {
  const spec = ENCRYPTED_TABLES[table];
  if (!spec || (spec.sealsRow && !spec.sealsRow(row))) return row;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const json = JSON.stringify(row);
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(table, row, spec.id) }, key, enc.encode(json)));
  const sealed = new Uint8Array(12 + body.length);
  sealed.set(iv, 0);
  sealed.set(body, 12);
  const out: Row = { [ENC]: sealed };
  for (const f of spec.clear) if (row[f] !== undefined) out[f] = row[f];
  cache?.remember(key, table, String(row[spec.id]), sealed, json);
  return out;
}

export async function decryptRow(key: CryptoKey | undefined, table: string, row: unknown, cache?: PlainCache): Promise<unknown> {
  if (!isRow(row) || !isBytes(row[ENC])) return row; // not encrypted (written before encryption existed)
  const spec = ENCRYPTED_TABLES[table];
  if (!spec) return row;
  if (!key) throw new VaultLockedError(`cannot read ${table}`);
  const sealed = row[ENC];
  const id = String(row[spec.id]);
  const known = cache?.recall(key, table, id, sealed);
  let json: string;
  if (known !== undefined) json = known;
  else {
    json = dec.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, 12), additionalData: aad(table, row, spec.id) }, key, sealed.subarray(12)));
    cache?.remember(key, table, id, sealed, json);
  }
  return withClear(table, spec.clear, row, JSON.parse(json));
}

function withClear(table: string, clear: readonly string[], stored: Row, value: unknown): Row {
  if (!isRow(value)) throw new Error(`${table}: decrypted row is not an object`);
  // The clear fields the store assigned (an auto-incremented outbox seq) win over the sealed copy.
  for (const f of clear) if (stored[f] !== undefined) value[f] = stored[f];
  return value;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The plaintext of the rows this page encrypted or decrypted last, so reading a row again costs
 * no WebCrypto round trip (a save reads back the listing entry and the registration it wrote the
 * time before). An entry holds the sealed bytes it belongs to and serves only a stored row with
 * exactly those bytes: a row rewritten since (by another tab, a pull, an aborted write that never
 * landed) misses and is decrypted. Nothing is served under another key, and the whole cache is
 * dropped when the vault locks, so it holds personal data only while the store is open anyway.
 */
export class PlainCache {
  private readonly rows = new Map<string, { sealed: Uint8Array; json: string }>();
  private key: CryptoKey | undefined;
  constructor(private readonly max = 256) {}

  recall(key: CryptoKey, table: string, id: string, sealed: Uint8Array): string | undefined {
    if (key !== this.key) return undefined;
    const k = `${table}\u0000${id}`;
    const hit = this.rows.get(k);
    if (!hit || !sameBytes(hit.sealed, sealed)) return undefined;
    this.rows.delete(k); // most recently used last
    this.rows.set(k, hit);
    return hit.json;
  }

  remember(key: CryptoKey, table: string, id: string, sealed: Uint8Array, json: string): void {
    if (key !== this.key) {
      this.rows.clear();
      this.key = key;
    }
    const k = `${table}\u0000${id}`;
    this.rows.delete(k);
    this.rows.set(k, { sealed, json });
    if (this.rows.size > this.max) this.rows.delete(this.rows.keys().next().value!);
  }

  clear(): void {
    this.rows.clear();
    this.key = undefined;
  }

  get size(): number {
    return this.rows.size;
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Resolves with `work`'s result from inside an IndexedDB request callback of `trans`, issuing
 * trivial requests until `work` settles so the transaction cannot commit in between.
 */
export function keepAlive<T>(trans: DBCoreTransaction, storeName: string, work: Promise<T>): Promise<T> {
  let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  work.then(
    (value) => (settled = { ok: true, value }),
    (error: unknown) => (settled = { ok: false, error }),
  );
  const idb = trans as unknown as IDBTransaction;
  return new Promise<T>((resolve, reject) => {
    const finish = () => (settled?.ok ? resolve(settled.value) : reject(asError(settled?.error)));
    const spin = () => {
      let req: IDBRequest;
      try {
        req = idb.objectStore(storeName).count(-Infinity);
      } catch {
        // The transaction is over (aborted, or finished by its owner): nothing to keep alive.
        work.then(resolve, (e: unknown) => reject(asError(e)));
        return;
      }
      req.onsuccess = () => (settled ? finish() : spin());
      req.onerror = (ev) => {
        ev.preventDefault(); // a failed probe must not abort the caller's transaction
        work.then(resolve, (e: unknown) => reject(asError(e)));
      };
    };
    spin();
  });
}

function encryptingTable(t: DBCoreTable, vault: Vault, cache: PlainCache): DBCoreTable {
  const name = t.name;
  /**
   * The rows in clear when the cache knows every encrypted one (or none is encrypted), else
   * undefined. Synchronous, so a read served from memory continues like the read of a row in
   * clear, with no extra promise hop.
   */
  const known = (key: CryptoKey, rows: readonly unknown[]): unknown[] | undefined => {
    const spec = ENCRYPTED_TABLES[name]!;
    const out: unknown[] = [];
    for (const r of rows) {
      if (!isEncryptedRow(r)) out.push(r);
      else {
        const json = cache.recall(key, name, String((r as Row)[spec.id]), (r as Row)[ENC] as Uint8Array);
        if (json === undefined) return undefined;
        out.push(withClear(name, spec.clear, r as Row, JSON.parse(json)));
      }
    }
    return out;
  };
  /** The rows in clear, from the cache or else decrypted while the transaction is kept busy. */
  const decryptAll = (trans: DBCoreTransaction, key: CryptoKey, rows: readonly unknown[]): Promise<unknown[]> =>
    keepAlive(
      trans,
      name,
      Promise.all(rows.map((r) => decryptRow(key, name, r, cache))),
    );
  /** Either the rows in clear at once, or a promise of them. */
  const open = (trans: DBCoreTransaction, rows: readonly unknown[]): unknown[] | Promise<unknown[]> => {
    if (!rows.some(isEncryptedRow)) return rows as unknown[];
    const key = vault.dataKey();
    if (!key) throw new VaultLockedError(`cannot read ${name}`);
    return known(key, rows) ?? decryptAll(trans, key, rows);
  };
  return {
    ...t,
    async mutate(req) {
      if (req.type !== 'add' && req.type !== 'put') return t.mutate(req);
      const key = vault.dataKey();
      if (!key) {
        // Before the first vault exists, a version upgrade may still rewrite rows of an older
        // version (all in clear); any other write of personal data without the key is refused.
        const idb = req.trans as unknown as IDBTransaction;
        const spec = ENCRYPTED_TABLES[name];
        const personal = req.values.some((v) => isRow(v) && (spec?.sealsRow?.(v) ?? true));
        if (personal && !(idb.mode === 'versionchange' && vault.state() === 'none')) throw new VaultLockedError(`cannot write ${name}`);
        return t.mutate(req);
      }
      const values = await keepAlive(req.trans, name, Promise.all(req.values.map((v) => (isRow(v) ? encryptRow(key, name, v, cache) : Promise.resolve(v)))));
      return t.mutate({ ...req, values });
    },
    // Plain `then` chains, not async functions: each native await is one more microtask hop
    // between the request's callback and the caller, and Dexie follows its transaction zone
    // across such hops only so far. A read served from the cache with two more hops lost the
    // zone, and the save's writes went to transactions of their own ([PC7]).
    get(req) {
      return t.get(req).then((row: unknown) => {
        if (!isEncryptedRow(row)) return row;
        const rows = open(req.trans, [row]);
        return Array.isArray(rows) ? rows[0] : rows.then((r) => r[0]);
      });
    },
    getMany(req) {
      return t.getMany(req).then((found) => open(req.trans, found));
    },
    query(req) {
      return t.query(req).then((res) => {
        if (!req.values) return res;
        const rows = open(req.trans, res.result);
        return Array.isArray(rows) ? { ...res, result: rows } : rows.then((result) => ({ ...res, result }));
      });
    },
    openCursor(req): Promise<DBCoreCursor | null> {
      // A cursor hands its value over synchronously, which WebCrypto cannot serve. Key cursors
      // (uniqueKeys, keys) are fine; value cursors (Collection.each, filter) on these tables are a
      // bug once rows are encrypted: fail loudly rather than hand out ciphertext.
      if (req.values !== false && vault.state() !== 'none') return Promise.reject(new Error(`${name}: value cursors cannot read encrypted rows; use toArray()`));
      return t.openCursor(req);
    },
  };
}

/** The middleware, for `db.use()`; below Dexie's own (their lowest level is -1). */
export function encryptionMiddleware(vault: Vault, cache = new PlainCache()): Middleware<DBCore> {
  // The key forgotten (ten wrong PINs, sign-out, a wipe): the plaintext goes with it.
  vault.subscribe(() => {
    if (vault.state() !== 'unlocked') cache.clear();
  });
  return {
    stack: 'dbcore',
    name: 'PuchaEncryption',
    level: -2,
    create: (down) => ({
      ...down,
      table: (name) => {
        const t = down.table(name);
        return ENCRYPTED_TABLES[name] ? encryptingTable(t, vault, cache) : t;
      },
    }),
  };
}
