// The real server as a child process (`npm start` mode on a free port and a temp SQLite file), the
// sign-in and unlock steps of the UI, and API reads from Node. Free of vitest, so the browser
// benchmarks use it too; tests import it through harness.ts. Everything started here is stopped
// by its own handle, never by name.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DEMO_PASSWORD = 'pucha-demo';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface ServerHandle {
  url: string;
  port: number;
  dbFile: string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx src/server/main.ts` (one PID) and waits for /api/v1/healthz. */
export async function startServer(opts: { port?: number; dbFile: string; env?: Record<string, string> }): Promise<ServerHandle> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    // `npm start` mode (migrations, demo seed); NODE_ENV=production is `npm run serve`, which does neither.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUCHA_DB: opts.dbFile, NODE_ENV: 'development', PUCHA_BUILD: '0', ...opts.env }, // globalSetup built dist/ once; never rebuild mid-test
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000; // the first start may build dist/
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/api/v1/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    dbFile: opts.dbFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitForServiceWorker(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout, polling: 100 });
}

/** Logs in against the API from Node (for supervisor checks) and returns a bearer token. */
export async function apiLogin(baseUrl: string, username: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD, deviceId: crypto.randomUUID() }),
  });
  if (!r.ok) throw new Error(`login ${username}: HTTP ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { token: string };
  return body.token;
}

export async function apiGet(baseUrl: string, token: string, path: string): Promise<unknown> {
  const r = await fetch(`${baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`GET ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

/** The app PIN the e2e suite chooses after every sign-in. */
export const E2E_PIN = '482916';

/** Signs in through the UI, then chooses the app PIN as the app asks right after a sign-in. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.locator('#pin-new').waitFor({ timeout: 30_000 });
  await page.locator('#pin-new').fill(E2E_PIN);
  await page.locator('#pin-again').fill(E2E_PIN);
  await page.getByRole('button', { name: /^(设置 PIN|Set PIN)$/ }).click();
  await page.locator('#pin-new').waitFor({ state: 'detached', timeout: 30_000 });
}

/** After a reload (or a restart) the store is locked: enters the PIN. */
export async function unlock(page: Page): Promise<void> {
  await page.locator('#pin-unlock').waitFor({ timeout: 30_000 });
  await page.locator('#pin-unlock').fill(E2E_PIN);
  await page.getByRole('button', { name: /^(解锁|Unlock)$/ }).click();
  await page.locator('[data-testid="unlock"]').waitFor({ state: 'detached', timeout: 30_000 });
}

interface PulledChange {
  entity: string;
  id: string;
  data?: Record<string, unknown>;
}
/** Everything the server holds in `username`'s scope (the phone's rows are encrypted: tests read the server). */
export async function serverScope(baseUrl: string, username: string): Promise<PulledChange[]> {
  const token = await apiLogin(baseUrl, username);
  const out: PulledChange[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const body = (await apiGet(baseUrl, token, `/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)) as { changes: PulledChange[]; cursor: string; more: boolean };
    out.push(...body.changes);
    cursor = body.cursor;
    if (!body.more) break;
  }
  return out;
}
