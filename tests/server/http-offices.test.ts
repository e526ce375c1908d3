// Offices over HTTP: progress by level and scope, and user management within the prefix only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth.ts';
import { D1, D3, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
const tokens: Record<string, Record<string, string>> = {};
const FOREIGN = '140101001001001';

beforeAll(async () => {
  h = await harness();
  const passwordHash = await hashPassword('office-password-1', { N: 1024, r: 8, p: 1 });
  for (const [username, scope] of [
    ['area', D1.slice(0, 12)],
    ['county', D1.slice(0, 6)],
    ['shanxi', '14'],
  ] as const) {
    await h.store.createUser({ id: `u-${username}`, username, name: username, role: 'office', scope, passwordHash });
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'office-password-1', deviceId: randomUUID() } });
    tokens[username] = { authorization: `Bearer ${(r.json() as { token: string }).token}` };
  }
  await h.store.createUser({ id: 'u-farsup', username: 'farsup', name: '外省指导员', role: 'supervisor', passwordHash });
  await h.store.createUser({ id: 'u-far', username: 'far', name: '外省', role: 'enumerator', supervisorId: 'u-farsup', passwordHash });
  await h.store.putDistrict({ code: FOREIGN, name: '外省小区', enumerators: ['u-far'] });
  const e = await h.login('enum');
  // the phone still holds 2 after this push: one device with a queue in D1's areas
  await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: e.auth, payload: { deviceId: e.deviceId, mutations: [householdMutation(registration(D1, {}, 3))], device: { pending: 3, appVersion: '1' } } });
  tokens.enum = e.auth;
});
afterAll(async () => h.close());

describe('offices', () => {
  it('[OF1] progress: own node and below 200 with counts, above or beside 403, empty 404, malformed 400', async () => {
    const get = (who: string, area?: string) => h.req({ method: 'GET', url: `/api/v1/progress${area !== undefined ? `?area=${area}` : ''}`, headers: tokens[who] ?? {} });
    const own = await get('county');
    expect(own.status).toBe(200);
    expect(own.json()).toMatchObject({ area: D1.slice(0, 6), level: 'county', totals: { persons: 3, registrations: { complete: 1 } } });
    expect((own.json() as { children: { area: string; level: string }[] }).children).toEqual([expect.objectContaining({ area: D1.slice(0, 9), level: 'township' })]);
    const district = await get('area', D1);
    expect(district.json()).toMatchObject({ level: 'district', enumerators: [expect.objectContaining({ username: 'enum' })] });
    expect((await get('area', D1.slice(0, 9))).status).toBe(403);
    expect((await get('area', FOREIGN)).status).toBe(403);
    expect((await get('county', `${D1.slice(0, 9)}999`)).status).toBe(404);
    expect((await get('county', '12345')).status).toBe(400);
    expect((await get('shanxi')).json()).toMatchObject({ area: '14', level: 'province', totals: { districts: 1 } });
    // phones with a queue, counted from the devices (wide scopes) or from the assignments (narrow)
    const queued = (r: { json: () => unknown }) => (r.json() as { totals: { devicesWithQueue: number }; children: { totals: { devicesWithQueue: number } }[] });
    expect(queued(own).totals.devicesWithQueue).toBe(1);
    expect(queued(own).children.map((c) => c.totals.devicesWithQueue)).toEqual([1]);
    expect(queued(await get('area')).totals.devicesWithQueue).toBe(1);
    expect(queued(await get('shanxi')).totals.devicesWithQueue).toBe(0);
    const e = await get('enum');
    expect(e.status).toBe(403);
    expectErrorShape(e.json(), 'forbidden');
  });

  it('[OF2] user management inside the prefix only; never by an enumerator', async () => {
    const post = (who: string, url: string, payload: Record<string, unknown> = {}) => h.req({ method: 'POST', url: `/api/v1${url}`, headers: tokens[who] ?? {}, payload });
    expect((await post('shanxi', '/users/enum/disable')).status).toBe(403);
    expect((await post('enum', '/users/enum2/disable')).status).toBe(403);
    expect((await post('county', '/users/far/disable')).status).toBe(403);
    expect((await post('county', '/users/admin/disable')).status).toBe(403);
    expect((await post('county', '/users/area/disable')).status).toBe(200); // an office below it
    expect((await post('area', '/users/county/disable')).status).toBe(401); // its token was revoked
    expect((await post('county', '/users/area/enable')).status).toBe(200);
    const reset = await post('county', '/users/enum2/reset-password');
    expect(reset.status).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    expect((reset.json() as { activationCode: string }).activationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect((await post('county', `/districts/${FOREIGN}/reassign`, { to: 'enum' })).status).toBe(403);
    expect((await post('shanxi', `/districts/${FOREIGN}/reassign`, { to: 'enum' })).status).toBe(403); // enum works outside 14
    expect((await post('county', `/districts/${D3}/reassign`, { to: 'enum' })).status).toBe(200);
    expect(await h.store.districtsOf((await h.store.findUserByUsername('enum')) ?? (undefined as never))).toContain(D3);
    const imp = await post('county', '/users/import', { csv: `username,name,role,districts,supervisor,scope\nnew1,新人,enumerator,${D1.slice(0, 12)}009,,\n` });
    expect(imp.status).toBe(200);
    expect(imp.json()).toMatchObject({ created: 1, activation: [expect.objectContaining({ username: 'new1' })] });
    const outside = await post('county', '/users/import', { csv: `username,name,role,districts,supervisor,scope\nnew2,新人,enumerator,${FOREIGN},,\n` });
    expect(outside.status).toBe(403);
    expect(await h.store.findUserByUsername('new2')).toBeUndefined();
    // a supervisor of another office's districts may not be given this office's enumerator
    const foreignSup = await post('county', '/users/import', { csv: `username,name,role,districts,supervisor,scope\nnew3,新人,enumerator,${D1.slice(0, 12)}008,farsup,\n` });
    expect(foreignSup.status).toBe(403);
    expect(await h.store.findUserByUsername('new3')).toBeUndefined();
    // its own supervisor is fine
    expect((await post('county', '/users/import', { csv: `username,name,role,districts,supervisor,scope\nnew4,新人,enumerator,${D1.slice(0, 12)}007,sup,\n` })).status).toBe(200);
  });
});
