// Pucha side by side with the peer a census IT team would pick instead (issue 17): PouchDB 9.0.0
// in Chromium (IndexedDB) replicating to express-pouchdb 4.2.0 on pouchdb-node 9.0.0 (LevelDB)
// in Node, with the same generated households (bench/generator.ts's generateDistrict: the 500
// households of seed 7 that Pucha's Chromium page uses, and 200 districts of seeds 1000+ for the
// ingest, as bench/server-ingest.ts). One run prints one table:
//  - save of a 6-person household, p50 / p95 (Pucha: saveRegistration, registration + outbox +
//    record state, encrypted, strict; peer: db.put of the household as one document);
//  - queueing Q new households offline, one save each (ms a save);
//  - the drain of that queue: Pucha one "sync now" of the SyncEngine (pushes, acknowledgements,
//    the pull), the peer one PouchDB.sync() (push replication and the pull replication);
//  - server ingest: D devices x H households, 10 households a push, back to back after a warm-up
//    push each (Pucha: POST /sync/push on SQLite, synchronous=FULL; peer: what the replicator
//    sends per batch: _revs_diff, _bulk_docs new_edits=false, the _local checkpoint).
// The peer runs twice: as it ships (Chromium's default relaxed IndexedDB durability; LevelDB
// writes without sync, so no fsync) and forced strict (every IndexedDB transaction with
// durability 'strict'; every LevelDB write with sync: true, an fsync per commit).
// The peer validates and authorises nothing; Pucha runs every check, scope test and revision.
//   npm run bench peer   (BENCH_QUICK=1: 100 saves, a queue of 1,000, 50 devices x 20 households;
//                        BENCH_SAVES, BENCH_QUEUE, BENCH_DEVICES, BENCH_HOUSEHOLDS override,
//                        BENCH_SETTLE_MS the pause between queueing and the drain, both sides;
//                        BENCH_SIDES=pucha,peer,strict: which columns to run, default all three)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { generateDistrict } from '../src/domain/index.ts';
import { browser, pct } from './ui-lib/browser.ts';
import type { BenchWindow, Harness } from './client-page/harness.ts';
import { batches, households, peerIngest, puchaIngest, startProcess, stopProcess, type IngestResult } from './peer-lib/ingest.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const num = (name: string, full: number, quick: number) => Number(process.env[name] ?? (QUICK ? quick : full));
const SAVES = num('BENCH_SAVES', 300, 100);
const QUEUE = num('BENCH_QUEUE', 10_000, 1_000);
const DEVICES = num('BENCH_DEVICES', 200, 50);
const HOUSEHOLDS = num('BENCH_HOUSEHOLDS', 40, 20);
const SETTLE_MS = num('BENCH_SETTLE_MS', 10_000, 2_000);
const WARM = 30;
/** The district of Pucha's Chromium page (bench/client-page: seed 7, 500 households). */
const BENCH_DISTRICT = '130102001003001';
const SIDES = new Set((process.env.BENCH_SIDES ?? 'pucha,peer,strict').split(','));

