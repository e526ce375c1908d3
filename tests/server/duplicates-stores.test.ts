// Citizen IDs across households (issue 11, §6A.6 beyond one household), on both stores and over
// HTTP: the index kept with every write finds the same ID in two households, forgets it when one
// of them changes, pages its groups by number (never by ID), shows out-of-scope households
// without their persons, and stays equal to a recount from the registrations under concurrent
// pushes, a 500-row chunk boundary and a rebuilt migration.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { makeCitizenId, PushResponseSchema, type Registration } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { DuplicateGroup, Store } from '../../src/server/store/store.ts';
import { D1, D2, D3, householdMutation, listingEntry, registration } from './fixtures.ts';
import { expectErrorShape, PASSWORD, seedFixtures, USERS, type UserKey } from './harness.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
type Kind = 'sqlite' | 'postgres';

interface Env {
  store: Store;
  app: FastifyInstance;
  login(user: UserKey): Promise<{ auth: Record<string, string>; deviceId: string }>;
  close(): Promise<void>;
}

async function openEnv(kind: Kind): Promise<Env> {
  let store: Store;
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-dups-'));
    const s = await openSqliteStore(join(dir, 'db.sqlite'));
    store = s;
    cleanup = async () => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const pg = await openTempPg(4);
    store = pg.store;
    cleanup = () => pg.cleanup();
  }
  await seedFixtures(store);
  await store.importListing([listingEntry(D1, 3), listingEntry(D1, 4), listingEntry(D2, 2), listingEntry(D3, 2)]);
  const app = await buildApp({ store, now: () => new Date('2020-11-03T08:00:00.000Z') });
  return {
    store,
    app,
    async login(user) {
      const deviceId = randomUUID();
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: USERS[user].username, password: PASSWORD, deviceId },
      });
      if (r.statusCode !== 200) throw new Error(`login ${user}: ${r.statusCode} ${r.body}`);
      return { auth: { authorization: `Bearer ${r.json<{ token: string }>().token}` }, deviceId };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

/** A valid 18-digit ID agreeing with a person's birth month and sex (distinct per `seq`). */
const idFor = (birth: string, sex: number, seq: number) => makeCitizenId('130102', `${birth}-1${seq % 9}`, seq, sex === 1 ? 1 : 2);

/** `n` different valid IDs (one birth day each: makeCitizenId repeats after 100 sequence numbers). */
const distinctIds = (address: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeCitizenId(address, new Date(Date.UTC(1950, 0, 1 + i)).toISOString().slice(0, 10), i, i % 2 === 0 ? 1 : 2),
  );

/** A household of `n` persons in a district's listing entry `no`, with the given IDs (undefined = none). */
function household(districtCode: string, no: number, ids: (string | undefined)[], over: Partial<Registration> = {}): Registration {
  const base = registration(
    districtCode,
    { listingId: `L-${districtCode}-${String(no).padStart(3, '0')}`, householdNo: String(no).padStart(3, '0'), status: 'draft', ...over },
    ids.length,
  );
  return { ...base, persons: base.persons.map((p, i) => ({ ...p, ...(ids[i] !== undefined ? { citizenId: ids[i] } : {}) })) };
}

async function pushAs(env: Env, s: { auth: Record<string, string>; deviceId: string }, mutations: unknown[]) {
  const r = await env.app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    headers: s.auth,
    payload: { deviceId: s.deviceId, mutations },
  });
  expect(r.statusCode, r.body).toBe(200);
  const results = PushResponseSchema.parse(r.json()).results;
  for (const x of results) expect(x.status, JSON.stringify(x)).toBe('applied');
  return results;
}

async function duplicates(env: Env, auth: Record<string, string>, query = '') {
  const r = await env.app.inject({ method: 'GET', url: `/api/v1/supervision/duplicates${query}`, headers: auth });
  return { status: r.statusCode, body: r.json<{ duplicates: DuplicateGroup[]; next?: number }>() };
}

/** Every group, following `next` from page to page. */
async function allGroups(env: Env, auth: Record<string, string>, limit: number) {
  const out: DuplicateGroup[] = [];
  let after = 0;
  for (let pages = 0; pages < 1000; pages++) {
    const r = await duplicates(env, auth, `?after=${after}&limit=${limit}`);
    expect(r.status).toBe(200);
    out.push(...r.body.duplicates);
    if (r.body.next === undefined) return { groups: out, pages: pages + 1 };
    expect(r.body.duplicates).toHaveLength(limit);
    after = r.body.next;
  }
  throw new Error('pages never ended');
}

async function expectConsistent(store: Store) {
  const { maintained, recounted } = await store.duplicateConsistency();
  expect(maintained).toEqual(recounted);
}

