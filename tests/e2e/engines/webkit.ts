// WebKitGTK (Debian's webkit2gtk-driver, whose WebKitWebDriver drives the MiniBrowser of
// libwebkit2gtk-4.1) through selenium-webdriver, on an Xvfb display this file starts. The
// nearest thing to Safari on an iPhone that Debian has: same engine, no Background Sync, no
// navigator.storage at all in this build.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { freePort } from '../harness.ts';
import type { Engine, EngineDriver, Json } from './driver.ts';

export const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB = '/usr/bin/Xvfb';

const VIEWPORT = { width: 360, height: 740 };

/** Stops a child we started, by its handle; SIGKILL after a grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Xvfb on a display number it picks itself (-displayfd), so parallel runs never collide. */
async function startXvfb(): Promise<{ display: string; child: ChildProcess }> {
  const child = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const fd3 = child.stdio[3] as Readable;
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 15 s:\n${err}`)), 15_000);
    fd3.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}):\n${err}`));
    });
  });
  return { display, child };
}

async function startDriver(display: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=local'], { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) return { url, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`WebKitWebDriver did not answer /status within 15 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

class WebKitDriver implements EngineDriver {
  constructor(
    private readonly d: WebDriver,
    private readonly children: ChildProcess[],
  ) {}

  async goto(url: string): Promise<void> {
    await this.d.get(url);
  }

  async reload(): Promise<void> {
    await this.d.navigate().refresh();
  }

  currentUrl(): Promise<string> {
    return this.d.getCurrentUrl();
  }

  private async element(css: string) {
    const found = await this.d.findElements(By.css(css));
    const el = found[0];
    if (!el) throw new Error(`no element matches ${css}`);
    // Centred, so the sticky save bar at the bottom never covers the target (WebDriver would
    // report "element click intercepted", as a finger would hit the bar).
    await this.d.executeScript('arguments[0].scrollIntoView({ block: "center", inline: "center" })', el);
    return el;
  }

  async click(css: string): Promise<void> {
    await (await this.element(css)).click();
  }

  async type(css: string, text: string): Promise<void> {
    const el = await this.element(css);
    await el.click();
    await this.d.executeScript('arguments[0].select()', el);
    await el.sendKeys(text === '' ? '\uE003' : text); // U+E003 is WebDriver's Backspace
    await this.d.executeScript('arguments[0].blur()', el);
  }

  async select(css: string, value: string): Promise<void> {
    await this.element(css);
    const options = await this.d.findElements(By.css(`${css} option[value="${value}"]`));
    const option = options[0];
    if (!option) throw new Error(`${css} has no option ${value}`);
    await option.click();
  }

  evaluate<R extends Json | undefined, A extends Json[]>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
    // Classic WebDriver runs a function body and awaits a returned promise (Execute Script).
    return this.d.executeScript<R>(`return (${fn.toString()}).apply(null, arguments)`, ...args);
  }

  async backgroundAndBack(): Promise<void> {
    // Minimising hides the view (visibilitychange: hidden); restoring its size shows it again,
    // as an iPhone user switching to another app and back.
    await this.d.manage().window().minimize();
    await this.d.manage().window().setRect(VIEWPORT);
  }

  async close(): Promise<void> {
    try {
      await this.d.quit();
    } finally {
      for (const c of this.children) await stopChild(c);
    }
  }
}

export const webkitEngine: Engine = {
  label: 'WebKitGTK',
  binaries: [WEBKIT_DRIVER, MINIBROWSER, XVFB],
  packages: ['webkit2gtk-driver', 'xvfb'],
  // MiniBrowser --automation uses an ephemeral website-data manager: a new session starts empty.
  keepsStorageAcrossLaunches: false,
  persist: 'unsupported',
  backgroundSync: false,
  async launch() {
    const xvfb = await startXvfb();
    let driver: { url: string; child: ChildProcess } | undefined;
    try {
      driver = await startDriver(xvfb.display);
      const d = await new Builder()
        .usingServer(driver.url)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
        .build();
      await d.manage().window().setRect(VIEWPORT);
      await d.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
      return new WebKitDriver(d, [driver.child, xvfb.child]);
    } catch (e) {
      if (driver) await stopChild(driver.child);
      await stopChild(xvfb.child);
      throw e;
    }
  },
};
