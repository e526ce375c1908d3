// `npm run bench scale`: the requests of a province against a province-sized store, beside the same
// requests on a 3-district store (issue 8). Sizes: BENCH_DISTRICTS (default 354,000; users are
// one enumerator per district plus one supervisor per 4 enumerators and offices at every level,
// about 470,000 at the default), BENCH_REGS (default 1,000,000 registrations), BENCH_STORE
// (sqlite | postgres | both, default both; PostgreSQL at BENCH_PG_URL or the test database).
//
// How the store is loaded: through the real paths, in big batches, so the rollup counters,
// assignment events and indexes are exactly what production writes. The users with their
// districts go through `importUsers` (the `import-users` path: one transaction, multi-row
// writes, activation codes; timed, it is the "470,000 users" figure); the listing through
// `importListing`; the registrations through `importRegistrations` (version-1 office imports:
// the same rows, revisions and counters as a push, without HTTP), cloned from a few hundred
// generated households with new ids. Requests are made in-process with `app.inject` (no socket,
// so the figures are the server's work), 40 of each, p50/p95.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateDistrict, validateRegistration, type RegistrationDraft } from '../src/domain/index.ts';
import { newActivationCode } from '../src/server/activation.ts';
import { buildApp } from '../src/server/app.ts';
import { hashPassword } from '../src/server/auth.ts';
import { unconfirmedWarnings } from '../src/server/push-prepare.ts';
import type { RegistrationWrite } from '../src/server/push-plan.ts';
import { openPostgresStore } from '../src/server/store/postgres.ts';
import { openSqliteStore } from '../src/server/store/sqlite.ts';
import type { Store, UserImportRow } from '../src/server/store/store.ts';

const DISTRICTS = Number(process.env.BENCH_DISTRICTS ?? 354_000);
const REGS = Number(process.env.BENCH_REGS ?? 1_000_000);
const WHICH = process.env.BENCH_STORE ?? 'both';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 40;
const PASSWORD = 'bench-password-1';

/** District i laid out as a province: 11 cities, 15 counties, 15 townships, 12 areas, districts below. */
function code(i: number): string {
  const city = 1 + (i % 11);
  const county = 1 + (Math.floor(i / 11) % 15);
  const township = 1 + (Math.floor(i / 165) % 15);
  const area = 1 + (Math.floor(i / 2475) % 12);
  const d = 1 + Math.floor(i / 29700);
  return `13${String(city).padStart(2, '0')}${String(county).padStart(2, '0')}${String(township).padStart(3, '0')}${String(area).padStart(3, '0')}${String(d).padStart(3, '0')}`;
}

function users(n: number): UserImportRow[] {
  const rows: UserImportRow[] = [];
  const sups = Math.ceil(n / 4);
  for (let s = 0; s < sups; s++) rows.push({ username: `sup${s}`, name: '指导员', role: 'supervisor', districts: [] });
  for (let i = 0; i < n; i++) rows.push({ username: `enum${i}`, name: '普查员', role: 'enumerator', districts: [code(i)], supervisorUsername: `sup${Math.floor(i / 4)}` });
  // offices over district 0 at every level
  const c0 = code(0);
  for (const len of [2, 4, 6, 9, 12]) rows.push({ username: `office${len}`, name: '人普办', role: 'office', districts: [], scope: c0.slice(0, len) });
  return rows;
}

const TEMPLATES: RegistrationDraft[] = generateDistrict({ seed: 7, code: '130102001001001', enumerators: ['x'], households: 400, registeredShare: 1 }).registrations;

function clone(i: number, districtCode: string, no: number): RegistrationWrite {
  const t = TEMPLATES[i % TEMPLATES.length] ?? TEMPLATES[0];
  if (!t) throw new Error('no template');
  const householdNo = String(no).padStart(3, '0');
  const reg = { ...t, id: randomUUID(), districtCode, householdNo, listingId: `L-${districtCode}-${householdNo}` };
  const findings = validateRegistration(reg);
  return {
    id: reg.id,
    districtCode,
    listingId: reg.listingId,
    householdNo,
    form: reg.form,
    status: reg.status,
    version: 1,
    persons: reg.persons.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: unconfirmedWarnings(findings, reg.overrides).length,
    data: reg,
  };
}

async function load(store: Store, districts: number, regs: number): Promise<{ importUsersMs: number; loadMs: number }> {
  const at = new Date().toISOString();
  const t0 = performance.now();
  const r = await store.importUsers(users(districts), { newCode: newActivationCode, activationExpiresAt: '2099-01-01T00:00:00.000Z', at, graceUntil: at });
  if ('ok' in r) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  const importUsersMs = performance.now() - t0;
  // the bench callers get a password (cheap scrypt) instead of activating by HTTP
  const hash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  for (const u of ['enum0', 'sup0', 'office2', 'office4', 'office6', 'office9', 'office12']) {
    const user = await store.findUserByUsername(u);
    if (!user) throw new Error(u);
    await store.setActivation(user.id, 'bench', '2099-01-01T00:00:00.000Z', at);
    await store.activate(u, 'bench', hash, at);
  }
  const per = Math.max(1, Math.ceil(regs / districts));
  let batch: RegistrationWrite[] = [];
  let made = 0;
  for (let i = 0; i < districts && made < regs; i++) {
    for (let k = 1; k <= per && made < regs; k++) batch.push(clone(made++, code(i), k));
    if (batch.length >= 5000) {
      await store.importRegistrations(batch, at);
      batch = [];
    }
  }
  if (batch.length > 0) await store.importRegistrations(batch, at);
  return { importUsersMs, loadMs: performance.now() - t0 };
}

