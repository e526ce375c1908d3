// An enumerator's thumb on a 360 x 740 phone, as a counter: every tap (a press on a control,
// including the press that focuses a text field the app did not focus itself), every keystroke,
// and every pixel the thumb scrolls to bring the next control into the free area between the
// sticky header and the sticky save bar (the least a person would scroll). The page's own
// movement (the app scrolling a card into view) is counted apart, as `movedPx`.
import type { Locator, Page } from 'playwright-core';

export interface ThumbCounts {
  taps: number;
  keystrokes: number;
  /** Scrolled by the thumb, in screens (viewport heights). */
  screens: number;
  /** Everything the page moved (thumb and app), in screens. */
  moved: number;
}

/** Bottom of the sticky elements at the top, top of those at the bottom (the save bar, banners). */
async function freeArea(page: Page): Promise<{ top: number; bottom: number; height: number }> {
  return page.evaluate(() => {
    const vh = window.innerHeight;
    let top = 0;
    let bottom = vh;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const pos = getComputedStyle(el).position;
      if (pos !== 'sticky' && pos !== 'fixed') continue;
      const r = el.getBoundingClientRect();
      if (r.height === 0 || r.width === 0) continue;
      if (r.top <= 1 && r.bottom < vh / 2) top = Math.max(top, r.bottom);
      else if (r.bottom >= vh - 1 && r.top > vh / 2) bottom = Math.min(bottom, r.top);
    }
    return { top, bottom, height: vh };
  });
}

export class Thumb {
  taps = 0;
  keystrokes = 0;
  private scrolledPx = 0;
  private readonly log: string[] = [];

  constructor(private readonly page: Page) {}

  /** Starts counting the page's own movement too (call once the screen to measure is open). */
  async start(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __moved: number; __lastY: number };
      w.__moved = 0;
      w.__lastY = window.scrollY;
      window.addEventListener('scroll', () => {
        w.__moved += Math.abs(window.scrollY - w.__lastY);
        w.__lastY = window.scrollY;
      });
    });
  }

  /** Scrolls as little as needed to show the whole control (or its top, when it is taller than the free area). */
  async reach(target: Locator): Promise<void> {
    await target.waitFor({ state: 'visible' });
    // A control in a sticky or fixed bar (the save bar) is always in reach.
    const pinned = await target.evaluate((el) => {
      for (let e: Element | null = el; e; e = e.parentElement) if (['sticky', 'fixed'].includes(getComputedStyle(e).position)) return true;
      return false;
    });
    if (pinned) return;
    for (let i = 0; i < 5; i++) {
      const box = await target.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom };
      });
      const area = await freeArea(this.page);
      const margin = 8;
      let delta = 0;
      if (box.top < area.top + margin) delta = box.top - area.top - margin;
      else if (box.bottom > area.bottom - margin) delta = Math.min(box.bottom - area.bottom + margin, box.top - area.top - margin);
      if (Math.abs(delta) < 1) return;
      const before = await this.page.evaluate(() => window.scrollY);
      await this.page.evaluate((d) => window.scrollBy(0, d), delta);
      const after = await this.page.evaluate(() => window.scrollY);
      if (after === before) return; // at the end of the page
      this.scrolledPx += Math.abs(after - before);
    }
  }

  async tap(target: Locator, what: string): Promise<void> {
    const before = this.scrolledPx;
    await this.reach(target);
    await target.click();
    this.taps++;
    this.log.push(`tap ${what}${this.scrolledPx > before ? ` (scrolled ${Math.round(this.scrolledPx - before)} px)` : ''}`);
  }

  /** Types into a text field, tapping it first unless the app has already focused it. */
  async type(target: Locator, text: string, what: string): Promise<void> {
    const focused = await target.evaluate((el) => el === document.activeElement);
    if (!focused) await this.tap(target, what);
    else await this.reach(target);
    await target.pressSequentially(text);
    this.keystrokes += text.length;
    this.log.push(`type ${what} (${text.length})`);
  }

  /** A native select: one tap opens the picker, one picks. */
  async select(target: Locator, value: string, what: string): Promise<void> {
    await this.reach(target);
    await target.selectOption(value);
    this.taps += 2;
    this.log.push(`select ${what}`);
  }

  async counts(): Promise<ThumbCounts> {
    const vh = await this.page.evaluate(() => window.innerHeight);
    const moved = await this.page.evaluate(() => (window as unknown as { __moved?: number }).__moved ?? 0);
    const r = (px: number) => Math.round((px / vh) * 10) / 10;
    return { taps: this.taps, keystrokes: this.keystrokes, screens: r(this.scrolledPx), moved: r(moved) };
  }

  steps(): readonly string[] {
    return this.log;
  }
}
