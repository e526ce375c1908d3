// Drafts that survive (issue 10) in real Chromium: an enumerator types 16 answers into a household
// and never presses 保存; a second later Android kills the tab (here: SIGKILL to the whole browser,
// as in R9, ./crash-save/chromium-process.ts). Chromium is relaunched on the same profile: the
// household opens with every answer restored and says so; nothing was queued for the server.
// Then 保存 stores it and the draft is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserAvailable, signIn, startServer, tempDir, unlock, type ServerHandle } from './harness.ts';
import { killMarked, launchChromium, markedPids, type ChromiumProcess } from './crash-save/chromium-process.ts';
import { choose, field, fillHouseholdItems, idOf, pickPendingHousehold, type PersonAnswers } from './household-steps.ts';

const HEAD: PersonAnswers = { name: '赵国强', relationship: 0, birth: '1970-05-12', sex: 1, seq: 11 };

/** The one-second bound on keeping a change, and a little for the strict commit. */
const KEPT_WITHIN_MS = 1000;
const COMMIT_MARGIN_MS = 150;

const queued = (page: Page) => page.getByTestId('sync-badge').getAttribute('data-queued');

describe.runIf(browserAvailable())('drafts: the tab killed while typing', () => {
  const mark = crypto.randomUUID();
  const profile = tempDir('pucha-e2e-draft-profile-');
  let server: ServerHandle;
  let proc: ChromiumProcess | undefined;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-draft-'), 'pucha.sqlite') });
  });
  afterAll(async () => {
    await proc?.kill();
    await killMarked(mark);
    await server?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('restores every answer typed before the kill, and queues nothing until 保存', async () => {
    proc = await launchChromium(profile, mark);
    let page = proc.page;
    await page.goto(server.url);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().waitFor();
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
    const listingId = await pickPendingHousehold(page);
    const url = `${server.url}/#/h/${encodeURIComponent(listingId)}`;
    await page.goto(url);
    await field(page, 'persons', 0, 'name').waitFor();

    // 16 answers: H1-H7 (10 inputs) and the head's ID number (which fills D4, D5), D6-D9 and D11.
    await fillHouseholdItems(page, { residents: 3, floorArea: 90, rooms: 3 });
    await field(page, 'persons', 0, 'citizenId').fill(idOf(HEAD));
    await field(page, 'persons', 0, 'ethnicity').selectOption('01');
    await choose(page, ['persons', 0, 'residence'], 1);
    await choose(page, ['persons', 0, 'hukou'], 1);
    await choose(page, ['persons', 0, 'leftHukouDuration'], 1);
    await choose(page, ['persons', 0, 'education'], 5);
    await page.waitForTimeout(KEPT_WITHIN_MS + COMMIT_MARGIN_MS);
    expect(await queued(page)).toBe('0');
    await proc.kill(); // no 保存, no pagehide: the process is gone
    proc = undefined;

    proc = await launchChromium(profile, mark);
    page = proc.page;
    await page.goto(url);
    await unlock(page);
    await page.getByTestId('draft-restored').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('draft-restored').innerText()).toMatch(/已恢复上次未保存的输入/);
    const values = async (...ids: (string | number)[][]) => Promise.all(ids.map((p) => field(page, ...p).inputValue()));
    expect(await values(['household', 'residents'], ['household', 'hukouHereAbsent'], ['household', 'births', 'input'], ['household', 'births', 'input', 'female'], ['household', 'deaths', 'input'], ['household', 'deaths', 'input', 'female'], ['household', 'floorArea'], ['household', 'rooms'])).toEqual(['3', '0', '0', '0', '0', '0', '90', '3']);
    expect(await values(['persons', 0, 'citizenId'], ['persons', 0, 'birth'], ['persons', 0, 'ethnicity'])).toEqual([idOf(HEAD), '1970-05', '01']);
    const checked = (path: (string | number)[], code: number) => field(page, ...path).getByRole('radio', { name: new RegExp(`^${code} `) }).isChecked();
    expect(await Promise.all([checked(['household', 'householdType'], 1), checked(['household', 'dwellingType'], 1), checked(['persons', 0, 'sex'], 1), checked(['persons', 0, 'residence'], 1), checked(['persons', 0, 'hukou'], 1), checked(['persons', 0, 'leftHukouDuration'], 1), checked(['persons', 0, 'education'], 5)])).toEqual([true, true, true, true, true, true, true]);
    expect(await queued(page)).toBe('0'); // a draft is never queued

    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText(/已保存/).waitFor();
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => new Promise<number>((resolve) => {
      const open = indexedDB.open('pucha');
      open.onsuccess = () => {
        const req = open.result.transaction('drafts').objectStore('drafts').count();
        req.onsuccess = () => (open.result.close(), resolve(req.result));
      };
    }))).toBe(0);

    await proc.kill();
    proc = undefined;
    expect(markedPids(mark), 'Chromium processes left after the test').toEqual([]);
  });
});