interface Figure {
  name: string;
  p50: number;
  p95: number;
  errors: number;
}

async function measure(store: Store, districts: number): Promise<Figure[]> {
  const app = await buildApp({ store });
  const login = async (username: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, deviceId: randomUUID() } });
    return { authorization: `Bearer ${r.json<{ token: string }>().token}` };
  };
  const c0 = code(0);
  const enumAuth = await login('enum0');
  const out: Figure[] = [];
  const time = async (name: string, fn: () => Promise<number>) => {
    const ms: number[] = [];
    let errors = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const status = await fn();
      ms.push(performance.now() - t);
      if (status >= 500) errors++;
    }
    ms.sort((a, b) => a - b);
    out.push({ name, p50: ms[Math.floor(RUNS / 2)] ?? 0, p95: ms[Math.floor(RUNS * 0.95)] ?? 0, errors });
  };
  const get = (auth: Record<string, string>, url: string) => async () => (await app.inject({ method: 'GET', url, headers: auth })).statusCode;
  await time('login', async () => (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum0', password: PASSWORD, deviceId: randomUUID() } })).statusCode);
  await time('pull of one district, no cursor', get(enumAuth, '/api/v1/sync/pull'));
  for (const len of [2, 4, 6, 9, 12]) {
    const auth = await login(`office${len}`);
    await time(`progress, ${['', '', 'province', '', 'city', '', 'county', '', '', 'township', '', '', 'area'][len] ?? len}`, get(auth, `/api/v1/progress?area=${c0.slice(0, len)}`));
  }
  await time('progress, district', get(await login('office12'), `/api/v1/progress?area=${c0}`));
  await time('supervision/status, supervisor', get(await login('sup0'), '/api/v1/supervision/status'));
  await time('export of one district (JSON)', get(enumAuth, `/api/v1/export?format=json&district=${c0}`));
  await time('export of one district (CSV)', get(enumAuth, `/api/v1/export?format=csv&district=${c0}`));
  const push = await login('enum0');
  const deviceId = randomUUID();
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum0', password: PASSWORD, deviceId } });
  push.authorization = `Bearer ${r.json<{ token: string }>().token}`;
  await time('push of 10 households', async () => {
    const mutations = Array.from({ length: 10 }, (_, k) => {
      const w = clone(k, c0, 500 + k);
      return { id: randomUUID(), entity: 'household', entityId: w.id, baseVersion: 0, createdAt: new Date().toISOString(), data: w.data };
    });
    return (await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: push, payload: { deviceId, mutations } })).statusCode;
  });
  void districts;
  await app.close();
  return out;
}

async function run(kind: 'sqlite' | 'postgres') {
  const opened: { store: Store; cleanup: () => Promise<void> }[] = [];
  const open = async (): Promise<Store> => {
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'pucha-scale-'));
      const store = await openSqliteStore(join(dir, 'db.sqlite'));
      opened.push({ store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) });
      return store;
    }
    const schema = `scale_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const store = await openPostgresStore(PG_URL, { schema, poolSize: 8 });
    opened.push({
      store,
      cleanup: async () => {
        await store.close();
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    });
    return store;
  };
  try {
    const small = await open();
    await load(small, 3, 9);
    const base = await measure(small, 3);
    const big = await open();
    const loaded = await load(big, DISTRICTS, REGS);
    const fig = await measure(big, DISTRICTS);
    console.log(`\n${kind}: ${DISTRICTS.toLocaleString()} districts, ${users(DISTRICTS).length.toLocaleString()} users, ${REGS.toLocaleString()} registrations`);
    console.log(`  users import (importUsers, one transaction): ${(loaded.importUsersMs / 1000).toFixed(1)} s; whole load ${(loaded.loadMs / 1000).toFixed(1)} s`);
    console.log(`  ${'request'.padEnd(34)} ${'3 districts p50/p95'.padEnd(22)} ${'province p50/p95'.padEnd(22)} ratio  5xx`);
    for (const f of fig) {
      const b = base.find((x) => x.name === f.name);
      const ratio = b && b.p50 > 0 ? f.p50 / b.p50 : NaN;
      console.log(`  ${f.name.padEnd(34)} ${`${b?.p50.toFixed(1)} / ${b?.p95.toFixed(1)} ms`.padEnd(22)} ${`${f.p50.toFixed(1)} / ${f.p95.toFixed(1)} ms`.padEnd(22)} ${ratio.toFixed(2).padStart(5)}  ${f.errors + (b?.errors ?? 0)}`);
    }
  } finally {
    for (const o of opened) await o.cleanup();
  }
}

if (WHICH === 'sqlite' || WHICH === 'both') await run('sqlite');
if (WHICH === 'postgres' || WHICH === 'both') await run('postgres');
