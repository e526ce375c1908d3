import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
let web: string;
beforeAll(async () => {
  web = mkdtempSync(join(tmpdir(), 'pucha-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Pucha</title>');
  writeFileSync(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(web, 'app.js'), 'console.log(1)');
  h = await harness({ staticDir: web });
});
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
