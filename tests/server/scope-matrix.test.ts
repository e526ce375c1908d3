// Role x level x own/foreign, on both stores (issue 8, "Offices and scope"). One small hierarchy
// whose districts sit next to each other at every level, so each office's "foreign" target is the
// nearest sibling one level up (a scope widened by one level, or checked with the wrong bound,
// lets it in), and every caller is asked every endpoint about an own and a foreign target:
// progress, pull, export, queries, conflicts, rejected, status, raising and resolving review
// queries, and user management (disable / enable / reset-password / revoke / reassign / import).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type Registration, type Role } from '../../src/domain/index.ts';
import { hashActivationCode } from '../../src/server/activation.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { buildApp } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { householdMutation, listingEntry, registration } from './fixtures.ts';
import { expectErrorShape } from './harness.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
const PASSWORD = 'matrix-password-long';

/** Neighbours at every level: area, township, county, city, province. */
const D = {
  A1: '130102001001001',
  A2: '130102001001002', // same area as A1
  T2: '130102001002001', // next area, same township
  C2: '130102002001001', // next township, same county
  K2: '130103001001001', // next county, same city
  P2: '130201001001001', // next city, same province
  X: '140101001001001', // next province
} as const;
type Code = (typeof D)[keyof typeof D];
const CODES: Code[] = Object.values(D);

interface Fixture {
  role: Role;
  scope?: string;
  supervisor?: string;
  districts?: Code[];
}
const OFFICE_SCOPES = ['13', '1301', '130102', '130102001', '130102001001'] as const;
const PEER_SCOPES = ['14', '1302', '130103', '130102002', '130102001002'] as const;
const USERS: Record<string, Fixture> = {
  admin: { role: 'admin' },
  ...Object.fromEntries(OFFICE_SCOPES.map((s) => [`o${s}`, { role: 'office', scope: s }])),
  // the same prefix as an office: a peer, never managed by it
  ...Object.fromEntries(OFFICE_SCOPES.map((s) => [`o${s}twin`, { role: 'office', scope: s }])),
  ...Object.fromEntries(PEER_SCOPES.map((s) => [`o${s}`, { role: 'office', scope: s }])),
  sA: { role: 'supervisor' },
  sB: { role: 'supervisor' },
  sX: { role: 'supervisor' },
  eA: { role: 'enumerator', supervisor: 'sA', districts: [D.A1, D.A2] },
  eT: { role: 'enumerator', supervisor: 'sA', districts: [D.T2] },
  eC: { role: 'enumerator', supervisor: 'sB', districts: [D.C2] },
  eK: { role: 'enumerator', supervisor: 'sB', districts: [D.K2] },
  eP: { role: 'enumerator', supervisor: 'sB', districts: [D.P2] },
  eX: { role: 'enumerator', supervisor: 'sX', districts: [D.X] },
  /** Straddles two townships of county 130102: only the county office and above manage it. */
  eS: { role: 'enumerator', districts: [D.T2, D.C2] },
  /** No district yet: any office may give it one. */
  eSpare: { role: 'enumerator' },
};
const idOf = (u: string) => `u-${u}`;
const fixture = (u: string): Fixture => {
  const f = USERS[u];
  if (!f) throw new Error(`no fixture user ${u}`);
  return f;
};
const holdersOf = (code: string) => Object.keys(USERS).filter((u) => fixture(u).districts?.includes(code as Code));
const enumeratorsOf = (sup: string) => Object.keys(USERS).filter((u) => fixture(u).supervisor === sup);

/** The districts a caller reads, from the fixture (not from the code under test). */
function readable(u: string): Code[] {
  const f = fixture(u);
  if (f.role === 'admin') return CODES;
  if (f.role === 'office') return CODES.filter((c) => c.startsWith(f.scope ?? '-'));
  if (f.role === 'supervisor') return [...new Set(enumeratorsOf(u).flatMap((e) => fixture(e).districts ?? []))].sort();
  return [...(f.districts ?? [])].sort();
}