interface Figures {
  save: number[];
  queueMsPerSave: number;
  drainMs: number;
  drainNote: string;
  ingest?: IngestResult;
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const ms = (x: number) => x.toFixed(1);

async function pucha(openBenchPage: (p: Page, url: string) => Promise<void>, h: Harness, ctx: BrowserContext): Promise<Figures> {
  const srv = await h.server('peer-pucha.sqlite', Math.max(120, 3 * (Math.ceil(QUEUE / 100) + 10)));
  const page = await ctx.newPage();
  try {
    await openBenchPage(page, srv.url);
    type W = BenchWindow;
    const sv = await page.evaluate(([n, w]) => (window as unknown as W).__clientBench.save(n, w), [SAVES, WARM] as const);
    const q = await page.evaluate((n) => (window as unknown as W).__clientBench.queue(n), QUEUE);
    if (q.queued !== QUEUE) throw new Error(`pucha: ${q.queued} queued`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const d = await page.evaluate(() => (window as unknown as W).__clientBench.drain());
    await page.evaluate(() => (window as unknown as W).__clientBench.dispose());
    if (d.outcome !== 'ok' || d.left !== 0 || d.pushed.applied !== QUEUE) throw new Error(`pucha drain: ${JSON.stringify(d)}`);
    return { save: sv.ours, queueMsPerSave: q.setupMs / QUEUE, drainMs: d.ms, drainNote: `${d.requests} pushes, pushes ${(d.pushMs / 1000).toFixed(2)} s, pull ${(d.pullMs / 1000).toFixed(2)} s (${d.pullPages} pages)` };
  } finally {
    await page.close();
    await h.stop(srv);
  }
}

type PeerWindow = Window & {
  __peer: {
    init(regs: unknown[]): number;
    save(n: number, warm: number): Promise<number[]>;
    queue(n: number): Promise<{ ms: number; queued: number }>;
    drain(): Promise<{ ms: number; pushed: number; pulled: number; remoteDocs: number; ok: boolean }>;
  };
};

async function peer(ctx: BrowserContext, strict: boolean): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-bench-peer-'));
  const srv = await startProcess('bench/peer-lib/server.ts', { PEER_DIR: dir, PEER_FSYNC: strict ? '1' : '0' });
  let page: Page | undefined;
  try {
    page = await ctx.newPage();
    await page.goto(`${srv.url}/peer/${strict ? '?strict=1' : ''}`);
    await page.waitForFunction(() => document.title === 'peer-ready');
    const gen = generateDistrict({ seed: 7, code: BENCH_DISTRICT, enumerators: ['u-demo-enumerator'], households: 500, registeredShare: 1 });
    await page.evaluate((regs) => (window as unknown as PeerWindow).__peer.init(regs), gen.registrations as unknown[]);
    const save = await page.evaluate(([n, w]) => (window as unknown as PeerWindow).__peer.save(n, w), [SAVES, WARM] as const);
    const q = await page.evaluate((n) => (window as unknown as PeerWindow).__peer.queue(n), QUEUE);
    if (q.queued !== QUEUE) throw new Error(`peer: ${q.queued} queued`);
    if (!(await fetch(`${srv.url}/db/census`, { method: 'PUT' })).ok) throw new Error('peer: create census db');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const d = await page.evaluate(() => (window as unknown as PeerWindow).__peer.drain());
    if (!d.ok || d.remoteDocs !== QUEUE) throw new Error(`peer drain: ${JSON.stringify(d)}`);
    return { save, queueMsPerSave: q.ms / QUEUE, drainMs: d.ms, drainNote: `${d.pushed} pushed, ${d.pulled} pulled` };
  } finally {
    await page?.close();
    await stopProcess(srv.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingest(kind: 'pucha' | 'peer' | 'peer-strict'): Promise<IngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-bench-peer-ingest-'));
  const perDevice = households(DEVICES, HOUSEHOLDS).map((rs) => batches(rs, 10));
  const srv =
    kind === 'pucha'
      ? await startProcess('bench/server-lib/ingest-server.ts', { BENCH_DB: join(dir, 'server.sqlite'), BENCH_DEVICES: String(DEVICES), BENCH_HOUSEHOLDS: String(HOUSEHOLDS) })
      : await startProcess('bench/peer-lib/server.ts', { PEER_DIR: dir, PEER_FSYNC: kind === 'peer-strict' ? '1' : '0' });
  try {
    const r = kind === 'pucha' ? await puchaIngest(srv.child, srv.url, perDevice) : await peerIngest(srv.child, srv.url, perDevice);
    if (r.notApplied) throw new Error(`${kind}: ${r.notApplied} not applied`);
    return r;
  } finally {
    await stopProcess(srv.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`peer bench${QUICK ? ' (quick)' : ''}: ${SAVES} saves, a queue of ${QUEUE}, ingest ${DEVICES} devices x ${HOUSEHOLDS} households (10 a push); load average ${load()}`);
// Loaded only when Pucha runs (it builds Pucha's page and brings the server in).
const lib = SIDES.has('pucha') ? await import('./client-page/harness.ts') : undefined;
const h = lib ? await lib.harness() : undefined;
const ctx = await browser();
const cols: Record<string, Figures> = {};
try {
  console.log(`Chromium ${ctx.browser()?.version() ?? ''}`);
  if (lib && h) cols.pucha = await pucha(lib.openBenchPage, h, ctx);
  console.log(`  pucha browser part done; load average ${load()}`);
  if (SIDES.has('peer')) cols.peer = await peer(ctx, false);
  console.log(`  peer browser part done; load average ${load()}`);
  if (SIDES.has('strict')) cols.strict = await peer(ctx, true);
  console.log(`  peer-strict browser part done; load average ${load()}`);
} finally {
  await ctx.close();
  await h?.dispose();
}
if (cols.pucha) cols.pucha.ingest = await ingest('pucha');
if (cols.peer) cols.peer.ingest = await ingest('peer');
if (cols.strict) cols.strict.ingest = await ingest('peer-strict');
console.log(`  ingest done; load average ${load()}`);

const rate = (r: IngestResult) => r.persons / r.seconds;
const order = (['pucha', 'peer', 'strict'] as const).filter((k) => cols[k]);
const head = { pucha: 'Pucha (strict IndexedDB, encrypted; SQLite synchronous=FULL; validates)', peer: 'peer as shipped (relaxed IndexedDB; LevelDB, no fsync)', strict: 'peer strict (strict IndexedDB; LevelDB sync: fsync)' };
const rows: [string, ...string[]][] = [
  ['measure', ...order.map((k) => head[k])],
  ['save of a 6-person household, p50 / p95', ...order.map((k) => `${ms(pct(cols[k]!.save, 50))} / ${ms(pct(cols[k]!.save, 95))} ms`)],
  [`queueing ${QUEUE} saves offline`, ...order.map((k) => `${cols[k]!.queueMsPerSave.toFixed(2)} ms a save`)],
  [`drain of ${QUEUE} queued households`, ...order.map((k) => `${(cols[k]!.drainMs / 1000).toFixed(2)} s (${Math.round(QUEUE / (cols[k]!.drainMs / 1000))}/s)`)],
  [`server ingest, ${DEVICES} devices x ${HOUSEHOLDS} households, saturated`, ...order.map((k) => `${rate(cols[k]!.ingest!).toFixed(0)} persons/s, p50 ${pct(cols[k]!.ingest!.latencies, 50).toFixed(0)} ms, p99 ${pct(cols[k]!.ingest!.latencies, 99).toFixed(0)} ms`)],
  ['server CPU per person', ...order.map((k) => `${(cols[k]!.ingest!.cpuUs / cols[k]!.ingest!.persons).toFixed(0)} µs`)],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: readonly string[]) => `| ${r.map((x, c) => x.padEnd(widths[c]!)).join(' | ')} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(`drain detail: ${order.map((k) => `${k} ${cols[k]!.drainNote}`).join('; ')}`);
const p = cols.pucha;
const st = cols.strict;
if (p && st && cols.peer) console.log(
  `goals (issue 17): save p50 ${ms(pct(p.save, 50))} <= peer-strict ${ms(pct(st.save, 50))} ms: ${pct(p.save, 50) <= pct(st.save, 50) ? 'met' : 'NOT met'}; ` +
    `drain ${(p.drainMs / cols.peer.drainMs).toFixed(2)}x the peer's (goal <= 0.7x): ${p.drainMs <= 0.7 * cols.peer.drainMs ? 'met' : 'NOT met'}; ` +
    `ingest ${rate(p.ingest!).toFixed(0)} >= peer-fsync ${rate(st.ingest!).toFixed(0)} persons/s: ${rate(p.ingest!) >= rate(st.ingest!) ? 'met' : 'NOT met'}; ` +
    `p99 ${pct(p.ingest!.latencies, 99).toFixed(0)} <= peer ${pct(cols.peer.ingest!.latencies, 99).toFixed(0)} ms: ${pct(p.ingest!.latencies, 99) <= pct(cols.peer.ingest!.latencies, 99) ? 'met' : 'NOT met'}`,
);
console.log(`load average at the end ${load()}`);
