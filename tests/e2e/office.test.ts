// The census office's desk (issue 14) end to end in real Chromium against the real server: the
// county office (demo-county) drills down county -> township -> area -> district and sees a
// household pushed a moment ago, downloads the daily report as CSV (UTF-8 BOM, Chinese headers),
// follows a low births signal to the households behind it and sends a review query from one of
// them, and accepts a district its supervisor submitted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../src/domain/index.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { addDays } from '../../src/server/office-config.ts';
import { chinaDay } from '../../src/server/store/sql-progress.ts';
import { registration } from '../server/fixtures.ts';
import { DEMO_PASSWORD, apiLogin, browserAvailable, launchBrowser, signIn, startServer, tempDir, type BrowserHandle, type ServerHandle } from './harness.ts';

const COUNTY = '130102';
const TOWNSHIP = '130102001';
const AREA = '130102001003';
const DISTRICT = '130102001003001';
/** demo-enumerator-2's one district: prepared for acceptance through the API. */
const READY = '130102001004001';
const HEADERS = '日期,区划代码,名称,层级,普查小区,底册户数,已登记户,自主填报户,不在家,拒访,空户,已拆除,未访户,完成登记,草稿,人数,出生,死亡,有错误户,有未确认提示户,待答复复查,已验收小区,补报';

interface Change {
  entity: string;
  id: string;
  version: number;
  data: Record<string, unknown>;
}