interface Caller {
  user: string;
  /** A district the caller reads (the target of the single-district requests). */
  own: Code;
  /** The nearest district it must not read (undefined for the admin). */
  foreign?: Code;
}
const CALLERS: Caller[] = [
  { user: 'admin', own: D.A1 },
  { user: 'o13', own: D.A1, foreign: D.X },
  { user: 'o1301', own: D.A1, foreign: D.P2 },
  { user: 'o130102', own: D.A1, foreign: D.K2 },
  { user: 'o130102001', own: D.A1, foreign: D.C2 },
  { user: 'o130102001001', own: D.A1, foreign: D.T2 },
  { user: 'o14', own: D.X, foreign: D.A1 },
  { user: 'sA', own: D.T2, foreign: D.C2 },
  { user: 'sB', own: D.C2, foreign: D.T2 },
  { user: 'eA', own: D.A2, foreign: D.T2 },
  { user: 'eT', own: D.T2, foreign: D.A1 },
  { user: 'eX', own: D.X, foreign: D.A1 },
];
const roleOf = (u: string) => fixture(u).role;
const oversees = (u: string) => roleOf(u) !== 'enumerator';
const manages = (u: string) => roleOf(u) === 'office' || roleOf(u) === 'admin';
const sorted = <T>(xs: Iterable<T>) => [...xs].sort();

/** Who may manage each target account, written out by hand. */
const MANAGERS: Record<string, string[]> = {
  eA: ['admin', 'o13', 'o1301', 'o130102', 'o130102001', 'o130102001001'],
  eT: ['admin', 'o13', 'o1301', 'o130102', 'o130102001'],
  eS: ['admin', 'o13', 'o1301', 'o130102'],
  eX: ['admin', 'o14'],
  sA: ['admin', 'o13', 'o1301', 'o130102', 'o130102001'],
  sX: ['admin', 'o14'],
  o1301: ['admin', 'o13'],
  o130102001001: ['admin', 'o13', 'o1301', 'o130102', 'o130102001'],
  o130102twin: ['admin', 'o13', 'o1301'],
  o13twin: ['admin'],
  o14: ['admin'],
  /** No office manages an admin; the admin may reset or revoke its own (not disable itself: 400). */
  admin: ['admin'],
};

interface Env {
  store: Store;
  app: FastifyInstance;
  clock: { now: Date };
  close(): Promise<void>;
}

