// The update handshake: a new service worker waits; the page offers "update" but keeps the button
// disabled while the household form has unsaved input; after saving, "update" activates the new
// worker (SKIP_WAITING from the page only) and the page reloads into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browserAvailable, launchBrowser, signIn, startServer, tempDir, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';
import { field } from './household-steps.ts';

const SW = join(ROOT, 'dist/sw.js');

describe.runIf(browserAvailable())('service worker update', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;
  let original: string | undefined;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
    phone = await launchBrowser();
  });
  afterAll(async () => {
    if (original !== undefined) writeFileSync(SW, original); // the other suites use the same dist/
    await phone?.close();
    await server?.stop();
  });

  it('never reloads over unsaved input, and updates once the form is saved', async () => {
    const { page } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().click();
    await page.getByLabel('按走访结果筛选').selectOption('pending');
    await page.getByTestId('hh-row').first().locator('.hh-open').click();
    await field(page, 'persons', 0, 'name').fill('更新测试');
    await field(page, 'persons', 0, 'name').blur();

    // Deploy "version 2": a byte-different worker script; ask the browser to check for it.
    original = readFileSync(SW, 'utf8');
    writeFileSync(SW, `${original}\n// e2e update ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

    const banner = page.getByTestId('update-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toContain('请先保存');
    const update = banner.getByRole('button', { name: '更新' });
    expect(await update.isDisabled()).toBe(true);
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => update.isDisabled(), { timeout: 10_000 }).toBe(false);
    const reloaded = page.waitForEvent('load');
    await update.click();
    await reloaded;
    await waitForServiceWorker(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    // The saved draft survived the update.
    await field(page, 'persons', 0, 'name').waitFor({ state: 'attached' });
    expect(await field(page, 'persons', 0, 'name').inputValue()).toBe('更新测试');
  });

  it('asks this tab to reload when another tab upgrades the database (R12)', async () => {
    const { page, context } = phone;
    await page.goto(`${server.url}/#/sync`);
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
    }
  });
});
