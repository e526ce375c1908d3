import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { D1 } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
let web: string;
// Text that compresses well and is over the 1 KB threshold, as the build's files are.
const INDEX = `<!doctype html><title>Pucha</title>${'<meta name="x" content="padding for compression">'.repeat(40)}`;
const SW = `self.addEventListener("fetch", () => {});${'/* worker padding */'.repeat(80)}`;
const SELF = `<!doctype html><title>自主填报</title>${'<meta name="y" content="padding for the respondent page">'.repeat(40)}`;
const ASSET = `console.log(${JSON.stringify('hashed asset '.repeat(200))});`;
/** The build's layout (vite.config.ts, precompress): each text file with its .br and .gz beside it. */
function writeWithSiblings(path: string, body: string): void {
  writeFileSync(path, body);
  writeFileSync(`${path}.br`, brotliCompressSync(body));
  writeFileSync(`${path}.gz`, gzipSync(body));
}
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'pucha-web-'));
  writeFileSync(join(web, 'app.js'), 'console.log(1)');
  mkdirSync(join(web, 'assets'));
  writeWithSiblings(join(web, 'index.html'), INDEX);
  writeWithSiblings(join(web, 'sw.js'), SW);
  writeWithSiblings(join(web, 'self.html'), SELF);
  writeWithSiblings(join(web, 'assets', 'index-Bx1y2z3W.js'), ASSET);
  h = await harness({ staticDir: web, metricsToken: 'metrics-token-for-tests' });
});

