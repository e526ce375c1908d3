// Keyboard focus is never hidden (issue 16, WCAG 2.2 2.4.11): in real Chromium at 360 x 740, Tab
// and Shift+Tab walk the whole household form, and at every focus stop the element at the centre
// of the focused control (document.elementFromPoint) must be the control, something inside it or
// its label, never the sticky header, the sticky save bar or the update banner. The update banner
// is shown for real (another tab upgrades the database: R12's "replaced" state) and the walk is
// repeated with it. The district screen's sheets are dialogs: focus goes in when one opens, Tab
// and Shift+Tab cycle inside, Escape closes it and focus is back on the button that opened it.
// Landmarks on the household and district screens have unique names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { browserAvailable, launchBrowser, signIn, startServer, tempDir, type BrowserHandle, type ServerHandle } from './harness.ts';
import { field } from './household-steps.ts';

/** One focus stop: what has focus, and whether its centre is really it (else what covers it). */
interface Stop {
  what: string;
  ok: boolean;
  cover: string;
  /** The sticky bar that covers it, if it is one. */
  bar: string | null;
}

/** Reads the focus stop after the browser has scrolled and painted. */
async function probe(page: Page): Promise<Stop | null> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  return page.evaluate(() => {
    const describe = (n: Element | null): string => {
      if (!n) return 'nothing';
      const label =
        n.getAttribute('aria-label') ?? (n instanceof HTMLInputElement && n.labels?.[0] ? n.labels[0].textContent : n.textContent) ?? '';
      return `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${typeof n.className === 'string' && n.className ? `.${n.className.trim().split(/\s+/).join('.')}` : ''} "${label.trim().slice(0, 30)}"`;
    };
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const inView = x >= 0 && y >= 0 && x < window.innerWidth && y < window.innerHeight;
    const hit = inView ? document.elementFromPoint(x, y) : null;
    const isLabelOf = hit instanceof HTMLLabelElement && (hit.control === el || hit.contains(el));
    const ok = hit !== null && (hit === el || el.contains(hit) || isLabelOf);
    const bar = hit?.closest('.app-header, .hh-savebar, .update-banner, .app-nav') ?? null;
    return {
      what: describe(el),
      ok,
      cover: inView ? describe(hit) : `off screen (centre at ${Math.round(x)},${Math.round(y)})`,
      bar: bar ? bar.className : null,
    };
  });
}

/** The focused element's identity, to know where a walk started and ended. */
const focusedKey = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const all = [...document.querySelectorAll('*')];
    return `${all.indexOf(el)}:${el.tagName}`;
  });

/**
 * Walks the page with `key` from the current focus until focus leaves the document (body) or a
 * stop repeats; returns every stop. Starts with the current focus as stop 0.
 */
async function walk(page: Page, key: 'Tab' | 'Shift+Tab', limit = 400): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < limit; i++) {
    const k = await focusedKey(page);
    if (k === 'body' || seen.has(k)) return stops;
    seen.add(k);
    const s = await probe(page);
    if (s) stops.push(s);
    await page.keyboard.press(key);
  }
  throw new Error(`more than ${limit} focus stops: the walk never left the page`);
}

const hidden = (stops: Stop[]) => stops.filter((s) => !s.ok).map((s) => `${s.what} under ${s.bar ?? s.cover}`);

/**
 * Signs in and opens a pending short-form household of the first district through the list (the
 * rows say what the store holds, whatever the store does to rows at rest); returns its number.
 */
async function openHousehold(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await signIn(page, 'demo-enumerator');
  await page.getByTestId('district-link').first().click();
  // No badge (long form, self-enumeration, field-added, draft) on the row's main button.
  const row = page
    .locator('[data-testid="hh-row"][data-status="pending"]')
    .filter({ hasNot: page.locator('.hh-open .badge') })
    .first();
  await row.waitFor();
  const no = (await row.getAttribute('data-no')) ?? '';
  await row.locator('.hh-open').click();
  await field(page, 'persons', 0, 'name')
    .waitFor()
    .catch(async (e: unknown) => {
      throw new Error(`household ${no} did not open at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 600)}`, {
        cause: e,
      });
    });
  return no;
}

/**
 * Tabs down from the top of the page to its end, then Shift+Tabs back up to the top; returns both
 * walks. The first stop is the header's first control, focused from the top as a keyboard user
 * would (a Tab from the document start).
 */
async function walkDownAndUp(page: Page): Promise<{ down: Stop[]; up: Stop[] }> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  // Restart sequential focus navigation at the document start (a click on nothing at the top).
  await page.mouse.click(2, 2);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  const down = await walk(page, 'Tab');
  // Focus has left the document after the last control; Shift+Tab comes back to it, at the bottom.
  await page.keyboard.press('Shift+Tab');
  const up = await walk(page, 'Shift+Tab');
  return { down, up };
}

/** Landmarks (role, accessible name) as Chromium's accessibility tree has them. */
async function landmarks(cdp: CDPSession): Promise<string[]> {
  const ROLES = new Set(['banner', 'navigation', 'main', 'region', 'complementary', 'contentinfo', 'form', 'search']);
  const tree = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored?: boolean; role?: { value?: string }; name?: { value?: string } }[];
  };
  return tree.nodes
    .filter((n) => !n.ignored && ROLES.has(n.role?.value ?? ''))
    .map((n) => `${n.role?.value ?? ''} "${n.name?.value ?? ''}"`);
}

