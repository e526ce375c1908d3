// Draining a queue of N households (default 10,000) with the real SyncEngine in real Chromium
// (IndexedDB with strict durability, window.fetch, Web Locks) to a real local server (buildApp,
// temp SQLite with synchronous=FULL, the demo seed plus the listing entries the households are
// registered on) that also serves the bench page, against the same request bytes POSTed by fetch
// from a page, one after the other, to the push endpoint of a fresh server (what the server needs
// for the same work; the goal is a drain within 1.5x of it, and >= 2,000 households/s).
// Also printed: the same bytes while the page writes one acknowledgement-sized strict transaction
// per answer (the phone's commits cost the server here, where both share one disk and two CPUs),
// and the same bytes to an endpoint that only reads them (network and browser alone).
// The queue is written before the timed part through the store's enqueue step, 100 households a
// transaction (the rows saveRegistration writes; BENCH_REAL_SAVES=1: saveRegistration, ~50 s).
// One "sync now" is timed: every push, every acknowledgement and log entry, and the pull that
// brings the N versions back.
//   npm run bench client-drain   (BENCH_QUEUE=10000 the queue size, BENCH_RUNS=1 the repeats,
//                                BENCH_SETTLE_MS=15000 the pause between queueing and the drain)
import type { Page } from 'playwright-core';
import { browser } from './ui-lib/browser.ts';
import { harness, openBenchPage, type BenchWindow, type Harness } from './client-page/harness.ts';

const QUEUE = Number(process.env.BENCH_QUEUE ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const REAL_SAVES = process.env.BENCH_REAL_SAVES === '1';
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 15_000);
const PUSH_LIMIT = Math.max(120, 3 * (Math.ceil(QUEUE / 100) + 10));
type W = BenchWindow;
const bench = (page: Page) => page.evaluate.bind(page);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Replays `bodies` on a fresh server from a fresh page, signed in as the drained device. */
async function replay(h: Harness, page: Page, file: string, deviceId: string, bodies: string[], target: 'push' | 'sink', writes: boolean) {
  const srv = await h.server(file, PUSH_LIMIT);
  try {
    await openBenchPage(page, srv.url);
    return await bench(page)(
      async ([id, b, t, w]) => {
        const c = (window as unknown as W).__clientBench;
        return t === 'sink' ? c.post('/bench-sink', undefined, b) : c.post('/api/v1/sync/push', await c.login(id), b, w);
      },
      [deviceId, bodies, target, writes] as const,
    );
  } finally {
    await h.stop(srv);
  }
}

const h = await harness();
const ctx = await browser();
try {
  console.log(`Chromium ${ctx.browser()?.version() ?? ''}; N=${QUEUE} queued households, ${RUNS} run(s)`);
  for (let run = 1; run <= RUNS; run++) {
    const s1 = await h.server(`drain-${run}.sqlite`, PUSH_LIMIT);
    const page = await ctx.newPage();
    await openBenchPage(page, s1.url);
    const q = await bench(page)(([n, real]) => (real ? (window as unknown as W).__clientBench.queue(n) : (window as unknown as W).__clientBench.queueBulk(n)), [QUEUE, REAL_SAVES] as const);
    // Writing the queue leaves IndexedDB's store compacting in the background for a while (in the
    // field the queue grows over hours): let it settle so the drain is not timed against it.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const d = await bench(page)(() => (window as unknown as W).__clientBench.drain());
    const bodies = await bench(page)(() => (window as unknown as W).__clientBench.pushedBodies());
    await bench(page)(() => (window as unknown as W).__clientBench.dispose());
    await h.stop(s1);
    const direct = await replay(h, page, `direct-${run}.sqlite`, d.deviceId, bodies, 'push', false);
    const withWrites = await replay(h, page, `writes-${run}.sqlite`, d.deviceId, bodies, 'push', true);
    const sink = await replay(h, page, `sink-${run}.sqlite`, d.deviceId, bodies, 'sink', false);
    await page.close();

    const rate = (ms: number) => Math.round(q.queued / (ms / 1000));
    console.log(`run ${run}: queued ${q.queued} households in ${(q.setupMs / 1000).toFixed(1)} s (setup, not timed)`);
    console.log(
      `  drain with the SyncEngine: ${s(d.ms)} = ${rate(d.ms)} households/s (${d.requests} pushes, ${(d.bytes / 1e6).toFixed(1)} MB; ${d.outcome} ${JSON.stringify(d.pushed)}, ${d.left} left, state ${d.status})`,
    );
    console.log(
      `    the pushes and their acknowledgements ${s(d.pushMs)} = ${rate(d.pushMs)} households/s (a push answered in ${d.pushWaitMedianMs.toFixed(0)} ms median, the next one sent ${d.gapMedianMs.toFixed(1)} ms after); then the pull ${s(d.pullMs)}`,
    );
    console.log(`  the same bytes by fetch to the push endpoint of a fresh server: ${s(direct.ms)} = ${rate(direct.ms)} households/s (${direct.medianMs.toFixed(0)} ms median); drain / direct = ${(d.ms / direct.ms).toFixed(2)}x (pushes only ${(d.pushMs / direct.ms).toFixed(2)}x)`);
    console.log(`  the same, with one acknowledgement-sized strict IndexedDB commit per answer alongside: ${s(withWrites.ms)} (${withWrites.medianMs.toFixed(0)} ms median); drain / that = ${(d.ms / withWrites.ms).toFixed(2)}x`);
    console.log(`  the same bytes to an endpoint that only reads them: ${s(sink.ms)}; drain / sink = ${(d.ms / sink.ms).toFixed(1)}x`);
    if (d.left !== 0 || d.outcome !== 'ok' || d.pushed.applied !== q.queued) process.exitCode = 1;
  }
} finally {
  await ctx.close();
  await h.dispose();
}
