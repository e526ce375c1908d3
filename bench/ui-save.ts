// Save of a 6-person household (registration + outbox entry in one strict-durability Dexie
// transaction) in real Chromium IndexedDB. Goal: p95 under 30 ms.
import { browser, buildBenchPage, serveDir, summary } from './ui-lib/browser.ts';

const N = Number(process.env.BENCH_N ?? 200);
const dir = await buildBenchPage();
const { url, server } = await serveDir(dir);
const ctx = await browser();
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench-ready');
  await page.evaluate(() => (window as unknown as { __bench: { saves(n: number): Promise<number[]> } }).__bench.saves(20)); // warm-up
  const times = await page.evaluate((n) => (window as unknown as { __bench: { saves(n: number): Promise<number[]> } }).__bench.saves(n), N);
  console.log(summary('save 6-person household (Chromium IndexedDB, durability strict)', times), '· goal p95 < 30 ms');
} finally {
  await ctx.close();
  server.close();
}
