// The defects listed at the top of issue 8, one test each, on both stores, each through HTTP and
// each set up only with store calls that existed before the office scopes (createUser,
// putDistrict, importListing), so that on that code every test fails for its own defect:
// (a) a scope expanded into bind parameters (500 past the limit), (b) the status of a supervisor
// loading every user, (c) a cursor carrying the district list (400 at 7+ districts), (d) a forged
// cursor trusted (tombstones of districts the caller never had), (e) a write on every pull,
// (f) no disable / enable / reset-password / revoke, (g) no reassignment, so a phone handed over
// had its queue rejected.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type District } from '../../src/domain/index.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { householdMutation, listingEntry, registration } from './fixtures.ts';
import { expectErrorShape } from './harness.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
const PASSWORD = 'defects-password-long';
type Kind = 'sqlite' | 'postgres';

interface Env {
  store: Store;
  app: FastifyInstance;
  clock: { now: Date };
  req(opts: InjectOptions): Promise<{ status: number; body: string; json: () => unknown }>;
  login(username: string, deviceId?: string, password?: string): Promise<{ auth: Record<string, string>; deviceId: string }>;
  close(): Promise<void>;
}

/** A store of either kind with an admin, a supervisor `sup` and `users` (created before the app). */
async function openEnv(kind: Kind, users: { username: string; role: 'enumerator' | 'supervisor'; supervisor?: string }[] = [], extra: Partial<AppOptions> = {}, wrap: (s: Store) => Store = (s) => s): Promise<Env> {
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  let store: Store;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-defects-'));
    const s = await openSqliteStore(join(dir, 'db.sqlite'));
    store = s;
    cleanup = async () => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const pg = await openTempPg();
    store = pg.store;
    cleanup = () => pg.cleanup();
  }
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  for (const u of [{ username: 'admin', role: 'admin' as const }, { username: 'sup', role: 'supervisor' as const }, ...users]) {
    const r = await store.createUser({ id: `u-${u.username}`, username: u.username, name: u.username, role: u.role, passwordHash, ...('supervisor' in u && u.supervisor !== undefined ? { supervisorId: `u-${u.supervisor}` } : {}) });
    if (!r.ok) throw new Error(r.reason);
  }
  const app = await buildApp({ store: wrap(store), now: () => clock.now, ...extra });
  const req: Env['req'] = async (opts) => {
    const r = await app.inject(opts);
    return { status: r.statusCode, body: r.body, json: () => r.json<unknown>() };
  };
  return {
    store,
    app,
    clock,
    req,
    async login(username, deviceId = randomUUID(), password = PASSWORD) {
      const r = await req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, deviceId } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
      return { auth: { authorization: `Bearer ${(r.json() as { token: string }).token}` }, deviceId };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/** Placeholder districts in bulk, through the listing import (one transaction per chunk). */
async function bulkDistricts(store: Store, codes: readonly string[], chunk = 3000) {
  for (let i = 0; i < codes.length; i += chunk) {
    await store.importListing([], codes.slice(i, i + chunk).map((code): District => ({ code, name: `小区${code.slice(-6)}`, enumerators: [] })));
  }
}
const bulkCode = (i: number) => `13${String(1 + (i % 11)).padStart(2, '0')}01001${String(i).padStart(6, '0')}`;

async function pushAs(env: Env, s: { auth: Record<string, string>; deviceId: string }, mutations: unknown[]) {
  const r = await env.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations } });
  expect(r.status, r.body).toBe(200);
  return PushResponseSchema.parse(r.json()).results;
}
async function pull(env: Env, auth: Record<string, string>, cursor?: string, limit = 500) {
  const r = await env.req({ method: 'GET', url: `/api/v1/sync/pull?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: auth });
  return { status: r.status, body: r.body, json: r.json };
}
async function pullOk(env: Env, auth: Record<string, string>, cursor?: string, limit = 500) {
  const r = await pull(env, auth, cursor, limit);
  expect(r.status, r.body).toBe(200);
  return PullResponseSchema.parse(r.json());
}

function defects(kind: Kind) {
  // (a) SQLite allows 32,766 bind parameters: 33,000 districts in one IN list broke pull, status,
  // export and conflicts. PostgreSQL allows 65,535; 66,000 districts take too long to load here
  // (~50 s through the listing import), so PostgreSQL crosses the limit the pull hit first:
  // its four branches each listed every district, 4 x 17,000 > 65,535.
  const N = kind === 'sqlite' ? 33_000 : 17_000;
  it(`[PD-a] admin with ${N} districts: pull, status, export, conflicts, rejected, queries answer 200 and page`, async () => {
    const env = await openEnv(kind);
    try {
      const t0 = Date.now();
      await bulkDistricts(env.store, Array.from({ length: N }, (_, i) => bulkCode(i)));
      const loadMs = Date.now() - t0;
      expect(loadMs).toBeLessThan(kind === 'sqlite' ? 20_000 : 30_000);
      const admin = (await env.login('admin')).auth;
      // pull: pages of 1000 that follow each other
      const first = await pullOk(env, admin, undefined, 1000);
      expect(first.changes).toHaveLength(1000);
      expect(first.more).toBe(true);
      const second = await pullOk(env, admin, first.cursor, 1000);
      expect(second.changes).toHaveLength(1000);
      const seen = new Set(first.changes.map((c) => c.id));
      expect(second.changes.some((c) => seen.has(c.id))).toBe(false);
      // status: pages of districts by code
      const st = await env.req({ method: 'GET', url: '/api/v1/supervision/status?limit=2000', headers: admin });
      expect(st.status, st.body.slice(0, 300)).toBe(200);
      const page = st.json() as { districts: { code: string }[]; next?: string };
      expect(page.districts).toHaveLength(2000);
      expect(page.next).toBe(page.districts.at(-1)?.code);
      const st2 = (await env.req({ method: 'GET', url: `/api/v1/supervision/status?limit=2000&after=${page.next ?? ''}`, headers: admin })).json() as { districts: { code: string }[] };
      expect((st2.districts[0]?.code ?? '') > (page.next ?? '~')).toBe(true);
      for (const url of ['/api/v1/supervision/conflicts', '/api/v1/supervision/rejected', '/api/v1/queries']) {
        const r = await env.req({ method: 'GET', url, headers: admin });
        expect(r.status, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
      }
      const exp = await env.req({ method: 'GET', url: '/api/v1/export?format=json', headers: admin });
      expect(exp.status, exp.body.slice(0, 300)).toBe(200);
      expect((exp.json() as { districts: string[] }).districts).toHaveLength(N);
    } finally {
      await env.close();
    }
  }, 120_000);

  it('[PD-b] /supervision/status of a supervisor of 2 enumerators lists exactly those, and reads no other user, with 500 others present', async () => {
    /** The largest number of accounts any one store call returned while the request ran. */
    let widest = 0;
    let counting = false;
    const wrap = (s: Store): Store =>
      new Proxy(s, {
        get(target, prop, receiver) {
          const v: unknown = Reflect.get(target, prop, receiver);
          if (typeof v !== 'function') return v;
          // the one synchronous method: a listener subscription
          if (prop === 'onGroupCommit') return (v as (...a: unknown[]) => unknown).bind(target);
          return async (...args: unknown[]) => {
            const out: unknown = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            if (counting && Array.isArray(out)) widest = Math.max(widest, out.filter((x) => typeof x === 'object' && x !== null && 'passwordHash' in x).length);
            return out;
          };
        },
      });
    const others = Array.from({ length: 500 }, (_, i) => ({ username: `other${i}`, role: 'enumerator' as const, ...(i % 2 === 0 ? { supervisor: 'sup2' } : {}) }));
    const env = await openEnv(kind, [{ username: 'sup2', role: 'supervisor' }, { username: 'mine1', role: 'enumerator', supervisor: 'sup' }, { username: 'mine2', role: 'enumerator', supervisor: 'sup' }, ...others], {}, wrap);
    try {
      await env.store.putDistrict({ code: '130102001001001', name: '甲', enumerators: ['u-mine1'] });
      await env.store.putDistrict({ code: '130102001001002', name: '乙', enumerators: ['u-mine2'] });
      await bulkDistricts(env.store, others.map((_, i) => `130102009${String(i).padStart(6, '0')}`));
      for (const [i, o] of others.entries()) if (i % 50 === 0) await env.store.putDistrict({ code: `130102009${String(i).padStart(6, '0')}`, name: 'x', enumerators: [`u-${o.username}`] });
      const sup = (await env.login('sup')).auth;
      counting = true;
      const r = await env.req({ method: 'GET', url: '/api/v1/supervision/status', headers: sup });
      counting = false;
      expect(r.status).toBe(200);
      const body = r.json() as { enumerators: { username: string; districts: string[] }[]; districts: { code: string }[] };
      expect(body.enumerators.map((e) => [e.username, e.districts])).toEqual([
        ['mine1', ['130102001001001']],
        ['mine2', ['130102001001002']],
      ]);
      expect(body.districts.map((d) => d.code)).toEqual(['130102001001001', '130102001001002']);
      // the caller's own account at most: never a list of every user
      expect(widest).toBeLessThanOrEqual(1);
    } finally {
      await env.close();
    }
  }, 60_000);

  const EIGHT = Array.from({ length: 8 }, (_, i) => `130102001009${String(i + 1).padStart(3, '0')}`);

  it('[PD-c] an enumerator with 8 districts pulls every page to the end, then receives later changes', async () => {
    const env = await openEnv(kind, [{ username: 'eight', role: 'enumerator', supervisor: 'sup' }]);
    try {
      for (const code of EIGHT) {
        await env.store.putDistrict({ code, name: `小区${code}`, enumerators: ['u-eight'] });
        await env.store.importListing(Array.from({ length: 30 }, (_, k) => listingEntry(code, k + 1)));
      }
      const s = await env.login('eight');
      let cursor: string | undefined;
      const listing = new Set<string>();
      let pages = 0;
      for (; pages < 100; pages++) {
        const p = await pullOk(env, s.auth, cursor, 25);
        for (const c of p.changes) if (c.entity === 'listing') listing.add(c.id);
        cursor = p.cursor;
        if (!p.more) break;
      }
      expect(pages).toBeGreaterThan(5); // several cursor round trips
      expect(listing.size).toBe(8 * 30);
      // written on the enumerator's second phone (a phone's own versions stay out of its pull, PL5)
      const reg = registration(EIGHT[7] ?? '');
      expect((await pushAs(env, await env.login('eight'), [householdMutation(reg)]))[0]?.status).toBe('applied');
      await env.store.importListing([listingEntry(EIGHT[0] ?? '', 99)]);
      const next = await pullOk(env, s.auth, cursor);
      expect(next.changes.map((c) => [c.entity, c.id])).toEqual([
        ['household', reg.id],
        ['listing', listingEntry(EIGHT[0] ?? '', 99).id],
      ]);
      expect((await pullOk(env, s.auth, next.cursor)).changes).toEqual([]);
    } finally {
      await env.close();
    }
  });

  it('[PD-d] a forged or tampered cursor is refused, and never yields a tombstone of a district the caller never had', async () => {
    const OWN = '130102001001001';
    const FOREIGN = '140101001001001';
    const env = await openEnv(kind, [
      { username: 'ea', role: 'enumerator', supervisor: 'sup' },
      { username: 'eb', role: 'enumerator' },
    ]);
    try {
      await env.store.putDistrict({ code: OWN, name: '甲', enumerators: ['u-ea'] });
      await env.store.putDistrict({ code: FOREIGN, name: '外', enumerators: ['u-eb'] });
      await env.store.importListing([listingEntry(OWN, 1), listingEntry(FOREIGN, 1), listingEntry(FOREIGN, 2)]);
      const a = await env.login('ea');
      const b = await env.login('eb');
      const realA = (await pullOk(env, a.auth)).cursor;
      const realB = (await pullOk(env, b.auth)).cursor;
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const [body = '', sig = ''] = realA.split('.');
      const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
      const refused = {
        'signature with one character changed': `${body}.${flip(sig, sig.length - 1)}`,
        'body with one character changed': `${flip(body, 2)}.${sig}`,
        "another user's id, re-encoded under the old signature": `${b64({ v: 2, s: 0, a: 0, u: 'u-eb' })}.${sig}`,
        'a hand-made signed-looking cursor': `${b64({ v: 2, s: 0, a: 0, u: 'u-ea' })}.${'A'.repeat(32)}`,
        'not base64 JSON at all': 'not-a-cursor',
      };
      for (const [what, bad] of Object.entries(refused)) {
        const r = await pull(env, a.auth, bad);
        expect(r.status, what).toBe(400);
        expectErrorShape(r.json(), 'validation_failed');
      }
      // Accepted only to restart the caller's own pull: an old unsigned cursor naming a foreign
      // district, and a genuine cursor of another user (a phone signed in as b before).
      const restarts = { 'an unsigned cursor listing a foreign district': b64({ v: 1, s: 0, h: 'x', d: [FOREIGN] }), "b's own genuine cursor": realB };
      for (const [what, c] of Object.entries(restarts)) {
        const r = await pull(env, a.auth, c);
        if (r.status !== 200) {
          expect(r.status, what).toBe(400);
          continue;
        }
        const p = PullResponseSchema.parse(r.json());
        expect(p.changes.filter((x) => x.deleted), what).toEqual([]);
        expect(p.changes.map((x) => x.id).filter((id) => id.includes(FOREIGN)), what).toEqual([]);
        expect(p.changes.filter((x) => x.entity === 'district').map((x) => x.id), what).toEqual([OWN]);
      }
      expect((await pull(env, a.auth, realA)).status).toBe(200);
    } finally {
      await env.close();
    }
  });

  it('[PD-e] an empty pull at the head writes nothing: table counts and last-seen unchanged a minute later', async () => {
    const env = await openEnv(kind, [{ username: 'ee', role: 'enumerator', supervisor: 'sup' }]);
    try {
      await env.store.putDistrict({ code: '130102001001001', name: '甲', enumerators: ['u-ee'] });
      await env.store.importListing([listingEntry('130102001001001', 1)]);
      const s = await env.login('ee');
      const head = await pullOk(env, s.auth);
      env.clock.now = new Date(env.clock.now.getTime() + 60_000);
      const again = await pullOk(env, s.auth, head.cursor);
      expect(again.changes).toEqual([]);
      const counts = await env.store.tableCounts();
      const seen = (await env.store.getDevice(s.deviceId))?.lastSeenAt;
      expect(seen).toBeDefined();
      env.clock.now = new Date(env.clock.now.getTime() + 60_000);
      const third = await pullOk(env, s.auth, again.cursor);
      expect(third.changes).toEqual([]);
      expect(await env.store.tableCounts()).toEqual(counts);
      expect((await env.store.getDevice(s.deviceId))?.lastSeenAt).toBe(seen);
    } finally {
      await env.close();
    }
  });

  it('[PD-f] disable, enable, reset-password with one-time activation, password policy, revoke one device', async () => {
    const D = '130102001001001';
    const env = await openEnv(kind, [{ username: 'ee', role: 'enumerator', supervisor: 'sup' }]);
    try {
      await env.store.putDistrict({ code: D, name: '甲', enumerators: ['u-ee'] });
      await env.store.importListing([listingEntry(D, 1)]);
      const admin = (await env.login('admin')).auth;
      const adminPost = (url: string, payload: Record<string, unknown> = {}) => env.req({ method: 'POST', url: `/api/v1${url}`, headers: admin, payload });
      const e = await env.login('ee');
      expect((await pull(env, e.auth)).status).toBe(200);

      // disable: the existing token is refused on pull and push; the server stores nothing of the push
      expect((await adminPost('/users/ee/disable')).status).toBe(200);
      const counts = await env.store.tableCounts();
      const queued = householdMutation(registration(D));
      const pulled = await pull(env, e.auth);
      expect(pulled.status).toBe(401);
      expectErrorShape(pulled.json(), 'unauthorized');
      const pushed = await env.req({ method: 'POST', url: '/api/v1/sync/push', headers: e.auth, payload: { deviceId: e.deviceId, mutations: [queued] } });
      expect(pushed.status).toBe(401);
      expect(await env.store.tableCounts()).toEqual(counts);
      expect(await env.store.getRegistration(queued.entityId)).toBeUndefined();
      const refusedLogin = await env.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ee', password: PASSWORD, deviceId: randomUUID() } });
      expect(refusedLogin.status).toBe(401);
      // enable: signs in again (the revoked token stays revoked), and the queue is delivered
      expect((await adminPost('/users/ee/enable')).status).toBe(200);
      expect((await pull(env, e.auth)).status).toBe(401);
      const e2 = await env.login('ee');
      expect((await pushAs(env, e2, [queued]))[0]?.status).toBe('applied');

      // reset-password: old tokens 401, old password 401, the activation code works exactly once
      const reset = await adminPost('/users/ee/reset-password');
      expect(reset.status).toBe(200);
      const code = (reset.json() as { activationCode: string }).activationCode;
      expect((await pull(env, e2.auth)).status).toBe(401);
      expect((await env.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ee', password: PASSWORD, deviceId: randomUUID() } })).status).toBe(401);
      const activate = (username: string, c: string, password: string) => env.req({ method: 'POST', url: '/api/v1/auth/activate', payload: { username, code: c, password, deviceId: randomUUID() } });
      const first = await activate('ee', code, 'a new enumerator password');
      expect(first.status, first.body).toBe(200);
      expect((await pull(env, { authorization: `Bearer ${(first.json() as { token: string }).token}` })).status).toBe(200);
      const second = await activate('ee', code, 'another new password');
      expect(second.status).toBe(401);
      expectErrorShape(second.json(), 'unauthorized');

      // a supervisor reads many households: a weak password is refused, the code stays usable
      const supReset = await adminPost('/users/sup/reset-password');
      const supCode = (supReset.json() as { activationCode: string }).activationCode;
      for (const weak of ['short', 'sup', 'password123']) {
        const w = await activate('sup', supCode, weak);
        expect(w.status, weak).toBe(400);
        expectErrorShape(w.json(), 'validation_failed');
      }
      expect((await activate('sup', supCode, 'a long supervisor passphrase')).status).toBe(200);

      // revoke one device: only that device's token is refused
      const phone1 = await env.login('ee', randomUUID(), 'a new enumerator password');
      const phone2 = await env.login('ee', randomUUID(), 'a new enumerator password');
      const rv = await adminPost('/users/ee/revoke', { deviceId: phone1.deviceId });
      expect(rv.status).toBe(200);
      expect(rv.json()).toMatchObject({ username: 'ee', revoked: 1 });
      expect((await pull(env, phone1.auth)).status).toBe(401);
      expect((await pull(env, phone2.auth)).status).toBe(200);
    } finally {
      await env.close();
    }
  });

  it('[PD-g] turnover: A queued households for X, X goes to B, A delivers (applied, not quarantined), B pulls them, A gets tombstones; after the grace period A is refused', async () => {
    const X = '130102001001001';
    const Y = '130102001001002';
    const GRACE = 7 * 86_400_000;
    const env = await openEnv(
      kind,
      [
        { username: 'ea', role: 'enumerator', supervisor: 'sup' },
        { username: 'eb', role: 'enumerator', supervisor: 'sup' },
      ],
      { graceMs: GRACE },
    );
    try {
      await env.store.putDistrict({ code: X, name: '甲', enumerators: ['u-ea'] });
      await env.store.putDistrict({ code: Y, name: '乙', enumerators: ['u-ea'] });
      await env.store.importListing([listingEntry(X, 1), listingEntry(X, 2), listingEntry(Y, 1)]);
      const a = await env.login('ea');
      const b = await env.login('eb');
      const aCursor = (await pullOk(env, a.auth)).cursor;
      const bCursor = (await pullOk(env, b.auth)).cursor;
      // offline on A's phone
      const queued = [registration(X), registration(X, { listingId: `L-${X}-002`, householdNo: '002' })];

      const admin = (await env.login('admin')).auth;
      const moved = await env.req({ method: 'POST', url: `/api/v1/districts/${X}/reassign`, headers: admin, payload: { to: 'eb' } });
      expect(moved.status, moved.body).toBe(200);

      const quarantined = (await env.store.tableCounts()).quarantine;
      const results = await pushAs(env, a, queued.map((r) => householdMutation(r)));
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect((await env.store.tableCounts()).quarantine).toBe(quarantined);
      const rejected = await env.req({ method: 'GET', url: '/api/v1/supervision/rejected', headers: admin });
      expect((rejected.json() as { rejected: unknown[] }).rejected).toEqual([]);

      // B's phone: the district and A's households
      const bPull = await pullOk(env, b.auth, bCursor);
      const bIds = new Set(bPull.changes.filter((c) => !c.deleted).map((c) => c.id));
      for (const r of queued) expect(bIds.has(r.id)).toBe(true);
      expect(bIds.has(X)).toBe(true);
      expect(bIds.has(listingEntry(X, 1).id)).toBe(true);
      // A's phone: tombstones for X's records, nothing of Y
      const aPull = await pullOk(env, a.auth, aCursor);
      const gone = new Set(aPull.changes.filter((c) => c.deleted).map((c) => c.id));
      for (const id of [X, listingEntry(X, 1).id, listingEntry(X, 2).id, ...queued.map((r) => r.id)]) expect(gone.has(id), id).toBe(true);
      expect(gone.has(Y)).toBe(false);
      expect(gone.has(listingEntry(Y, 1).id)).toBe(false);

      // after the grace period a late household for X is refused as forbidden
      env.clock.now = new Date(env.clock.now.getTime() + GRACE + 60_000);
      const a2 = await env.login('ea');
      const [late] = await pushAs(env, a2, [householdMutation(registration(X, { listingId: `L-${X}-001` }))]);
      expect(late?.status).toBe('rejected');
      expect(late?.error?.code).toBe('forbidden');
      // still within its own district
      expect((await pushAs(env, a2, [householdMutation(registration(Y))]))[0]?.status).toBe('applied');
    } finally {
      await env.close();
    }
  });
}

describe('province defects on SQLite', () => defects('sqlite'));
describe.runIf(PG)('province defects on PostgreSQL', () => defects('postgres'));
