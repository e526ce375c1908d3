// Security headers on every answer (API, app, errors, 404s), and the cache policy of the static
// app. The CSP is what the built app (dist/) runs under without a violation: no inline script
// (main.tsx registers the worker from the bundle), no inline <style> (React's style props go
// through CSSOM, which style-src does not govern), nothing from another origin. tests/e2e fails on
// any CSP violation on the screens it visits.
import { basename, sep } from 'node:path';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Powerful features the app never uses (no location, camera or microphone in src/client): denied to every origin. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
]
  .map((f) => `${f}=()`)
  .join(', ');

export const HSTS = 'max-age=31536000; includeSubDomains';

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': PERMISSIONS_POLICY,
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
};

/** The API's answers carry personal data (sign-in, pull, export, status): never stored by a cache. */
export function isApiUrl(url: string): boolean {
  return url.startsWith('/api/');
}

/**
 * onRequest hook: the headers go on the reply before any handler runs, so error answers and the
 * 404 handler carry them too. HSTS only on an HTTPS request (req.protocol is 'https' on a TLS
 * socket, or from X-Forwarded-Proto when the peer is a trusted proxy): a plain-HTTP answer cannot
 * set it, and localhost without TLS must keep working.
 */
export const securityHeaders: onRequestHookHandler = (req, reply, done) => {
  applySecurityHeaders(req, reply);
  done();
};

/** The same headers, for the answers that bypass the onRequest hooks (Fastify's frameworkErrors). */
export function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  void reply.headers(HEADERS);
  if (req.protocol === 'https') void reply.header('Strict-Transport-Security', HSTS);
  if (isApiUrl(req.url)) void reply.header('Cache-Control', 'no-store');
}

/**
 * Cache-Control of a file of the built app: the shell (index.html) and the worker (sw.js) are
 * revalidated every time, or an update never reaches the phones; Vite's hashed /assets/ never
 * change under their name; anything else (icons, manifest, robots.txt) keeps @fastify/static's
 * default (revalidate). `path` may be the precompressed sibling that is sent instead
 * (`index.html.br`, `assets/x.js.gz`): it gets the policy of the file it stands for.
 */
export function staticCacheControl(root: string, path: string): string | undefined {
  const file = path.replace(/\.(?:br|gz)$/, '');
  const name = basename(file);
  if (name === 'sw.js' || name === 'index.html' || name === 'self.html') return 'no-cache';
  const assets = `${root.endsWith(sep) ? root : root + sep}assets${sep}`;
  if (file.startsWith(assets)) return 'public, max-age=31536000, immutable';
  return undefined;
}
