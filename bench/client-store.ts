// The phone's store and sync engine in fake-indexeddb (Node), as ratios against raw baselines:
//  1. save of a 6-person household (registration + outbox + record state, one transaction)
//     against a raw Dexie put of the same registration;
//  2. bulk load of a 500-household district through applyPulledChanges against raw bulkPut;
//  3. draining 10,000 queued households to the local server (in-process, SQLite, real HTTP)
//     against a raw HTTP POST of the same request bytes to a server that only reads them.
//   node --import tsx bench/client-store.ts   (BENCH_QUEUE=10000 to change the queue size)
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { LoginResponseSchema, generateDistrict, type Change, type Registration } from '../src/domain/index.ts';
import { applyPulledChanges, getMeta, openDb, outboxEntries, saveRegistration, type PuchaDb } from '../src/client/db/index.ts';
import { SyncEngine } from '../src/client/sync/index.ts';
import { buildApp, openSqliteStore } from '../src/server/index.ts';
import { seedDemo } from '../src/server/seed.ts';

const NO_PUSH_LIMIT = { max: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
const QUEUE = Number(process.env.BENCH_QUEUE ?? 10_000);
const D1 = '130102001003001';
const idb = () => ({ indexedDB: new IDBFactory(), IDBKeyRange });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const gen = generateDistrict({ seed: 7, code: D1, enumerators: ['u-demo-enumerator'], households: 500, registeredShare: 1 });
const six = gen.registrations.filter((r) => r.persons.length === 6);
console.log(`generated district: ${gen.listing.length} households, ${gen.registrations.length} registrations, ${six.length} with 6 persons`);

// ---- 1. save of a 6-person household -------------------------------------------------------
{
  const N = 300;
  const db = await openDb('bench-save', idb());
  await db.districts.put(gen.district);
  await db.listing.bulkPut(gen.listing);
  const raw = new Dexie('bench-raw-save', { ...idb(), chromeTransactionDurability: 'strict' });
  raw.version(1).stores({ registrations: 'id' });
  await raw.open();
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < N + 30; i++) {
    const reg = six[i % six.length]!;
    const input = { ...reg, status: 'draft' as const };
    let t = performance.now();
    const r = await saveRegistration(db, input);
    const a = performance.now() - t;
    if (!r.ok) throw new Error(`save: ${r.reason}`);
    t = performance.now();
    await raw.table('registrations').put({ ...reg, version: i + 1 });
    const b = performance.now() - t;
    if (i >= 30) {
      ours.push(a);
      base.push(b);
    }
  }
  console.log(
    `save 6-person household (draft, fake-indexeddb): p50 ${ms(pct(ours, 50))}, p95 ${ms(pct(ours, 95))}; raw Dexie put p50 ${ms(pct(base, 50))}, p95 ${ms(pct(base, 95))}; ratio p50 ${(pct(ours, 50) / pct(base, 50)).toFixed(1)}x`,
  );
  db.close();
  raw.close();
}

// ---- 2. bulk load of a 500-household district ------------------------------------------------
{
  const changes: Change[] = [
    { entity: 'district', id: gen.district.code, version: 1, data: gen.district, deleted: false },
    ...gen.listing.map((e) => ({ entity: 'listing' as const, id: e.id, version: 1, data: e, deleted: false })),
    ...gen.registrations.map((r) => ({ entity: 'household' as const, id: r.id, version: 1, data: r, deleted: false })),
  ];
  const runs: { ours: number; raw: number }[] = [];
  for (let k = 0; k < 5; k++) {
    const db = await openDb(`bench-load-${k}`, idb());
    let t = performance.now();
    const r = await applyPulledChanges(db, changes, 'c1');
    const ours = performance.now() - t;
    if (!r.ok || r.applied !== changes.length) throw new Error('bulk load failed');
    const raw = new Dexie(`bench-raw-load-${k}`, idb());
    raw.version(1).stores({ districts: 'code', listing: 'id, districtCode', registrations: 'id, listingId, districtCode' });
    await raw.open();
    t = performance.now();
    await raw.transaction('rw', ['districts', 'listing', 'registrations'], async () => {
      await raw.table('districts').put(gen.district);
      await raw.table('listing').bulkPut(gen.listing);
      await raw.table('registrations').bulkPut(gen.registrations);
    });
    runs.push({ ours, raw: performance.now() - t });
    db.close();
    raw.close();
  }
  const med = (f: (x: { ours: number; raw: number }) => number) => pct(runs.map(f), 50);
  console.log(
    `bulk load of a 500-household district (${changes.length} changes, parsed, per-record state): median ${ms(med((x) => x.ours))}; raw Dexie bulkPut ${ms(med((x) => x.raw))}; ratio ${(med((x) => x.ours) / med((x) => x.raw)).toFixed(1)}x`,
  );
}

