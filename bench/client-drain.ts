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
//                                BENCH_SETTLE_MS=15000 the pause between queueing and the drain,
//                                BENCH_QUICK=1: only the drain and the direct replay,
//                                BENCH_PROFILE=dir: CPU profiles of the timed drain, the page's (Chrome
//                                DevTools) and the server's main thread (node:inspector), as .cpuprofile)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browser } from './ui-lib/browser.ts';
import { harness, openBenchPage, type BenchWindow, type Harness } from './client-page/harness.ts';

const QUEUE = Number(process.env.BENCH_QUEUE ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const REAL_SAVES = process.env.BENCH_REAL_SAVES === '1';
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 15_000);
const PROFILE = process.env.BENCH_PROFILE;
const QUICK = process.env.BENCH_QUICK === '1';
const PUSH_LIMIT = Math.max(120, 3 * (Math.ceil(QUEUE / 100) + 10));
type W = BenchWindow;
const bench = (page: Page) => page.evaluate.bind(page);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Cpu = { server: number; browser: Record<string, number> };

/**
 * CPU time used so far (ms) by this process (the server's main thread, its SQLite worker, and the
 * bench's own driver, which idles) and by Chromium's processes by type (the page's renderer, the
 * browser process that runs IndexedDB, the network service): on two shared cores, what one side
 * burns the other waits for. Headless Chromium also burns some CPU when idle (~0.1 s a second here).
 */
function cpuNow(): Cpu {
  const u = process.cpuUsage();
  const stats = new Map<number, { ppid: number; ms: number; type: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Fields after the command (which may hold spaces): state ppid ... utime(14) stime(15).
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      const type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${d}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      stats.set(Number(d), { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100, type });
    } catch {
      // the process ended meanwhile
    }
  }
  const browser: Record<string, number> = {};
  for (const [pid, st] of stats) {
    if (pid === process.pid) continue;
    for (let p = st.ppid, hops = 0; p > 1 && hops < 10; p = stats.get(p)?.ppid ?? 0, hops++) {
      if (p === process.pid) {
        browser[st.type] = (browser[st.type] ?? 0) + st.ms;
        break;
      }
    }
  }
  return { server: (u.user + u.system) / 1000, browser };
}

/** `fn`'s result with the CPU time each side spent while it ran. */
async function withCpu<T>(fn: () => Promise<T>): Promise<T & { cpu: Cpu }> {
  const a = cpuNow();
  const r = await fn();
  const b = cpuNow();
  const browser: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.browser)) browser[k] = v - (a.browser[k] ?? 0);
  return { ...r, cpu: { server: b.server - a.server, browser } };
}
const cpuText = (c: Cpu) => {
  const total = Object.values(c.browser).reduce((x, y) => x + y, 0);
  const parts = Object.entries(c.browser)
    .filter(([, v]) => v >= 50)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`);
  return `CPU: server process ${s(c.server)}, Chromium ${s(total)} (${parts.join(', ')})`;
};

/** Runs `fn` with the page's and this process's (the server's) CPU profilers on; writes both to BENCH_PROFILE. */
async function profiled<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  mkdirSync(PROFILE, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  const node = new Session();
  node.connect();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await node.post('Profiler.enable');
  await node.post('Profiler.setSamplingInterval', { interval: 200 });
  await node.post('Profiler.start');
  try {
    return await fn();
  } finally {
    writeFileSync(join(PROFILE, `${name}-page.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
    writeFileSync(join(PROFILE, `${name}-server.cpuprofile`), JSON.stringify((await node.post('Profiler.stop')).profile));
    await cdp.detach();
    node.disconnect();
  }
}

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
    const d = await withCpu(() => profiled(page, `drain-${run}`, () => bench(page)(() => (window as unknown as W).__clientBench.drain())));
    const bodies = await bench(page)(() => (window as unknown as W).__clientBench.pushedBodies());
    await bench(page)(() => (window as unknown as W).__clientBench.dispose());
    await h.stop(s1);
    const direct = await withCpu(() => replay(h, page, `direct-${run}.sqlite`, d.deviceId, bodies, 'push', false));
    const withWrites = QUICK ? undefined : await replay(h, page, `writes-${run}.sqlite`, d.deviceId, bodies, 'push', true);
    const sink = QUICK ? undefined : await replay(h, page, `sink-${run}.sqlite`, d.deviceId, bodies, 'sink', false);
    await page.close();

    const rate = (ms: number) => Math.round(q.queued / (ms / 1000));
    console.log(`run ${run}: queued ${q.queued} households in ${(q.setupMs / 1000).toFixed(1)} s (setup, not timed)`);
    console.log(
      `  drain with the SyncEngine: ${s(d.ms)} = ${rate(d.ms)} households/s (${d.requests} pushes, ${(d.bytes / 1e6).toFixed(1)} MB; ${d.outcome} ${JSON.stringify(d.pushed)}, ${d.left} left, state ${d.status})`,
    );
    console.log(
      `    the pushes and their acknowledgements ${s(d.pushMs)} = ${rate(d.pushMs)} households/s (a push answered in ${d.pushWaitMedianMs.toFixed(0)} ms median, the next one sent ${d.gapMedianMs.toFixed(1)} ms after); then the pull ${s(d.pullMs)}`,
    );
    console.log(`    pull: ${d.pullPages} pages, answered in ${d.pullWaitMedianMs.toFixed(0)} ms median, the next one sent ${d.pullGapMedianMs.toFixed(1)} ms after; ${cpuText(d.cpu)}`);
    console.log(`  the same bytes by fetch to the push endpoint of a fresh server: ${s(direct.ms)} = ${rate(direct.ms)} households/s (${direct.medianMs.toFixed(0)} ms median); drain / direct = ${(d.ms / direct.ms).toFixed(2)}x (pushes only ${(d.pushMs / direct.ms).toFixed(2)}x); ${cpuText(direct.cpu)}`);
    if (withWrites) console.log(`  the same, with one acknowledgement-sized strict IndexedDB commit per answer alongside: ${s(withWrites.ms)} (${withWrites.medianMs.toFixed(0)} ms median); drain / that = ${(d.ms / withWrites.ms).toFixed(2)}x`);
    if (sink) console.log(`  the same bytes to an endpoint that only reads them: ${s(sink.ms)}; drain / sink = ${(d.ms / sink.ms).toFixed(1)}x`);
    if (d.left !== 0 || d.outcome !== 'ok' || d.pushed.applied !== q.queued) process.exitCode = 1;
  }
} finally {
  await ctx.close();
  await h.dispose();
}
