// Practice mode end to end (issue 15), in real Chromium against the real server: offline, the
// enumerator enters practice, tries to complete a practice household too early, fixes it and
// completes it, reloads (still in practice, the household still there), leaves practice. Back
// online, the queue drains; the server holds no trace of the practice household (not in the
// enumerator's pull, not in the export), only the summary the supervisor sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiGet, apiLogin, browserAvailable, launchBrowser, signIn, startServer, unlock, tempDir, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';
import { field, fillHouseholdItems, fillPerson, type PersonAnswers } from './household-steps.ts';

const PRACTICE_CODE = '000000000000001';
const HEAD: PersonAnswers = { name: '练习户主甲', relationship: 0, birth: '1966-04-02', sex: 1, seq: 71 };
const SPOUSE: PersonAnswers = { name: '练习配偶乙', relationship: 1, birth: '1968-09-15', sex: 2, seq: 72 };

const queued = (page: Page) => page.getByTestId('sync-badge').getAttribute('data-queued');

async function confirmWarnings(page: Page): Promise<void> {
  const unconfirmed = field(page, 'findings').locator('.hh-finding-warning').filter({ has: page.getByRole('button', { name: '确认无误…' }) });
  for (let left = await unconfirmed.count(), guard = 0; left > 0 && guard < 12; left = await unconfirmed.count(), guard++) {
    const w = unconfirmed.first();
    const rule = await w.getAttribute('data-rule');
    await w.getByRole('button', { name: '确认无误…' }).click();
    const open = field(page, 'findings').locator(`[data-rule="${rule}"]`).first();
    await open.getByRole('radio', { name: '已与被访者核实' }).check();
    await open.getByRole('textbox', { name: '说明' }).fill('练习');
    await open.getByRole('button', { name: '确认', exact: true }).click();
    await expect.poll(() => unconfirmed.count()).toBe(left - 1);
  }
}

describe.runIf(browserAvailable())('practice mode', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-practice-'), 'pucha.sqlite') });
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('completes a practice household offline; the server gets the summary and nothing else', async () => {
    const { page, context } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().waitFor();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
    const realDistricts = await page.getByTestId('district-link').count();

    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await unlock(page);
    await page.getByTestId('practice-enter').click();
    await page.getByTestId('practice-bar').waitFor();
    // Only the practice district is shown, marked on the screen.
    await expect.poll(() => page.getByTestId('district-link').count()).toBe(1);
    expect(await page.getByTestId('district-link').innerText()).toContain('练习小区');
    const headerBg = await page.locator('.app-header').evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(headerBg).toContain('gradient');
    await page.getByTestId('district-link').click();
    await page.locator('[data-testid="hh-row"]').first().waitFor();
    const row = page.locator('[data-testid="hh-row"][data-status="pending"][data-kind="ordinary"][data-form="short"]').first();
    await row.locator('.hh-open').click();
    await page.waitForURL(/#\/h\//);
    await page.getByTestId('practice-bar').waitFor();
    await field(page, 'persons', 0, 'name').waitFor();

    // Too early: the attempt is refused and counted with its errors.
    await page.getByRole('button', { name: '完成登记' }).click();
    await expect.poll(() => field(page, 'findings').locator('.hh-finding-error, .hh-finding').count()).toBeGreaterThan(0);

    await fillHouseholdItems(page, { residents: 2, floorArea: 80, rooms: 3 });
    await fillPerson(page, 0, HEAD);
    await page.getByRole('button', { name: '添加人口' }).click();
    await field(page, 'persons', 1, 'name').waitFor();
    await fillPerson(page, 1, SPOUSE);
    await expect.poll(() => field(page, 'findings').locator('.hh-finding-error').count()).toBe(0);
    await confirmWarnings(page);
    await page.getByRole('button', { name: '完成登记' }).click();
    await page.getByText(/已完成登记/).waitFor();

    // Reload offline: still practice, the household still there.
    await page.reload();
    await unlock(page);
    await page.getByTestId('practice-bar').waitFor();
    await field(page, 'persons', 1, 'name').waitFor({ state: 'attached' });
    expect(await field(page, 'persons', 1, 'name').inputValue()).toBe(SPOUSE.name);

    // Leave practice: the real districts again.
    await page.getByTestId('practice-leave').click();
    await expect.poll(() => page.getByTestId('practice-bar').count()).toBe(0);
    await expect.poll(() => page.getByTestId('district-link').count()).toBe(realDistricts);
    expect(await page.getByTestId('district-link').allInnerTexts()).not.toContain(expect.stringContaining('练习小区'));

    server = await startServer({ port: server.port, dbFile: server.dbFile });
    await context.setOffline(false);
    await expect.poll(() => queued(page), { timeout: 60_000, interval: 250 }).toBe('0');

    // The supervisor sees the training signal.
    const sup = await apiLogin(server.url, 'demo-supervisor');
    const status = (await apiGet(server.url, sup, '/supervision/status')) as { enumerators: { username: string; practice?: { completed: number; attempts: number; errorsAtAttempts: number } }[] };
    const me = status.enumerators.find((e) => e.username === 'demo-enumerator');
    expect(me?.practice).toMatchObject({ completed: 1 });
    expect(me?.practice?.attempts).toBeGreaterThanOrEqual(2);
    expect(me?.practice?.errorsAtAttempts).toBeGreaterThan(0);

    // No trace of the practice household anywhere the server answers.
    const enumerator = await apiLogin(server.url, 'demo-enumerator');
    const pulled = JSON.stringify(await apiGet(server.url, enumerator, '/sync/pull'));
    const exported = JSON.stringify(await apiGet(server.url, sup, '/export?format=json'));
    for (const text of [pulled, exported]) {
      expect(text).not.toContain(PRACTICE_CODE);
      expect(text).not.toContain(HEAD.name);
      expect(text).not.toContain(SPOUSE.name);
    }
  });
});
