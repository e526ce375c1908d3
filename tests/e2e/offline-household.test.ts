// The enumerator's day without signal, end to end in real Chromium against the real server:
// (1) sign in, lose the network and the server, reload from the service worker, register a
// 3-person household (fixing the errors the checks show, confirming a warning with a reason),
// reload offline, then come back: the household reaches the server and the queue empties.
// (2) the supervisor sees the push and the enumerator's status and sends a review query; the
// phone receives it on its next sync and answers; the supervisor sees the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { apiGet, apiLogin, browserAvailable, launchBrowser, signIn, startServer, unlock, tempDir, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';
import { districtCounts, SupervisionStatusSchema, type SupervisionStatus } from '../../src/client/ui/supervisor/supervision-api.ts';
import { doneOf } from '../../src/client/ui/progress.ts';
import { field, fillHouseholdItems, fillPerson, idOf, type, wrongCheck, type PersonAnswers } from './household-steps.ts';

const HEAD: PersonAnswers = { name: '赵国强', relationship: 0, birth: '1970-05-12', sex: 1, seq: 11 };
const SPOUSE: PersonAnswers = { name: '钱秀英', relationship: 1, birth: '1972-03-08', sex: 2, seq: 22 };
const CHILD: PersonAnswers = { name: '赵晓雨', relationship: 2, birth: '2000-08-20', sex: 2, seq: 33 };

const queued = (page: Page) => page.getByTestId('sync-badge').getAttribute('data-queued');