/** The raw bytes of an answer (inject does not decode), decoded by its Content-Encoding. */
async function fetchDecoded(opts: InjectOptions): Promise<{ status: number; encoding: string | undefined; vary: string; cacheControl: unknown; raw: Buffer; text: string }> {
  const r = await h.app.inject(opts);
  const encoding = r.headers['content-encoding'];
  const raw = r.rawPayload;
  const decoded = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
  return { status: r.statusCode, encoding, vary: String(r.headers.vary ?? '').toLowerCase(), cacheControl: r.headers['cache-control'], raw, text: decoded.toString('utf8') };
}
afterAll(async () => {
  await h.close();
  rmSync(web, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('[WB1] index.html and sw.js are served with Cache-Control: no-cache, assets without', async () => {
    const index = await h.req({ method: 'GET', url: '/' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Pucha</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    const sw = await h.req({ method: 'GET', url: '/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    const asset = await h.req({ method: 'GET', url: '/app.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).not.toBe('no-cache');
  });

  it('[WB4] a chunk of another build is a 404, never index.html (a lazy import must fail, not parse HTML)', async () => {
    for (const url of ['/assets/HouseholdPage-0ld0ld.js', '/assets/index-0ld0ld.css', '/missing.js', '/icons/none.png']) {
      const r = await h.req({ method: 'GET', url });
      expect([url, r.status]).toEqual([url, 404]);
      expect(r.body).not.toContain('<title>Pucha</title>');
      expectErrorShape(r.json(), 'not_found');
    }
    // app routes without a file extension still get the shell
    expect((await h.req({ method: 'GET', url: '/h/L-130102001003001-001' })).body).toContain('<title>Pucha</title>');
  });

  it('[WB2] SPA fallback for non-API GETs, JSON 404 for the API', async () => {
    const deep = await h.req({ method: 'GET', url: '/districts/130102001003001/households' });
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('<title>Pucha</title>');
    const api = await h.req({ method: 'GET', url: '/api/v1/nothing' });
    expect(api.status).toBe(404);
    expectErrorShape(api.json(), 'not_found');
    const post = await h.req({ method: 'POST', url: '/somewhere', payload: {} });
    expect(post.status).toBe(404);
  });
});

describe('compressed transfer (issue 16)', () => {
  it('[WB5] a hashed asset goes precompressed as br or gzip, as the client accepts, else plain; always Vary: Accept-Encoding and immutable', async () => {
    const url = '/assets/index-Bx1y2z3W.js';
    const cases: [string | undefined, string | undefined][] = [
      ['br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      [undefined, undefined],
      ['identity', undefined],
    ];
    for (const [accept, expected] of cases) {
      const r = await fetchDecoded({ method: 'GET', url, headers: accept === undefined ? {} : { 'accept-encoding': accept } });
      expect([accept, r.status, r.encoding]).toEqual([accept, 200, expected]);
      expect(r.text).toBe(ASSET);
      if (expected) expect(r.raw.length).toBeLessThan(Buffer.byteLength(ASSET) / 2);
      expect(r.vary).toContain('accept-encoding');
      expect(r.cacheControl).toBe('public, max-age=31536000, immutable');
    }
    const js = await h.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript/);
  });

  it('[WB6] index.html (also as the SPA fallback) and sw.js go compressed and stay no-cache', async () => {
    for (const [url, body] of [['/', INDEX], ['/index.html', INDEX], ['/districts/130102001003001', INDEX], ['/sw.js', SW]] as const) {
      for (const accept of ['br', 'gzip']) {
        const r = await fetchDecoded({ method: 'GET', url, headers: { 'accept-encoding': accept } });
        expect([url, accept, r.status, r.encoding, r.cacheControl]).toEqual([url, accept, 200, accept, 'no-cache']);
        expect(r.text).toBe(body);
      }
      const plain = await fetchDecoded({ method: 'GET', url });
      expect([url, plain.encoding, plain.cacheControl, plain.text]).toEqual([url, undefined, 'no-cache', body]);
    }
    const html = await h.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
  });

  it('[WB7] the .br and .gz files are not files of the app: asked for by name they are a JSON 404', async () => {
    for (const url of ['/assets/index-Bx1y2z3W.js.br', '/assets/index-Bx1y2z3W.js.gz', '/index.html.br', '/sw.js.gz']) {
      const r = await h.req({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip' } });
      expect([url, r.status]).toEqual([url, 404]);
      expectErrorShape(r.json(), 'not_found');
    }
  });

  it('[WB8] a JSON API answer is compressed when asked (br, gzip), plain without; a small one goes as it is', async () => {
    const s = await h.login('enum');
    const url = '/api/v1/sync/pull?limit=500';
    const plain = await fetchDecoded({ method: 'GET', url, headers: s.auth });
    expect(plain.status).toBe(200);
    expect(plain.encoding).toBeUndefined();
    expect(plain.raw.length).toBeGreaterThan(1024); // over the threshold, or this case tests nothing
    for (const accept of ['br', 'gzip']) {
      const r = await fetchDecoded({ method: 'GET', url, headers: { ...s.auth, 'accept-encoding': accept } });
      expect([accept, r.status, r.encoding]).toEqual([accept, 200, accept]);
      expect(r.vary).toContain('accept-encoding');
      expect(r.cacheControl).toBe('no-store');
      expect(r.raw.length).toBeLessThan(plain.raw.length);
      expect(JSON.parse(r.text)).toEqual(JSON.parse(plain.text));
    }
    // A health answer is a few bytes: compressing it would cost more than it saves.
    const small = await h.app.inject({ method: 'GET', url: '/api/v1/healthz', headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.statusCode).toBe(200);
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('[WB9] a streamed CSV export and /metrics still arrive whole when compressed', async () => {
    const s = await h.login('admin');
    const url = `/api/v1/export?format=csv&district=${D1}`;
    const plain = await fetchDecoded({ method: 'GET', url, headers: s.auth });
    expect(plain.status).toBe(200);
    const gz = await fetchDecoded({ method: 'GET', url, headers: { ...s.auth, 'accept-encoding': 'gzip' } });
    expect([gz.status, gz.encoding]).toEqual([200, 'gzip']);
    expect(gz.text).toBe(plain.text);
    expect(gz.text.split('\n')[0]).toContain(',');
    const auth = { authorization: 'Bearer metrics-token-for-tests' };
    const m = await fetchDecoded({ method: 'GET', url: '/metrics', headers: { ...auth, 'accept-encoding': 'br' } });
    expect(m.status).toBe(200);
    expect(m.text).toContain('pucha_http_requests_total');
    expect((await fetchDecoded({ method: 'GET', url: '/metrics', headers: auth })).text).toContain('pucha_http_requests_total');
  });
});

describe('the build writes the compressed files (issue 16)', () => {
  const ROOT = new URL('../../', import.meta.url).pathname;
  let out: string;
  beforeAll(() => {
    // The real production build (vite.config.ts), into a directory of its own.
    out = mkdtempSync(join(tmpdir(), 'pucha-build-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', PUCHA_BUILD_VARIANT: '' },
    });
    if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
  }, 240_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

  it('[WB10] every JS, CSS and HTML file and sw.js has a .br and a .gz that decompress to it (unless it would not be smaller); the worker precaches none of them', () => {
    const files = walk(out).map((f) => relative(out, f));
    const text = files.filter((f) => /\.(js|css|html)$/.test(f));
    expect(text).toEqual(expect.arrayContaining(['index.html', 'sw.js']));
    expect(text.filter((f) => f.startsWith('assets/')).length).toBeGreaterThan(3);
    let both = 0;
    for (const f of text) {
      const body = readFileSync(join(out, f));
      // The build writes a sibling only when it is smaller than the file (a chunk of a few bytes
      // gains nothing); the same encoder at the same level decides here what it must have written.
      const want = [brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length < body.length, gzipSync(body, { level: 9 }).length < body.length];
      expect([f, files.includes(`${f}.br`), files.includes(`${f}.gz`)]).toEqual([f, ...want]);
      if (want[0]) expect(brotliDecompressSync(readFileSync(join(out, `${f}.br`))).equals(body)).toBe(true);
      if (want[1]) expect(gunzipSync(readFileSync(join(out, `${f}.gz`))).equals(body)).toBe(true);
      if (want[0] && want[1]) both++;
    }
    // Every file of any size is compressed: only tiny ones may go without.
    expect(both).toBeGreaterThan(text.length - 3);
    // The worker's precache manifest (injectManifest) names the app's files, never a sibling.
    const sw = readFileSync(join(out, 'sw.js'), 'utf8');
    const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(expect.arrayContaining(['index.html']));
    expect(urls.some((u) => u?.startsWith('assets/') && u.endsWith('.js'))).toBe(true);
    expect(urls.filter((u) => /\.(br|gz)$/.test(u ?? ''))).toEqual([]);
    expect(sw).not.toMatch(/\.(js|css|html)\.(br|gz)/);
  });

  it('[WB11] served from the build, the entry chunk arrives as brotli and decodes to the built file', async () => {
    const b = await harness({ staticDir: out });
    try {
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
      expect(entry).toMatch(/^\/assets\/index-.+\.js$/);
      const r = await b.app.inject({ method: 'GET', url: entry ?? '', headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect([r.statusCode, r.headers['content-encoding'], r.headers['cache-control']]).toEqual([200, 'br', 'public, max-age=31536000, immutable']);
      expect(brotliDecompressSync(r.rawPayload).equals(readFileSync(join(out, entry ?? '')))).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('[WB12] /self is the respondent page, not the field app shell, revalidated and with the same security headers', async () => {
    for (const url of ['/self', '/self/', '/self?x=1']) {
      const r = await h.req({ method: 'GET', url });
      expect([url, r.status, r.body]).toEqual([url, 200, SELF]);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    }
    const direct = await fetchDecoded({ method: 'GET', url: '/self.html', headers: { 'accept-encoding': 'br' } });
    expect([direct.status, direct.encoding, direct.cacheControl, direct.text]).toEqual([200, 'br', 'no-cache', SELF]);
    // other paths still get the shell
    expect((await h.req({ method: 'GET', url: '/selfish' })).body).toBe(INDEX);
  });
});
