// Self-enumeration (自主填报, issue 13) end to end: the district's notices printed with
// `npm run admin -- self-codes` (a real subprocess on the server's store), one household's code
// opened at /self in a phone-sized Chromium as its QR code would open it, a 3-person household
// filled in with a wrong ID number that the checks catch at its field, submitted once, then
// read-only; the enumerator's phone pulls it as 待核实, goes through each person with the
// household (one corrected), completes the verification and syncs; the supervisor's status counts
// it verified, and the server holds both revisions.
import AxeBuilder from '@axe-core/playwright';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../src/domain/index.ts';
import { SupervisionStatusSchema } from '../../src/client/ui/supervisor/supervision-api.ts';
import { ROOT, apiGet, apiLogin, browserAvailable, launchBrowser, serverScope, signIn, startServer, tempDir, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';

const DISTRICT = '130102001003001';
const HEAD_ID = makeCitizenId('130102', '1978-04-20', 11, 1);
const WRONG_HEAD_ID = `${HEAD_ID.slice(0, 17)}${HEAD_ID.at(-1) === '0' ? '1' : '0'}`;
const SPOUSE_ID = makeCitizenId('130102', '1980-09-02', 12, 2);
const CHILD_ID = makeCitizenId('130102', '2004-06-15', 13, 1);

async function axe(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
}

/** A field of the respondent's page by its id (`f-<path>`, the path with dots). */
const field = (page: Page, path: string) => page.locator(`[id="f-${path}"]`);

async function typeIn(page: Page, path: string, value: string): Promise<void> {
  const input = field(page, path);
  await input.fill(value);
  await input.blur();
}

async function pick(page: Page, path: string, value: string): Promise<void> {
  await field(page, path).selectOption(value);
}

async function person(page: Page, i: number, p: { name: string; rel?: string; id: string; edu: string }): Promise<void> {
  if (i > 0) {
    await page.locator('#add-person').click();
    await field(page, `persons.${i}.name`).waitFor();
  }
  await typeIn(page, `persons.${i}.name`, p.name);
  if (p.rel) await pick(page, `persons.${i}.relationship`, p.rel);
  await typeIn(page, `persons.${i}.citizenId`, p.id);
  await pick(page, `persons.${i}.ethnicity`, '01');
  await pick(page, `persons.${i}.residence`, '1');
  await pick(page, `persons.${i}.hukou`, '1');
  await pick(page, `persons.${i}.leftHukouDuration`, '1');
  await pick(page, `persons.${i}.education`, p.edu);
  await pick(page, `persons.${i}.literate`, '1');
}

describe.runIf(browserAvailable())('self-enumeration: printed code, filled in by the household, verified at the door', () => {
  let server: ServerHandle;
  let respondent: BrowserHandle;
  let phone: BrowserHandle;
  let dir = '';

  const admin = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('node', ['--import', 'tsx', 'src/server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, PUCHA_DB: server.dbFile } }, (error, stdout, stderr) =>
        error ? reject(new Error(`${args[0]}: ${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });

  beforeAll(async () => {
    dir = tempDir('pucha-e2e-self-');
    server = await startServer({ dbFile: join(dir, 'pucha.sqlite') });
    respondent = await launchBrowser();
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await respondent?.close();
    await phone?.close();
    await server?.stop();
  });

  it('prints the notices, the household submits, the enumerator verifies with one correction, the supervisor counts it', async () => {
    // The district's notices: one per short-form household not yet registered.
    const out = join(dir, 'notices.html');
    await admin(['self-codes', '--district', DISTRICT, '--out', out, '--all', '--origin', server.url]);
    const sheet = readFileSync(out, 'utf8');
    const notice = /<section class="notice" data-household-no="([^"]+)">[\s\S]*?<p class="address">([^<]+)<\/p>[\s\S]*?<p class="code">([0-9A-Z-]+)<\/p>/.exec(sheet);
    expect(notice, 'a notice with its household number, address and code').not.toBeNull();
    const [, householdNo = '', address = '', printed = ''] = notice ?? [];
    expect(printed).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const code = printed.replaceAll('-', '');
    // The code is in the printed file only; the store holds its hash (the SQLite file in WAL mode:
    // recent commits are still in the -wal file, so both are read; the hash must be there).
    const stored = Buffer.concat([server.dbFile, `${server.dbFile}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    expect(stored.includes(Buffer.from(createHash('sha256').update(code).digest('hex')))).toBe(true);
    expect(stored.includes(Buffer.from(code))).toBe(false);

    // The household scans the QR code: /self with the code in the fragment, never sent as a URL.
    const { page } = respondent;
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${server.url}/self#c=${code}`);
    await expect.poll(() => page.locator('.address').textContent()).toContain(address.trim());
    expect(new URL(page.url()).hash).toBe('');
    expect(requested.filter((u) => u.includes(code))).toEqual([]);
    // Nothing of the other households: the address is the only thing the page received.
    expect(await page.locator('body').textContent()).not.toMatch(/第\s*\d+\s*户/);
    await axe(page, '/self form');

    await typeIn(page, 'household.residents', '3');
    await typeIn(page, 'household.hukouHereAbsent', '0');
    for (const part of ['births.male', 'births.female', 'deaths.male', 'deaths.female']) await typeIn(page, `household.${part}`, '0');
    await pick(page, 'household.dwellingType', '1');
    await typeIn(page, 'household.floorArea', '96');
    await typeIn(page, 'household.rooms', '3');

    // The head's ID number typed with a wrong check digit: caught at the field, in plain words.
    await typeIn(page, 'persons.0.citizenId', WRONG_HEAD_ID);
    await expect.poll(() => field(page, 'persons.0.citizenId').getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field(page, 'persons.0.citizenId').getAttribute('aria-describedby')) ?? '';
    const said = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(said.join(' ')).toContain('校验位');
    await person(page, 0, { name: '赵建国', id: HEAD_ID, edu: '5' });
    await expect.poll(() => field(page, 'persons.0.citizenId').getAttribute('aria-invalid')).toBeNull();
    // The ID number filled birth and sex.
    expect(await field(page, 'persons.0.birth').inputValue()).toBe('1978-04');
    expect(await field(page, 'persons.0.sex').inputValue()).toBe('1');
    await person(page, 1, { name: '钱秀英', rel: '1', id: SPOUSE_ID, edu: '4' });
    await person(page, 2, { name: '赵小明', rel: '2', id: CHILD_ID, edu: '5' });

    await page.locator('#submit').click();
    const done = page.locator('.done');
    await done.waitFor({ timeout: 30_000 }).catch(async () => {
      throw new Error(`not submitted: ${await page.locator('.summary').textContent().catch(() => '(no summary)')}`);
    });
    expect(await done.textContent()).toContain('普查员');
    // Read-only once submitted, also after a reload.
    await page.reload();
    await page.locator('.done').waitFor();
    expect(await page.locator('input:not([disabled]), select:not([disabled])').count()).toBe(0);
    expect(await page.locator('#submit').count()).toBe(0);
    await axe(page, '/self submitted');
    // The code is used now: a second session with it is refused.
    const again = await fetch(`${server.url}/api/v1/self/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(again.status).toBe(401);

    // The server holds it as a complete self registration; the listing entry is self-reported.
    const scope = await serverScope(server.url, 'demo-enumerator');
    const listing = scope.find((c) => c.entity === 'listing' && c.data?.districtCode === DISTRICT && c.data.householdNo === householdNo);
    const submitted = scope.find((c) => c.entity === 'household' && c.data?.listingId === listing?.id);
    expect(submitted?.data).toMatchObject({ source: 'self', status: 'complete', form: 'short' });
    expect(listing?.data?.visit).toMatchObject({ status: 'selfReported' });

    const supervisor = await apiLogin(server.url, 'demo-supervisor');
    const selfCounts = async () => {
      const status = SupervisionStatusSchema.parse(await apiGet(server.url, supervisor, '/supervision/status'));
      const d = status.districts.find((x) => x.code === DISTRICT);
      return { reported: d?.selfReported, verified: d?.selfVerified, awaiting: d?.selfAwaiting };
    };
    const before = await selfCounts();

    // The enumerator's phone: pulled, listed as 待核实.
    const ph = phone.page;
    await ph.goto(server.url);
    await waitForServiceWorker(ph);
    await signIn(ph, 'demo-enumerator');
    await expect.poll(() => ph.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
    await ph.goto(`${server.url}/#/d/${DISTRICT}`);
    await ph.getByLabel('按走访结果筛选').selectOption('toVerify');
    // The demo district has self-reported households of its own: the one submitted above is among them.
    const row = ph.locator(`[data-testid="hh-row"][data-no="${householdNo}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('to-verify').textContent()).toContain('待核实');
    await row.locator('.hh-open').click();

    // 核实: two persons confirmed, the child's name corrected.
    const panel = ph.getByTestId('verify-panel');
    await panel.waitFor({ timeout: 30_000 });
    const people = panel.getByTestId('verify-person');
    expect(await people.count()).toBe(3);
    await people.nth(0).getByRole('button', { name: '确认无误' }).click();
    await people.nth(1).getByRole('button', { name: '确认无误' }).click();
    await people.nth(2).getByRole('button', { name: '修改' }).click();
    const childName = ph.locator('#f-persons-2-name');
    await childName.fill('赵晓明');
    await childName.blur();
    await expect.poll(() => people.nth(2).getAttribute('data-state')).toBe('changed');
    // What only the phone can check: the listing's count of residents (5 in the seeded listing)
    // against the household's 3. The enumerator confirms it with the household, as any warning,
    // before 核实完成 completes.
    const findings = ph.locator('#f-findings');
    await expect.poll(() => findings.locator('[data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))).toContain('LISTING_COUNTS');
    const unconfirmed = findings.locator('.hh-finding-warning').filter({ has: ph.getByRole('button', { name: '确认无误…' }) });
    for (let left = await unconfirmed.count(), guard = 0; left > 0 && guard < 10; left = await unconfirmed.count(), guard++) {
      const w = unconfirmed.first();
      const rule = await w.getAttribute('data-rule');
      await w.getByRole('button', { name: '确认无误…' }).click();
      const open = findings.locator(`[data-rule="${rule}"]`).first();
      await open.getByRole('radio', { name: '已与被访者核实' }).check();
      await open.getByRole('textbox', { name: '说明' }).fill('两人已迁出');
      await open.getByRole('button', { name: '确认', exact: true }).click();
      await expect.poll(() => unconfirmed.count()).toBe(left - 1);
    }
    await panel.getByTestId('verify-finish').click();
    await ph.getByTestId('verified').waitFor({ timeout: 30_000 });
    await expect.poll(() => ph.getByTestId('sync-badge').getAttribute('data-queued'), { timeout: 60_000, interval: 250 }).toBe('0');

    // The server: a second revision, corrected, verified by the enumerator who signed in.
    const after = (await serverScope(server.url, 'demo-enumerator')).find((c) => c.entity === 'household' && c.id === submitted?.id);
    expect(after?.data).toMatchObject({ source: 'self', status: 'complete', version: 2, verification: { by: 'u-demo-enumerator', outcome: 'corrected' } });
    expect((after?.data?.persons as { name?: string }[] | undefined)?.map((p) => p.name)).toEqual(['赵建国', '钱秀英', '赵晓明']);

    // The supervisor's status: the household counted verified, no longer awaiting.
    const afterCounts = await selfCounts();
    expect(afterCounts).toEqual({ reported: before.reported, verified: (before.verified ?? 0) + 1, awaiting: (before.awaiting ?? 0) - 1 });
  });
});
