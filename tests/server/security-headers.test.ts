// Security headers on every kind of answer (API success, API error, 404, the app shell, the SPA
// fallback, assets) and the cache policy: no-store for the API, revalidation for the shell and the
// worker, immutable for hashed assets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, staticCacheControl } from '../../src/server/security.ts';
import { harness, type Harness } from './harness.ts';

let h: Harness;
let web: string;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'pucha-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Pucha</title>');
  writeFileSync(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(web, 'robots.txt'), 'User-agent: *\n');
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'assets', 'index-DLG9Y-Zw.js'), 'console.log(1)');
  h = await harness({ staticDir: web });
});
afterAll(async () => {
  await h.close();
  rmSync(web, { recursive: true, force: true });
});

function expectSecurityHeaders(headers: Record<string, unknown>, what: string): void {
  expect(
    {
      what,
      nosniff: headers['x-content-type-options'],
      referrer: headers['referrer-policy'],
      frame: headers['x-frame-options'],
      csp: headers['content-security-policy'],
      permissions: headers['permissions-policy'],
      hsts: headers['strict-transport-security'],
    },
    what,
  ).toEqual({
    what,
    nosniff: 'nosniff',
    referrer: 'no-referrer',
    frame: 'DENY',
    csp: CONTENT_SECURITY_POLICY,
    permissions: PERMISSIONS_POLICY,
    hsts: undefined,
  });
}

describe('the policies themselves', () => {
  it('[SH1] CSP: same origin only, no inline script or style, no framing, no plugins', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'worker-src': "'self'",
      'manifest-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'object-src': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });

  it('[SH2] Permissions-Policy denies location, camera and microphone (src/client uses none of them)', () => {
    for (const f of ['geolocation', 'camera', 'microphone', 'payment', 'usb']) expect(PERMISSIONS_POLICY).toContain(`${f}=()`);
  });
});

describe('API answers', () => {
  it('[SH3] success, sign-in, error and 404 answers: security headers and Cache-Control: no-store', async () => {
    const answers = {
      healthz: await h.req({ method: 'GET', url: '/api/v1/healthz' }),
      login: await h.req({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'enum', password: 'correct horse', deviceId: crypto.randomUUID() },
      }),
      unauthorized: await h.req({ method: 'GET', url: '/api/v1/supervision/status' }),
      badBody: await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { nope: 1 } }),
      notFound: await h.req({ method: 'GET', url: '/api/v1/nothing?x=1' }),
      otherVersion: await h.req({ method: 'GET', url: '/api/v2/healthz' }),
      // Answered by Fastify's frameworkErrors, before any onRequest hook runs.
      malformedUrl: await h.req({ method: 'GET', url: '/api/v1/%E0%A4%A' }),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.status]))).toEqual({
      healthz: 200,
      login: 200,
      unauthorized: 401,
      badBody: 400,
      notFound: 404,
      otherVersion: 404,
      malformedUrl: 400,
    });
    for (const [what, r] of Object.entries(answers)) {
      expectSecurityHeaders(r.headers, what);
      expect(r.headers['cache-control'], what).toBe('no-store');
    }
  });

  it('[SH4] a pull with a token (personal data) is not stored either', async () => {
    const { auth } = await h.login('enum');
    const r = await h.req({ method: 'POST', url: '/api/v1/sync/pull', headers: auth, payload: {} });
    expectSecurityHeaders(r.headers, 'pull');
    expect(r.headers['cache-control']).toBe('no-store');
  });
});

describe('app answers', () => {
  it('[SH5] shell, worker and SPA fallback: security headers, revalidated, never no-store', async () => {
    for (const url of ['/', '/index.html', '/sw.js', '/districts/130102001003001/households']) {
      const r = await h.req({ method: 'GET', url });
      expect(r.status, url).toBe(200);
      expectSecurityHeaders(r.headers, url);
      expect(r.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('[SH5b] a malformed non-API URL gets the security headers but no no-store', async () => {
    const r = await h.req({ method: 'GET', url: '/%zz' });
    expect(r.status).toBe(400);
    expectSecurityHeaders(r.headers, 'malformed');
    expect(r.headers['cache-control']).toBeUndefined();
  });

  it('[SH6] hashed assets are cached for a year as immutable; other files keep the default', async () => {
    const asset = await h.req({ method: 'GET', url: '/assets/index-DLG9Y-Zw.js' });
    expect(asset.status).toBe(200);
    expectSecurityHeaders(asset.headers, 'asset');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const robots = await h.req({ method: 'GET', url: '/robots.txt' });
    expect(robots.status).toBe(200);
    expectSecurityHeaders(robots.headers, 'robots');
    expect(robots.headers['cache-control']).toBe('public, max-age=0');
  });

  it('[SH7] staticCacheControl decides by file, not by a look-alike name', () => {
    expect(staticCacheControl('/srv/dist', '/srv/dist/index.html')).toBe('no-cache');
    expect(staticCacheControl('/srv/dist/', '/srv/dist/sw.js')).toBe('no-cache');
    expect(staticCacheControl('/srv/dist', '/srv/dist/assets/app-1a2b.js')).toBe('public, max-age=31536000, immutable');
    expect(staticCacheControl('/srv/dist', '/srv/dist/assets-old/app.js')).toBeUndefined();
    expect(staticCacheControl('/srv/dist', '/srv/dist/my-sw.js')).toBeUndefined();
    expect(staticCacheControl('/srv/dist', '/srv/dist/icon-192.png')).toBeUndefined();
  });
});
