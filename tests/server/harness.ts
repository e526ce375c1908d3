// An in-process server on a temp SQLite file with fixture users and districts, and helpers to
// sign in and call it through app.inject.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { hashPassword } from '../../src/server/auth.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, D3, district, listingEntry } from './fixtures.ts';
import { openTempPg } from './pg-test-db.ts';

export const PASSWORD = 'correct horse';
/** Cheap scrypt parameters for fixtures (the parameters travel inside each hash). */
const FAST = { N: 1024, r: 8, p: 1 };

export const USERS = {
  enum: { id: 'u-enum', username: 'enum', name: '普查员甲', role: 'enumerator', supervisorId: 'u-sup' },
  enum2: { id: 'u-enum2', username: 'enum2', name: '普查员乙', role: 'enumerator', supervisorId: 'u-sup2' },
  sup: { id: 'u-sup', username: 'sup', name: '指导员甲', role: 'supervisor' },
  sup2: { id: 'u-sup2', username: 'sup2', name: '指导员乙', role: 'supervisor' },
  admin: { id: 'u-admin', username: 'admin', name: '管理员', role: 'admin' },
} as const;
export type UserKey = keyof typeof USERS;

export async function seedFixtures(store: Store) {
  const passwordHash = await hashPassword(PASSWORD, FAST);
  // supervisors first: enumerators refer to them
  for (const k of ['sup', 'sup2', 'admin', 'enum', 'enum2'] as const) {
    const r = await store.createUser({ ...USERS[k], passwordHash });
    if (!r.ok) throw new Error(r.reason);
  }
  await store.putDistrict(district(D1, ['u-enum']));
  await store.putDistrict(district(D2, ['u-enum']));
  await store.putDistrict(district(D3, ['u-enum2']));
  await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2), listingEntry(D2, 1), listingEntry(D3, 1)]);
}

export interface Harness {
  app: FastifyInstance;
  store: Store;
  dir: string;
  path: string;
  clock: { now: Date };
  login(user: UserKey, deviceId?: string): Promise<{ token: string; deviceId: string; auth: Record<string, string> }>;
  req(opts: InjectOptions): Promise<{ status: number; json: () => unknown; body: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function harness(extra: Partial<AppOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-http-'));
  const path = join(dir, 'db.sqlite');
  const store = await openSqliteStore(path);
  await seedFixtures(store);
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  const app = await buildApp({ store, now: () => clock.now, ...extra });
  const req: Harness['req'] = async (opts) => {
    const r = await app.inject(opts);
    return { status: r.statusCode, json: () => r.json<unknown>(), body: r.body, headers: r.headers };
  };
  return {
    app,
    store,
    dir,
    path,
    clock,
    req,
    async login(user, deviceId = randomUUID()) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERS[user].username, password: PASSWORD, deviceId } });
      if (r.statusCode !== 200) throw new Error(`login ${user}: ${r.statusCode} ${r.body}`);
      const token = r.json<{ token: string }>().token;
      return { token, deviceId, auth: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every error body has exactly the api.md shape. */
export function expectErrorShape(body: unknown, code?: string) {
  if (typeof body !== 'object' || body === null || !('error' in body)) throw new Error(`not an error body: ${JSON.stringify(body)}`);
  const e = body.error;
  if (typeof e !== 'object' || e === null) throw new Error('error is not an object');
  if (!('code' in e) || typeof e.code !== 'string' || !('message' in e) || typeof e.message !== 'string' || !('details' in e) || !Array.isArray(e.details)) {
    throw new Error(`bad error shape: ${JSON.stringify(body)}`);
  }
  if (code !== undefined && e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
  if (/\bat .+:\d+:\d+|SELECT |INSERT |sqlite|postgres/i.test(JSON.stringify(body))) throw new Error(`error leaks internals: ${JSON.stringify(body)}`);
}

/** A store of either kind (a temp SQLite file, or a fresh PostgreSQL schema) seeded with the fixtures; `close` removes it. */
export async function openSeededStore(kind: 'sqlite' | 'postgres'): Promise<{ store: Store; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-store-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    await seedFixtures(store);
    return {
      store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await openTempPg(4);
  await seedFixtures(pg.store);
  return { store: pg.store, close: () => pg.cleanup() };
}
