// Limits shared by every node (issue 9), on both stores: growing delays after failed sign-ins per
// user and per address (no lockouts), a success resets the user's counter but never the address's,
// counters decay, the push limit per device, bursts of parallel attempts, keys without personal
// data, expired rows pruned, store errors answered 500 (no bypass, no lockout); and on PostgreSQL
// two app nodes on two connections to one schema counting together.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { hashActivationCode } from '../../src/server/activation.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { DEFAULT_LOGIN_LIMITS, delayAfter, delaySteps, type DelayRule, type LoginLimits } from '../../src/server/limiter.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { expectErrorShape, PASSWORD, seedFixtures } from './harness.ts';
import { PG_URL, openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
type Kind = 'sqlite' | 'postgres';

const rule = (free: number, firstDelayMs: number, maxDelayMs: number, quietMs = 600_000): DelayRule => ({ free, firstDelayMs, maxDelayMs, quietMs });
/** A limit that never bites in a test. */
const LOOSE = rule(1000, 1000, 1000);

interface Opened {
  store: Store;
  /** The PostgreSQL schema (a second store can open it), or the SQLite file. */
  schema?: string;
  path?: string;
  cleanup(): Promise<void>;
}

async function openStore(kind: Kind, poolSize?: number): Promise<Opened> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-limits-'));
    const path = join(dir, 'db.sqlite');
    const store = await openSqliteStore(path);
    return {
      store,
      path,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const t = await openTempPg(poolSize);
  return { store: t.store, schema: t.schema, cleanup: () => t.cleanup() };
}

/** Every row of the limits table, read beside the store. */
async function rawLimits(o: Opened): Promise<{ key: string; count: number }[]> {
  if (o.path) {
    const db = new Database(o.path, { readonly: true });
    try {
      return db.prepare('SELECT key, count FROM limits ORDER BY key').all() as { key: string; count: number }[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<{ key: string; count: number }>(`SELECT key, count FROM ${o.schema ?? ''}.limits ORDER BY key`)).rows;
  } finally {
    await client.end();
  }
}

interface Node {
  app: FastifyInstance;
  login(username: string, password: string, ip?: string): Promise<{ status: number; retryAfter: string | undefined; body: unknown }>;
  activate(username: string, code: string, password: string, ip?: string): Promise<{ status: number; retryAfter: string | undefined }>;
  /** Signs in (from a fresh address) and returns a push function for that device. */
  device(username?: string): Promise<{ deviceId: string; push(): Promise<{ status: number; retryAfter: string | undefined }> }>;
}

async function node(store: Store, clock: { now: Date }, extra: Partial<AppOptions>): Promise<Node> {
  const app = await buildApp({ store, now: () => clock.now, ...extra });
  const answer = (r: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) => {
    const h = r.headers['retry-after'];
    return { status: r.statusCode, retryAfter: typeof h === 'string' ? h : undefined, body: r.json() };
  };
  const self: Node = {
    app,
    async login(username, password, ip = '10.0.0.1') {
      return answer(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, deviceId: randomUUID() }, remoteAddress: ip }));
    },
    async activate(username, code, password, ip = '10.0.0.1') {
      return answer(await app.inject({ method: 'POST', url: '/api/v1/auth/activate', payload: { username, code, password, deviceId: randomUUID() }, remoteAddress: ip }));
    },
    async device(username = 'enum') {
      const deviceId = randomUUID();
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, deviceId }, remoteAddress: `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      const auth = { authorization: `Bearer ${r.json<{ token: string }>().token}` };
      return {
        deviceId,
        push: async () => answer(await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId, mutations: [] } })),
      };
    },
  };
  return self;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A seeded store of the kind and one app node on it, with a fake clock. */
async function env(kind: Kind, extra: Partial<AppOptions> = {}, wrap: (s: Store) => Store = (s) => s) {
  const opened = await openStore(kind);
  cleanups.push(() => opened.cleanup());
  await seedFixtures(opened.store);
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  const n = await node(wrap(opened.store), clock, extra);
  cleanups.push(() => n.app.close());
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { ...n, opened, store: opened.store, clock, advance };
}

const limits = (perUser: DelayRule, perIp: DelayRule = LOOSE): { loginLimits: LoginLimits } => ({ loginLimits: { perUser, perIp } });

describe('the delay schedule', () => {
  it('[LM0] defaults: 5 free failures per user, then 1 s doubling to 60 s; 20 per address, then 1 s doubling to 15 min', () => {
    const user = Array.from({ length: 14 }, (_, i) => delayAfter(DEFAULT_LOGIN_LIMITS.perUser, i + 1));
    expect(user).toEqual([0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    const address = Array.from({ length: 32 }, (_, i) => delayAfter(DEFAULT_LOGIN_LIMITS.perIp, i + 1));
    expect(address.slice(0, 20).every((d) => d === 0)).toBe(true);
    expect(address.slice(20)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000]);
    // what the store applies: one step per delay below the cap
    expect(delaySteps(DEFAULT_LOGIN_LIMITS.perUser)).toEqual({
      steps: [
        { upTo: 5, ms: 0 },
        { upTo: 6, ms: 1000 },
        { upTo: 7, ms: 2000 },
        { upTo: 8, ms: 4000 },
        { upTo: 9, ms: 8000 },
        { upTo: 10, ms: 16_000 },
        { upTo: 11, ms: 32_000 },
      ],
      thenMs: 60_000,
      quietMs: 15 * 60_000,
    });
    expect(() => delaySteps(rule(1, 0, 10))).toThrow();
  });
});

function suite(kind: Kind) {
  describe(`limits on ${kind}`, () => {
    it('[LM1] the n-th failure waits exactly its delay (0, 0, 0, 1 s, 2 s, 4 s, 8 s, 8 s); refused attempts count nothing', async () => {
      const perUser = rule(3, 1000, 8000);
      const e = await env(kind, limits(perUser));
      const expected = [0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000];
      expect(expected.map((_, i) => delayAfter(perUser, i + 1))).toEqual(expected);
      for (const [i, wait] of expected.entries()) {
        const f = await e.login('enum', 'wrong', `10.0.1.${i}`);
        expect(f.status, `failure ${i + 1}`).toBe(401);
        if (wait === 0) continue; // the next failure is admitted at once: the next turn checks it
        // during the wait even the right password is refused, with the whole wait as Retry-After
        const during = await e.login('enum', PASSWORD, '10.0.2.1');
        expect(during.status, `after failure ${i + 1}`).toBe(429);
        expectErrorShape(during.body, 'rate_limited');
        expect(during.retryAfter).toBe(String(wait / 1000));
        e.advance(wait - 1);
        const last = await e.login('enum', 'wrong', '10.0.2.2');
        expect([last.status, last.retryAfter], `1 ms before the end of wait ${i + 1}`).toEqual([429, '1']);
        e.advance(1); // the wait is over exactly now: the next turn's failure is admitted
      }
      e.advance(8000);
      expect((await e.login('enum', PASSWORD)).status).toBe(200);
    });

    it("[LM2] someone else's failures: the owner's right password is accepted after at most the user cap (60 s), not refused for 15 minutes", async () => {
      const e = await env(kind); // the default limits
      // an attacker from many addresses, as fast as the limiter lets it, 40 wrong passwords
      let failures = 0;
      for (let i = 0; failures < 40; i++) {
        const r = await e.login('enum', `guess-${i}`, `10.${Math.floor(i / 250)}.${i % 250}.9`);
        if (r.status === 429) e.advance(Number(r.retryAfter) * 1000);
        else {
          expect(r.status).toBe(401);
          failures++;
        }
      }
      const owner = await e.login('enum', PASSWORD, '10.99.0.1');
      expect(owner.status).toBe(429);
      expect(Number(owner.retryAfter)).toBeLessThanOrEqual(60);
      e.advance(60_000);
      expect((await e.login('enum', PASSWORD, '10.99.0.1')).status).toBe(200);
      // and the success reset the user: the attacker starts again from the free failures
      for (let i = 0; i < 5; i++) expect((await e.login('enum', 'wrong', '10.98.0.1')).status).toBe(401);
    });

    it('[LM3] a success resets the user counter', async () => {
      const e = await env(kind, limits(rule(2, 1000, 60_000)));
      for (let i = 0; i < 3; i++) expect((await e.login('enum', 'wrong', `10.0.3.${i}`)).status).toBe(401);
      expect((await e.login('enum', PASSWORD, '10.0.3.9')).status).toBe(429);
      e.advance(1000);
      expect((await e.login('enum', PASSWORD, '10.0.3.9')).status).toBe(200);
      // from zero again: two free failures, then the right password goes through at once
      // (without the reset, 5 failures would earn a wait of 8 s)
      for (let i = 0; i < 2; i++) expect((await e.login('enum', 'wrong', `10.0.4.${i}`)).status).toBe(401);
      expect((await e.login('enum', PASSWORD, '10.0.4.9')).status).toBe(200);
    });

    it('[LM4] the address counter is not reset by a success (nor counts it as a failure)', async () => {
      const e = await env(kind, limits(LOOSE, rule(3, 1000, 60_000)));
      const ip = '10.7.7.7';
      for (let i = 0; i < 3; i++) expect((await e.login(`nobody${i}`, 'x', ip)).status).toBe(401);
      expect((await e.login('enum', PASSWORD, ip)).status).toBe(200); // an attacker's own valid account
      expect((await e.login('nobody9', 'x', ip)).status).toBe(401); // the 4th failure of the address
      // exactly the first wait: a reset would have left 1 failure (no wait), a counted success 5 (2 s)
      const r = await e.login('sup', PASSWORD, ip);
      expect([r.status, r.retryAfter]).toEqual([429, '1']);
      expect((await e.login('sup', PASSWORD, '10.7.7.8')).status).toBe(200); // other addresses are not affected
    });

    it('[LM5] counters decay after a quiet period without failures', async () => {
      const e = await env(kind, limits(rule(1, 1000, 4000, 60_000)));
      expect((await e.login('enum', 'wrong', '10.0.5.1')).status).toBe(401);
      expect((await e.login('enum', 'wrong', '10.0.5.2')).status).toBe(401); // 2nd: waits 1 s
      e.advance(1000);
      expect((await e.login('enum', 'wrong', '10.0.5.3')).status).toBe(401); // 3rd: waits 2 s
      e.advance(59_999);
      expect((await e.login('enum', 'wrong', '10.0.5.4')).status).toBe(401); // 4th, still counted: waits 4 s
      expect((await e.login('enum', PASSWORD, '10.0.5.9')).retryAfter).toBe('4');
      e.advance(60_000);
      expect((await e.login('enum', 'wrong', '10.0.5.5')).status).toBe(401); // quiet for 60 s: the 1st again, free
      expect((await e.login('enum', PASSWORD, '10.0.5.9')).status).toBe(200);
    });

    it('[LM6] activation codes count like passwords; a password refused by the policy counts nothing', async () => {
      const e = await env(kind, limits(rule(1, 1000, 60_000)));
      const code = 'ABCD-EFGH-JKMN-PQRS';
      await e.store.setActivation('u-sup', hashActivationCode(code), '2020-11-10T00:00:00.000Z', '2020-11-03T08:00:00.000Z');
      expect((await e.activate('sup', 'AAAA-AAAA-AAAA-AAAA', 'a good passphrase')).status).toBe(401);
      expect((await e.activate('sup', 'AAAA-AAAA-AAAA-AAAB', 'a good passphrase')).status).toBe(401); // 2nd: waits 1 s
      expect((await e.activate('sup', code, 'a good passphrase')).status).toBe(429);
      e.advance(1000);
      // the right code with a weak password: 400, and no attempt counted (else the next one would wait 2 s)
      expect((await e.activate('sup', code, 'short')).status).toBe(400);
      expect((await e.activate('sup', code, 'short')).status).toBe(400);
      expect((await e.activate('sup', code, 'a good passphrase')).status).toBe(200);
    });

    it('[LM7] push: a fixed window per device (here 3 a minute), 429 with Retry-After to the end of the window', async () => {
      const e = await env(kind, { pushLimit: { max: 3, windowMs: 60_000 } });
      const a = await e.device();
      const b = await e.device();
      for (let i = 0; i < 3; i++) expect((await a.push()).status).toBe(200);
      e.advance(20_000);
      expect(await a.push()).toMatchObject({ status: 429, retryAfter: '40' });
      expect((await b.push()).status).toBe(200);
      e.advance(39_999);
      expect(await a.push()).toMatchObject({ status: 429, retryAfter: '1' });
      e.advance(1);
      expect((await a.push()).status).toBe(200);
    });

    it('[LM8] a burst of 50 parallel wrong passwords: only the free ones and the one that earns the first wait are checked', async () => {
      const e = await env(kind, limits(rule(5, 1000, 60_000)));
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => e.login('enum', `guess-${i}`, `10.1.${i}.1`)));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(44);
    });

    it('[LM9] 50 concurrent increments of one key count exactly 50; 50 concurrent attempts admit exactly free + 1', async () => {
      const e = await openStore(kind, 25);
      cleanups.push(() => e.cleanup());
      const t = Date.parse('2020-11-03T08:00:00.000Z');
      const hits = await Promise.all(Array.from({ length: 50 }, () => e.store.limitHit('k:hits', t, 60_000)));
      expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await e.store.limitHit('k:hits', t, 60_000)).count).toBe(51);
      const steps = delaySteps(rule(5, 1000, 60_000));
      const admitted = await Promise.all(Array.from({ length: 50 }, () => e.store.limitAdmit('k:burst', t, steps)));
      expect(admitted.filter((a) => a.ok)).toHaveLength(6);
      expect(admitted.filter((a) => !a.ok)).toEqual(Array.from({ length: 44 }, () => ({ ok: false, until: t + 1000 })));
    });

    it('[LM10] the table holds HMACs, never a username, address or device id', async () => {
      const e = await env(kind, limits(rule(3, 1000, 60_000)));
      expect((await e.login('enum', 'wrong', '192.0.2.77')).status).toBe(401);
      const d = await e.device('sup');
      expect((await d.push()).status).toBe(200);
      const rows = await rawLimits(e.opened);
      expect(rows.length).toBeGreaterThanOrEqual(3); // user, two addresses (the user row of sup is reset), device
      for (const r of rows) expect(r.key).toMatch(/^[pua]:[A-Za-z0-9_-]{43}$/);
      const all = JSON.stringify(rows);
      for (const plain of ['enum', '192.0.2.77', d.deviceId]) expect(all).not.toContain(plain);
    });

    it('[LM11] expired rows are deleted, a bounded number at a time, and the limiter prunes as it goes', async () => {
      const e = await env(kind, { pushLimit: { max: 1000, windowMs: 1000 } });
      const t = e.clock.now.getTime();
      for (let i = 0; i < 10; i++) await e.store.limitHit(`x:${i}`, t, 1000);
      expect(await e.store.limitPrune(t + 999, 100)).toBe(0);
      expect(await e.store.limitPrune(t + 1000, 4)).toBe(4);
      expect(await e.store.limitPrune(t + 1000, 100)).toBe(6);
      expect((await e.store.limitHit('x:0', t + 1000, 1000)).count).toBe(1); // a deleted key starts again
      // through the app: one limiter call in 50 prunes (the sign-in below is one)
      for (let i = 1; i < 10; i++) await e.store.limitHit(`x:${i}`, t, 1000);
      const d = await e.device();
      e.advance(5000);
      expect((await rawLimits(e.opened)).filter((r) => r.key.startsWith('x:'))).toHaveLength(10);
      for (let i = 0; i < 49; i++) expect((await d.push()).status).toBe(200);
      expect((await rawLimits(e.opened)).filter((r) => r.key.startsWith('x:'))).toEqual([]);
    });

    it('[LM12] a store error in the limiter is a 500: no sign-in or push without the limit, and no lockout afterwards', async () => {
      const failing = new Set<string>();
      const wrap = (s: Store): Store =>
        new Proxy(s, {
          get(target, prop) {
            const v: unknown = Reflect.get(target, prop, target);
            if (typeof v !== 'function') return v;
            return (...args: unknown[]) => (failing.has(String(prop)) ? Promise.reject(new Error('store down')) : (v as (...a: unknown[]) => unknown).apply(target, args));
          },
        });
      const e = await env(kind, limits(rule(2, 1000, 60_000)), wrap);
      const d = await e.device();
      for (const method of ['limitAdmit', 'limitSettle']) {
        failing.add(method);
        for (const password of [PASSWORD, 'wrong']) {
          const r = await e.login('enum', password, '10.0.9.1');
          expect(r.status, `${method} failing, ${password}`).toBe(500);
          expectErrorShape(r.body, 'internal');
        }
        failing.clear();
        expect((await e.login('enum', PASSWORD, '10.0.9.1')).status, `after ${method} healed`).toBe(200);
      }
      failing.add('limitHit');
      const before = await e.store.tableCounts();
      expect((await d.push()).status).toBe(500);
      expect(await e.store.tableCounts()).toEqual(before);
      failing.clear();
      expect((await d.push()).status).toBe(200);
      // the errors left nothing that locks the user out: two failures are still free
      for (let i = 0; i < 2; i++) expect((await e.login('enum', 'wrong', '10.0.9.2')).status).toBe(401);
      expect((await e.login('enum', PASSWORD, '10.0.9.3')).status).toBe(200);
    });
  });
}

suite('sqlite');
describe.runIf(PG)('PostgreSQL', () => suite('postgres'));

describe.runIf(PG)('limits across nodes (two apps, two connections, one PostgreSQL schema)', () => {
  async function twoNodes(extra: Partial<AppOptions>) {
    const first = await openStore('postgres');
    cleanups.push(() => first.cleanup());
    await seedFixtures(first.store);
    const second = await openPostgresStore(PG_URL, { schema: first.schema ?? '' });
    cleanups.push(() => second.close());
    const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
    const a = await node(first.store, clock, extra);
    const b = await node(second, clock, extra);
    cleanups.push(() => a.app.close(), () => b.app.close());
    return { a, b, stores: [first.store, second] as const, clock };
  }

  it('[LM13] failures sent alternately to both nodes count together (the wait comes after 4 failures, not 8)', async () => {
    const { a, b } = await twoNodes(limits(rule(3, 1000, 60_000)));
    const nodes = [a, b, a, b];
    for (const [i, n] of nodes.entries()) expect((await n.login('enum', 'wrong', `10.0.0.${i}`)).status).toBe(401);
    for (const n of [a, b]) expect(await n.login('enum', PASSWORD, '10.0.0.9')).toMatchObject({ status: 429, retryAfter: '1' });
  });

  it('[LM14] the address counter is shared too', async () => {
    const { a, b } = await twoNodes(limits(LOOSE, rule(3, 2000, 60_000)));
    for (const [i, n] of [a, b, a, b].entries()) expect((await n.login(`nobody${i}`, 'x', '10.8.8.8')).status).toBe(401);
    for (const n of [b, a]) expect(await n.login('enum', PASSWORD, '10.8.8.8')).toMatchObject({ status: 429, retryAfter: '2' });
  });

  it('[LM15] pushes of one device sent alternately to both nodes count together', async () => {
    const { a, b } = await twoNodes({ pushLimit: { max: 4, windowMs: 60_000 } });
    const d = await a.device();
    // the same token on the other node: sessions live in the shared store
    const viaB = async () => {
      const r = await b.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum', password: PASSWORD, deviceId: d.deviceId } });
      const auth = { authorization: `Bearer ${r.json<{ token: string }>().token}` };
      return async () => (await b.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId: d.deviceId, mutations: [] } })).statusCode;
    };
    const pushB = await viaB();
    expect([(await d.push()).status, await pushB(), (await d.push()).status, await pushB()]).toEqual([200, 200, 200, 200]);
    expect((await d.push()).status).toBe(429);
    expect(await pushB()).toBe(429);
  });

  it('[LM16] 50 concurrent increments spread over both connections count exactly 50', async () => {
    const { stores } = await twoNodes({});
    const t = Date.parse('2020-11-03T08:00:00.000Z');
    const pick = (i: number) => (i % 2 === 0 ? stores[0] : stores[1]);
    const hits = await Promise.all(Array.from({ length: 50 }, (_, i) => pick(i).limitHit('k:nodes', t, 60_000)));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const steps = delaySteps(rule(5, 1000, 60_000));
    const admitted = await Promise.all(Array.from({ length: 50 }, (_, i) => pick(i).limitAdmit('k:burst', t, steps)));
    expect(admitted.filter((x) => x.ok)).toHaveLength(6);
  });
});
