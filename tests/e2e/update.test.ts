// Updates that never blank the screen, with two real builds whose chunks differ (v2 is built with
// PUCHA_BUILD_VARIANT, which changes every UI module, so HouseholdPage-<hash>.js gets a new name)
// and served one after the other by the real app, as a deploy would: v2's server no longer has
// v1's files. Three tabs run v1; the update is accepted in tab A (blocked while the form has unsaved
// input, the banner never covering 保存); tab B, still running v1, then opens the household form:
// its old chunk comes from the service worker (the server answers 404 for it), the form renders,
// no reload, no blank page, and its 更新 reloads it into v2; tab C lost that copy (cache
// deleted): its failed import reloads it once, by itself, into v2, and the form renders. The
// build id goes out as the push's appVersion and the supervisor's table shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT, browserAvailable, launchBrowser, signIn, startAppServer, tempDir, waitForServiceWorker, unlock, type AppServerHandle, type BrowserHandle } from './harness.ts';
import { field } from './household-steps.ts';

const OUT = join(ROOT, '.tmp/e2e-update');
const V1 = join(OUT, 'v1');
const V2 = join(OUT, 'v2');

/** A production build of the app into `outDir` with the given build id (and variant). */
function build(outDir: string, env: Record<string, string>): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', PUCHA_BUILD_VARIANT: '', ...env },
  });
  if (r.status !== 0) throw new Error(`vite build into ${outDir} failed (exit ${r.status})`);
}

const householdChunk = (dir: string) => readdirSync(join(dir, 'assets')).find((f) => /^HouseholdPage-.*\.js$/.test(f));
const buildOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.build);

/** Every JS file of /assets/ the page requested, with how it was answered. */
function recordAssets(page: Page): { url: string; status: number; fromSW: boolean }[] {
  const seen: { url: string; status: number; fromSW: boolean }[] = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/assets/') && u.pathname.endsWith('.js')) seen.push({ url: u.pathname, status: r.status(), fromSW: r.fromServiceWorker() });
  });
  return seen;
}

/** The appVersion of every push any page of the context sent. */
function recordPushes(context: BrowserContext): string[] {
  const versions: string[] = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/sync/push')) {
      const body = r.postDataJSON() as { device?: { appVersion?: string } } | null;
      versions.push(body?.device?.appVersion ?? '(none)');
    }
  });
  return versions;
}

/** What is at the centre of the element: the element itself (or inside it), or what covers it. */
async function coveredBy(page: Page, selector: { role: 'button'; name: string }): Promise<string> {
  const button = page.getByRole(selector.role, { name: selector.name, exact: true });
  const box = await button.boundingBox();
  if (!box) return 'not visible';
  return button.evaluate((el, p) => {
    const hit = document.elementFromPoint(p.x, p.y);
    if (hit && (hit === el || el.contains(hit))) return 'itself';
    return hit ? `${hit.tagName.toLowerCase()}.${hit.className} "${(hit.textContent ?? '').trim().slice(0, 40)}"` : 'nothing';
  }, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
}

/** Runs `action` and waits for the page to load again; a timeout says what the worker and banner were doing. */
async function reloadsAfter(page: Page, what: string, action: () => Promise<void>): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 30_000 });
  await action();
  try {
    await loaded;
  } catch (e) {
    const state = await page
      .evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        const banner = document.querySelector('[data-testid="update-banner"]')?.textContent ?? null;
        return { controller: navigator.serviceWorker.controller?.state ?? null, active: reg?.active?.state ?? null, waiting: reg?.waiting?.state ?? null, installing: reg?.installing?.state ?? null, banner, build: document.documentElement.dataset.build };
      })
      .catch((err: unknown) => String(err));
    throw new Error(`${what}: no reload within 30 s (${JSON.stringify(state)})`, { cause: e });
  }
}

async function openHousehold(page: Page, listingId: string): Promise<void> {
  await page.evaluate((id) => (window.location.hash = `#/h/${encodeURIComponent(id)}`), listingId);
  await page.waitForSelector('#f-persons-0-name, [data-testid="error-boundary"]', { timeout: 30_000 });
}

