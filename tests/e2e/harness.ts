// E2E plumbing: the real server as a child process on a free port and a temp SQLite file, and
// real Chromium (playwright-core, persistent context so installability and the SW behave as in a
// normal profile). Everything started here is stopped by its own handle, never by name.
// Every browser launched here records Content-Security-Policy violations on every page it opens,
// and every test of a file that imports this harness fails on any (see the afterEach below).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_PASSWORD = 'pucha-demo';

/** Whether the browser suites can run; in CI a missing browser is a failure, elsewhere a loud skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: the e2e suite is required in CI (.ci/run installs Debian's chromium)`);
  console.error(`\n!!! E2E SKIPPED: ${CHROMIUM} not found. Install Debian's chromium to run the browser tests. !!!\n`);
  return false;
}

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
export async function startServer(opts: { port?: number; dbFile: string }): Promise<ServerHandle> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    // `npm start` mode (migrations, demo seed); NODE_ENV=production is `npm run serve`, which does neither.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUCHA_DB: opts.dbFile, NODE_ENV: 'development', PUCHA_BUILD: '0' }, // globalSetup built dist/ once; never rebuild mid-test
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

/** The app server run in this process (see startAppServer): `deploy` serves another build on the same origin. */
export interface AppServerHandle extends ServerHandle {
  /** Stops serving the current build and serves `staticDir` instead, on the same port and store (a deploy). */
  deploy(staticDir: string): Promise<void>;
}

/**
 * The real Fastify app (src/server/app.ts) in this process, on a demo-seeded SQLite file, serving
 * a given build of the web app instead of dist/: the update suite builds two versions and deploys
 * one after the other, as an office would (the old build's files are gone from the server).
 */
export async function startAppServer(opts: { staticDir: string; dbFile: string; port?: number }): Promise<AppServerHandle> {
  const [{ buildApp }, { openSqliteStore }, { seedDemo }] = await Promise.all([import('../../src/server/app.ts'), import('../../src/server/store/sqlite.ts'), import('../../src/server/seed.ts')]);
  const port = opts.port ?? (await freePort());
  const store = await openSqliteStore(opts.dbFile, { migrate: true });
  await seedDemo(store);
  const listen = async (staticDir: string) => {
    const app = await buildApp({ store, staticDir });
    await app.listen({ port, host: '127.0.0.1' });
    return app;
  };
  let app = await listen(opts.staticDir);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dbFile: opts.dbFile,
    async deploy(staticDir) {
      await app.close();
      app = await listen(staticDir);
    },
    async stop() {
      await app.close();
      await store.close();
    },
  };
}

export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserHandle {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** CSP violations seen since the last check, one line each: where (page URL), what directive, what was blocked. */
const cspViolations: string[] = [];

/** Returns and forgets the CSP violations recorded so far (a test that provokes one on purpose takes it). */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

// The check itself: the built app must run under the server's CSP on every screen a test visits.
afterEach(() => {
  expect(takeCspViolations(), 'CSP violations or unparsable policy headers').toEqual([]);
});

interface ViolationReport {
  url: string;
  directive: string;
  blocked: string;
  source: string;
  line: number;
  sample: string;
}

/** Two witnesses: the page's own securitypolicyviolation events (in every frame, from before any
 * app script runs), and Chromium's "Refused to ..." console errors (also for what the event misses). */
async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.exposeBinding('__puchaCspViolation', (_source, v: ViolationReport) => {
    cspViolations.push(`${v.url}: ${v.directive} blocked ${v.blocked || '(inline)'}${v.source ? ` at ${v.source}:${v.line}` : ''}${v.sample ? ` "${v.sample}"` : ''}`);
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = (window as unknown as { __puchaCspViolation?: (v: ViolationReport) => Promise<void> }).__puchaCspViolation;
        void report?.({ url: location.href, directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
      },
      true,
    );
  });
  context.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content Security Policy/.test(text) && /^Refused to /.test(text)) cspViolations.push(`${msg.page()?.url() ?? '(worker)'}: console: ${text}`);
    // A policy header Chromium cannot parse (an unknown Permissions-Policy feature, say) counts too.
    else if (/^Error with Permissions-Policy header|Content Security Policy directive .* (is invalid|unrecognized)|Unrecognized Content-Security-Policy/i.test(text)) cspViolations.push(`${msg.page()?.url() ?? '(worker)'}: console: ${text}`);
  });
}

/** A persistent Chromium profile in a fresh temp dir, phone-sized (360 x 740) unless told otherwise. */
export async function launchBrowser(opts: { width?: number; height?: number; userDataDir?: string; args?: string[]; ignoreHTTPSErrors?: boolean } = {}): Promise<BrowserHandle> {
  const dir = opts.userDataDir ?? tempDir('pucha-e2e-profile-');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    // Chromium registers no service worker for an origin with a certificate error, whatever
    // Playwright's ignoreHTTPSErrors says: a self-signed test certificate needs the flag too.
    args: [...BROWSER_ARGS, ...(opts.ignoreHTTPSErrors ? ['--ignore-certificate-errors'] : []), ...(opts.args ?? [])],
    viewport: { width: opts.width ?? 360, height: opts.height ?? 740 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    ...(opts.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
  });
  await recordCspViolations(context);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      if (!opts.userDataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until a service worker is activated AND controls the page (toolchain gotcha 9). The
 * predicate is synchronous: waitForFunction takes a returned Promise for a truthy value, so an
 * async predicate "passed" at once, with no controlling worker.
 */
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
