// In-browser side of bench/client-chromium.ts: the real phone store (src/client/db) and sync
// engine (src/client/sync) on Chromium's IndexedDB, against raw Dexie and raw fetch baselines.
// Served by the bench's Fastify instance, so every request is same-origin (no CORS).
import { Dexie } from 'dexie';
import { generateDistrict, type Change, type Registration } from '../../src/domain/index.ts';
import { applyPulledChanges, getMeta, openDb, outboxEntries, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { generateDataKey } from '../../src/client/db/vault.ts';

/** Benches run on the encrypted store, as the app does (opened unlocked: no PIN derivation timed). */
const BENCH_KEY = generateDataKey();
import { enqueue, enqueueTables } from '../../src/client/db/write.ts';
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
  const db = await openDb('bench-save', { dataKey: await BENCH_KEY });
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
    const db = await openDb(`bench-load-${k}`, { dataKey: await BENCH_KEY });
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
/** When each request of the timed drain started and when its answer was read (ms, page clock). */
const timeline: { path: string; start: number; end: number }[] = [];
let recording = false;

/** Signs in and runs the first sync of an engine on a fresh store (as main.tsx builds it). */
async function signedInEngine(): Promise<PuchaDb> {
  const db = await openDb('bench-drain', { dataKey: await BENCH_KEY });
  drainDb = db;
  const record: FetchLike = async (url, init) => {
    if (!recording) return fetch(url, init);
    if (url.endsWith('/sync/push') && typeof init?.body === 'string') pushed.push(init.body);
    const entry = { path: url.replace(/\?.*$/, ''), start: performance.now(), end: 0 };
    timeline.push(entry);
    const res = await fetch(url, init);
    // The engine reads the body next: the answer counts as arrived when its bytes are in.
    const body = await res.arrayBuffer();
    entry.end = performance.now();
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
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
  return db;
}

/** Signs in, first sync, then queues `n` households through saveRegistration (setup, not timed). */
async function queue(n: number): Promise<{ queued: number; setupMs: number }> {
  const db = await signedInEngine();
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

/**
 * The same queue written faster (setup only): 100 households per transaction through the store's
 * own enqueue step, so the outbox rows, record states and device numbers are what saveRegistration
 * writes (version 1, baseVersion 0, a frozen copy of the registration).
 */
async function queueBulk(n: number): Promise<{ queued: number; setupMs: number }> {
  const db = await signedInEngine();
  const t = performance.now();
  const listing = gen.listing.map((e, i) => ({ ...e, id: `BL-${i}` }));
  await db.listing.bulkPut(listing);
  for (let i = 0; i < n; i += 100) {
    await db.transaction('rw', [db.registrations, ...enqueueTables(db)], async () => {
      for (let j = i; j < Math.min(n, i + 100); j++) {
        const src: Registration = gen.registrations[j % gen.registrations.length]!;
        const entry = listing[j % listing.length]!;
        const reg = { ...src, id: `BR-${j}`, listingId: entry.id, status: 'draft' as const, version: 1, updatedAt: new Date().toISOString() };
        await db.registrations.put(reg);
        await enqueue(db, { entity: 'household', entityId: reg.id, baseVersion: 0, data: reg });
      }
    });
  }
  return { queued: await db.outbox.count(), setupMs: performance.now() - t };
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
  /** From the first push request to the last push answer. */
  pushMs: number;
  /** Server and network time of the pushes (request sent to answer read), summed. */
  pushWaitMs: number;
  /** The pull requests after the pushes (first start to last answer). */
  pullMs: number;
  pullPages: number;
  /** Median of one pull page's request-to-answer time, and from one page's answer to the next request (the phone's apply). */
  pullWaitMedianMs: number;
  pullGapMedianMs: number;
  /** The engine's push results over the drain. */
  pushed: Record<string, number>;
  /** Median of one push's request-to-answer time. */
  pushWaitMedianMs: number;
  /** Median time from one push's answer to the next push's request: what the phone adds per batch. */
  gapMedianMs: number;
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
  const pushes = timeline.filter((r) => r.path.endsWith('/sync/push'));

  const pulls = timeline.filter((r) => r.path.endsWith('/sync/pull'));
  return {
    ms,
    pushMs: pushes.length ? pushes.at(-1)!.end - pushes[0]!.start : 0,
    pushWaitMs: pushes.reduce((s, r) => s + (r.end - r.start), 0),
    pushWaitMedianMs: median(pushes.map((r) => r.end - r.start)),
    gapMedianMs: median(pushes.slice(1).map((r, i) => r.start - (pushes[i]?.end ?? r.start))),
    pullMs: pulls.length ? pulls.at(-1)!.end - pulls[0]!.start : 0,
    pullPages: pulls.length,
    pullWaitMedianMs: median(pulls.map((r) => r.end - r.start)),
    pullGapMedianMs: median(pulls.slice(1).map((r, i) => r.start - (pulls[i]?.end ?? r.start))),
    pushed: out.kind === 'ok' ? { ...out.pushed, pulled: out.pulled } : {},
    left,
    status: engine.getState().status,
    outcome: out.kind,
    requests: pushed.length,
    bytes: pushed.reduce((s, b) => s + new TextEncoder().encode(b).length, 0),
    deviceId,
  };
}

/** Closes and deletes the drain store, forgets the recorded requests (the next run starts fresh). */
async function dispose(): Promise<void> {
  engine?.stop();
  drainDb?.close();
  engine = undefined;
  drainDb = undefined;
  pushed.length = 0;
  timeline.length = 0;
  await Dexie.delete('bench-drain');
}

/** The recorded push bodies (to replay them against another server). */
const pushedBodies = (): string[] => pushed;

/**
 * POSTs `bodies` (default: the recorded pushes) one after the other to `url`; returns the total
 * and the median request in ms. With `writes`, each answer is followed by one strict IndexedDB
 * transaction of an acknowledgement's size (100 small rows put, the previous 100 deleted), written
 * while the next body is posted, as the engine writes its answers: what the phone's own commits
 * cost the server when both share one disk and two CPUs, as on this bench machine.
 */
async function post(url: string, token?: string, bodies: readonly string[] = pushed, writes = false): Promise<{ ms: number; medianMs: number }> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const raw = writes ? await rawDb('bench-writes', { rows: 'id' }) : undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const each: number[] = [];
  const t = performance.now();
  for (const [k, body] of bodies.entries()) {
    const t1 = performance.now();
    const r = await fetch(url, { method: 'POST', headers, body });
    if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
    await r.text();
    each.push(performance.now() - t1);
    if (raw) {
      await writing;
      const rows = Array.from({ length: 100 }, (_, i) => ({ id: `${k}-${i}`, state: 'synced', version: 1, serverVersion: 1, updatedAt: new Date().toISOString() }));
      writing = raw.transaction('rw', 'rows', async () => {
        await raw.table('rows').bulkPut(rows);
        await raw.table('rows').bulkDelete(Array.from({ length: 100 }, (_, i) => `${k - 1}-${i}`));
      });
    }
  }
  await writing;
  const ms = performance.now() - t;
  raw?.close();
  return { ms, medianMs: median(each) };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

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
  queueBulk: typeof queueBulk;
  drain: typeof drain;
  pushedBodies: typeof pushedBodies;
  post: typeof post;
  login: typeof login;
  dispose: typeof dispose;
}
const api: ClientBench = { save, load, queue, queueBulk, drain, pushedBodies, post, login, dispose };
Object.assign(window, { __clientBench: api, __sixPersons: six.length });
document.title = 'bench-ready';
