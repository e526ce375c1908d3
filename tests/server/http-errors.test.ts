import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { D1, householdMutation, registration } from './fixtures.ts';
import { harness, expectErrorShape, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

describe('error shape and limits', () => {
  it('[ER1] healthz needs no token and names the store', async () => {
    const r = await h.req({ method: 'GET', url: '/api/v1/healthz' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true, store: 'sqlite' });
  });

  it('[ER2] unknown routes are 404 not_found', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nope'],
      ['POST', '/api/v1/sync/pull'],
      ['GET', '/'],
      ['DELETE', '/api/v1/queries/x'],
    ] as const) {
      const r = await h.req({ method, url });
      expect(r.status).toBe(404);
      expectErrorShape(r.json(), 'not_found');
    }
  });

  it('[ER3] malformed JSON and an empty JSON body are 400 bad_request', async () => {
    for (const payload of ['{"username": ', '', '[1,2', '{"__proto__": {"x": 1}}']) {
      const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload });
      expect(r.status).toBe(400);
      expectErrorShape(r.json(), 'bad_request');
    }
  });

  it('[ER4] a wrong content type is 415 bad_request', async () => {
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': ct }, payload: 'username=a' });
      expect(r.status).toBe(415);
      expectErrorShape(r.json(), 'bad_request');
    }
  });

  it('[ER5] a body over 5 MiB is 413 payload_too_large', async () => {
    const r = await h.req({ method: 'POST', url: '/api/v1/queries', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ message: 'x'.repeat(5 * 1024 * 1024 + 10) }) });
    expect(r.status).toBe(413);
    expectErrorShape(r.json(), 'payload_too_large');
  });

  it('[ER6] an exception inside a route is a bare 500 internal without internals', async () => {
    const s = await h.login('admin');
    await h.store.close(); // every later query throws from inside the driver
    const r = await h.req({ method: 'GET', url: '/api/v1/queries', headers: s.auth });
    expect(r.status).toBe(500);
    expectErrorShape(r.json(), 'internal');
    expect(r.body).not.toMatch(/database|connection|stack/i);
  });

  it('[ER8] a push from an outdated protocol is 400 client_too_old', async () => {
    const old = await harness({ minProtocolVersion: 2 });
    try {
      const s = await old.login('enum');
      for (const protocolVersion of [1, undefined]) {
        const r = await old.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [], ...(protocolVersion ? { protocolVersion } : {}) } });
        expect(r.status).toBe(400);
        expectErrorShape(r.json(), 'client_too_old');
      }
      const ok = await old.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [], protocolVersion: 2 } });
      expect(ok.status).toBe(200);
    } finally {
      await old.close();
    }
  });

  it('[ER9] over the push limit per device: 429 rate_limited with Retry-After, nothing stored (S4)', async () => {
    const limited = await harness({ pushLimit: { max: 3, windowMs: 60_000 } });
    try {
      const a = await limited.login('enum');
      const b = await limited.login('enum');
      const push = (s: typeof a) => limited.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [householdMutation(registration(D1))], device: { pending: 1, appVersion: '0.1.0' } } });
      for (let i = 0; i < 3; i++) expect((await push(a)).status).toBe(200);
      const before = await limited.store.tableCounts();
      const deviceBefore = await limited.store.getDevice(a.deviceId);
      limited.clock.now = new Date(limited.clock.now.getTime() + 20_000);
      const r = await push(a);
      expect(r.status).toBe(429);
      expectErrorShape(r.json(), 'rate_limited');
      expect(r.headers['retry-after']).toBe('40');
      expect(await limited.store.tableCounts()).toEqual(before);
      expect(await limited.store.getDevice(a.deviceId)).toEqual(deviceBefore);
      // the limit is per device: another phone of the same user still pushes
      expect((await push(b)).status).toBe(200);
      // and the window ends
      limited.clock.now = new Date(limited.clock.now.getTime() + 40_000);
      expect((await push(a)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('[ER7] wrong-typed query strings are 400 validation_failed with details', async () => {
    const s = await h.login('sup');
    const r = await h.req({ method: 'GET', url: '/api/v1/queries?status=maybe', headers: s.auth });
    expect(r.status).toBe(400);
    expectErrorShape(r.json(), 'validation_failed');
    const r2 = await h.req({ method: 'GET', url: '/api/v1/export?format=xml', headers: s.auth });
    expect(r2.status).toBe(400);
  });
});