describe.runIf(browserAvailable())('office desk: drill-down, daily CSV, a low-births signal to a query, acceptance', () => {
  let server: ServerHandle;
  let browser: BrowserHandle;
  let dir = '';
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const pullAll = async (token: string): Promise<Change[]> => {
    const out: Change[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const body = (await call(token, 'GET', `/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)) as { changes: Change[]; cursor: string; more: boolean };
      out.push(...body.changes);
      cursor = body.cursor;
      if (!body.more) break;
    }
    return out;
  };
  /** Signs in as a phone would (the token is bound to its device id). */
  const phone = async (username: string) => {
    const deviceId = crypto.randomUUID();
    const r = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD, deviceId }) });
    if (!r.ok) throw new Error(`login ${username}: HTTP ${r.status}`);
    return { token: ((await r.json()) as { token: string }).token, deviceId };
  };
  const push = async (who: { token: string; deviceId: string }, mutations: Mutation[]) => {
    const r = (await call(who.token, 'POST', '/sync/push', { deviceId: who.deviceId, mutations, device: { pending: 0, appVersion: 'e2e' } })) as { results: { status: string }[] };
    expect(r.results.map((x) => x.status)).toEqual(mutations.map(() => 'applied'));
  };

  beforeAll(async () => {
    dir = tempDir('pucha-e2e-office-');
    // Births expected at 500-900 per 1,000: the demo's few hundred persons are enough for a low births signal.
    server = await startServer({ dbFile: join(dir, 'pucha.sqlite'), env: { PUCHA_EXPECTED_RATES: '{"birthsPer1000":[500,900]}' } });
    browser = await launchBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a county office drills down, downloads the daily CSV, queries a household behind a low signal and accepts a district', async () => {
    // Yesterday's daily row, frozen as the server would have at midnight (the store is shared with the running server).
    const store = await openSqliteStore(server.dbFile);
    try {
      const yesterday = addDays(chinaDay(new Date()), -1);
      expect((await store.office.freezeDay(yesterday, { late: false, at: new Date().toISOString() })).frozen).toBe(true);
    } finally {
      await store.close();
    }
    const county = await apiLogin(server.url, 'demo-county');
    const before = ((await call(county, 'GET', `/progress?area=${DISTRICT}`)) as { totals: { persons: number } }).totals.persons;

    const { page } = browser;
    await page.goto(server.url);
    await signIn(page, 'demo-county');
    // An office starts on its desk, at its own node.
    await page.getByTestId('node-totals').waitFor();
    expect(await page.locator('nav.app-nav a[aria-current="page"]').getAttribute('href')).toBe('#/office');

    // A household pushed a moment ago by the enumerator, with a birth in H3.
    const enumerator = await phone('demo-enumerator');
    const pending = (await pullAll(enumerator.token)).find((c) => c.entity === 'listing' && c.data.districtCode === DISTRICT && (c.data.visit as { status?: string }).status === 'pending');
    if (!pending) throw new Error('no pending listing entry in the demo district');
    const fresh = registration(DISTRICT, { listingId: pending.id, householdNo: String(pending.data.householdNo), status: 'draft', household: { ...registration(DISTRICT).household, births: { male: 1, female: 0 } } }, 2);
    fresh.persons = fresh.persons.map((p, i) => (i === 0 ? { ...p, name: '赵新生' } : p));
    await push(enumerator, [{ id: crypto.randomUUID(), entity: 'household', entityId: fresh.id, baseVersion: 0, createdAt: new Date().toISOString(), data: fresh }]);

    // Drill down: county -> township -> area -> district, each child a link with its code beside its name.
    for (const code of [TOWNSHIP, AREA, DISTRICT]) {
      const row = page.locator(`[data-testid="child-row"][data-area="${code}"]`);
      await row.waitFor();
      await expect.poll(() => row.textContent()).toContain(code);
      await row.locator('a').first().click();
      await page.waitForURL(new RegExp(`#/office/${code}$`));
      await page.getByTestId('node-totals').waitFor();
    }
    const persons = page.getByTestId('node-totals').locator('xpath=.//dt[normalize-space()="人数"]/following-sibling::dd[1]');
    await expect.poll(() => persons.textContent(), { timeout: 10_000 }).toBe(String(before + 2));

    // The county's daily report as CSV: the bytes as the server sent them, BOM first.
    await page.goto(`${server.url}/#/office/${COUNTY}/report`);
    await page.getByTestId('daily').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    const file = join(dir, 'daily.csv');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(HEADERS);
    expect(lines.slice(1).some((l) => l.startsWith(`${addDays(chinaDay(new Date()), -1)},${COUNTY},`))).toBe(true);

    // Quality: births are low against the range set for the test; its households, the fresh one among them.
    await page.goto(`${server.url}/#/office/${COUNTY}/quality`);
    const births = page.locator('[data-testid="signal-row"][data-signal="birthsPer1000"]');
    await births.waitFor();
    expect(await births.getAttribute('data-outside')).toBe('low');
    await births.locator('a').first().click();
    const row = page.locator(`[data-testid="household-row"][data-id="${fresh.id}"]`);
    await row.waitFor();
    await row.locator('a').first().click();
    await page.getByTestId('persons').waitFor();
    await expect.poll(() => page.getByTestId('persons').textContent()).toContain('赵新生');
    const message = page.getByRole('textbox');
    await message.fill('出生人数请与户主核实，并补登新生儿。');
    await page.getByRole('button', { name: '发送复查问题' }).click();
    await expect
      .poll(async () => ((await call(county, 'GET', `/queries?area=${DISTRICT}`)) as { queries: { householdId?: string; message: string }[] }).queries.filter((q) => q.householdId === fresh.id).map((q) => q.message), { timeout: 10_000 })
      .toEqual(['出生人数请与户主核实，并补登新生儿。']);

    // Acceptance: every entry of the enumerator-2's district gets an outcome, the supervisor submits, the county accepts.
    const enumerator2 = await phone('demo-enumerator-2');
    const open = (await pullAll(enumerator2.token)).filter((c) => c.entity === 'listing' && c.data.districtCode === READY && (c.data.visit as { status?: string }).status === 'pending');
    await push(
      enumerator2,
      open.map((c) => ({ id: crypto.randomUUID(), entity: 'listing', entityId: c.id, baseVersion: c.version, createdAt: new Date().toISOString(), data: { ...c.data, visit: { status: 'vacant', attempts: 1 } } })),
    );
    const supervisor = await apiLogin(server.url, 'demo-supervisor');
    const ready = (await call(supervisor, 'GET', `/acceptance/${READY}`)) as { blockers: { kind: string; count: number }[] };
    expect(ready.blockers).toEqual([]);
    await call(supervisor, 'POST', `/acceptance/${READY}/submit`, {});
    await page.goto(`${server.url}/#/office/${READY}/acceptance`);
    const state = page.getByTestId('acceptance-state');
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe('待验收');
    await page.getByRole('button', { name: '验收通过' }).click();
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe('已验收');
    expect(await call(county, 'GET', `/acceptance/${READY}`)).toMatchObject({ state: 'accepted', history: [{ action: 'submit', by: 'demo-supervisor' }, { action: 'accept', by: 'demo-county' }] });
    const township = (await call(county, 'GET', `/progress?area=${TOWNSHIP}`)) as { totals: { accepted: number } };
    expect(township.totals.accepted).toBe(1);

    // At 360 px no view overflows the page sideways (wide tables scroll in their own box), and none has a serious or critical axe violation.
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [path, ready] of [
      [`#/office/${COUNTY}`, 'node-totals'],
      [`#/office/${COUNTY}/report`, 'daily'],
      [`#/office/${COUNTY}/quality`, 'signals'],
      [`#/office/${READY}/acceptance`, 'acceptance-state'],
      [`#/office/h/${fresh.id}`, 'persons'],
    ] as const) {
      await page.goto(`${server.url}/${path}`);
      await page.getByTestId(ready).waitFor();
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 360 });
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
    }
  });
});
