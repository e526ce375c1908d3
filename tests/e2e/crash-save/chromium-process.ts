// Chromium as a process the test owns (Playwright's persistent context hides it): spawned in its
// own process group with a persistent profile and a DevTools port, driven over CDP, and killed
// with SIGKILL like a crash or an OOM kill. Every process it starts carries a unique environment
// marker, so the test can prove that none is left (crashpad double-forks out of the group) and
// end stragglers by pid, never by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BROWSER_ARGS, CHROMIUM } from '../harness.ts';

const MARK_VAR = 'PUCHA_R9_BROWSER';

export interface ChromiumProcess {
  pid: number;
  browser: Browser;
  page: Page;
  /** SIGKILL to the whole process group, then waits until no marked process is alive. */
  kill(): Promise<void>;
  /** The last 20 KB Chromium wrote to stderr (for a failure's post-mortem). */
  stderr(): string;
}

/** Pids of live (non-zombie) processes whose environment holds `MARK_VAR=mark`. */
export function markedPids(mark: string): number[] {
  const needle = `${MARK_VAR}=${mark}\0`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') pids.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Kills every process carrying the mark (by pid), waits until they are gone. */
export async function killMarked(mark: string): Promise<void> {
  for (const pid of markedPids(mark)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await until('marked processes to exit', () => markedPids(mark).length === 0, 10_000);
}

export async function launchChromium(userDataDir: string, mark: string): Promise<ChromiumProcess> {
  const child: ChildProcess = spawn(CHROMIUM, [...BROWSER_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'], {
    detached: true, // its own process group, so one kill(-pid) reaches every child
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, [MARK_VAR]: mark },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('chromium did not start');
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  let stderr = '';
  const ws = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no DevTools endpoint within 30 s:\n${stderr.slice(-2000)}`)), 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-20_000);
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`chromium exited before listening:\n${stderr.slice(-2000)}`));
    });
  });
  const kill = async () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // group already gone
    }
    await until('chromium to exit', () => exited, 10_000);
    await killMarked(mark); // anything that left the group (crashpad handler) ends with it
  };
  try {
    const browser = await chromium.connectOverCDP(await ws, { timeout: 30_000 });
    const context = browser.contexts()[0];
    if (!context) throw new Error('no default context over CDP');
    const page = context.pages()[0] ?? (await context.newPage());
    return { pid, browser, page, kill, stderr: () => stderr };
  } catch (e) {
    await kill();
    throw e;
  }
}
