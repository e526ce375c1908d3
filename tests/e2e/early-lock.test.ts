// The PIN screen painted before the app (src/client/boot.ts, ui/lock/early-lock.ts): on a cold
// start of a phone with a PIN, the PIN field is there before the app's start-up chunk has run, and
// what the user types into it is kept when the app takes the screen over (focus included). The
// early screen itself never unlocks: its buttons are off, Enter does nothing, and the app checks
// the typed PIN as any other (a wrong one is refused and counted).
// To type while the app is certainly not there, the start-up chunk is held back: no service worker
// is ever registered in this profile (the early screen does not depend on it; page.route then sees
// every request of the page) and the chunk's request is answered only after the typing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { E2E_PIN, browserAvailable, launchBrowser, signIn, startServer, tempDir, type ServerHandle } from './harness.ts';

/** A cold start whose app chunk (assets/app-*.js) waits until `release()`. */
async function coldStart(profile: string, url: string) {
  const b = await launchBrowser({ userDataDir: profile, blockServiceWorkers: true });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held = 0;
  await b.page.route(/\/assets\/app-[\w-]+\.js$/, async (route: Route) => {
    held++;
    await released;
    await route.continue();
  });
  await b.page.goto(url, { waitUntil: 'commit' });
  await b.page.getByTestId('early-unlock').waitFor({ timeout: 30_000 });
  return { ...b, release, held: () => held };
}

// Marked by the app's unlock form when it takes the early screen over (LockScreens.tsx).
const tookOver = (page: Page) => page.evaluate(() => performance.getEntriesByName('pucha:lock-ready').length > 0);

/** Types into the early field with real key presses, as the user would (the field has the focus). */
async function typeEarly(page: Page, pin: string): Promise<void> {
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('pin-unlock');
  await page.keyboard.type(`${pin}x`); // the letter is dropped: digits only, as in the app's field
  expect(await page.evaluate(() => document.querySelector<HTMLInputElement>('[data-testid="early-unlock"] #pin-unlock')?.value)).toBe(pin);
}

/** The app's own unlock form has replaced the early one: the typed digits and the focus are in its field. */
async function takenOver(page: Page, pin: string): Promise<void> {
  await page.getByTestId('unlock').waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('early-unlock').count()).toBe(0);
  expect(await page.locator('#pin-unlock').count()).toBe(1);
  expect(await page.locator('[data-testid="unlock"] #pin-unlock').inputValue()).toBe(pin);
  expect(await page.evaluate(() => document.activeElement?.id === 'pin-unlock' && document.activeElement.closest('[data-testid="unlock"]') !== null)).toBe(true);
}

describe.runIf(browserAvailable())('the early PIN screen on a cold start', () => {
  let server: ServerHandle;
  let url = '';
  const profile = tempDir('pucha-e2e-early-lock-profile-');

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-early-lock-'), 'pucha.sqlite') });
    const b = await launchBrowser({ userDataDir: profile, blockServiceWorkers: true });
    try {
      await b.page.goto(server.url);
      // The first start ever has no early screen (nothing says yet that a PIN will be asked).
      expect(await b.page.getByTestId('early-unlock').count()).toBe(0);
      await signIn(b.page, 'demo-enumerator');
      await b.page.getByTestId('district-link').first().waitFor({ timeout: 30_000 });
      await b.page.waitForFunction(() => document.querySelector('[data-testid="sync-badge"]')?.getAttribute('data-phase') === 'idle', undefined, { timeout: 30_000 });
      url = b.page.url();
    } finally {
      await b.close();
    }
  }, 120_000);
  afterAll(async () => server?.stop());

  it('a wrong PIN typed before the app ran is refused by the app and counted; Enter on the early screen submits nothing', async () => {
    const b = await coldStart(profile, url);
    try {
      const { page } = b;
      await typeEarly(page, '111222');
      expect(await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid="early-unlock"] button[type="submit"]')?.disabled)).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      expect(page.url()).toBe(url);
      expect(await page.evaluate(() => document.querySelectorAll('[data-testid="early-unlock"]').length)).toBe(1);
      expect(b.held(), 'the app chunk was asked for and is held').toBe(1);
      expect(await tookOver(page), 'typed before the app took the screen over').toBe(false);
      b.release();
      await takenOver(page, '111222');
      await page.getByRole('button', { name: '解锁' }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toBe('PIN 错误，还可尝试 9 次。');
      expect(await page.getByTestId('district-link').count()).toBe(0);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('the PIN typed before the app ran unlocks once the app has taken the screen over', async () => {
    const b = await coldStart(profile, url);
    try {
      const { page } = b;
      await typeEarly(page, E2E_PIN);
      expect(b.held(), 'the app chunk was asked for and is held').toBe(1);
      expect(await tookOver(page), 'typed before the app took the screen over').toBe(false);
      b.release();
      await takenOver(page, E2E_PIN);
      await page.getByRole('button', { name: '解锁' }).click();
      await page.getByTestId('district-link').first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('unlock').count()).toBe(0);
    } finally {
      await b.close();
    }
  }, 120_000);
});
