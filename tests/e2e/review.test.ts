// Comparison review (比对复查, issue 12) end to end: the county office's account made with the
// admin CLI, the hukou register imported with `npm run admin -- import-register` (a real
// subprocess on the server's store), compared and released through the office's API; the
// enumerator's phone receives the item, answers it offline by adding the person in a household
// (the registration and the answer saved together), reloads offline, syncs when the network is
// back; the county office sees the item answered, closes it, and counts the person added.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeCitizenId } from '../../src/domain/index.ts';
import { ROOT, browserAvailable, launchBrowser, signIn, startServer, tempDir, unlock, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';

const DISTRICT = '130102001003001';
const COUNTY = '130102';
const OFFICE_PASSWORD = 'Quality-Review-2020!';
const MISSED = { citizenId: makeCitizenId(COUNTY, '1985-07-14', 21, 2), name: '孙丽', birth: '1985-07' };
const queued = (page: Page) => page.getByTestId('sync-badge').getAttribute('data-queued');

describe.runIf(browserAvailable())('comparison review: register in, answered at the door, closed at the county', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;
  let dir = '';
  let office = '';
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${office}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json()) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const admin = (args: string[], input?: string) =>
    new Promise<string>((resolve, reject) => {
      const child = execFile('node', ['--import', 'tsx', 'src/server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, PUCHA_DB: server.dbFile } }, (error, stdout, stderr) =>
        error ? reject(new Error(`${args[0]}: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
      child.stdin?.end(input ?? '');
    });

  beforeAll(async () => {
    dir = tempDir('pucha-e2e-review-');
    server = await startServer({ dbFile: join(dir, 'pucha.sqlite') });
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('imports the register, compares and releases; the phone adds the person offline; the county counts it', async () => {
    // The county office and its register.
    await admin(['add-user', '--username', 'changan-office', '--name', '长安区人普办', '--role', 'office', '--scope', COUNTY], `${OFFICE_PASSWORD}\n`);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'changan-office', password: OFFICE_PASSWORD, deviceId: crypto.randomUUID() }) });
    expect(login.status).toBe(200);
    office = ((await login.json()) as { token: string }).token;
    const csv = join(dir, 'hukou.csv');
    writeFileSync(csv, `\uFEFFcitizenId,name,sex,birth,districtCode,address\n${MISSED.citizenId},${MISSED.name},2,1985-07-14,${DISTRICT},建北街道光华路9号\n`);
    expect(await admin(['import-register', '--kind', 'hukou', csv])).toMatch(/1/);
    const compared = await api('POST', '/review/compare', { area: COUNTY });
    expect(compared).toMatchObject({ created: 1 });
    // A re-run creates nothing new.
    expect(await api('POST', '/review/compare', { area: COUNTY })).toMatchObject({ created: 0 });
    await api('POST', '/review/release', { area: COUNTY });
    const listed = (await api('GET', `/queries?area=${COUNTY}&category=hukouMissing`)) as { queries: { id: string; status: string; subject?: { name?: string } }[] };
    const item = listed.queries.find((q) => q.subject?.name === MISSED.name);
    expect(item?.status).toBe('open');

    // The phone pulls it, then loses the network.
    const { page, context } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().waitFor();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
    await context.setOffline(true);
    await page.goto(`${server.url}/#/queries`);
    const card = page.getByTestId('query').filter({ hasText: MISSED.citizenId });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-category')).toBe('hukouMissing');
    const pick = card.getByLabel('此人住在哪一户');
    await expect.poll(() => pick.locator('option').count()).toBeGreaterThan(1);
    await pick.selectOption({ index: 1 });
    await card.getByTestId('review-go-add').click();
    await page.waitForURL(/#\/h\/.+\/r\//);
    await page.getByTestId('review-add').click();
    const banner = page.getByTestId('review-banner');
    await banner.getByTestId('review-will-link').waitFor();
    const added = page.locator('input[id^="f-persons-"][id$="-citizenId"]').last();
    expect(await added.inputValue()).toBe(MISSED.citizenId);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await banner.getByTestId('review-linked').waitFor();
    expect(Number(await queued(page))).toBeGreaterThanOrEqual(2);

    // Offline reload: the answer stands, and both mutations are still queued.
    await page.goto(`${server.url}/#/queries`);
    await page.reload();
    await unlock(page);
    await expect.poll(() => page.getByTestId('query').filter({ hasText: MISSED.citizenId }).getAttribute('data-status')).toBe('answered');
    expect(Number(await queued(page))).toBeGreaterThanOrEqual(2);

    await context.setOffline(false);
    await expect.poll(() => queued(page), { timeout: 60_000, interval: 250 }).toBe('0');

    // The county office: answered with the person the server holds; closed; counted.
    const answered = (await api('GET', `/queries?area=${COUNTY}&category=hukouMissing`)) as { queries: { id: string; status: string; answer?: { kind?: string; householdId?: string; personId?: string } }[] };
    const got = answered.queries.find((q) => q.id === item?.id);
    expect(got).toMatchObject({ status: 'answered', answer: { kind: 'addedPerson' } });
    await api('PATCH', `/queries/${item?.id ?? ''}`, { status: 'resolved' });
    const stats = (await api('GET', `/review/stats?area=${COUNTY}`)) as { node: { closed: number; addedPersons: number; byCategory: Record<string, { closed: number; addedPersons: number }> } };
    expect(stats.node).toMatchObject({ closed: 1, addedPersons: 1 });
    expect(stats.node.byCategory.hukouMissing).toMatchObject({ closed: 1, addedPersons: 1 });
  });
});
