import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceKeyResponseSchema, ErrorBodySchema, LoginResponseSchema } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { D1, D2, D3, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, PASSWORD, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => h.close());

const login = (username: string, password: string, ip = '10.0.0.1') =>
  h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, deviceId: randomUUID() }, remoteAddress: ip });

describe('auth', () => {
  it('[AU1] login returns a token valid 30 days and the user with its districts', async () => {
    h = await harness();
    const r = await login('enum', PASSWORD);
    expect(r.status).toBe(200);
    const body = LoginResponseSchema.parse(r.json());
    expect(body.user).toEqual({ id: 'u-enum', username: 'enum', name: '普查员甲', role: 'enumerator', districts: [D1, D2] });
    expect(body.expiresAt).toBe('2020-12-03T08:00:00.000Z');
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only the hash is stored
    expect(await h.store.findSession(body.token)).toBeUndefined();
  });

  it('[AU2] unknown user and wrong password get the identical 401', async () => {
    h = await harness();
    const a = await login('enum', 'wrong');
    const b = await login('nobody', 'wrong');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toBe(b.body);
    expectErrorShape(a.json(), 'unauthorized');
  });

  it('[AU3] repeated failures per username earn a growing wait, with Retry-After (limits.test.ts: the whole schedule)', async () => {
    h = await harness({ loginLimits: { perUser: { free: 3, firstDelayMs: 60_000, maxDelayMs: 60_000, quietMs: 600_000 }, perIp: { free: 100, firstDelayMs: 1000, maxDelayMs: 60_000, quietMs: 600_000 } } });
    // 3 free failures, the 4th earns the first wait
    for (let i = 0; i < 4; i++) expect((await login('enum', 'wrong', `10.0.0.${i}`)).status).toBe(401);
    const limited = await login('enum', PASSWORD, '10.0.0.9');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expectErrorShape(limited.json(), 'rate_limited');
    expect((await login('sup', PASSWORD, '10.0.0.9')).status).toBe(200); // other users unaffected
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    expect((await login('enum', PASSWORD)).status).toBe(200);
  });

  it('[AU4] repeated failures are rate limited per IP address across usernames', async () => {
    h = await harness({ loginLimits: { perUser: { free: 100, firstDelayMs: 1000, maxDelayMs: 60_000, quietMs: 600_000 }, perIp: { free: 4, firstDelayMs: 1000, maxDelayMs: 60_000, quietMs: 600_000 } } });
    for (let i = 0; i < 5; i++) expect((await login(`user${i}`, 'x', '10.9.9.9')).status).toBe(401);
    const r = await login('enum', PASSWORD, '10.9.9.9');
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('enum', PASSWORD, '10.9.9.10')).status).toBe(200);
  });

  it('[AU5] missing, malformed, unknown, expired and revoked tokens get 401', async () => {
    h = await harness();
    const url = '/api/v1/queries';
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'Bearer short', `Bearer ${'x'.repeat(43)}`]) {
      const r = await h.req({ method: 'GET', url, headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expectErrorShape(r.json(), 'unauthorized');
    }
    const s = await h.login('enum');
    expect((await h.req({ method: 'GET', url, headers: s.auth })).status).toBe(200);
    h.clock.now = new Date(h.clock.now.getTime() + 30 * 86_400_000 + 1);
    expect((await h.req({ method: 'GET', url, headers: s.auth })).status).toBe(401);
  });

  it('[AU6] logout revokes the token, other sessions stay valid', async () => {
    h = await harness();
    const a = await h.login('enum');
    const b = await h.login('enum');
    const out = await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: a.auth });
    expect(out.status).toBe(200);
    expect((await h.req({ method: 'GET', url: '/api/v1/queries', headers: a.auth })).status).toBe(401);
    expect((await h.req({ method: 'POST', url: '/api/v1/auth/logout', headers: a.auth })).status).toBe(401);
    expect((await h.req({ method: 'GET', url: '/api/v1/queries', headers: b.auth })).status).toBe(200);
  });

  it('[AU7] login bodies are validated', async () => {
    h = await harness();
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum', password: PASSWORD } });
    expect(r.status).toBe(400);
    const body = ErrorBodySchema.parse(r.json());
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details?.[0]?.path).toEqual(['deviceId']);
  });

  it('[AU8] login lists the same user\'s other devices with what each still had queued (R11), never other users\' devices', async () => {
    h = await harness();
    const loginAs = async (username: string, deviceId: string) => {
      const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, deviceId } });
      expect(r.status).toBe(200);
      return LoginResponseSchema.parse(r.json());
    };
    const push = (token: string, deviceId: string, mutations: unknown[], pending: number) =>
      h.req({ method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { deviceId, mutations, device: { pending, appVersion: '0.1.0' } } });

    // First phone: no other device yet.
    const old = await loginAs('enum', 'phone-old');
    expect(old.otherDevices).toEqual([]);
    // It pushes 2 of its 5 queued saves (deviceSeq 1 and 2), at 08:10; 3 stay on the phone.
    h.clock.now = new Date('2020-11-03T08:10:00.000Z');
    const sent = [1, 2].map((n) => ({ ...householdMutation(registration(D1)), deviceSeq: n }));
    expect((await push(old.token, 'phone-old', sent, 5)).status).toBe(200);
    // Another enumerator's phone, with items queued too.
    const other = await loginAs('enum2', 'phone-enum2');
    expect((await push(other.token, 'phone-enum2', [{ ...householdMutation(registration(D3)), deviceSeq: 9 }], 4)).status).toBe(200);

    // The first phone is wiped and the enumerator signs in on a new device id the next day.
    h.clock.now = new Date('2020-11-04T09:00:00.000Z');
    const fresh = await loginAs('enum', 'phone-new');
    expect(fresh.otherDevices).toEqual([{ deviceId: 'phone-old', lastSeenAt: '2020-11-03T08:10:00.000Z', lastPushAt: '2020-11-03T08:10:00.000Z', deviceSeq: 2, pendingOnDevice: 3 }]);
    // Signing in again on the old id lists the new one (it never pushed: no lastPushAt, no pending).
    const again = await loginAs('enum', 'phone-old');
    expect(again.otherDevices).toEqual([{ deviceId: 'phone-new', lastSeenAt: '2020-11-04T09:00:00.000Z', deviceSeq: 0 }]);
    // enum2 sees only its own devices: none besides this one.
    expect((await loginAs('enum2', 'phone-enum2')).otherDevices).toEqual([]);
    expect((await loginAs('enum2', 'phone-enum2-b')).otherDevices?.map((d) => d.deviceId)).toEqual(['phone-enum2']);
  });
  it('[AU9] the device key: the same for one user on one device (every login, the token route, a restarted server), different per device and per user, never for a bad token', async () => {
    h = await harness();
    const device = randomUUID();
    const as = async (username: string, deviceId: string) => {
      const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, deviceId } });
      expect(r.status).toBe(200);
      return LoginResponseSchema.parse(r.json());
    };
    const first = await as('enum', device);
    expect(first.deviceKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await as('enum', device);
    expect(again.deviceKey).toBe(first.deviceKey);
    expect((await as('enum', randomUUID())).deviceKey).not.toBe(first.deviceKey);
    expect((await as('sup', device)).deviceKey).not.toBe(first.deviceKey);
    const viaToken = await h.req({ method: 'GET', url: '/api/v1/auth/device-key', headers: { authorization: `Bearer ${first.token}` } });
    expect(viaToken.status).toBe(200);
    expect(DeviceKeyResponseSchema.parse(viaToken.json())).toEqual({ deviceKey: first.deviceKey });
    const bad = await h.req({ method: 'GET', url: '/api/v1/auth/device-key', headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expectErrorShape(bad.json(), 'unauthorized');
    expect(bad.body).not.toContain(first.deviceKey ?? 'x');
    // Derived from a secret the store keeps: another server on the same store gives the same key.
    const other = await buildApp({ store: h.store, now: () => h.clock.now });
    try {
      const r = await other.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum', password: PASSWORD, deviceId: device } });
      expect(LoginResponseSchema.parse(r.json()).deviceKey).toBe(first.deviceKey);
    } finally {
      await other.close();
    }
  });
});