const duplicates = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

/** Whether focus is inside the open dialog. */
const focusInDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

describe.runIf(browserAvailable())('keyboard focus at 360 x 740: never under a sticky bar, sheets that hold it', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;
  let url: string;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-focus-'), 'pucha.sqlite') });
    url = server.url;
    phone = await launchBrowser();
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it('tabs down and up through the whole household form with no focused control under the header or the save bar', async () => {
    const { page } = phone;
    await openHousehold(page, url);
    // Two more persons, so the form is long and the roster's controls are in the walk too.
    for (const i of [1, 2]) {
      const next = page.getByTestId('next-person');
      if ((await next.count()) > 0) await next.click();
      else await page.getByRole('button', { name: '添加人口' }).click();
      await field(page, 'persons', i, 'name').waitFor();
    }
    const { down, up } = await walkDownAndUp(page);
    console.log(`household form at 360x740: ${down.length} focus stops down, ${up.length} up`);
    // The walk covered the form, from the header to the save bar.
    const names = down.map((s) => s.what).join('\n');
    expect(down.length).toBeGreaterThan(40);
    expect(names).toMatch(/#f-household-residents/);
    expect(names).toMatch(/#f-persons-2-name/);
    expect(names).toMatch(/"保存"/);
    expect(up.length).toBe(down.length);
    expect({ tab: hidden(down), shiftTab: hidden(up) }).toEqual({ tab: [], shiftTab: [] });
  });

  it('names every landmark of the household and district screens uniquely', async () => {
    const { page } = phone;
    const cdp = await phone.context.newCDPSession(page);
    await cdp.send('Accessibility.enable');
    const household = await landmarks(cdp);
    expect(household.filter((l) => l.startsWith('main'))).toHaveLength(1);
    expect(duplicates(household), household.join(', ')).toEqual([]);
    // The form holds unsaved input (the persons added above): leaving asks, and the answer is yes.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: /首页|Home/ }).click();
    await page.getByTestId('district-link').first().click();
    await page.getByTestId('hh-row').first().waitFor();
    const district = await landmarks(cdp);
    console.log(`landmarks: household screen: ${household.join(', ')}; district screen: ${district.join(', ')}`);
    expect(district.filter((l) => l.startsWith('region')).length).toBeGreaterThan(0);
    expect(duplicates(district), district.join(', ')).toEqual([]);
    await cdp.detach();
  });

  it('the outcome sheet takes focus, keeps Tab and Shift+Tab inside, and Escape gives focus back to its row button', async () => {
    const { page } = phone;
    await page.getByTestId('hh-row').first().waitFor();
    const opener = page.getByTestId('hh-row').nth(1).locator('.hh-outcome');
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').first().waitFor();
    expect(await focusInDialog(page)).toBe(true);
    for (const key of ['Tab', 'Shift+Tab'] as const) {
      // More presses than the sheet has controls: a trap that leaks would let one of them out.
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press(key);
        expect(await focusInDialog(page), `${key} #${i + 1}`).toBe(true);
        const s = await probe(page);
        expect(s?.ok, s ? `${s.what} under ${s.cover}` : 'no focus').toBe(true);
      }
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('the missed-household sheet takes focus, keeps it inside, and Escape gives it back to 补登遗漏户', async () => {
    const { page } = phone;
    const opener = page.getByRole('button', { name: /补登遗漏户/ });
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').first().waitFor();
    expect(await focusInDialog(page)).toBe(true);
    for (const key of ['Tab', 'Shift+Tab'] as const) {
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press(key);
        expect(await focusInDialog(page), `${key} #${i + 1}`).toBe(true);
      }
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('with the update banner shown, no focused control is under it, the save bar or the header', async () => {
    // A fresh phone: showing the banner for real upgrades this profile's database under the page.
    const other = await launchBrowser();
    try {
      const { page, context } = other;
      await openHousehold(page, url);
      // Reliability R12: a newer app version in another tab opens the database at a higher
      // version; this page's connection gets versionchange and the banner appears ("replaced").
      const tab2 = await context.newPage();
      await tab2.goto(`${url}/robots.txt`);
      await tab2.evaluate(
        () =>
          new Promise<void>((resolve, reject) => {
            const probeOpen = indexedDB.open('pucha');
            probeOpen.onsuccess = () => {
              const v = probeOpen.result.version;
              probeOpen.result.close();
              const up = indexedDB.open('pucha', v + 10);
              up.onsuccess = () => (up.result.close(), resolve());
              up.onerror = () => reject(new Error('upgrade refused'));
            };
            probeOpen.onerror = () => reject(new Error('cannot open pucha'));
          }),
      );
      await tab2.close();
      await page.getByTestId('update-banner').waitFor();
      const { down, up } = await walkDownAndUp(page);
      console.log(`household form with the update banner: ${down.length} focus stops down, ${up.length} up`);
      expect(down.map((s) => s.what).join('\n')).toMatch(/"更新"/); // the banner's own button is a stop
      expect(hidden(down), 'Tab').toEqual([]);
      expect(hidden(up), 'Shift+Tab').toEqual([]);
    } finally {
      await other.close();
    }
  });
});