function suite(kind: Kind) {
  it('flags an ID held by two households, shows each side by scope, and forgets it when one changes', async () => {
    const env = await openEnv(kind);
    try {
      const shared = idFor('1960-05', 1, 7);
      const enumS = await env.login('enum');
      const enum2S = await env.login('enum2');
      const a = household(D1, 1, [shared, idFor('1985-05', 2, 1)]);
      const b = household(D3, 1, [shared]);
      await pushAs(env, enumS, [householdMutation(a)]);
      const admin = await env.login('admin');
      expect((await duplicates(env, admin.auth)).body.duplicates).toEqual([]);
      await pushAs(env, enum2S, [householdMutation(b)]);

      // The admin sees both households in full.
      const all = await duplicates(env, admin.auth);
      expect(all.status).toBe(200);
      expect(all.body.duplicates).toEqual([
        {
          citizenId: shared,
          households: [
            {
              inScope: true,
              registrationId: a.id,
              districtCode: D1,
              householdNo: '001',
              enumerator: { username: 'enum', name: USERS.enum.name },
              person: { index: 0, name: '成员0' },
            },
            {
              inScope: true,
              registrationId: b.id,
              districtCode: D3,
              householdNo: '001',
              enumerator: { username: 'enum2', name: USERS.enum2.name },
              person: { index: 0, name: '成员0' },
            },
          ],
        },
      ]);
      // The supervisor of D1 sees its own household in full and the other without its persons.
      const sup = await env.login('sup');
      const mine = await duplicates(env, sup.auth);
      expect(mine.body.duplicates).toEqual([
        {
          citizenId: shared,
          households: [
            {
              inScope: true,
              registrationId: a.id,
              districtCode: D1,
              householdNo: '001',
              enumerator: { username: 'enum', name: USERS.enum.name },
              person: { index: 0, name: '成员0' },
            },
            { inScope: false, districtCode: D3, householdNo: '001', enumerator: { username: 'enum2', name: USERS.enum2.name } },
          ],
        },
      ]);
      expect(JSON.stringify(mine.body)).not.toContain(b.id);
      // Enumerators do not read this list.
      const denied = await duplicates(env, enumS.auth);
      expect(denied.status).toBe(403);
      expectErrorShape(denied.body, 'forbidden');
      await expectConsistent(env.store);

      // The second household corrects its member's ID: the group is gone for everyone.
      await pushAs(env, enum2S, [
        householdMutation({ ...b, persons: b.persons.map((p) => ({ ...p, citizenId: idFor('1960-05', 1, 8) })), version: 2 }, 1),
      ]);
      expect((await duplicates(env, admin.auth)).body.duplicates).toEqual([]);
      expect((await duplicates(env, sup.auth)).body.duplicates).toEqual([]);
      await expectConsistent(env.store);
    } finally {
      await env.close();
    }
  });

  it('matches IDs as the checks read them and ignores invalid ones and repeats inside one household', async () => {
    const env = await openEnv(kind);
    try {
      const s = await env.login('enum');
      const id18 = makeCitizenId('130102', '1970-03-04', 12, 1);
      const legacy15 = `${id18.slice(0, 6)}${id18.slice(8, 17)}`; // the same person's 15-digit number
      const withX = (() => {
        for (let seq = 0; seq < 200; seq++) {
          const id = makeCitizenId('130102', '1980-01-02', seq, 2);
          if (id.endsWith('X')) return id;
        }
        throw new Error('no X check digit');
      })();
      const placeholder = '000000000000000000';
      await pushAs(env, s, [
        householdMutation(household(D1, 1, [legacy15, withX.toLowerCase(), placeholder, 'not an id'])),
        householdMutation(household(D1, 2, [id18, `${withX.slice(0, 6)} ${withX.slice(6)}`, placeholder, 'not an id'])),
        // One household repeating its own ID is the in-household check's case, not this one.
        householdMutation(household(D2, 1, [idFor('1990-05', 2, 3), idFor('1990-05', 2, 3)])),
      ]);
      const admin = await env.login('admin');
      const got = (await duplicates(env, admin.auth)).body.duplicates.map((g) => [g.citizenId, g.households.map((h) => h.householdNo)]);
      expect(got.sort()).toEqual(
        [
          [id18, ['001', '002']],
          [withX, ['001', '002']],
        ].sort(),
      );
      await expectConsistent(env.store);
    } finally {
      await env.close();
    }
  });

  it('pages 500 groups by number across the 500-row chunks, never repeating or skipping one; a bad cursor is a 400', async () => {
    const env = await openEnv(kind);
    try {
      const s = await env.login('enum');
      const a = distinctIds('130102', 400);
      const b = distinctIds('130103', 400);
      const collective = (d: string, no: number, ids: string[]) =>
        household(d, no, ids, { household: { ...registration(d).household, householdType: 2, residents: ids.length } });
      // One push, 800 distinct IDs and 1,300 index rows: both past the 500-key and 250-row chunks.
      const mixed = collective(D2, 2, [...a.slice(0, 300), ...b.slice(0, 200)]);
      await pushAs(env, s, [householdMutation(collective(D1, 3, a)), householdMutation(collective(D1, 4, b)), householdMutation(mixed)]);
      const admin = await env.login('admin');
      const { groups, pages } = await allGroups(env, admin.auth, 7);
      expect(pages).toBe(Math.ceil(500 / 7));
      expect(new Set(groups.map((g) => g.citizenId))).toEqual(new Set([...a.slice(0, 300), ...b.slice(0, 200)]));
      expect(groups).toHaveLength(500);
      expect(groups.every((g) => g.households.length === 2)).toBe(true);
      // The limit is capped, so one answer never carries the whole store.
      expect((await duplicates(env, admin.auth, '?limit=1000')).body.duplicates).toHaveLength(200);
      await expectConsistent(env.store);

      for (const bad of ['?after=abc', `?after=${a[0] ?? ''}x`, '?limit=0', '?after=-1']) {
        const r = await duplicates(env, admin.auth, bad);
        expect(r.status, bad).toBe(400);
        expectErrorShape(r.body, 'validation_failed');
      }
      // The mixed household drops its last 200 members: the 300 groups of `a` remain.
      await pushAs(env, s, [
        householdMutation(
          { ...mixed, persons: mixed.persons.slice(0, 300), household: { ...mixed.household, residents: 300 }, version: 2 },
          1,
        ),
      ]);
      expect((await allGroups(env, admin.auth, 200)).groups.map((g) => g.citizenId).sort()).toEqual(a.slice(0, 300).sort());
      await expectConsistent(env.store);
    } finally {
      await env.close();
    }
  });

  it('stays equal to a recount under concurrent pushes from several phones changing the same IDs', async () => {
    const env = await openEnv(kind);
    try {
      const phones = await Promise.all([env.login('enum'), env.login('enum'), env.login('enum2')]);
      const pool = Array.from({ length: 6 }, (_, i) => makeCitizenId('130102', '1950-01-01', i, 1));
      const homes = [
        { d: D1, no: 1, phone: 0 },
        { d: D1, no: 2, phone: 1 },
        { d: D2, no: 1, phone: 0 },
        { d: D2, no: 2, phone: 1 },
        { d: D3, no: 1, phone: 2 },
        { d: D3, no: 2, phone: 2 },
      ].map((h) => ({ ...h, reg: household(h.d, h.no, [undefined]), version: 0 }));
      let seed = 42;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      for (let round = 0; round < 12; round++) {
        // Every household changes at once: each picks 0-3 IDs from a small pool, so IDs move between households.
        await Promise.all(
          homes.map(async (h) => {
            const ids = Array.from({ length: rnd(4) }, () => pool[rnd(pool.length)]);
            const reg = household(h.d, h.no, ids.length ? ids : [undefined], { id: h.reg.id, version: h.version + 1 });
            const phone = phones[h.phone];
            if (!phone) throw new Error('phone');
            await pushAs(env, phone, [householdMutation(reg, h.version)]);
            h.version++;
          }),
        );
        await expectConsistent(env.store);
      }
    } finally {
      await env.close();
    }
  });
}

