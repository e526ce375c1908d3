// In-browser side of bench/client-chromium.ts: the real phone store (src/client/db) and sync
// engine (src/client/sync) on Chromium's IndexedDB, against raw Dexie and raw fetch baselines.
// Served by the bench's Fastify instance, so every request is same-origin (no CORS).
import { Dexie } from 'dexie';
import { generateDistrict, type Change, type Registration } from '../../src/domain/index.ts';
import { applyPulledChanges, getMeta, openDb, outboxEntries, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine, type FetchLike } from '../../src/client/sync/index.ts';

const D1 = '130102001003001';
const gen = generateDistrict({ seed: 7, code: D1, enumerators: ['u-demo-enumerator'], households: 500, registeredShare: 1 });
const six = gen.registrations.filter((r) => r.persons.length === 6);

/** A raw Dexie database with the same durability as the store (strict: fsync on commit). */
async function rawDb(name: string, stores: Record<string, string>): Promise<Dexie> {
  const raw = new Dexie(name, { chromeTransactionDurability: 'strict' });
  raw.version(1).stores(stores);
  await raw.open();
  return raw;
}

/** Saves of a 6-person household (draft) interleaved with raw puts of the same row; first `warm` dropped. */
async function save(n: number, warm: number): Promise<{ ours: number[]; raw: number[] }> {
  const db = await openDb('bench-save');
  await db.districts.put(gen.district);
  await db.listing.bulkPut(gen.listing);
  const raw = await rawDb('bench-raw-save', { registrations: 'id' });
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < n + warm; i++) {
    const reg = six[i % six.length]!;
    let t = performance.now();
    const r = await saveRegistration(db, { ...reg, status: 'draft' });
    const a = performance.now() - t;
    if (!r.ok) throw new Error(`save: ${r.reason}`);
    t = performance.now();
    await raw.table('registrations').put({ ...reg, version: i + 1 });
    const b = performance.now() - t;
    if (i >= warm) {
      ours.push(a);
      base.push(b);
    }
  }
  db.close();
  raw.close();
  return { ours, raw: base };
}

/** The changes a first pull of the district brings: the district, its listing, its households. */
const firstPull: Change[] = [
  { entity: 'district', id: gen.district.code, version: 1, data: gen.district, deleted: false },
  ...gen.listing.map((e) => ({ entity: 'listing' as const, id: e.id, version: 1, data: e, deleted: false })),
  ...gen.registrations.map((r) => ({ entity: 'household' as const, id: r.id, version: 1, data: r, deleted: false })),
];

/** Bulk load into an empty store through applyPulledChanges vs raw bulkPut of the same rows, `runs` times. */
async function load(runs: number): Promise<{ changes: number; ours: number[]; raw: number[] }> {
  const ours: number[] = [];
  const base: number[] = [];
  for (let k = 0; k < runs; k++) {
    const db = await openDb(`bench-load-${k}`);
    let t = performance.now();
    const r = await applyPulledChanges(db, firstPull, 'c1');
    ours.push(performance.now() - t);
    if (!r.ok || r.applied !== firstPull.length) throw new Error(`bulk load: ${JSON.stringify(r).slice(0, 300)}`);
    const raw = await rawDb(`bench-raw-load-${k}`, {
      districts: 'code',
      listing: 'id, districtCode',
      registrations: 'id, listingId, districtCode',
    });
    t = performance.now();
    await raw.transaction('rw', ['districts', 'listing', 'registrations'], async () => {
      await raw.table('districts').put(gen.district);
      await raw.table('listing').bulkPut(gen.listing);
      await raw.table('registrations').bulkPut(gen.registrations);
    });
    base.push(performance.now() - t);
    db.close();
    raw.close();
    await Promise.all([Dexie.delete(`bench-load-${k}`), Dexie.delete(`bench-raw-load-${k}`)]);
  }
  return { changes: firstPull.length, ours, raw: base };
}

