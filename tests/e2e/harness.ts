// E2E plumbing: real Chromium (playwright-core, persistent context so installability and the SW
// behave as in a normal profile), the in-process app server that can deploy another build, and
// (re-exported from server-process.ts) the server child process and the UI sign-in steps.
// Everything started here is stopped by its own handle, never by name.
// Every browser launched here records Content-Security-Policy violations on every page it opens,
// and every test of a file that imports this harness fails on any (see the afterEach below).
import { existsSync, rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { freePort, tempDir, type ServerHandle } from './server-process.ts';

// The server process, sign-in and API helpers need no vitest: benches use them too.
export * from './server-process.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser suites can run; in CI a missing browser is a failure, elsewhere a loud skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: the e2e suite is required in CI (.ci/run installs Debian's chromium)`);
  console.error(`\n!!! E2E SKIPPED: ${CHROMIUM} not found. Install Debian's chromium to run the browser tests. !!!\n`);
  return false;
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
export async function launchBrowser(opts: { width?: number; height?: number; userDataDir?: string; args?: string[]; ignoreHTTPSErrors?: boolean; blockServiceWorkers?: boolean } = {}): Promise<BrowserHandle> {
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
    // No worker answers the page's requests: page.route sees them all (tests/e2e/early-lock.test.ts holds one).
    ...(opts.blockServiceWorkers ? { serviceWorkers: 'block' as const } : {}),
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