describe('duplicate citizen IDs on SQLite', () => {
  suite('sqlite');

  it('the migration builds the index from registrations stored before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-dups-mig-'));
    const path = join(dir, 'db.sqlite');
    try {
      let store = await openSqliteStore(path);
      await seedFixtures(store);
      const shared = idFor('1960-05', 1, 5);
      await store.importRegistrations(
        [household(D1, 1, [shared]), household(D3, 1, [shared]), household(D2, 1, [idFor('1960-05', 1, 6)])].map((r) => ({
          ...r,
          persons: r.persons.length,
          errors: 0,
          warnings: 0,
          data: r,
        })),
        '2020-11-03T08:00:00.000Z',
      );
      expect((await store.listDuplicates({ kind: 'all' }, 0, 10)).groups.map((g) => g.citizenId)).toEqual([shared]);
      await store.close();
      // Undo migration 4 as a store released before it would hold the data, then reopen.
      const db = new Database(path);
      db.exec('DROP TABLE citizen_ids; DROP TABLE citizen_id_counts; DELETE FROM schema_migrations WHERE version = 4');
      db.close();
      store = await openSqliteStore(path);
      try {
        const { groups } = await store.listDuplicates({ kind: 'all' }, 0, 10);
        expect(groups.map((g) => [g.citizenId, g.households.map((h) => h.districtCode)])).toEqual([[shared, [D1, D3]]]);
        const { maintained, recounted } = await store.duplicateConsistency();
        expect(maintained).toEqual(recounted);
        expect(maintained.length).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
describe.runIf(PG)('duplicate citizen IDs on PostgreSQL', () => suite('postgres'));
