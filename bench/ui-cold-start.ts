// Offline cold start to the district list: a fresh browser process on an installed profile, no
// network and no server, 4x CPU throttling (CDP), from navigation start to the first household
// row on screen (inserted, then the next frame painted). Goal: under 1 s. Needs dist/ (run `npx vite build` or `npm run bench ui-size` first; built here if missing).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, browser, fmt, pct, summary } from './ui-lib/browser.ts';
import { startServer, signIn, waitForServiceWorker } from '../tests/e2e/harness.ts';

const RUNS = Number(process.env.BENCH_N ?? 7);
if (!existsSync(join(ROOT, 'dist/index.html'))) {
  spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
const dataDir = mkdtempSync(join(tmpdir(), 'pucha-bench-cold-'));
const profile = join(dataDir, 'profile');
const server = await startServer({ dbFile: join(dataDir, 'pucha.sqlite') });
let districtUrl: string | undefined;
try {
  const ctx = await browser(profile);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(server.url);
  await waitForServiceWorker(page);
  await signIn(page, 'demo-enumerator');
  await page.getByTestId('district-link').first().click();
  await page.getByTestId('hh-row').first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-badge"]')?.getAttribute('data-phase') === 'idle');
  districtUrl = page.url();
  await ctx.close();
} finally {
  await server.stop();
}

const times: number[] = [];
for (let i = 0; i < RUNS + 1; i++) {
  const ctx = await browser(profile);
  try {
    await ctx.setOffline(true);
    // Marks the moment the first household row is inserted (runs before the app's scripts).
    await ctx.addInitScript(() => {
      const mo = new MutationObserver(() => {
        if (document.querySelector('[data-testid="hh-row"]')) {
          performance.mark('first-row');
          // after the next frame's style, layout and paint: the rows are on screen
          requestAnimationFrame(() => setTimeout(() => performance.mark('first-row-painted'), 0));
          mo.disconnect();
        }
      });
      mo.observe(document, { childList: true, subtree: true });
    });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(districtUrl, { waitUntil: 'commit' });
    await page.getByTestId('hh-row').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => performance.getEntriesByName('first-row-painted').length > 0);
    // performance.now() is measured from the navigation's time origin.
    const { ms, phases } = await page.evaluate(() => {
      const mark = performance.getEntriesByName('first-row-painted')[0];
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((r) => r.name.endsWith('.js'));
      const phases: Record<string, number> = { htmlResponseEnd: nav?.responseEnd ?? 0, jsResponseEnd: js ? js.responseEnd : 0, domContentLoaded: nav?.domContentLoadedEventEnd ?? 0 };
      for (const m of performance.getEntriesByType('mark')) phases[m.name] = m.startTime;
      return { ms: mark ? mark.startTime : performance.now(), phases };
    });
    if (process.env.BENCH_VERBOSE) console.log(`  run ${i}: ${Math.round(ms)} ms`, Object.entries(phases).map(([k, v]) => `${k}=${Math.round(v)}`).join(' '));
    if (i > 0) times.push(ms); // run 0 warms the OS file cache
  } finally {
    await ctx.close();
  }
}
rmSync(dataDir, { recursive: true, force: true });
console.log(summary('offline cold start to the district list (4x CPU throttling, new browser process each run)', times), '· goal < 1000 ms');
console.log(`  (median ${fmt(pct(times, 50))} ms)`);
