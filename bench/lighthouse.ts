// Lighthouse mobile audit of the sign-in page on a cold first visit (issue 16): the production
// build served by `npm start` (compressed transfer, cache headers), Lighthouse's default mobile
// settings (simulated slow 4G, 4x CPU slowdown, Moto G Power screen), storage cleared before each
// run. Goals: FCP <= 2.0 s, performance score >= 90. Prints the figures; asserts nothing.
// LH_RUNS (default 3) runs, the median of each figure. Builds dist/ first (BENCH_NO_BUILD=1 skips
// that when dist/ is current).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, ROOT, pct } from './ui-lib/browser.ts';
import { startServer } from '../tests/e2e/server-process.ts';

const RUNS = Number(process.env.LH_RUNS ?? 3);
if (process.env.BENCH_NO_BUILD !== '1') {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) process.exit(1);
}

interface Figures {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  si: number;
  cls: number;
  transferKb: number;
  scriptKb: number;
}

const dataDir = mkdtempSync(join(tmpdir(), 'pucha-bench-lh-'));
const server = await startServer({ dbFile: join(dataDir, 'pucha.sqlite') });
const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'] });
const runs: Figures[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const result = await lighthouse(`${server.url}/`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    const lhr = result?.lhr;
    if (!lhr) throw new Error('lighthouse returned no result');
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const num = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    // Bytes on the wire per resource type (Lighthouse's own network records).
    const items = (lhr.audits['resource-summary']?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items ?? [];
    const size = (type: string) => (items.find((x) => x.resourceType === type)?.transferSize ?? NaN) / 1024;
    const f: Figures = {
      score: Math.round((lhr.categories.performance?.score ?? NaN) * 100),
      fcp: num('first-contentful-paint'),
      lcp: num('largest-contentful-paint'),
      tbt: num('total-blocking-time'),
      si: num('speed-index'),
      cls: num('cumulative-layout-shift'),
      transferKb: size('total'),
      scriptKb: size('script'),
    };
    runs.push(f);
    console.log(`  run ${i + 1}: score ${f.score}, FCP ${f.fcp.toFixed(0)} ms, LCP ${f.lcp.toFixed(0)} ms, TBT ${f.tbt.toFixed(0)} ms, SI ${f.si.toFixed(0)} ms, CLS ${f.cls.toFixed(3)}, transfer ${f.transferKb.toFixed(1)} KB (script ${f.scriptKb.toFixed(1)} KB)`);
  }
} finally {
  chrome.kill();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
const med = (k: keyof Figures) => pct(runs.map((r) => r[k]), 50);
console.log(
  `Lighthouse mobile, sign-in page, cold first visit (n=${runs.length}, median): performance ${med('score')} (goal >= 90), ` +
    `FCP ${(med('fcp') / 1000).toFixed(2)} s (goal <= 2.0 s), LCP ${(med('lcp') / 1000).toFixed(2)} s, TBT ${med('tbt').toFixed(0)} ms, ` +
    `SI ${(med('si') / 1000).toFixed(2)} s, CLS ${med('cls').toFixed(3)}, transfer ${med('transferKb').toFixed(1)} KB (script ${med('scriptKb').toFixed(1)} KB)`,
);