describe.runIf(browserAvailable())('service worker update with two real builds', () => {
  let server: AppServerHandle;
  let phone: BrowserHandle;
  let chunkV1: string;
  let chunkV2: string;

  beforeAll(async () => {
    build(V1, { PUCHA_BUILD_ID: 'e2e-v1' });
    build(V2, { PUCHA_BUILD_ID: 'e2e-v2', PUCHA_BUILD_VARIANT: 'v2' });
    chunkV1 = householdChunk(V1) ?? '';
    chunkV2 = householdChunk(V2) ?? '';
    server = await startAppServer({ staticDir: V1, dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('the two builds differ in the lazily loaded household chunk', () => {
    expect(chunkV1).toMatch(/^HouseholdPage-/);
    expect(chunkV2).toMatch(/^HouseholdPage-/);
    expect(chunkV2).not.toBe(chunkV1);
    expect(existsSync(join(V2, 'assets', chunkV1))).toBe(false);
  });

  it('updates tab A once its form is saved, while tabs B and C on the old build never go blank', async () => {
    const { context, page: a } = phone;
    const pushes = recordPushes(context);
    await a.goto(server.url);
    await waitForServiceWorker(a);
    await signIn(a, 'demo-enumerator');
    await a.getByTestId('district-link').first().click();
    await a.getByLabel('按走访结果筛选').selectOption('pending');
    await a.getByTestId('hh-row').first().locator('.hh-open').click();
    await a.waitForURL(/#\/h\//);
    const listingId = decodeURIComponent(new URL(a.url()).hash.replace('#/h/', ''));
    await field(a, 'persons', 0, 'name').fill('更新测试');
    await field(a, 'persons', 0, 'name').blur();

    // Tabs B and C run v1 too, on the district list: neither has loaded the household chunk.
    const b = await context.newPage();
    const c = await context.newPage();
    const assetsB = recordAssets(b);
    for (const p of [b, c]) {
      await p.goto(server.url);
      await unlock(p); // a new tab opens on the lock screen: the key lives in each page only
      await p.getByTestId('district-link').first().waitFor();
      await waitForServiceWorker(p);
      expect(await buildOf(p)).toBe('e2e-v1');
      await p.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    }

    // Deploy v2 (v1's files are gone from the server) and let tab A find the new worker.
    await server.deploy(V2);
    // Nor is anything left in the HTTP cache (Chromium keeps the immutable chunks there too, for a
    // while): only the service worker can still answer for v1's files.
    await (await context.newCDPSession(a)).send('Network.clearBrowserCache');
    const gone = await fetch(`${server.url}/assets/${chunkV1}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('not_found');
    await a.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

    const banner = a.getByTestId('update-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toContain('请先保存');
    const update = banner.getByRole('button', { name: '更新' });
    expect(await update.isDisabled()).toBe(true);
    // The banner says "save first": 保存 must be reachable, not under the banner (360 x 740).
    await expect.poll(() => coveredBy(a, { role: 'button', name: '保存' }), { timeout: 5_000 }).toBe('itself');

    await a.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => update.isDisabled(), { timeout: 10_000 }).toBe(false);
    await reloadsAfter(a, 'tab A after 更新', () => update.click());
    await unlock(a);
    await waitForServiceWorker(a);
    expect(await buildOf(a)).toBe('e2e-v2');
    expect(await a.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await field(a, 'persons', 0, 'name').waitFor({ state: 'attached' });
    expect(await field(a, 'persons', 0, 'name').inputValue()).toBe('更新测试');

    // Tab B still runs v1 under the v2 worker and opens the household form: v1's chunk comes from
    // the worker's copy of the previous build, the form renders, and the page was not reloaded.
    await expect.poll(() => b.evaluate(() => navigator.serviceWorker.controller?.state), { timeout: 10_000 }).toBe('activated');
    await openHousehold(b, listingId);
    expect(await b.getByTestId('error-boundary').count()).toBe(0);
    expect(await field(b, 'persons', 0, 'name').inputValue()).toBe('更新测试');
    expect(await buildOf(b)).toBe('e2e-v1');
    expect(await b.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(assetsB.filter((r) => r.url === `/assets/${chunkV1}`)).toEqual([{ url: `/assets/${chunkV1}`, status: 200, fromSW: true }]);

    // Its 更新 button reloads it into v2 (nothing is waiting any more: the worker changed under it).
    const bannerB = b.getByTestId('update-banner');
    await bannerB.waitFor();
    await reloadsAfter(b, 'tab B after 更新', () => bannerB.getByRole('button', { name: '更新' }).click());
    await unlock(b);
    await b.getByTestId('district-link').or(field(b, 'persons', 0, 'name')).first().waitFor();
    expect(await buildOf(b)).toBe('e2e-v2');

    // Tab C lost the worker's copy of v1: its import fails (404), the error boundary reloads the
    // page once by itself, into v2, and the form renders. Never a blank page.
    expect(await c.evaluate(() => caches.delete('pucha-previous-assets'))).toBe(true);
    await reloadsAfter(c, 'tab C after its chunk failed', async () => {
      await c.evaluate((id) => (window.location.hash = `#/h/${encodeURIComponent(id)}`), listingId);
    });
    await unlock(c);
    await field(c, 'persons', 0, 'name').waitFor({ timeout: 30_000 });
    expect(await buildOf(c)).toBe('e2e-v2');
    expect(await c.evaluate(() => sessionStorage.getItem('pucha.chunkReloadAt'))).toMatch(/^\d+$/);
    expect(await field(c, 'persons', 0, 'name').inputValue()).toBe('更新测试');

    // Every tab runs v2 now: the next push reports it, and the supervisor sees it.
    await c.close();
    await b.close();
    await field(a, 'persons', 0, 'name').fill('更新测试二');
    await a.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => pushes.at(-1), { timeout: 30_000 }).toBe('e2e-v2');
    expect(pushes).not.toContain('(none)');

    const sup = await launchBrowser();
    try {
      await sup.page.goto(server.url);
      await signIn(sup.page, 'demo-supervisor');
      const row = sup.page.locator('[data-testid="enumerator-row"][data-username="demo-enumerator"]');
      await expect.poll(() => row.getByTestId('app-version').innerText(), { timeout: 30_000 }).toBe('e2e-v2');
    } finally {
      await sup.close();
    }
  });

  it('asks this tab to reload when another tab upgrades the database (R12)', async () => {
    const { context } = phone;
    const page = await context.newPage();
    await page.goto(`${server.url}/#/sync`);
    await unlock(page);
    await page.getByTestId('sync-now').waitFor();
    // Another tab of the same origin (a newer app version) opens the database at a higher version.
    const other = await context.newPage();
    try {
      await other.goto(`${server.url}/robots.txt`);
      const upgraded = await other.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const req = indexedDB.open('pucha', 10_000);
            req.onsuccess = () => {
              const v = req.result.version;
              req.result.close();
              resolve(v);
            };
            req.onerror = () => reject(new Error(String(req.error)));
          }),
      );
      expect(upgraded).toBe(10_000);
      const banner = page.getByTestId('update-banner');
      await banner.waitFor({ timeout: 10_000 });
      expect(await banner.innerText()).toContain('另一个标签页');
      expect(await banner.getByRole('button', { name: '稍后' }).count()).toBe(0);
    } finally {
      await other.close();
      await page.close();
    }
  });
});