let drainDb: PuchaDb | undefined;
let engine: SyncEngine | undefined;
/** The exact request bodies the engine pushed during the timed drain. */
const pushed: string[] = [];
let recording = false;

/** Signs in, first sync, then queues `n` households through saveRegistration (setup, not timed). */
async function queue(n: number): Promise<{ queued: number; setupMs: number }> {
  const db = await openDb('bench-drain');
  drainDb = db;
  const record: FetchLike = (url, init) => {
    if (recording && url.endsWith('/sync/push') && typeof init?.body === 'string') pushed.push(init.body);
    return fetch(url, init);
  };
  // As main.tsx builds it (window.fetch, same origin, Web Locks), minus timers: no periodic or
  // retry cycle may start on its own during the setup.
  engine = new SyncEngine({
    db,
    fetch: record,
    now: () => Date.now(),
    baseUrl: '',
    setTimer: () => () => undefined,
    locks: navigator.locks,
    periodMs: 3_600_000,
  });
  await engine.start();
  const signed = await engine.signIn('demo-enumerator', 'pucha-demo');
  if (!signed.ok) throw new Error(signed.message);
  const first = await engine.syncNow();
  if (first.kind !== 'ok') throw new Error(`first sync: ${JSON.stringify(first)}`);
  const t = performance.now();
  const listing = gen.listing.map((e, i) => ({ ...e, id: `BL-${i}` }));
  await db.listing.bulkPut(listing);
  for (let i = 0; i < n; i++) {
    const src: Registration = gen.registrations[i % gen.registrations.length]!;
    const entry = listing[i % listing.length]!;
    const r = await saveRegistration(db, { ...src, id: `BR-${i}`, listingId: entry.id, status: 'draft' });
    if (!r.ok) throw new Error(`queue: ${r.reason}`);
  }
  return { queued: (await outboxEntries(db)).length, setupMs: performance.now() - t };
}

/** Times one "sync now" of the real engine over the queued outbox (push all, acks, pull). */
async function drain(): Promise<{
  ms: number;
  left: number;
  status: string;
  outcome: string;
  requests: number;
  bytes: number;
  deviceId: string;
}> {
  if (!engine || !drainDb) throw new Error('queue() first');
  recording = true;
  const t = performance.now();
  const out = await engine.syncNow();
  const ms = performance.now() - t;
  recording = false;
  const left = (await outboxEntries(drainDb)).length;
  const deviceId = String(await getMeta(drainDb, 'deviceId'));
  engine.stop();
  return {
    ms,
    left,
    status: engine.getState().status,
    outcome: out.kind,
    requests: pushed.length,
    bytes: pushed.reduce((s, b) => s + new TextEncoder().encode(b).length, 0),
    deviceId,
  };
}

/** The recorded push bodies (to replay them against another server). */
const pushedBodies = (): string[] => pushed;

/** POSTs `bodies` (default: the recorded pushes) one after the other to `url`; returns ms. */
async function post(url: string, token?: string, bodies: readonly string[] = pushed): Promise<number> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const t = performance.now();
  for (const body of bodies) {
    const r = await fetch(url, { method: 'POST', headers, body });
    if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
    await r.text();
  }
  return performance.now() - t;
}

/** Signs in with raw fetch (for the server-share replay); returns the token. */
async function login(deviceId: string): Promise<string> {
  const r = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-enumerator', password: 'pucha-demo', deviceId }),
  });
  const body = (await r.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error(`login: HTTP ${r.status}`);
  return body.token;
}

export interface ClientBench {
  save: typeof save;
  load: typeof load;
  queue: typeof queue;
  drain: typeof drain;
  pushedBodies: typeof pushedBodies;
  post: typeof post;
  login: typeof login;
}
const api: ClientBench = { save, load, queue, drain, pushedBodies, post, login };
Object.assign(window, { __clientBench: api, __sixPersons: six.length });
document.title = 'bench-ready';