// ---- 3. draining 10,000 queued households to the local server ----------------------------------
{
  const dir = mkdtempSync(join(tmpdir(), 'pucha-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.sqlite'));
  await seedDemo(store, { households: 5 });
  // The listing entries the households are registered on, as the office imports them (so the pushes are applied).
  const listing = gen.listing.map((e, i) => ({ ...e, id: `BL-${i}` }));
  await store.importListing(listing);
  // One device drains the whole queue back to back: the per-device push limit is not measured here.
  const app = await buildApp({ store, pushLimit: NO_PUSH_LIMIT });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const db: PuchaDb = await openDb('bench-drain', idb());
  const engine = new SyncEngine({ db, fetch: (u, i) => fetch(u, i), now: () => Date.now(), baseUrl: base, setTimer: () => () => undefined, periodMs: 3_600_000 });
  await engine.start();
  const signed = await engine.signIn('demo-enumerator', 'pucha-demo');
  if (!signed.ok) throw new Error(signed.message);
  await engine.syncNow();
  // Queue QUEUE households through the real save operation (setup, not timed).
  const tSetup = performance.now();
  await db.listing.bulkPut(listing);
  for (let i = 0; i < QUEUE; i++) {
    const src: Registration = gen.registrations[i % gen.registrations.length]!;
    const entry = listing[i % listing.length]!;
    const r = await saveRegistration(db, { ...src, id: `BR-${i}`, listingId: entry.id, status: 'draft' });
    if (!r.ok) throw new Error(`queue: ${r.reason}`);
  }
  const queued = await outboxEntries(db);
  const bytes: string[] = [];
  const deviceId = await getMeta(db, 'deviceId');
  for (let i = 0; i < queued.length; i += 100) {
    const batch = queued.slice(i, i + 100).map(({ id, entity, entityId, baseVersion, createdAt, deviceSeq, data }) => ({ id, entity, entityId, baseVersion, createdAt, deviceSeq, data }));
    bytes.push(JSON.stringify({ deviceId, protocolVersion: 1, mutations: batch, device: { pending: queued.length - i, appVersion: 'dev' } }));
  }
  console.log(`queued ${queued.length} households in ${((performance.now() - tSetup) / 1000).toFixed(1)} s (setup); ${bytes.length} requests, ${(bytes.reduce((n, b) => n + b.length, 0) / 1e6).toFixed(1)} MB`);

  let t = performance.now();
  await engine.syncNow();
  const drain = performance.now() - t;
  const left = (await outboxEntries(db)).length;
  const applied = engine.getState();
  if (applied.rejected > 0 || applied.conflicts > 0) throw new Error(`drain: ${applied.rejected} rejected, ${applied.conflicts} conflicts`);
  await app.close();
  await store.close();

  // Server share: the same bytes POSTed straight to the push endpoint of a fresh server copy.
  const store2 = await openSqliteStore(join(dir, 'bench2.sqlite'));
  await seedDemo(store2, { households: 5 });
  await store2.importListing(listing);
  const app2 = await buildApp({ store: store2, pushLimit: NO_PUSH_LIMIT });
  await app2.listen({ port: 0, host: '127.0.0.1' });
  const addr2 = app2.server.address();
  const base2 = `http://127.0.0.1:${typeof addr2 === 'object' && addr2 ? addr2.port : 0}/api/v1`;
  const login = await fetch(`${base2}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-enumerator', password: 'pucha-demo', deviceId }) });
  const token = LoginResponseSchema.parse(await login.json()).token;
  t = performance.now();
  for (const body of bytes) {
    const r = await fetch(`${base2}/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    if (r.status !== 200) throw new Error(`server baseline: ${r.status}`);
    await r.text();
  }
  const serverOnly = performance.now() - t;
  await app2.close();
  await store2.close();

  // Baseline: the same bytes POSTed to a server that only reads them and answers 200.
  const sink = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkAddr = sink.address();
  const sinkUrl = `http://127.0.0.1:${typeof sinkAddr === 'object' && sinkAddr ? sinkAddr.port : 0}/`;
  t = performance.now();
  for (const body of bytes) await (await fetch(sinkUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
  const rawPost = performance.now() - t;
  sink.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `drain ${QUEUE} queued households to the local server (push + ack + pull, SQLite synchronous=FULL): ${(drain / 1000).toFixed(2)} s = ${Math.round(QUEUE / (drain / 1000))} households/s, ${left} left, state ${applied.status}; raw HTTP POST of the same bytes ${(rawPost / 1000).toFixed(2)} s (ratio ${(drain / rawPost).toFixed(1)}x); the same bytes to the real push endpoint (server share) ${(serverOnly / 1000).toFixed(2)} s (ratio ${(drain / serverOnly).toFixed(2)}x)`,
  );
  db.close();
}