describe.runIf(browserAvailable())('offline registration and review', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;
  let listingId = '';
  let districtCode = '';
  let before: SupervisionStatus | undefined;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('registers a household offline and delivers it when the server is back', async () => {
    const { page, context } = phone;
    before = SupervisionStatusSchema.parse(await apiGet(server.url, await apiLogin(server.url, 'demo-supervisor'), '/supervision/status'));
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().waitFor();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');

    // No network and no server: the shell must come from the service worker.
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await unlock(page);
    await page.getByTestId('district-link').first().click();
    await page.getByLabel('按走访结果筛选').selectOption('pending');
    await page.getByTestId('hh-row').first().locator('.hh-open').click();
    await page.waitForURL(/#\/h\//);
    listingId = decodeURIComponent(new URL(page.url()).hash.replace('#/h/', ''));
    await field(page, 'persons', 0, 'name').waitFor();

    // H2 says 2 although 3 persons will be listed (an error), 1,200 m² for 3 persons (a warning).
    await fillHouseholdItems(page, { residents: 2, floorArea: 1200, rooms: 6 });
    await fillPerson(page, 0, HEAD, wrongCheck(idOf(HEAD)));
    await expect.poll(() => field(page, 'persons', 0, 'citizenId-msg').innerText()).toMatch(/校验位/);
    await type(page, ['persons', 0, 'citizenId'], idOf(HEAD));
    await expect.poll(() => field(page, 'persons', 0, 'citizenId-msg').innerText()).not.toMatch(/校验位/);
    await expect.poll(() => field(page, 'persons', 0, 'birth').inputValue()).toBe('1970-05'); // filled from the ID
    for (const [i, p] of [[1, SPOUSE], [2, CHILD]] as const) {
      await page.getByRole('button', { name: '添加人口' }).click();
      await field(page, 'persons', i, 'name').waitFor();
      await fillPerson(page, i, p);
    }
    const rules = () => field(page, 'findings').locator('[data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
    await expect.poll(rules).toContain('PERSON_COUNT');
    await type(page, ['household', 'residents'], '3');
    await expect.poll(rules).not.toContain('PERSON_COUNT');
    await expect.poll(() => field(page, 'findings').locator('.hh-finding-error').count()).toBe(0);

    // Every warning left is confirmed with a reason (at least the floor-area one).
    await expect.poll(rules).toContain('FLOOR_AREA_PLAUSIBLE');
    const unconfirmed = field(page, 'findings').locator('.hh-finding-warning').filter({ has: page.getByRole('button', { name: '确认无误…' }) });
    for (let left = await unconfirmed.count(), guard = 0; left > 0 && guard < 10; left = await unconfirmed.count(), guard++) {
      const w = unconfirmed.first();
      const rule = await w.getAttribute('data-rule');
      await w.getByRole('button', { name: '确认无误…' }).click();
      const open = field(page, 'findings').locator(`[data-rule="${rule}"]`).first();
      await open.getByRole('radio', { name: '已与被访者核实' }).check();
      await open.getByRole('textbox', { name: '说明' }).fill('住户出示房产证');
      await open.getByRole('button', { name: '确认', exact: true }).click();
      await expect.poll(() => unconfirmed.count()).toBe(left - 1);
    }
    await page.getByRole('button', { name: '完成登记' }).click();
    await page.getByText(/已完成登记/).waitFor();
    expect(Number(await queued(page))).toBeGreaterThan(0);

    // Reload while still offline: the completed household is still there.
    await page.reload();
    await unlock(page);
    await field(page, 'persons', 2, 'name').waitFor({ state: 'attached' }); // later cards start collapsed
    expect(await field(page, 'persons', 2, 'name').inputValue()).toBe(CHILD.name);
    expect(await page.locator('#f-persons-0-citizenId').inputValue()).toBe(idOf(HEAD));
    expect(Number(await queued(page))).toBeGreaterThan(0);

    // Server back on the same port and store, network back: the queue drains.
    server = await startServer({ port: server.port, dbFile: server.dbFile });
    await context.setOffline(false);
    await expect.poll(() => queued(page), { timeout: 60_000, interval: 250 }).toBe('0');

    const token = await apiLogin(server.url, 'demo-enumerator');
    const pulled = (await apiGet(server.url, token, '/sync/pull')) as { changes: { entity: string; data: { listingId?: string; status?: string; persons?: unknown[]; overrides?: unknown[]; districtCode?: string } }[] };
    const reg = pulled.changes.find((c) => c.entity === 'household' && c.data.listingId === listingId)?.data;
    expect(reg?.status).toBe('complete');
    expect(reg?.persons).toHaveLength(3);
    expect(reg?.overrides?.length).toBeGreaterThan(0);
    districtCode = reg?.districtCode ?? '';
  });

  it('reaches the supervisor, who sends a review query that the phone answers', async () => {
    expect(districtCode).not.toBe('');
    const sup = await launchBrowser({ width: 1280, height: 900 });
    try {
      const sp = sup.page;
      await sp.goto(server.url);
      await signIn(sp, 'demo-supervisor');
      const row = sp.locator('[data-testid="enumerator-row"][data-username="demo-enumerator"]');
      await row.waitFor();
      expect(await row.getByTestId('last-push').innerText()).not.toBe('从未');
      // (pendingOnDevice is "as last reported", by the most recently seen device: not asserted,
      // because the API check above logged in from Node as a second device.)

      // The district's progress counts the new household.
      const panel = sp.getByTestId('district-panel').filter({ hasText: districtCode });
      const was = before?.districts.find((d) => d.code === districtCode);
      expect(was).toBeDefined();
      await panel.getByText(`已登记 ${doneOf(districtCounts(was!)) + 1} / ${was!.listingSize}`).waitFor();

      // A review query on the household just registered.
      await panel.getByRole('button', { name: '查看住户和提示' }).click(); // households load on demand
      const select = panel.getByLabel('住户');
      const value = await select.locator('option', { hasText: HEAD.name }).first().getAttribute('value');
      expect(value).toBeTruthy();
      await select.selectOption(value ?? "");
      await panel.getByLabel('问题描述').fill('请核实户主的建筑面积');
      await panel.getByRole('button', { name: '发送' }).click();
      await panel.getByText('已发送。').waitFor();

      // The phone's next sync brings it down; the enumerator answers.
      const { page } = phone;
      await page.goto(`${server.url}/#/sync`);
      await page.getByTestId('sync-now').click();
      await page.goto(`${server.url}/#/queries`);
      const query = page.getByTestId('query').filter({ hasText: '请核实户主的建筑面积' });
      await query.waitFor({ timeout: 30_000 });
      await query.getByLabel('复查结果').selectOption('verified');
      await query.getByLabel('回复内容').fill('已核实，房产证面积1200平方米');
      await query.getByRole('button', { name: '提交回复' }).click();
      await expect.poll(() => query.getAttribute('data-status')).toBe('answered');
      await expect.poll(() => queued(page), { timeout: 60_000, interval: 250 }).toBe('0');

      // The supervisor sees the answer and resolves it.
      await sp.getByRole('button', { name: '刷新' }).click();
      const answered = sp.getByTestId('answered-query').filter({ hasText: '请核实户主的建筑面积' });
      await answered.waitFor({ timeout: 30_000 });
      expect(await answered.getByTestId('answer-text').innerText()).toContain('已核实');
      await answered.getByRole('button', { name: '标记已解决' }).click();
      await answered.waitFor({ state: 'detached' });

      // The CSV export holds the household.
      const [download] = await Promise.all([sp.waitForEvent('download'), sp.getByRole('button', { name: '下载 CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      expect(csv).toContain(HEAD.name);
    } finally {
      await sup.close();
    }
  });
});

