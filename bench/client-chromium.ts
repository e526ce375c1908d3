// The phone's store in real Chromium (IndexedDB, strict durability), the counterpart of
// bench/client-store.ts (fake-indexeddb), as ratios against raw baselines:
//  1. save of a 6-person household through saveRegistration vs a raw Dexie put of the same row;
//  2. bulk load of a 500-household district through applyPulledChanges (the changes of a first
//     pull) vs a raw Dexie bulkPut of the same rows (both strict durability).
// The drain of a queue to the server is bench/client-drain.ts.
//   node --import tsx bench/client-chromium.ts   (BENCH_N=300 saves)
import { browser, fmt, pct, summary } from './ui-lib/browser.ts';
import { harness, openBenchPage, type BenchWindow } from './client-page/harness.ts';

const SAVES = Number(process.env.BENCH_N ?? 300);
const LOADS = 5;
type W = BenchWindow;

const h = await harness();
const ctx = await browser();
try {
  const s = await h.server('store.sqlite', 120);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await openBenchPage(page, s.url);
  const sixes = await page.evaluate(() => (window as unknown as W).__sixPersons);
  console.log(`Chromium ${ctx.browser()?.version() ?? ''}; generated district: 500 households (${sixes} with 6 persons)`);

  // ---- 1. save of a 6-person household --------------------------------------------------------
  const sv = await page.evaluate((n) => (window as unknown as W).__clientBench.save(n, 30), SAVES);
  console.log(summary('save 6-person household (draft; registration + outbox + record state)', sv.ours));
  console.log(summary('  raw Dexie put of the same row (strict)', sv.raw));
  console.log(`  ratio p50 ${(pct(sv.ours, 50) / pct(sv.raw, 50)).toFixed(1)}x, p95 ${(pct(sv.ours, 95) / pct(sv.raw, 95)).toFixed(1)}x`);

  // ---- 2. bulk load of a 500-household district ---------------------------------------------
  const ld = await page.evaluate((n) => (window as unknown as W).__clientBench.load(n), LOADS);
  console.log(summary(`bulk load of a 500-household district via applyPulledChanges (${ld.changes} changes, parsed, per-record state)`, ld.ours));
  console.log(summary('  raw Dexie bulkPut of the same rows (one strict transaction)', ld.raw));
  console.log(`  ratio median ${(pct(ld.ours, 50) / pct(ld.raw, 50)).toFixed(1)}x`);
  console.log(`(p50 of saves ${fmt(pct(sv.ours, 50))} ms)`);
} finally {
  await ctx.close();
  await h.dispose();
}
