// Built-in HTTPS, proxy trust and the server timeouts (issue 9), on real sockets: a self-signed
// certificate made with openssl in a temp dir, the app on port 0, node:https trusting only that
// certificate.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OPENSSL, selfSignedCert } from './test-cert.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { HSTS } from '../../src/server/security.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { DEFAULT_TIMEOUTS, parseTrustProxy, readTlsFiles } from '../../src/server/tls.ts';


let dir: string;
let store: Store;
const files = { cert: '', key: '', otherKey: '', notPem: '' };

const selfSigned = (name: string) => selfSignedCert(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pucha-tls-'));
  if (existsSync(OPENSSL)) {
    const a = selfSigned('a');
    files.cert = a.cert;
    files.key = a.key;
    files.otherKey = selfSigned('b').key;
  }
  files.notPem = join(dir, 'not.pem');
  writeFileSync(files.notPem, 'hello');
  store = await openSqliteStore(join(dir, 'db.sqlite'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const open: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

/** buildApp plus a probe route showing what Fastify made of the peer, listening on port 0. */
async function serve(extra: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildApp({ store, ...extra });
  app.get('/__peer', (req) => Promise.resolve({ ip: req.ip, protocol: req.protocol }));
  open.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { app, port: addr.port };
}

function getHttps(
  port: number,
  path: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('readTlsFiles (PUCHA_TLS_CERT / PUCHA_TLS_KEY)', () => {
  it('[TLS1] neither set (or empty): no TLS', () => {
    expect(readTlsFiles({})).toBeUndefined();
    expect(readTlsFiles({ PUCHA_TLS_CERT: '', PUCHA_TLS_KEY: '' })).toBeUndefined();
  });

  it('[TLS2] only one of them: an Error naming the missing one', () => {
    expect(() => readTlsFiles({ PUCHA_TLS_CERT: '/x.crt' })).toThrow(/must be set together: PUCHA_TLS_KEY is missing/);
    expect(() => readTlsFiles({ PUCHA_TLS_KEY: '/x.key' })).toThrow(/must be set together: PUCHA_TLS_CERT is missing/);
  });

  it.runIf(existsSync(OPENSSL))('[TLS3] unreadable, non-PEM or mismatched files: an Error naming the variable and path', () => {
    expect(() => readTlsFiles({ PUCHA_TLS_CERT: join(dir, 'missing.crt'), PUCHA_TLS_KEY: files.key })).toThrow(
      /PUCHA_TLS_CERT: cannot read .*missing\.crt \(ENOENT\)/,
    );
    expect(() => readTlsFiles({ PUCHA_TLS_CERT: files.cert, PUCHA_TLS_KEY: files.notPem })).toThrow(
      /PUCHA_TLS_KEY: .*not\.pem is not a PEM file/,
    );
    expect(() => readTlsFiles({ PUCHA_TLS_CERT: files.key, PUCHA_TLS_KEY: files.key })).toThrow(/not a usable certificate and private key/);
    expect(() => readTlsFiles({ PUCHA_TLS_CERT: files.cert, PUCHA_TLS_KEY: files.otherKey })).toThrow(
      /not a usable certificate and private key/,
    );
  });

  it.runIf(existsSync(OPENSSL))('[TLS4] a matching pair: the PEM contents', () => {
    const tls = readTlsFiles({ PUCHA_TLS_CERT: files.cert, PUCHA_TLS_KEY: files.key });
    expect(tls?.cert.toString()).toContain('-----BEGIN CERTIFICATE-----');
    expect(tls?.key.toString()).toContain('PRIVATE KEY-----');
  });
});

describe('parseTrustProxy (PUCHA_TRUST_PROXY)', () => {
  it('[TP1] off, on, and lists of addresses / CIDRs / names', () => {
    for (const v of [undefined, '', '  ', '0', 'false', 'FALSE']) expect(parseTrustProxy(v)).toBe(false);
    for (const v of ['1', 'true', 'True']) expect(parseTrustProxy(v)).toBe(true);
    expect(parseTrustProxy('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(parseTrustProxy(' 10.0.0.0/8, fd00::/8 ,::1,loopback,192.168.1.1/32')).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
      'loopback',
      '192.168.1.1/32',
    ]);
  });

  it('[TP2] anything else is an Error quoting the bad entry', () => {
    for (const [v, bad] of [
      ['proxy.example.com', 'proxy.example.com'],
      ['10.0.0.1,', ''],
      ['10.0.0.0/33', '10.0.0.0/33'],
      ['fd00::/129', 'fd00::/129'],
      ['10.0.0.0/', '10.0.0.0/'],
      ['10.0.0/8', '10.0.0/8'],
      ['2', '2'],
      ['10.0.0.1;rm', '10.0.0.1;rm'],
    ]) {
      expect(() => parseTrustProxy(v)).toThrow(`PUCHA_TRUST_PROXY: ${JSON.stringify(bad)} is not an IP address`);
    }
  });
});

describe.runIf(existsSync(OPENSSL))('HTTPS served by the app', () => {
  it('[TLS5] answers /api/v1/healthz over TLS with HSTS, verified against the test certificate', async () => {
    const tls = readTlsFiles({ PUCHA_TLS_CERT: files.cert, PUCHA_TLS_KEY: files.key })!;
    const { port } = await serve({ https: tls });
    const r = await getHttps(port, '/api/v1/healthz', tls.cert);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, store: 'sqlite' });
    expect(r.headers['strict-transport-security']).toBe(HSTS);
    expect(r.headers['cache-control']).toBe('no-store');
    const peer = await getHttps(port, '/__peer', tls.cert);
    expect(JSON.parse(peer.body)).toEqual({ ip: '127.0.0.1', protocol: 'https' });
    // A client that does not trust the certificate is refused by its own TLS check.
    await expect(getHttps(port, '/api/v1/healthz', Buffer.from(''))).rejects.toThrow();
  });
});

describe('plain HTTP and proxy trust', () => {
  it('[TLS6] plain HTTP: no HSTS, and X-Forwarded-* from an untrusted peer is ignored', async () => {
    const { port } = await serve();
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('strict-transport-security')).toBeNull();
    const peer = await fetch(`http://127.0.0.1:${port}/__peer`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(await peer.json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });

  it('[TLS7] behind a trusted proxy (127.0.0.1): X-Forwarded-Proto https gives HSTS, X-Forwarded-For is req.ip', async () => {
    const { port } = await serve({ trustProxy: parseTrustProxy('127.0.0.1') });
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/healthz`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(r.headers.get('strict-transport-security')).toBe(HSTS);
    const peer = await fetch(`http://127.0.0.1:${port}/__peer`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(await peer.json()).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    // The proxy's own plain-HTTP hop (no X-Forwarded-Proto) gets no HSTS.
    const direct = await fetch(`http://127.0.0.1:${port}/__peer`);
    expect(direct.headers.get('strict-transport-security')).toBeNull();
    expect(await direct.json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });

  it('[TLS8] a proxy list that does not include the peer is not trusted', async () => {
    const { port } = await serve({ trustProxy: parseTrustProxy('10.0.0.0/8,fd00::/8') });
    const peer = await fetch(`http://127.0.0.1:${port}/__peer`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    });
    expect(peer.headers.get('strict-transport-security')).toBeNull();
    expect(await peer.json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });
});

describe('server timeouts', () => {
  it('[TO1] defaults on the Node server, and overrides through AppOptions.timeouts', async () => {
    const { app } = await serve();
    expect(DEFAULT_TIMEOUTS.requestTimeout).toBeGreaterThanOrEqual(60_000); // a 2 MiB push over a slow phone link
    expect(app.server.requestTimeout).toBe(DEFAULT_TIMEOUTS.requestTimeout);
    expect(app.server.headersTimeout).toBe(DEFAULT_TIMEOUTS.headersTimeout);
    expect(app.server.keepAliveTimeout).toBe(DEFAULT_TIMEOUTS.keepAliveTimeout);
    expect(app.server.timeout).toBe(DEFAULT_TIMEOUTS.connectionTimeout);
    const custom = await buildApp({
      store,
      timeouts: { requestTimeout: 30_000, headersTimeout: 5_000, keepAliveTimeout: 10_000, connectionTimeout: 40_000 },
    });
    open.push(custom);
    expect([custom.server.requestTimeout, custom.server.headersTimeout, custom.server.keepAliveTimeout, custom.server.timeout]).toEqual([
      30_000, 5_000, 10_000, 40_000,
    ]);
    await expect(buildApp({ store, timeouts: { requestTimeout: 10_000, headersTimeout: 20_000 } })).rejects.toThrow(
      /headersTimeout must not exceed/,
    );
    await expect(buildApp({ store, timeouts: { requestTimeout: -1 } })).rejects.toThrow(/requestTimeout must be a whole number/);
  });

  it.runIf(existsSync(OPENSSL))('[TO2] the HTTPS server gets the same timeouts', async () => {
    const tls = readTlsFiles({ PUCHA_TLS_CERT: files.cert, PUCHA_TLS_KEY: files.key })!;
    const { app } = await serve({ https: tls, timeouts: { headersTimeout: 7_000 } });
    expect(app.server.headersTimeout).toBe(7_000);
    expect(app.server.requestTimeout).toBe(DEFAULT_TIMEOUTS.requestTimeout);
  });

  it('[TO4] a close ends a connection whose request was still being answered, instead of keeping it alive to keepAliveTimeout', async () => {
    const app = await buildApp({ store });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    const socket = connect(addr.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // The request is in progress (body half sent) when the close starts, so the close cannot end
    // it as idle; it is answered afterwards, on a keep-alive connection.
    socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{');
    await new Promise((r) => setTimeout(r, 100));
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false); // still waiting for that request
    socket.write('}');
    const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5_000))]);
    if (outcome !== 'closed') socket.destroy(); // so the close can end
    await closing;
    await ended;
    expect(outcome).toBe('closed');
    expect(data).toMatch(/^HTTP\/1\.1 400/);
    expect(data).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('[TO3] a client that never finishes its headers is answered 408 and dropped after headersTimeout', async () => {
    const { port } = await serve({ timeouts: { headersTimeout: 400, requestTimeout: 2_000 } });
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/v1/healthz HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (data += d));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept the half-sent request open'));
      }, 5_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