async function openEnv(kind: 'sqlite' | 'postgres'): Promise<Env> {
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-matrix-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    const app = await buildApp({ store, now: () => clock.now });
    return {
      store,
      app,
      clock,
      async close() {
        await app.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await openTempPg();
  const app = await buildApp({ store: pg.store, now: () => clock.now });
  return {
    store: pg.store,
    app,
    clock,
    async close() {
      await app.close();
      await pg.cleanup();
    },
  };
}

function matrix(kind: 'sqlite' | 'postgres') {
  let env: Env;
  let passwordHash: string;
  /** The household pushed into each district, and the review query raised there. */
  const H = {} as Record<Code, Registration>;
  const Q = {} as Record<Code, string>;
  const sessions = new Map<string, { auth: Record<string, string>; deviceId: string }>();

  const req = async (opts: InjectOptions) => {
    const r = await env.app.inject(opts);
    return { status: r.statusCode, body: r.body, json: () => r.json<unknown>(), headers: r.headers };
  };
  async function loginRaw(u: string) {
    const deviceId = randomUUID();
    const r = await req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: PASSWORD, deviceId } });
    return { r, deviceId };
  }
  /** A signed-in session per user, made again after its tokens were revoked. */
  async function session(u: string) {
    const s = sessions.get(u);
    if (s) return s;
    const { r, deviceId } = await loginRaw(u);
    if (r.status !== 200) throw new Error(`login ${u}: ${r.status} ${r.body}`);
    const fresh = { auth: { authorization: `Bearer ${(r.json() as { token: string }).token}` }, deviceId };
    sessions.set(u, fresh);
    return fresh;
  }
  const get = async (u: string, url: string) => req({ method: 'GET', url: `/api/v1${url}`, headers: (await session(u)).auth });
  const post = async (u: string, url: string, payload: unknown = {}) => req({ method: 'POST', url: `/api/v1${url}`, headers: (await session(u)).auth, payload: payload as Record<string, unknown> });
  async function push(u: string, mutations: unknown[]) {
    const s = await session(u);
    const r = await req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations } });
    expect(r.status, r.body).toBe(200);
    return PushResponseSchema.parse(r.json()).results;
  }
  const expectForbidden = (r: { status: number; json: () => unknown }) => {
    expect(r.status).toBe(403);
    expectErrorShape(r.json(), 'forbidden');
  };

  beforeAll(async () => {
    env = await openEnv(kind);
    passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    // supervisors before the enumerators that name them
    const order = Object.keys(USERS).sort((a, b) => Number(roleOf(a) === 'enumerator') - Number(roleOf(b) === 'enumerator'));
    for (const u of order) {
      const f = fixture(u);
      const r = await env.store.createUser({
        id: idOf(u),
        username: u,
        name: u,
        role: f.role,
        passwordHash,
        ...(f.scope !== undefined ? { scope: f.scope } : {}),
        ...(f.supervisor !== undefined ? { supervisorId: idOf(f.supervisor) } : {}),
      });
      if (!r.ok) throw new Error(`${u}: ${r.reason}`);
    }
    for (const code of CODES) {
      await env.store.putDistrict({ code, name: `小区${code}`, enumerators: holdersOf(code).map(idOf) });
      await env.store.importListing([listingEntry(code, 1)]);
    }
    // In every district: a household, a conflict on it, a rejected mutation, a review query.
    for (const code of CODES) {
      const writer = holdersOf(code).filter((u) => u !== 'eS')[0] ?? '';
      const reg = registration(code);
      H[code] = reg;
      const [applied] = await push(writer, [householdMutation(reg)]);
      expect(applied?.status).toBe('applied');
      const [conflict] = await push(writer, [householdMutation({ ...reg, householdNo: '001' }, 0)]);
      expect(conflict?.status).toBe('conflict');
      const [rejected] = await push(writer, [householdMutation(registration(code), 0, { entityId: randomUUID() })]);
      expect(rejected?.status).toBe('rejected');
      const id = randomUUID();
      Q[code] = id;
      await env.store.createQuery({ id, householdId: reg.id, districtCode: code, householdNo: '001', message: '请核对', status: 'open', createdBy: idOf('admin'), createdAt: '2020-11-03T08:00:00.000Z', version: 1 });
    }
  }, 120_000);
  afterAll(async () => env.close());

  describe.each(CALLERS)(`${kind}: reads of $user`, ({ user, own, foreign }) => {
    const mine = readable(user);

    it('[SM1] the login answer names the prefix of an office, the districts of field staff', async () => {
      const { r } = await loginRaw(user);
      expect(r.status).toBe(200);
      const answer = (r.json() as { user: { role: string; scope?: string; districts: string[] } }).user;
      const f = fixture(user);
      expect(answer.role).toBe(f.role);
      if (f.role === 'office') expect(answer).toMatchObject({ scope: f.scope, districts: [] });
      else if (f.role === 'admin') expect(answer).toMatchObject({ scope: '', districts: [] });
      else {
        expect(answer.scope).toBeUndefined();
        expect(sorted(answer.districts)).toEqual(mine);
      }
    });

    it('[SM2] progress: own node 200 with its counts and children; foreign 403; empty 404; malformed 400', async () => {
      const f = fixture(user);
      if (!oversees(user)) {
        expectForbidden(await get(user, '/progress'));
        expectForbidden(await get(user, `/progress?area=${own}`));
        return;
      }
      const node = f.role === 'office' ? (f.scope ?? '') : f.role === 'admin' ? '' : own;
      const under = CODES.filter((c) => c.startsWith(node));
      const r = await get(user, f.role === 'supervisor' ? `/progress?area=${own}` : '/progress');
      expect(r.status, r.body).toBe(200);
      const p = r.json() as { area: string; level: string; totals: { districts: number; listing: number; persons: number; registrations: { complete: number } }; children: { area: string }[] };
      expect(p.area).toBe(node);
      expect(p.level).toBe({ 0: 'installation', 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'area', 15: 'district' }[node.length]);
      expect(p.totals).toMatchObject({ districts: under.length, listing: under.length, persons: 2 * under.length, registrations: { complete: under.length } });
      const childLen = { 0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 15, 15: 0 }[node.length] ?? 0;
      expect(p.children.map((c) => c.area)).toEqual(childLen === 0 ? [] : sorted(new Set(under.map((c) => c.slice(0, childLen)))));
      // the own district, asked by code
      expect((await get(user, `/progress?area=${own}`)).json()).toMatchObject({ area: own, level: 'district', totals: { districts: 1, registrations: { complete: 1 } } });
      if (foreign !== undefined) {
        expectForbidden(await get(user, `/progress?area=${foreign}`));
        // the node that holds both: one level too high
        const common = [12, 9, 6, 4, 2].map((n) => own.slice(0, n)).find((n) => foreign.startsWith(n));
        if (common !== undefined) expectForbidden(await get(user, `/progress?area=${common}`));
      }
      if (f.role === 'supervisor') {
        // its own node: the districts of its enumerators, nothing above them
        const sup = (await get(user, '/progress')).json() as { area: unknown; level: string; children: { area: string }[]; totals: { districts: number } };
        expect(sup).toMatchObject({ area: null, level: 'supervisor', totals: { districts: mine.length } });
        expect(sup.children.map((c) => c.area)).toEqual(mine);
        expectForbidden(await get(user, `/progress?area=${own.slice(0, 12)}`));
      } else {
        // inside the scope, no district there
        const empty = node === '' ? '15' : `${node}${'9'.repeat(childLen - node.length)}`;
        const nf = await get(user, `/progress?area=${empty}`);
        expect(nf.status).toBe(404);
        expectErrorShape(nf.json(), 'not_found');
      }
      for (const bad of ['123', '1301020010010011', 'abcd', '']) {
        const b = await get(user, `/progress?area=${bad}`);
        expect(b.status, bad).toBe(400);
        expectErrorShape(b.json(), 'validation_failed');
      }
    });

    it('[SM3] pull: exactly the districts, listing, households and queries of the scope', async () => {
      const changes: { entity: string; id: string; data: unknown }[] = [];
      let cursor = '';
      for (let page = 0; page < 20; page++) {
        const r = await get(user, `/sync/pull?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status, r.body).toBe(200);
        const p = PullResponseSchema.parse(r.json());
        changes.push(...p.changes);
        cursor = p.cursor;
        if (!p.more) break;
      }
      const ids = (entity: string) => sorted(changes.filter((c) => c.entity === entity).map((c) => c.id));
      const districtOf = (c: { data: unknown }) => (c.data as { districtCode: string }).districtCode;
      expect(ids('district')).toEqual(mine);
      expect(ids('listing')).toEqual(sorted(mine.map((c) => listingEntry(c, 1).id)));
      expect(ids('household')).toEqual(sorted(mine.map((c) => H[c].id)));
      expect(sorted(new Set(changes.filter((c) => c.entity === 'query').map(districtOf)))).toEqual(mine);
      expect(changes.filter((c) => c.entity === 'query').map((c) => c.id)).toEqual(expect.arrayContaining(mine.map((c) => Q[c])));
    });

    it('[SM4] export: own district 200, foreign 403, and without a district only the scope', async () => {
      const ownR = await get(user, `/export?format=json&district=${own}`);
      expect(ownR.status).toBe(200);
      expect((ownR.json() as { registrations: { id: string }[] }).registrations.map((r) => r.id)).toEqual([H[own].id]);
      const csv = await get(user, `/export?format=csv&district=${own}`);
      expect(csv.status).toBe(200);
      expect(csv.body).toContain(H[own].id);
      if (foreign !== undefined) {
        for (const format of ['json', 'csv']) expectForbidden(await get(user, `/export?format=${format}&district=${foreign}`));
      }
      const all = await get(user, '/export?format=json');
      expect(all.status).toBe(200);
      const body = all.json() as { districts: string[]; registrations: { id: string; districtCode: string }[] };
      expect(sorted(body.districts)).toEqual(mine);
      expect(sorted(body.registrations.map((r) => r.id))).toEqual(sorted(mine.map((c) => H[c].id)));
    });

    it('[SM5] export of a district inside an office scope that does not exist: 404, outside: 403', async () => {
      const f = fixture(user);
      if (f.role !== 'office') return;
      const ghost = `${f.scope ?? ''}${'9'.repeat(15 - (f.scope ?? '').length)}`;
      const r = await get(user, `/export?district=${ghost}`);
      expect(r.status).toBe(404);
      expectErrorShape(r.json(), 'not_found');
    });

    it('[SM6] GET /queries lists the queries of the scope only', async () => {
      const r = await get(user, '/queries');
      expect(r.status).toBe(200);
      const qs = (r.json() as { queries: { id: string; districtCode: string }[] }).queries;
      expect(sorted(new Set(qs.map((q) => q.districtCode)))).toEqual(mine);
      expect(qs.map((q) => q.id)).toEqual(expect.arrayContaining(mine.map((c) => Q[c])));
    });

    it.each(['conflicts', 'rejected'] as const)('[SM7] GET /supervision/%s: the scope only', async (what) => {
      const r = await get(user, `/supervision/${what}`);
      if (!oversees(user)) return expectForbidden(r);
      expect(r.status).toBe(200);
      const rows = (r.json() as Record<string, { districtCode?: string }[]>)[what] ?? [];
      expect(sorted(rows.map((x) => x.districtCode))).toEqual(mine);
    });

    it('[SM8] GET /supervision/status: the districts and enumerators of the scope only', async () => {
      const r = await get(user, '/supervision/status');
      if (!oversees(user)) return expectForbidden(r);
      expect(r.status).toBe(200);
      const s = r.json() as { districts: { code: string; registrations: number }[]; enumerators: { username: string }[] };
      expect(s.districts.map((d) => d.code)).toEqual(mine);
      expect(s.districts.every((d) => d.registrations === 1)).toBe(true);
      const want = roleOf(user) === 'supervisor' ? enumeratorsOf(user) : [...new Set(mine.flatMap(holdersOf))];
      expect(sorted(s.enumerators.map((e) => e.username))).toEqual(sorted(want));
    });

    it('[SM9] POST /queries on an own household 201, on a foreign one 403', async () => {
      const create = (code: Code) => post(user, '/queries', { householdId: H[code].id, message: '复查' });
      const ownR = await create(own);
      if (!oversees(user)) expectForbidden(ownR);
      else expect(ownR.status, ownR.body).toBe(201);
      if (foreign !== undefined) {
        const before = (await env.store.listQueries({ kind: 'district', code: foreign }, undefined, undefined, 1000)).length;
        expectForbidden(await create(foreign));
        expect(await env.store.listQueries({ kind: 'district', code: foreign }, undefined, undefined, 1000)).toHaveLength(before);
      }
    });

    it('[SM10] PATCH /queries/:id in an own district 200, in a foreign one 403 (and it stays open)', async () => {
      const raise = async (code: Code) => {
        const id = randomUUID();
        await env.store.createQuery({ id, householdId: H[code].id, districtCode: code, message: 'office', status: 'open', createdBy: idOf('admin'), createdAt: '2020-11-03T09:00:00.000Z', version: 1 });
        return id;
      };
      const patch = async (id: string) => req({ method: 'PATCH', url: `/api/v1/queries/${id}`, headers: (await session(user)).auth, payload: { status: 'resolved' } });
      const ownId = await raise(own);
      const ownR = await patch(ownId);
      if (!oversees(user)) expectForbidden(ownR);
      else expect(ownR.json()).toMatchObject({ id: ownId, status: 'resolved' });
      if (foreign !== undefined) {
        const id = await raise(foreign);
        expectForbidden(await patch(id));
        expect((await env.store.getQuery(id))?.status).toBe('open');
      }
    });
  });

  describe.each(CALLERS)(`${kind}: user management by $user`, ({ user, own, foreign }) => {
    /** After a successful reset: the target chooses its password again (so it can still sign in). */
    async function reactivate(target: string, code: string) {
      const u = await env.store.activate(target, hashActivationCode(code), passwordHash, env.clock.now.toISOString());
      expect(u?.username).toBe(target);
    }

    it.each(Object.keys(MANAGERS))('[SM11] disable, enable, reset-password, revoke %s', async (target) => {
      const self = target === user;
      const may = MANAGERS[target]?.includes(user) === true;
      await session(target); // a live token, to see whether it is revoked
      for (const action of ['disable', 'enable', 'reset-password', 'revoke']) {
        const r = await post(user, `/users/${target}/${action}`);
        if (self && manages(user) && (action === 'disable' || action === 'enable')) {
          expect(r.status, action).toBe(400);
          continue;
        }
        if (self && !may) {
          // an office is not its own manager either
          expect(r.status, action).toBe(403);
          continue;
        }
        expect(r.status, `${action}: ${r.body}`).toBe(may ? 200 : 403);
        if (r.status === 403) expectErrorShape(r.json(), 'forbidden');
        if (r.status === 200) sessions.delete(target);
        if (action === 'reset-password' && r.status === 200) await reactivate(target, (r.json() as { activationCode: string }).activationCode);
      }
      const stored = await env.store.findUserByUsername(target);
      // nothing was left changed: enabled, no outstanding code, can sign in
      expect(stored?.disabled).toBe(false);
      expect(stored?.activationPending).toBe(false);
      expect((await loginRaw(target)).r.status).toBe(200);
      if (!may && !self) expect((await get(target, '/sync/pull?limit=1')).status).toBe(200); // its token was not revoked
    });

    it('[SM12] reassign: an own district to an own (or new) enumerator 200; a foreign district, or to a foreign enumerator, 403', async () => {
      const target = fixture(user).role === 'office' && (fixture(user).scope ?? '').startsWith('14') ? D.X : D.A2;
      const holder = holdersOf(target)[0] ?? '';
      const holdersNow = async (code: string) => sorted((await env.store.listDistricts([code]))[0]?.enumerators ?? []);
      const there = await post(user, `/districts/${target}/reassign`, { to: 'eSpare' });
      if (!manages(user)) {
        expectForbidden(there);
        expect(await holdersNow(target)).toEqual([idOf(holder)]);
        return;
      }
      expect(there.status, there.body).toBe(200);
      expect(there.json()).toMatchObject({ district: target, to: 'eSpare', from: [idOf(holder)] });
      expect(await holdersNow(target)).toEqual([idOf('eSpare')]);
      const back = await post(user, `/districts/${target}/reassign`, { to: holder });
      expect(back.status, back.body).toBe(200);
      expect(await holdersNow(target)).toEqual([idOf(holder)]);
      if (foreign !== undefined) {
        expectForbidden(await post(user, `/districts/${foreign}/reassign`, { to: 'eSpare' }));
        expect(await holdersNow(foreign)).toEqual(sorted(holdersOf(foreign).map(idOf)));
        // an enumerator working outside the office: not its to give work to
        const outsider = holdersOf(foreign).find((u) => !(fixture(u).districts ?? []).some((d) => readable(user).includes(d))) ?? '';
        expectForbidden(await post(user, `/districts/${own}/reassign`, { to: outsider }));
        expect(await holdersNow(own)).toEqual(sorted(holdersOf(own).map(idOf)));
      }
      // inside the prefix, no such district
      const scope = fixture(user).scope ?? '15';
      const ghost = await post(user, `/districts/${`${scope}${'9'.repeat(15 - scope.length)}`}/reassign`, { to: 'eSpare' });
      expect(ghost.status).toBe(404);
    });

    it('[SM13] POST /users/import: accounts under the prefix 200; a row or an existing account outside it 403, nothing imported', async () => {
      const f = fixture(user);
      const prefix = f.role === 'admin' ? '15' : (f.scope ?? '13');
      const header = 'username,name,role,districts,supervisor,scope';
      const inside = `${prefix}${'8'.repeat(15 - prefix.length)}`;
      const csv = [header, `n-${user}-e,新人,enumerator,${inside},,`, ...(prefix.length < 12 ? [`n-${user}-o,新办,office,,,${prefix}${'8'.repeat(prefix.length < 6 ? 2 : 3)}`] : [])].join('\n');
      const ok = await post(user, '/users/import', { csv: `${csv}\n` });
      if (!manages(user)) {
        expectForbidden(ok);
        expect(await env.store.findUserByUsername(`n-${user}-e`)).toBeUndefined();
        return;
      }
      expect(ok.status, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ created: prefix.length < 12 ? 2 : 1 });
      expect(await env.store.districtsOf((await env.store.findUserByUsername(`n-${user}-e`)) ?? (undefined as never))).toEqual([inside]);
      if (f.role !== 'office') return;
      const outsider = prefix.startsWith('14') ? 'eA' : 'eX';
      const refused = [
        // a district outside the prefix
        `f-${user}-1,外人,enumerator,${foreign ?? ''},,`,
        // an office at its own level (a peer), and one above it
        `f-${user}-2,同级,office,,,${prefix}`,
        `f-${user}-3,上级,office,,,${prefix.slice(0, prefix.length === 9 ? 6 : prefix.length === 12 ? 9 : prefix.length - 2) || '14'}`,
        // an existing account of another office, given a district of this one
        `${outsider},改名,enumerator,${inside},,`,
      ];
      for (const row of refused) {
        const r = await post(user, '/users/import', { csv: `${header}\n${row}\n` });
        expect(r.status, `${row}: ${r.body}`).toBe(403);
        expectErrorShape(r.json(), 'forbidden');
      }
      for (const n of [1, 2, 3]) expect(await env.store.findUserByUsername(`f-${user}-${n}`)).toBeUndefined();
      const other = await env.store.findUserByUsername(outsider);
      expect(other?.name).toBe(outsider);
      expect(await env.store.districtsOf(other ?? (undefined as never))).toEqual(fixture(outsider).districts);
    });
  });
}

describe('scope matrix on SQLite', () => matrix('sqlite'));
describe.runIf(PG)('scope matrix on PostgreSQL', () => matrix('postgres'));
