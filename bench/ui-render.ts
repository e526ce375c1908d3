// Render of a 500-household district (IndexedDB read + React render to the first rows) and the
// cost of a search keystroke (input to the filtered list committed), in real Chromium.
// Goals: render under 100 ms, keystroke under 16 ms.
import { browser, buildBenchPage, fmt, pct, serveDir, summary } from './ui-lib/browser.ts';

type Bench = { renderDistrict(size: number, keys: string[]): Promise<{ renderMs: number; keystrokeMs: number[] }> };
const RUNS = Number(process.env.BENCH_N ?? 10);
const KEYS = ['光', '华', '路', ' ', '1', '2', '\b', '\b', '\b', '\b', '户', '主', '4', '9'];
const dir = await buildBenchPage();
const { url, server } = await serveDir(dir);
const ctx = await browser();
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench-ready');
  const renders: number[] = [];
  const keys: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const r = await page.evaluate(([size, k]) => (window as unknown as { __bench: Bench }).__bench.renderDistrict(size, k), [500, KEYS] as [number, string[]]);
    if (i === 0) continue; // warm-up (JIT, first IndexedDB open)
    renders.push(r.renderMs);
    keys.push(...r.keystrokeMs);
  }
  console.log(summary('render 500-household district (IndexedDB read + first rows)', renders), '· goal < 100 ms');
  console.log(summary('search keystroke (input -> filtered list committed)', keys), '· goal < 16 ms');
  console.log(`  (keystroke median ${fmt(pct(keys, 50))} ms over ${keys.length} keystrokes)`);
} finally {
  await ctx.close();
  server.close();
}
