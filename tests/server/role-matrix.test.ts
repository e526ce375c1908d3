// Every role against its own and a foreign district, for every endpoint (api.md scope rules):
// enumerators read and write their districts; supervisors read their enumerators' districts
// and raise/resolve review queries there; admins read everything (and may raise queries).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type Registration } from '../../src/domain/index.ts';
import { D1, D2, D3, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness, type UserKey } from './harness.ts';

let h: Harness;
const sessions = {} as Record<UserKey, { auth: Record<string, string>; deviceId: string }>;
let reg1: Registration;
let reg3: Registration;
const ROLES: UserKey[] = ['enum', 'enum2', 'sup', 'sup2', 'admin'];
/** Which of D1 (enum / sup) and D3 (enum2 / sup2) each user can read. */
const READS: Record<UserKey, { D1: boolean; D3: boolean }> = {
  enum: { D1: true, D3: false },
  enum2: { D1: false, D3: true },
  sup: { D1: true, D3: false },
  sup2: { D1: false, D3: true },
  admin: { D1: true, D3: true },
};
const isSupervising = (u: UserKey) => u === 'sup' || u === 'sup2' || u === 'admin';
const isEnumerator = (u: UserKey) => u === 'enum' || u === 'enum2';

beforeAll(async () => {
  h = await harness();
  for (const u of ROLES) sessions[u] = await h.login(u);
  reg1 = registration(D1);
  reg3 = registration(D3);
  const p1 = PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: sessions.enum.auth, payload: { deviceId: sessions.enum.deviceId, mutations: [householdMutation(reg1)] } })).json());
  const p3 = PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: sessions.enum2.auth, payload: { deviceId: sessions.enum2.deviceId, mutations: [householdMutation(reg3)] } })).json());
  expect([p1.results[0]?.status, p3.results[0]?.status]).toEqual(['applied', 'applied']);
});
afterAll(async () => h.close());

const regOf = (d: 'D1' | 'D3') => (d === 'D1' ? reg1 : reg3);
const codeOf = (d: 'D1' | 'D3') => (d === 'D1' ? D1 : D3);

describe.each(ROLES)('role matrix: %s', (u) => {
  it.each(['D1', 'D3'] as const)('[RM1] push a household into %s', async (d) => {
    const s = sessions[u];
    const m = householdMutation(registration(codeOf(d)));
    const r = PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [m] } })).json());
    const mayWrite = isEnumerator(u) && READS[u][d];
    expect(r.results[0]?.status).toBe(mayWrite ? 'applied' : 'rejected');
    if (!mayWrite) expect(r.results[0]?.error?.code).toBe('forbidden');
  });

  it('[RM2] pull returns exactly the readable districts and their households', async () => {
    const r = PullResponseSchema.parse((await h.req({ method: 'GET', url: '/api/v1/sync/pull?limit=1000', headers: sessions[u].auth })).json());
    const districts = new Set(r.changes.filter((c) => c.entity === 'district').map((c) => c.id));
    const households = new Set(r.changes.filter((c) => c.entity === 'household').map((c) => c.id));
    for (const d of ['D1', 'D3'] as const) {
      expect(districts.has(codeOf(d))).toBe(READS[u][d]);
      expect(households.has(regOf(d).id)).toBe(READS[u][d]);
    }
    expect(districts.has(D2)).toBe(u === 'enum' || u === 'sup' || u === 'admin');
  });

  it.each(['/supervision/status', '/supervision/conflicts', '/supervision/rejected'])('[RM3] GET %s', async (path) => {
    const r = await h.req({ method: 'GET', url: `/api/v1${path}`, headers: sessions[u].auth });
    if (!isSupervising(u)) {
      expect(r.status).toBe(403);
      expectErrorShape(r.json(), 'forbidden');
      return;
    }
    expect(r.status).toBe(200);
    const text = r.body;
    if (path === '/supervision/status') {
      expect(text.includes(D1)).toBe(READS[u].D1);
      expect(text.includes(D3)).toBe(READS[u].D3);
    }
  });

  it.each(['D1', 'D3'] as const)('[RM4] raise, list and resolve a review query in %s', async (d) => {
    const create = await h.req({ method: 'POST', url: '/api/v1/queries', headers: sessions[u].auth, payload: { householdId: regOf(d).id, message: '请核对' } });
    const may = isSupervising(u) && READS[u][d];
    expect(create.status).toBe(may ? 201 : 403);
    if (!may) expectErrorShape(create.json(), 'forbidden');
    // a query made by the office, to test listing and resolving for every role
    const id = randomUUID();
    await h.store.createQuery({ id, householdId: regOf(d).id, districtCode: codeOf(d), message: 'office', status: 'open', createdBy: 'u-admin', createdAt: '2020-11-03T08:00:00.000Z', version: 1 });
    const list = await h.req({ method: 'GET', url: '/api/v1/queries?status=open', headers: sessions[u].auth });
    expect(list.status).toBe(200);
    expect(list.body.includes(id)).toBe(READS[u][d]);
    const patch = await h.req({ method: 'PATCH', url: `/api/v1/queries/${id}`, headers: sessions[u].auth, payload: { status: 'resolved' } });
    expect(patch.status).toBe(may ? 200 : 403);
  });

  it.each(['D1', 'D3'] as const)('[RM5] answer a review query in %s from the phone', async (d) => {
    const id = randomUUID();
    await h.store.createQuery({ id, householdId: regOf(d).id, districtCode: codeOf(d), message: 'office', status: 'open', createdBy: 'u-admin', createdAt: '2020-11-03T08:00:00.000Z', version: 1 });
    const s = sessions[u];
    const m = { id: randomUUID(), entity: 'queryAnswer', entityId: id, baseVersion: 1, createdAt: '2020-11-03T09:00:00.000Z', data: { text: '已核实' } };
    const r = PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [m] } })).json());
    expect(r.results[0]?.status).toBe(isEnumerator(u) && READS[u][d] ? 'applied' : 'rejected');
  });

  it.each(['D1', 'D3'] as const)('[RM6] export %s as CSV and JSON', async (d) => {
    for (const format of ['csv', 'json']) {
      const r = await h.req({ method: 'GET', url: `/api/v1/export?format=${format}&district=${codeOf(d)}`, headers: sessions[u].auth });
      expect(r.status).toBe(READS[u][d] ? 200 : 403);
      if (READS[u][d]) expect(r.body).toContain(regOf(d).id);
      else expectErrorShape(r.json(), 'forbidden');
    }
    const all = await h.req({ method: 'GET', url: '/api/v1/export?format=json', headers: sessions[u].auth });
    expect(all.body.includes(regOf(d).id)).toBe(READS[u][d]);
  });
});
