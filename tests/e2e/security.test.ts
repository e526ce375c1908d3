// Issue 9 in the browser: the built app under the server's Content-Security-Policy (Chromium
// enforces it, and the harness's recorder sees what it blocks), and the app over built-in HTTPS
// with a throwaway self-signed certificate: HSTS sent, the service worker installs and controls.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OPENSSL, selfSignedCert } from '../server/test-cert.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { CONTENT_SECURITY_POLICY, HSTS } from '../../src/server/security.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { readTlsFiles } from '../../src/server/tls.ts';
import {
  ROOT,
  browserAvailable,
  launchBrowser,
  startServer,
  takeCspViolations,
  tempDir,
  waitForServiceWorker,
  type BrowserHandle,
  type ServerHandle,
} from './harness.ts';


describe.runIf(browserAvailable())('Content-Security-Policy of the served app', () => {
  let server: ServerHandle;
  let browser: BrowserHandle | undefined;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is sent with the shell and enforced: injected inline script and style are blocked and recorded, CSSOM styles are not', async () => {
    browser = await launchBrowser();
    const { page } = browser;
    const res = await page.goto(server.url);
    const headers = res?.headers() ?? {};
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toBeUndefined(); // plain HTTP
    await page.getByLabel('用户名').waitFor();
    await waitForServiceWorker(page);

    // What React does with style props (CSSOM) is allowed; markup-level inline code is not.
    const ran = await page.evaluate(() => {
      const w = window as unknown as { __inlineRan?: boolean };
      const div = document.createElement('div');
      div.style.width = '10px';
      div.style.setProperty('height', '12px');
      document.body.append(div);
      const cssom = getComputedStyle(div).height === '12px' && div.getBoundingClientRect().width === 10;
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      const styled = document.createElement('p');
      styled.setAttribute('style', 'height: 30px');
      document.body.append(styled);
      const attr = styled.getBoundingClientRect().height === 30;
      return { cssom, inlineScript: w.__inlineRan === true, styleAttr: attr };
    });
    expect(ran).toEqual({ cssom: true, inlineScript: false, styleAttr: false });
    let seen: string[] = [];
    await expect
      .poll(
        () => {
          seen = seen.concat(takeCspViolations());
          return ['script-src-elem', 'style-src-attr'].filter((d) => !seen.some((v) => v.includes(d)));
        },
        { timeout: 5_000 },
      )
      .toEqual([]);
    // ...and nothing else: the app itself caused none (the afterEach check only sees what is left).
    expect(seen.filter((v) => !/script-src-elem|style-src-attr/.test(v))).toEqual([]);
  });
});

describe.runIf(browserAvailable() && existsSync(OPENSSL))('the app over built-in HTTPS', () => {
  const dir = tempDir('pucha-e2e-tls-');
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  let browser: BrowserHandle | undefined;
  let url = '';

  beforeAll(async () => {
    const { cert, key } = selfSignedCert(dir, 'cert');
    const https = readTlsFiles({ PUCHA_TLS_CERT: cert, PUCHA_TLS_KEY: key });
    if (!https) throw new Error('no TLS files');
    store = await openSqliteStore(join(dir, 'db.sqlite'));
    app = await buildApp({ store, https, staticDir: join(ROOT, 'dist') });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    url = `https://localhost:${addr.port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the shell with HSTS and the CSP, and the service worker installs and takes control', async () => {
    browser = await launchBrowser({ ignoreHTTPSErrors: true });
    const { page } = browser;
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['strict-transport-security']).toBe(HSTS);
    expect(res?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.getByLabel('用户名').waitFor();
    await waitForServiceWorker(page);
    const health = await page.evaluate(async () => {
      const r = await fetch('/api/v1/healthz');
      return { status: r.status, cacheControl: r.headers.get('cache-control') };
    });
    expect(health).toEqual({ status: 200, cacheControl: 'no-store' });
  });
});
