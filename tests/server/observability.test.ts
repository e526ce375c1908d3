// Issue 9, observability: liveness and readiness probes, the Prometheus /metrics endpoint (per
// app, behind a token), request ids, and one JSON log line per 5xx with nothing personal in it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PushResponseSchema } from '../../src/domain/index.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D3, householdMutation, registration } from './fixtures.ts';
import { PASSWORD, USERS, expectErrorShape, harness, seedFixtures, type Harness, type UserKey } from './harness.ts';
import { PG_URL, openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const scrape = { authorization: `Bearer ${TOKEN}` };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A harness whose 5xx log lines land in `lines`. */
async function observed(extra: Partial<AppOptions> = {}) {
  const lines: string[] = [];
  h = await harness({ metricsToken: TOKEN, errorLog: (l) => lines.push(l), ...extra });
  return { h, lines };
}

/** An app of its own on `store` (a spy over a harness store), with its own log sink. */
async function appOn(store: Store, extra: Partial<AppOptions> = {}) {
  const lines: string[] = [];
  const app = await buildApp({ store, now: () => new Date('2020-11-03T08:00:00.000Z'), metricsToken: TOKEN, errorLog: (l) => lines.push(l), ...extra });
  const login = async (user: UserKey) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERS[user].username, password: PASSWORD, deviceId: randomUUID() } });
    return r.json<{ token: string }>().token;
  };
  return { app, lines, login };
}

