// One phone's drain as the server sees it, without a browser: N households (default 10,000) in
// pushes of 100 posted one after the other over loopback HTTP to a real server (buildApp on a temp
// SQLite file with synchronous=FULL, the demo seed plus the households' listing entries), then the
// pull of the whole scope. The server's share of `bench/client-drain.ts`, quick enough to profile
// (`node --cpu-prof --import tsx bench/server-push-loop.ts`). Prints the pushes' total and median
// and the pull's time; BENCH_QUEUE the households, BENCH_IN_FLIGHT the pushes sent at once (1).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { buildApp, openSqliteStore, seedDemo } from '../src/server/index.ts';
import { PROTOCOL_VERSION, generateDistrict, type Registration } from '../src/domain/index.ts';
import { BENCH_DISTRICT, benchListing } from './client-page/harness.ts';

const N = Number(process.env.BENCH_QUEUE ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'pucha-bench-push-loop-'));
const store = await openSqliteStore(join(dir, 'pucha.sqlite'));
await seedDemo(store, { households: 5 });
const listing = benchListing();
await store.importListing(listing);
const app = await buildApp({ store, pushLimit: { max: 1000, windowMs: 60_000 } });
await app.listen({ port: 0, host: '127.0.0.1' });
const a = app.server.address();
const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/api/v1`;
const deviceId = randomUUID();
const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-enumerator', password: 'pucha-demo', deviceId }) });
const { token } = (await login.json()) as { token: string };
const gen = generateDistrict({ seed: 7, code: BENCH_DISTRICT, enumerators: ['u-demo-enumerator'], households: 500, registeredShare: 1 });
const bodies: string[] = [];
for (let i = 0; i < N; i += 100) {
  const mutations = [];
  for (let j = i; j < Math.min(N, i + 100); j++) {
    const src: Registration = gen.registrations[j % gen.registrations.length]!;
    const entry = listing[j % listing.length]!;
    const data = { ...src, id: `BR-${j}`, listingId: entry.id, status: 'draft' as const, version: 1, updatedAt: new Date().toISOString() };
    mutations.push({ id: randomUUID(), entity: 'household', entityId: data.id, baseVersion: 0, deviceSeq: j + 1, createdAt: data.updatedAt, data });
  }
  bodies.push(JSON.stringify({ deviceId, protocolVersion: PROTOCOL_VERSION, mutations, device: { pending: N - i, appVersion: 'bench', clock: new Date().toISOString() } }));
}
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const each: number[] = [];
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 1);
const t0 = performance.now();
let nextBody = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (nextBody < bodies.length) {
      const body = bodies[nextBody++]!;
      const t = performance.now();
      const r = await fetch(`${url}/sync/push`, { method: 'POST', headers, body });
      const text = await r.text();
      if (r.status !== 200 || !text.includes('"applied"')) throw new Error(`push: HTTP ${r.status} ${text.slice(0, 300)}`);
      each.push(performance.now() - t);
    }
  }),
);
const pushMs = performance.now() - t0;
const t1 = performance.now();
let cursor: string | undefined;
let changes = 0;
for (;;) {
  const r = await fetch(`${url}/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { headers });
  const b = (await r.json()) as { changes: unknown[]; cursor: string; more: boolean };
  changes += b.changes.length;
  cursor = b.cursor;
  if (!b.more) break;
}
const pullMs = performance.now() - t1;
const sorted = [...each].sort((x, y) => x - y);
console.log(`${N} households in ${bodies.length} pushes: ${(pushMs / 1000).toFixed(2)} s = ${Math.round((N / pushMs) * 1000)}/s, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms; pull of ${changes} changes ${(pullMs / 1000).toFixed(2)} s`);
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
