// Firefox ESR (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Engine, EngineDriver, Json } from './driver.ts';

export const FIREFOX = '/usr/bin/firefox-esr';

/**
 * Firefox answers navigator.storage.persist() with a permission prompt and leaves the promise
 * pending until the user answers it; headless, nobody does, which is what a user who ignores the
 * prompt looks like: the sign-in goes on and says the prompt is open (LoginScreen, 'unanswered').
 */
const PREFS = {
  'intl.accept_languages': 'zh-CN, zh',
};

async function scrollIntoCenter(page: Page, css: string): Promise<void> {
  const found = await page.evaluate((sel: string) => {
    const el = document.querySelector(sel);
    el?.scrollIntoView({ block: 'center', inline: 'center' });
    return el !== null;
  }, css);
  if (!found) throw new Error(`no element matches ${css}`);
}

class FirefoxDriver implements EngineDriver {
  constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
  }

  currentUrl(): Promise<string> {
    return Promise.resolve(this.page.url());
  }

  async click(css: string): Promise<void> {
    await scrollIntoCenter(this.page, css);
    const el = await this.page.$(css);
    if (!el) throw new Error(`no element matches ${css}`);
    await el.click();
    await el.dispose();
  }

  async type(css: string, text: string): Promise<void> {
    await scrollIntoCenter(this.page, css);
    const el = await this.page.$(css);
    if (!el) throw new Error(`no element matches ${css}`);
    await el.focus();
    // Typing over a selection replaces it, as a user selecting the old answer and typing anew.
    await el.evaluate((e) => (e as HTMLInputElement).select());
    if (text === '') await this.page.keyboard.press('Backspace');
    else await this.page.keyboard.type(text);
    await el.evaluate((e) => (e as HTMLElement).blur());
    await el.dispose();
  }

  async select(css: string, value: string): Promise<void> {
    await scrollIntoCenter(this.page, css);
    const picked = await this.page.select(css, value);
    if (!picked.includes(value)) throw new Error(`${css} has no option ${value}`);
  }

  evaluate<R extends Json | undefined, A extends Json[]>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    // JSON arguments arrive as themselves (no element handles), which puppeteer's types cannot see.
    const run = fn as unknown as (...a: unknown[]) => Promise<R>;
    return this.page.evaluate(run, ...args);
  }

  async setOffline(offline: boolean): Promise<void> {
    // BiDi emulation.setNetworkConditions: navigator.onLine and the online/offline events follow.
    await this.page.setOfflineMode(offline);
  }

  async backgroundAndBack(): Promise<void> {
    const other = await this.browser.newPage();
    await other.bringToFront();
    await this.page.bringToFront();
    await other.close();
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

export const firefoxEngine: Engine = {
  label: 'Firefox ESR',
  binaries: [FIREFOX],
  packages: ['firefox-esr'],
  keepsStorageAcrossLaunches: true,
  persist: 'unanswered',
  backgroundSync: false,
  async launch(profileDir) {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profileDir,
      extraPrefsFirefox: PREFS,
      defaultViewport: { width: 360, height: 740 },
      protocolTimeout: 60_000,
    });
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    return new FirefoxDriver(browser, page);
  },
};