/** The samples of an exposition text: `name{labels}` -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

async function metricsOf(hh: Harness): Promise<Map<string, number>> {
  const r = await hh.req({ method: 'GET', url: '/metrics', headers: scrape });
  expect(r.status).toBe(200);
  return samples(r.body);
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

describe('health probes', () => {
  it('[OB1] healthz and readyz answer 200 with the store kind', async () => {
    const { h } = await observed();
    expect((await h.req({ method: 'GET', url: '/api/v1/healthz' })).json()).toEqual({ ok: true, store: 'sqlite' });
    const r = await h.req({ method: 'GET', url: '/api/v1/readyz' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true, store: 'sqlite' });
  });

  it('[OB2] a closed store: readyz is 503 unavailable (and logged), healthz stays 200', async () => {
    const { h, lines } = await observed();
    await h.store.close();
    const r = await h.req({ method: 'GET', url: '/api/v1/readyz' });
    expect(r.status).toBe(503);
    expectErrorShape(r.json(), 'unavailable');
    expect((await h.req({ method: 'GET', url: '/api/v1/healthz' })).status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ route: '/api/v1/readyz', status: 503, reqId: r.headers['x-request-id'], error: { message: 'the store is closed' } });
    expect((await metricsOf(h)).get('pucha_store_errors_total{route="/api/v1/readyz"}')).toBe(1);
  });

  it('[OB3] a ping that rejects is 503; one that hangs is cut off at the default 2 s', async () => {
    h = await harness();
    const failing: Store = Object.create(h.store) as Store;
    failing.ping = () => Promise.reject(new Error('connection refused'));
    const a = await appOn(failing);
    const hanging: Store = Object.create(h.store) as Store;
    hanging.ping = () => new Promise<void>(() => undefined);
    const b = await appOn(hanging);
    try {
      const r = await a.app.inject({ method: 'GET', url: '/api/v1/readyz' });
      expect(r.statusCode).toBe(503);
      expectErrorShape(r.json(), 'unavailable');
      const started = Date.now();
      const slow = await b.app.inject({ method: 'GET', url: '/api/v1/readyz' });
      const took = Date.now() - started;
      expect(slow.statusCode).toBe(503);
      expectErrorShape(slow.json(), 'unavailable');
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(4000);
      expect(JSON.parse(b.lines[0] ?? '')).toMatchObject({ status: 503, error: { name: 'PingTimeout' } });
    } finally {
      await a.app.close();
      await b.app.close();
    }
  });
});

describe('GET /metrics', () => {
  it('[OB4] 404 without a configured token; 401 without or with a wrong token; 200 with it', async () => {
    h = await harness();
    const off = await h.req({ method: 'GET', url: '/metrics', headers: scrape });
    expect(off.status).toBe(404);
    expectErrorShape(off.json(), 'not_found');
    await h.close();
    ({ h } = await observed());
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const r = await h.req({ method: 'GET', url: '/metrics', headers });
      expect(r.status).toBe(401);
      expectErrorShape(r.json(), 'unauthorized');
    }
    const ok = await h.req({ method: 'GET', url: '/metrics', headers: scrape });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.body).toMatch(/^# TYPE pucha_push_duration_seconds histogram$/m);
  });

  it('[OB5] a push of 3 with one rejected: rejected +1, applied +2, push latency, queue size, group size, request count', async () => {
    const { h } = await observed();
    const s = await h.login('enum');
    const before = await metricsOf(h);
    const bad = householdMutation(registration(D1));
    bad.data = { ...bad.data, household: { householdType: 7 } };
    const mutations = [householdMutation(registration(D1)), bad, householdMutation(registration(D1))];
    const r = await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations, device: { pending: 3, appVersion: '0.1.0' } } });
    expect(PushResponseSchema.parse(r.json()).results.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied']);
    const after = await metricsOf(h);
    expect(delta(before, after, 'pucha_push_mutations_total{status="rejected"}')).toBe(1);
    expect(delta(before, after, 'pucha_push_mutations_total{status="applied"}')).toBe(2);
    expect(delta(before, after, 'pucha_push_mutations_total{status="conflict"}')).toBe(0);
    expect(delta(before, after, 'pucha_push_mutations_total{status="duplicate"}')).toBe(0);
    expect(delta(before, after, 'pucha_http_requests_total{route="/api/v1/sync/push",method="POST",status="200"}')).toBe(1);
    expect(delta(before, after, 'pucha_push_duration_seconds_count')).toBe(1);
    expect(delta(before, after, 'pucha_device_pending_mutations_count')).toBe(1);
    expect(delta(before, after, 'pucha_device_pending_mutations_sum')).toBe(3);
    expect(delta(before, after, 'pucha_device_pending_mutations_bucket{le="1"}')).toBe(0);
    expect(delta(before, after, 'pucha_device_pending_mutations_bucket{le="10"}')).toBe(1);
    expect(delta(before, after, 'pucha_group_commit_pushes_sum')).toBe(1);
    // the login answered 200 on its pattern too
    expect(after.get('pucha_http_requests_total{route="/api/v1/auth/login",method="POST",status="200"}')).toBe(1);
  });

  it('[OB6] concurrent pushes: the group-commit sizes add up to the pushes', async () => {
    const { h } = await observed();
    const sessions = await Promise.all(Array.from({ length: 6 }, () => h.login('enum')));
    const before = await metricsOf(h);
    await Promise.all(sessions.map((s) => h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [householdMutation(registration(D1))] } })));
    const after = await metricsOf(h);
    expect(delta(before, after, 'pucha_group_commit_pushes_sum')).toBe(6);
    const groups = delta(before, after, 'pucha_group_commit_pushes_count');
    expect(groups).toBeGreaterThanOrEqual(1);
    expect(groups).toBeLessThanOrEqual(6);
  });

  it('[OB7] labels carry route patterns, never a district code, an id, a query string or a token', async () => {
    const { h } = await observed();
    const s = await h.login('admin');
    const id = randomUUID();
    const reg = registration(D3);
    await h.req({ method: 'PATCH', url: `/api/v1/queries/${id}`, headers: s.auth, payload: { status: 'resolved' } });
    await h.req({ method: 'GET', url: `/api/v1/progress?area=${D1.slice(0, 6)}`, headers: s.auth });
    await h.req({ method: 'GET', url: `/api/v1/export?format=csv&district=${D1}`, headers: s.auth });
    await h.req({ method: 'GET', url: `/api/v1/nowhere/${D1}/${reg.id}` });
    const text = (await h.req({ method: 'GET', url: '/metrics', headers: scrape })).body;
    const m = samples(text);
    expect(m.get('pucha_http_requests_total{route="/api/v1/queries/:id",method="PATCH",status="404"}')).toBe(1);
    expect([...m.keys()].some((k) => k.startsWith('pucha_http_requests_total{route="/api/v1/progress",method="GET"'))).toBe(true);
    expect(m.get('pucha_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    for (const secret of [D1, D1.slice(0, 6), D3, id, reg.id, s.token, s.deviceId, USERS.admin.id, 'area=', 'district=']) expect(text).not.toContain(secret);
  });

  it('[OB8] metrics are per app: a second app in the same process starts from zero', async () => {
    const { h } = await observed();
    const s = await h.login('enum');
    await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: [householdMutation(registration(D1))] } });
    const other = await appOn(h.store);
    try {
      const m = samples((await other.app.inject({ method: 'GET', url: '/metrics', headers: scrape })).body);
      expect(m.get('pucha_push_mutations_total{status="applied"}')).toBe(0);
      expect(m.get('pucha_push_duration_seconds_count')).toBe(0);
      expect(m.has('pucha_http_requests_total{route="/api/v1/sync/push",method="POST",status="200"}')).toBe(false);
      expect((await metricsOf(h)).get('pucha_push_mutations_total{status="applied"}')).toBe(1);
    } finally {
      await other.app.close();
    }
  });
});

describe('request ids and error logs', () => {
  it('[OB9] X-Request-Id echoes a sane incoming id and replaces any other', async () => {
    const { h } = await observed();
    const good = 'trace-01.AB_z';
    expect((await h.req({ method: 'GET', url: '/api/v1/healthz', headers: { 'x-request-id': good } })).headers['x-request-id']).toBe(good);
    for (const bad of ['a'.repeat(65), 'two words', 'a/b', '<script>', '']) {
      const got = (await h.req({ method: 'GET', url: '/api/v1/healthz', headers: { 'x-request-id': bad } })).headers['x-request-id'];
      expect(typeof got).toBe('string');
      expect(got).not.toBe(bad);
      expect(got).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    }
    const a = (await h.req({ method: 'GET', url: '/api/v1/healthz' })).headers['x-request-id'];
    const b = (await h.req({ method: 'GET', url: '/api/v1/nope' })).headers['x-request-id'];
    expect(typeof a).toBe('string');
    expect(a).not.toBe(b);
  });

  it('[OB10] an injected store failure: a 500, exactly one JSON line with the response request id, no token or body', async () => {
    h = await harness();
    const spy: Store = Object.create(h.store) as Store;
    spy.getRegistration = () => Promise.reject(Object.assign(new Error('could not read the registration'), { code: 'XX000' }));
    const o = await appOn(spy);
    try {
      const token = await o.login('admin');
      expect(o.lines).toEqual([]);
      const marker = 'BODY-MARKER-张三-110101199003077777';
      const r = await o.app.inject({ method: 'POST', url: '/api/v1/queries?who=QUERY-MARKER', headers: { authorization: `Bearer ${token}` }, payload: { householdId: randomUUID(), message: marker } });
      expect(r.statusCode).toBe(500);
      expectErrorShape(r.json(), 'internal');
      expect(o.lines).toHaveLength(1);
      const line = o.lines[0] ?? '';
      expect(line).not.toContain('\n');
      expect(JSON.parse(line)).toMatchObject({
        level: 'error',
        reqId: r.headers['x-request-id'],
        method: 'POST',
        route: '/api/v1/queries',
        status: 500,
        error: { name: 'Error', message: 'could not read the registration', code: 'XX000' },
      });
      for (const secret of [token, marker, '110101199003077777', 'QUERY-MARKER', 'who=', PASSWORD, 'authorization']) expect(line.toLowerCase()).not.toContain(secret.toLowerCase());
      const m = samples((await o.app.inject({ method: 'GET', url: '/metrics', headers: scrape })).body);
      expect(m.get('pucha_store_errors_total{route="/api/v1/queries"}')).toBe(1);
      expect(m.get('pucha_http_requests_total{route="/api/v1/queries",method="POST",status="500"}')).toBe(1);
    } finally {
      await o.app.close();
    }
  });

  it('[OB11] the incoming request id is the one logged; 4xx answers log nothing', async () => {
    const { h, lines } = await observed();
    const s = await h.login('admin');
    await h.req({ method: 'GET', url: '/api/v1/queries', headers: { authorization: 'Bearer nope' } });
    await h.req({ method: 'GET', url: '/api/v1/nope' });
    await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'wrong password', deviceId: randomUUID() } });
    expect(lines).toEqual([]);
    await h.store.close();
    const r = await h.req({ method: 'GET', url: '/api/v1/queries', headers: { ...s.auth, 'x-request-id': 'proxy-42' } });
    expect(r.status).toBe(500);
    expect(r.headers['x-request-id']).toBe('proxy-42');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ reqId: 'proxy-42', route: '/api/v1/queries', status: 500 });
    expect(lines[0]).not.toContain('wrong password');
  });

  it('[OB12] the default sink is stderr, one line per 5xx', async () => {
    h = await harness();
    const s = await h.login('admin');
    await h.store.close();
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const r = await h.req({ method: 'GET', url: '/api/v1/queries', headers: s.auth });
      expect(r.status).toBe(500);
    } finally {
      write.mockRestore();
    }
    const ours = written.filter((w) => w.includes('"msg":"server error"'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.endsWith('}\n')).toBe(true);
    expect(JSON.parse(ours[0] ?? '')).toMatchObject({ route: '/api/v1/queries', status: 500 });
  });
});

const pgUp = await pgAvailableOrSkip();
describe.runIf(pgUp)('observability on PostgreSQL', () => {
  it('[OB13] readyz pings PostgreSQL; a failing query logs its SQLSTATE; a closed pool is 503', async () => {
    const db = await openTempPg();
    const o = await (async () => {
      await seedFixtures(db.store);
      return appOn(db.store);
    })();
    try {
      expect((await o.app.inject({ method: 'GET', url: '/api/v1/readyz' })).json()).toEqual({ ok: true, store: 'postgres' });
      const token = await o.login('admin');
      // The tables vanish under the running server: every query fails with undefined_table.
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${db.schema} CASCADE`);
      await client.end();
      const r = await o.app.inject({ method: 'GET', url: '/api/v1/queries', headers: { authorization: `Bearer ${token}` } });
      expect(r.statusCode).toBe(500);
      expect(o.lines).toHaveLength(1);
      expect(JSON.parse(o.lines[0] ?? '')).toMatchObject({ reqId: r.headers['x-request-id'], status: 500, error: { code: '42P01' } });
      await db.store.close();
      const down = await o.app.inject({ method: 'GET', url: '/api/v1/readyz' });
      expect(down.statusCode).toBe(503);
      expectErrorShape(down.json(), 'unavailable');
    } finally {
      await o.app.close();
      await db.cleanup().catch(() => undefined);
    }
  });
});
