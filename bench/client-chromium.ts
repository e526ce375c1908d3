// The phone's store and sync engine in real Chromium (IndexedDB, strict durability, window.fetch),
// the counterpart of bench/client-store.ts (fake-indexeddb), as ratios against raw baselines:
//  1. save of a 6-person household through saveRegistration vs a raw Dexie put of the same row;
//  2. bulk load of a 500-household district through applyPulledChanges (the changes of a first
//     pull) vs a raw Dexie bulkPut of the same rows (both strict durability);
//  3. draining N queued households (saved through saveRegistration first, not timed) with the
//     real SyncEngine to a real local server (buildApp, temp SQLite, seedDemo) that also serves
//     the bench page (same origin), vs a raw fetch POST of the same request bytes from the page to
//     an endpoint that only reads them; and vs the same bytes sent straight to the push endpoint
//     of a fresh server (the server's share).
//   node --import tsx bench/client-chromium.ts   (BENCH_QUEUE=10000 the drain size, BENCH_N=300 saves)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { ROOT, browser, fmt, pct, summary } from './ui-lib/browser.ts';
import { buildApp, openSqliteStore, seedDemo, type Store } from '../src/server/index.ts';
import type { ClientBench } from './client-page/entry.ts';

const QUEUE = Number(process.env.BENCH_QUEUE ?? 10_000);
const SAVES = Number(process.env.BENCH_N ?? 300);
const LOADS = 5;
const PUSH_LIMIT = Math.max(120, Math.ceil(QUEUE / 100) + 10);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

// The page: the real src/client modules bundled by Vite (production mode).
const pageDir = mkdtempSync(join(tmpdir(), 'pucha-bench-client-page-'));
await build({
  configFile: false,
  root: join(ROOT, 'bench/client-page'),
  logLevel: 'warn',
  build: { outDir: pageDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});

const dataDir = mkdtempSync(join(tmpdir(), 'pucha-bench-chromium-'));
/** A seeded server on a temp SQLite file, serving the bench page and a sink that only reads bodies. */
async function server(file: string): Promise<{ app: FastifyInstance; store: Store; url: string }> {
  const store = await openSqliteStore(join(dataDir, file));
  await seedDemo(store, { households: 5 });
  // The per-device push limit (default 120 a minute) stays as deployed unless N needs more pushes.
  const app = await buildApp({ store, staticDir: pageDir, pushLimit: { max: PUSH_LIMIT, windowMs: 60_000 } });
  await app.register((sink, _o, done) => {
    sink.removeAllContentTypeParsers();
    sink.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, next) => next(null, body));
    sink.post('/bench-sink', { bodyLimit: 64 * 1024 * 1024 }, (_req, reply) => reply.header('content-type', 'application/json').send('{}'));
    done();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  return { app, store, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}

/** Chromium keeps (and pre-opens) sockets that Fastify's close() would wait for: all our requests are done. */
const stopped = new WeakSet<FastifyInstance>();
async function stop(s: { app: FastifyInstance; store: Store }): Promise<void> {
  if (stopped.has(s.app)) return;
  stopped.add(s.app);
  s.app.server.closeAllConnections();
  await s.app.close();
  await s.store.close();
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench-ready');
}
type W = Window & { __clientBench: ClientBench; __sixPersons: number };

const s1 = await server('drain.sqlite');
const ctx = await browser();
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await open(page, s1.url);
  const sixes = await page.evaluate(() => (window as unknown as W).__sixPersons);
  console.log(`Chromium ${ctx.browser()?.version() ?? ''}; generated district: 500 households (${sixes} with 6 persons)`);

  // ---- 1. save of a 6-person household --------------------------------------------------------
  const sv = await page.evaluate((n) => (window as unknown as W).__clientBench.save(n, 30), SAVES);
  console.log(summary('save 6-person household (draft; registration + outbox + record state)', sv.ours));
  console.log(summary('  raw Dexie put of the same row (strict)', sv.raw));
  console.log(`  ratio p50 ${(pct(sv.ours, 50) / pct(sv.raw, 50)).toFixed(1)}x, p95 ${(pct(sv.ours, 95) / pct(sv.raw, 95)).toFixed(1)}x`);

  // ---- 2. bulk load of a 500-household district ---------------------------------------------
  const ld = await page.evaluate((n) => (window as unknown as W).__clientBench.load(n), LOADS);
  console.log(
    summary(`bulk load of a 500-household district via applyPulledChanges (${ld.changes} changes, parsed, per-record state)`, ld.ours),
  );
  console.log(summary('  raw Dexie bulkPut of the same rows (one strict transaction)', ld.raw));
  console.log(`  ratio median ${(pct(ld.ours, 50) / pct(ld.raw, 50)).toFixed(1)}x`);

  // ---- 3. draining N queued households to the local server ------------------------------------
  const q = await page.evaluate((n) => (window as unknown as W).__clientBench.queue(n), QUEUE);
  console.log(
    `queued ${q.queued} households through saveRegistration in ${(q.setupMs / 1000).toFixed(1)} s (setup, not timed; ${elapsed()} so far)`,
  );
  const d = await page.evaluate(() => (window as unknown as W).__clientBench.drain());
  const rawPost = await page.evaluate(() => (window as unknown as W).__clientBench.post('/bench-sink'));
  const bodies = await page.evaluate(() => (window as unknown as W).__clientBench.pushedBodies());
  await stop(s1);

  // The server's share: the same bytes from a page on a fresh server straight to its push endpoint.
  const s2 = await server('share.sqlite');
  let serverOnly: number;
  try {
    const page2 = await ctx.newPage();
    await open(page2, s2.url);
    serverOnly = await page2.evaluate(
      async ([deviceId, b]) => {
        const bench = (window as unknown as W).__clientBench;
        return bench.post('/api/v1/sync/push', await bench.login(deviceId), b);
      },
      [d.deviceId, bodies] as const,
    );
  } finally {
    await stop(s2);
  }

  const rate = Math.round(QUEUE / (d.ms / 1000));
  console.log(
    `drain N=${QUEUE} queued households with the SyncEngine (push ${d.requests} requests, ${(d.bytes / 1e6).toFixed(1)} MB + acks + pull; SQLite synchronous=FULL): ${(d.ms / 1000).toFixed(2)} s = ${rate} households/s, outcome ${d.outcome}, ${d.left} left, state ${d.status}`,
  );
  console.log(
    `  raw fetch POST of the same bytes to an endpoint that only reads them: ${(rawPost / 1000).toFixed(2)} s; ratio ${(d.ms / rawPost).toFixed(1)}x`,
  );
  console.log(
    `  the same bytes by raw fetch to the real push endpoint of a fresh server (server share): ${(serverOnly / 1000).toFixed(2)} s; ratio ${(d.ms / serverOnly).toFixed(2)}x`,
  );
  if (d.left !== 0 || d.outcome !== 'ok') process.exitCode = 1;
  console.log(`total ${elapsed()} (p50 of saves ${fmt(pct(sv.ours, 50))} ms)`);
} finally {
  await ctx.close();
  await stop(s1);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(pageDir, { recursive: true, force: true });
}
