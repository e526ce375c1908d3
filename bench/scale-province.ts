// `npm run bench scale` (runs this file; issue 8, "Benchmark"): the requests of a province against a
// province-sized store, beside the same requests on a 3-district store, on SQLite (a temp file)
// and PostgreSQL (throw-away schemas, dropped at the end).
//
// Stores. The 3-district store is seeded the normal way: store.createUser, putDistrict,
// importListing, then the households pushed over HTTP by their enumerators. The province store
// (354,000 districts laid out as 11 cities x 15 counties x 15 townships x 12 areas x 12 districts,
// cut at 354,000; 470,000 users: 354,000 enumerators with one district each, ~111,000
// supervisors of 3 or 4 enumerators (one of 10 in every 50th area), offices of the province, every
// city, county and township and ~2,000 areas, and the admin; 1,062,000 listing entries and
// households, 2-4 per district, cloned from 500 generated ones) is bulk-loaded: see the header of
// bench/scale-lib/bulk-load.ts for exactly what is written and why it is what the import and push
// paths leave behind. Districts 0..2 (and their enumerators, supervisor, offices and households)
// are identical in both stores, so each request is the same request on both.
//
// Requests go over HTTP on loopback to the real server (buildApp) in its own process
// (bench/scale-lib/server.ts); the load generator here sends them one at a time, BENCH_RUNS
// (40) of each after 2 unmeasured ones, and prints p50 / p95. The users import runs through the
// real path (importUsersFile, as `npm run admin -- import-users`) in its own process, into an
// empty store. Then EXPLAIN (QUERY PLAN) of every SELECT the pull, status and progress requests
// of scoped callers ran on the province store, and whether any reads a whole big table.
//
// Env: BENCH_DISTRICTS (354000), BENCH_STORES (sqlite,postgres), BENCH_RUNS (40),
// BENCH_SKIP_IMPORT=1 (no users import), PUCHA_TEST_DATABASE_URL. Needs ~8 GB of disk per store
// in the temp dir / the database. The load average is printed: other work skews the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROTOCOL_VERSION, type ListingEntry, type RegistrationDraft } from '../src/domain/index.ts';
import { hashPassword } from '../src/server/auth.ts';
import { openPostgresStore } from '../src/server/store/postgres.ts';
import { openSqliteStore } from '../src/server/store/sqlite.ts';
import type { Store } from '../src/server/store/store.ts';
import { loadProvince, pgSink, sqliteSink, type LoadStats } from './scale-lib/bulk-load.ts';
import {
  BENCH,
  BENCH_PASSWORD,
  code,
  districtName,
  enumId,
  enumUsername,
  fill,
  householdNo,
  householdsOf,
  makeTemplates,
  officeId,
  officeUsername,
  supId,
  templateOf,
  users,
} from './scale-lib/layout.ts';

const DISTRICTS = Number(process.env.BENCH_DISTRICTS ?? 354_000);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PG_URL = process.env.PUCHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const API = '/api/v1';

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const templates = makeTemplates(500);
const benchHash = await hashPassword(BENCH_PASSWORD, { N: 1024, r: 8, p: 1 });
const OFFICE_NODES = Object.values(BENCH.offices);
const benchHashes = new Map([BENCH.admin, BENCH.enumerator, BENCH.sup10, BENCH.sup3, ...OFFICE_NODES.map(officeUsername)].map((u) => [u, benchHash]));

// ---------- stores ----------

type Kind = 'sqlite' | 'postgres';
interface StoreRef {
  kind: Kind;
  /** env for the server / import processes */
  env: Record<string, string>;
  open(): Promise<Store>;
}

const dir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'scale8-bench-'));
const schemas: string[] = [];
function storeRef(kind: Kind, name: string): StoreRef {
  if (kind === 'sqlite') {
    const path = join(dir, `${name}.sqlite`);
    return { kind, env: { SCALE_DB: path }, open: () => openSqliteStore(path) };
  }
  const schema = `scale_${randomBytes(3).toString('hex')}_${name}`;
  schemas.push(schema);
  return { kind, env: { SCALE_PG_URL: PG_URL, SCALE_PG_SCHEMA: schema }, open: () => openPostgresStore(PG_URL, { schema }) };
}

const listingOf = (i: number): ListingEntry[] => Array.from({ length: householdsOf(i) }, (_, k) => JSON.parse(fill(templateOf(templates, i, k).listParts, code(i), householdNo(k))) as ListingEntry);
const householdOf = (i: number, k: number): RegistrationDraft => JSON.parse(fill(templateOf(templates, i, k).regParts, code(i), householdNo(k))) as RegistrationDraft;

/** The 3-district store, the normal way (households are pushed once the server runs). */
async function seedSmall(ref: StoreRef) {
  const store = await ref.open();
  const mk = async (u: Parameters<Store['createUser']>[0]) => {
    const r = await store.createUser(u);
    if (!r.ok) throw new Error(`${u.username}: ${r.reason}`);
  };
  await mk({ id: 'u-admin', username: BENCH.admin, name: '管理员', role: 'admin', passwordHash: benchHash });
  for (const node of OFFICE_NODES) await mk({ id: officeId(node), username: officeUsername(node), name: `人普办 ${node}`, role: 'office', scope: node, passwordHash: benchHash });
  await mk({ id: supId(0, 0), username: BENCH.sup10, name: '普查指导员 0-0', role: 'supervisor', passwordHash: benchHash });
  for (let i = 0; i < 3; i++) {
    await mk({ id: enumId(i), username: enumUsername(i), name: `普查员 ${i}`, role: 'enumerator', supervisorId: supId(0, 0), passwordHash: benchHash });
    await store.putDistrict({ code: code(i), name: districtName(i), urbanRural: (['111', '112', '121'] as const)[i] ?? '111', enumerators: [enumId(i)] });
    await store.importListing(listingOf(i));
  }
  await store.close();
}

async function loadBig(ref: StoreRef): Promise<LoadStats> {
  const store = await ref.open(); // the schema, by the store's own migrations
  await store.close();
  if (ref.kind === 'sqlite') {
    const sink = sqliteSink(ref.env.SCALE_DB ?? '');
    try {
      return await loadProvince(sink, DISTRICTS, templates, benchHashes, log);
    } finally {
      sink.close();
    }
  }
  const sink = await pgSink(PG_URL, ref.env.SCALE_PG_SCHEMA ?? '');
  try {
    const stats = await loadProvince(sink, DISTRICTS, templates, benchHashes, log);
    // What autovacuum's analyze does shortly after any bulk write; the planner needs the statistics.
    const t = performance.now();
    for (const r of await sink.exec.all('SELECT tablename FROM pg_tables WHERE schemaname = current_schema()')) await sink.exec.run(`ANALYZE ${String(r.tablename)}`);
    log(`  ANALYZE ${((performance.now() - t) / 1000).toFixed(0)} s`);
    return { ...stats, seconds: stats.seconds + (performance.now() - t) / 1000 };
  } finally {
    await sink.close();
  }
}

// ---------- server process ----------

interface Server {
  child: ChildProcess;
  url: string;
}
function startServer(ref: StoreRef): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-lib/server.ts'], { env: { ...process.env, ...ref.env }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}
async function stopServer(s: Server) {
  await new Promise<void>((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}
function ask<T>(s: Server, op: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { op: string }) => {
      if (m.op !== reply) return;
      s.child.off('message', on);
      resolve(m as T);
    };
    s.child.on('message', on);
    s.child.send({ op });
  });
}

// ---------- requests ----------

let fiveXX = 0;
const unexpected: string[] = [];
async function call(url: string, method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${API}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 500) fiveXX++;
  if (res.status >= 300 && unexpected.length < 20) unexpected.push(`${method} ${path} -> ${res.status} ${text.slice(0, 200)}`);
  return { status: res.status, text };
}
async function login(url: string, username: string, deviceId: string): Promise<string> {
  const r = await call(url, 'POST', '/auth/login', undefined, { username, password: BENCH_PASSWORD, deviceId });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
  return (JSON.parse(r.text) as { token: string }).token;
}

interface Figure {
  p50: number;
  p95: number;
  n5xx: number;
  statuses: string;
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Measure {
  name: string;
  /** 'scoped': to a district, an enumerator or a supervisor (the 3x goal); 'top': province/city progress (500 ms). */
  goal?: 'scoped' | 'top';
  run: (i: number) => Promise<{ status: number }>;
}

async function measureAll(s: Server, province: boolean): Promise<{ figures: Map<string, Figure>; plans: Map<string, { sql: string; plan: string[] }[]> }> {
  const url = s.url;
  const c0 = code(0);
  const tok = {
    enumerator: await login(url, BENCH.enumerator, 'dev-e0'),
    sup10: await login(url, BENCH.sup10, 'dev-sup10'),
    sup3: await login(url, province ? BENCH.sup3 : BENCH.sup10, 'dev-sup3'),
    admin: await login(url, BENCH.admin, 'dev-admin'),
  } as Record<string, string>;
  for (const [level, node] of Object.entries(BENCH.offices)) tok[level] = await login(url, officeUsername(node), `dev-office-${level}`);
  const t = (k: string) => tok[k] ?? '';
  let pushNo = 500;
  const measures: Measure[] = [
    { name: 'login (enumerator)', goal: 'scoped', run: () => call(url, 'POST', '/auth/login', undefined, { username: BENCH.enumerator, password: BENCH_PASSWORD, deviceId: 'dev-e0' }) },
    { name: 'pull one district, no cursor', goal: 'scoped', run: () => call(url, 'GET', '/sync/pull', t('enumerator')) },
    { name: 'progress province (office)', goal: 'top', run: () => call(url, 'GET', `/progress?area=${BENCH.offices.province}`, t('province')) },
    { name: 'progress city (office)', goal: 'top', run: () => call(url, 'GET', `/progress?area=${BENCH.offices.city}`, t('city')) },
    { name: 'progress county (office)', run: () => call(url, 'GET', `/progress?area=${BENCH.offices.county}`, t('county')) },
    { name: 'progress township (office)', run: () => call(url, 'GET', `/progress?area=${BENCH.offices.township}`, t('township')) },
    { name: 'progress area (office)', run: () => call(url, 'GET', `/progress?area=${BENCH.offices.area}`, t('area')) },
    { name: 'progress district (area office)', goal: 'scoped', run: () => call(url, 'GET', `/progress?area=${c0}`, t('area')) },
    { name: 'progress, supervisor own node', goal: 'scoped', run: () => call(url, 'GET', '/progress', t('sup10')) },
    { name: 'status, supervisor of 10 (3)', goal: 'scoped', run: () => call(url, 'GET', '/supervision/status', t('sup10')) },
    { name: 'status, supervisor of 3', goal: 'scoped', run: () => call(url, 'GET', '/supervision/status', t('sup3')) },
    { name: 'export one district JSON', goal: 'scoped', run: () => call(url, 'GET', `/export?format=json&district=${c0}`, t('enumerator')) },
    { name: 'export one district CSV', goal: 'scoped', run: () => call(url, 'GET', `/export?format=csv&district=${c0}`, t('enumerator')) },
    {
      name: 'push 10 households',
      goal: 'scoped',
      run: () => {
        const mutations = Array.from({ length: 10 }, () => {
          const no = householdNo(pushNo++);
          const data = JSON.parse(fill(templateOf(templates, 0, pushNo).regParts, c0, no)) as RegistrationDraft;
          return { id: crypto.randomUUID(), entity: 'household', entityId: data.id, baseVersion: 0, createdAt: new Date().toISOString(), data };
        });
        return call(url, 'POST', '/sync/push', t('enumerator'), { deviceId: 'dev-e0', protocolVersion: PROTOCOL_VERSION, mutations, device: { pending: 0, appVersion: 'bench' } });
      },
    },
    // The office's desk (issue 14): the daily report of the 7 frozen days, the quality signals, the bounded lists.
    { name: 'daily report province, 7 days', goal: 'top', run: () => call(url, 'GET', `/reports/daily?area=${BENCH.offices.province}&from=${FROZEN_DAYS[0]}&to=${FROZEN_DAYS.at(-1)}`, t('province')) },
    { name: 'daily report county CSV', goal: 'top', run: () => call(url, 'GET', `/reports/daily?area=${BENCH.offices.county}&from=${FROZEN_DAYS[0]}&to=${FROZEN_DAYS.at(-1)}&format=csv`, t('county')) },
    { name: 'quality province', goal: 'top', run: () => call(url, 'GET', `/quality?area=${BENCH.offices.province}`, t('province')) },
    { name: 'quality township', goal: 'top', run: () => call(url, 'GET', `/quality?area=${BENCH.offices.township}`, t('township')) },
    { name: 'quality enumerators township', goal: 'top', run: () => call(url, 'GET', `/quality/enumerators?area=${BENCH.offices.township}`, t('township')) },
    { name: 'households behind births, county', goal: 'top', run: () => call(url, 'GET', `/quality/households?area=${BENCH.offices.county}&signal=birthsPer1000`, t('county')) },
    { name: 'acceptance inbox, township', goal: 'top', run: () => call(url, 'GET', `/acceptance?area=${BENCH.offices.township}&state=submitted`, t('township')) },
    { name: 'admin pull, one page', run: () => call(url, 'GET', '/sync/pull', t('admin')) },
    { name: 'admin status, one page', run: () => call(url, 'GET', '/supervision/status', t('admin')) },
  ];
  const figures = new Map<string, Figure>();
  for (const m of measures) {
    const ms: number[] = [];
    const statuses = new Map<number, number>();
    const before = fiveXX;
    for (let i = -2; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await m.run(i);
      const dt = performance.now() - t0;
      if (i >= 0) ms.push(dt);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    figures.set(m.name, { p50: pct(ms, 50), p95: pct(ms, 95), n5xx: fiveXX - before, statuses: [...statuses].map(([k, v]) => `${k}x${v}`).join(' ') });
  }
  // Plans of the scoped callers' reads (and the offices' progress), on this store.
  const plans = new Map<string, { sql: string; plan: string[] }[]>();
  const explained: [string, () => Promise<unknown>][] = [
    ['pull (enumerator)', () => call(url, 'GET', '/sync/pull', t('enumerator'))],
    ['status (supervisor of 10)', () => call(url, 'GET', '/supervision/status', t('sup10'))],
    ['progress (supervisor)', () => call(url, 'GET', '/progress', t('sup10'))],
    ['progress district (area office)', () => call(url, 'GET', `/progress?area=${c0}`, t('area'))],
    ['progress area (office)', () => call(url, 'GET', `/progress?area=${BENCH.offices.area}`, t('area'))],
    ['progress county (office)', () => call(url, 'GET', `/progress?area=${BENCH.offices.county}`, t('county'))],
    ['progress province (office)', () => call(url, 'GET', `/progress?area=${BENCH.offices.province}`, t('province'))],
  ];
  for (const [name, fn] of explained) {
    await ask(s, 'record', 'recording');
    await fn();
    plans.set(name, (await ask<{ plans: { sql: string; plan: string[] }[] }>(s, 'explain', 'plans')).plans);
  }
  return { figures, plans };
}

/** Push the 3-district store's households through the real server, as its enumerators would. */
async function pushSmall(s: Server) {
  for (let i = 0; i < 3; i++) {
    const token = await login(s.url, enumUsername(i), `dev-e${i}`);
    const mutations = Array.from({ length: householdsOf(i) }, (_, k) => {
      const data = householdOf(i, k);
      return { id: crypto.randomUUID(), entity: 'household', entityId: data.id, baseVersion: 0, createdAt: new Date().toISOString(), data };
    });
    const r = await call(s.url, 'POST', '/sync/push', token, { deviceId: `dev-e${i}`, protocolVersion: PROTOCOL_VERSION, mutations, device: { pending: 0, appVersion: '1.0.0' } });
    const results = (JSON.parse(r.text) as { results: { status: string }[] }).results;
    if (r.status !== 200 || results.some((x) => x.status !== 'applied')) throw new Error(`seed push: ${r.status} ${r.text.slice(0, 300)}`);
  }
}

// ---------- plans ----------

const BIG = ['users', 'devices', 'listing', 'registrations', 'revisions'];
/** The tables a statement names, by alias (SQLite's plans speak of aliases). */
function aliases(sql: string): Map<string, string> {
  const m = new Map<string, string>();
  const kw = new Set(['where', 'join', 'left', 'on', 'group', 'order', 'limit', 'union', 'inner', 'as']);
  for (const x of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?/gi)) {
    const table = (x[1] ?? '').toLowerCase();
    const alias = (x[2] ?? '').toLowerCase();
    m.set(table, table);
    if (alias && !kw.has(alias)) m.set(alias, table);
  }
  return m;
}
function fullScans(kind: Kind, sql: string, plan: string[]): string[] {
  const out: string[] = [];
  const names = aliases(sql);
  for (const line of plan) {
    if (kind === 'sqlite') {
      const m = /\bSCAN (\w+)/.exec(line);
      if (m?.[1] && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line)) {
        const table = names.get(m[1].toLowerCase()) ?? m[1].toLowerCase();
        if (BIG.includes(table)) out.push(`${table}: ${line.trim()}`);
      }
    } else {
      const m = /Seq Scan on (\w+)/.exec(line);
      if (m?.[1] && BIG.includes(m[1])) out.push(`${m[1]}: ${line.trim()}`);
    }
  }
  return out;
}

// ---------- users import ----------

async function writeUsersCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('username,name,role,districts,supervisor,scope\n');
  let n = 0;
  for (const u of users(DISTRICTS)) {
    if (u.role === 'admin') continue; // admins are not imported from a file (add-user)
    await write(`${u.username},${u.name},${u.role},${u.district !== undefined ? code(u.district) : ''},${u.supervisorUsername ?? ''},${u.scope ?? ''}\n`);
    n++;
  }
  await new Promise<void>((r) => out.end(() => r()));
  return n;
}

function importUsers(ref: StoreRef, csv: string): Promise<{ seconds: number; created: number; newDistricts: number; rssMb: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/scale-lib/import-users.ts'], { env: { ...process.env, ...ref.env, SCALE_USERS_CSV: csv }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (c) => {
      const m = /RESULT (.*)/.exec(out);
      if (c === 0 && m?.[1]) resolve(JSON.parse(m[1]) as { seconds: number; created: number; newDistricts: number; rssMb: number });
      else reject(new Error(`users import exited ${c}: ${out.slice(-500)}`));
    });
  });
}

// ---------- report ----------

const f1 = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
function report(kind: Kind, load: LoadStats | undefined, small: Map<string, Figure>, big: Map<string, Figure>, plans: Map<string, { sql: string; plan: string[] }[]>, imported: { seconds: number; created: number } | undefined, goals: Map<string, Measure['goal']>) {
  const lines: string[] = [];
  const p = (s: string) => lines.push(s);
  p(`\n${kind}: province ${DISTRICTS.toLocaleString('en')} districts, ${load?.users.toLocaleString('en')} users, ${load?.registrations.toLocaleString('en')} registrations, ${load?.listing.toLocaleString('en')} listing entries`);
  if (load) p(`  bulk load ${load.seconds.toFixed(0)} s (incl. rebuildProgress of ${load.progressRows.toLocaleString('en')} nodes${kind === 'postgres' ? ' and ANALYZE' : ''})`);
  p(`  ${'measure'.padEnd(32)} ${'3-district p50/p95'.padStart(20)} ${'province p50/p95'.padStart(20)} ${'ratio'.padStart(6)}  statuses (province)`);
  const misses: string[] = [];
  for (const [name, b] of big) {
    const a = small.get(name);
    const ratio = a ? b.p50 / a.p50 : NaN;
    p(`  ${name.padEnd(32)} ${`${f1(a?.p50 ?? NaN)} / ${f1(a?.p95 ?? NaN)} ms`.padStart(20)} ${`${f1(b.p50)} / ${f1(b.p95)} ms`.padStart(20)} ${ratio.toFixed(2).padStart(6)}  ${b.statuses}`);
    const g = goals.get(name);
    if (g === 'scoped' && ratio > 3) misses.push(`${name}: ${ratio.toFixed(2)}x the 3-district p50`);
    if (g === 'top' && b.p95 >= 500) misses.push(`${name}: p95 ${b.p95.toFixed(0)} ms >= 500 ms`);
    if (b.n5xx + (a?.n5xx ?? 0) > 0) misses.push(`${name}: ${b.n5xx + (a?.n5xx ?? 0)} 5xx`);
  }
  if (imported) {
    p(`  users import (importUsersFile, ${imported.created.toLocaleString('en')} accounts into an empty store): ${imported.seconds.toFixed(0)} s`);
    if (imported.seconds >= 600) misses.push(`users import ${imported.seconds.toFixed(0)} s >= 600 s`);
  }
  p('  query plans of the province store (a whole-table read of users, devices, listing, registrations or revisions is flagged):');
  for (const [name, stmts] of plans) {
    const scans = stmts.flatMap((s) => fullScans(kind, s.sql, s.plan).map((x) => ({ x, s })));
    p(`    ${name.padEnd(34)} ${stmts.length} SELECT(s): ${scans.length === 0 ? 'no full scan' : `FULL SCAN ${scans.map((x) => x.x).join('; ')}`}`);
    for (const { s } of scans.slice(0, 2)) p(`      ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}\n        ${s.plan.join('\n        ')}`);
  }
  p(`  goals: no 5xx: ${fiveXX === 0 ? 'yes' : `NO (${fiveXX})`}; scoped requests within 3x, province/city progress and the office desk p95 < 500 ms, users import < 10 min: ${misses.length === 0 ? 'all met' : `MISSED: ${misses.join('; ')}`}`);
  console.log(lines.join('\n'));
}

/** Seven daily rows frozen before the requests (each a copy of every node's counters). */
const FROZEN_DAYS = ['2020-11-01', '2020-11-02', '2020-11-03', '2020-11-04', '2020-11-05', '2020-11-06', '2020-11-07'];
async function freezeDays(ref: StoreRef): Promise<{ seconds: number; nodes: number }> {
  const store = await ref.open();
  try {
    const t0 = performance.now();
    let nodes = 0;
    for (const day of FROZEN_DAYS) nodes = (await store.office.freezeDay(day, { late: false, at: new Date().toISOString() })).nodes;
    return { seconds: (performance.now() - t0) / 1000 / FROZEN_DAYS.length, nodes };
  } finally {
    await store.close();
  }
}

async function runStore(kind: Kind) {
  log(`${kind}: 3-district store`);
  const smallRef = storeRef(kind, 'small');
  await seedSmall(smallRef);
  await freezeDays(smallRef);
  let s = await startServer(smallRef);
  let small: Map<string, Figure>;
  try {
    await pushSmall(s);
    ({ figures: small } = await measureAll(s, false));
  } finally {
    await stopServer(s);
  }
  log(`${kind}: province store, bulk load`);
  const bigRef = storeRef(kind, 'province');
  const load = await loadBig(bigRef);
  if (kind === 'sqlite') log(`  file ${(statSync(bigRef.env.SCALE_DB ?? '').size / 1e9).toFixed(1)} GB`);
  const frozen = await freezeDays(bigRef);
  log(`  daily freeze: ${frozen.seconds.toFixed(1)} s a day for ${frozen.nodes.toLocaleString('en')} nodes`);
  s = await startServer(bigRef);
  let big: Map<string, Figure>;
  let plans: Map<string, { sql: string; plan: string[] }[]>;
  try {
    log(`${kind}: province store, requests`);
    ({ figures: big, plans } = await measureAll(s, true));
  } finally {
    await stopServer(s);
  }
  if (kind === 'sqlite') rmSync(bigRef.env.SCALE_DB ?? '', { force: true });
  let imported: { seconds: number; created: number; newDistricts: number; rssMb: number } | undefined;
  if (process.env.BENCH_SKIP_IMPORT !== '1') {
    const csv = join(dir, 'users.csv');
    const n = await writeUsersCsv(csv);
    log(`${kind}: users import of ${n} rows into an empty store`);
    const ref = storeRef(kind, 'import');
    const store = await ref.open(); // empty, migrated
    await store.close();
    imported = await importUsers(ref, csv);
    log(`  ${imported.seconds.toFixed(0)} s, ${imported.newDistricts} placeholder districts, peak RSS ~${imported.rssMb} MB`);
  }
  const goals = new Map<string, Measure['goal']>(
    ['login (enumerator)', 'pull one district, no cursor', 'progress district (area office)', 'progress, supervisor own node', 'status, supervisor of 10 (3)', 'status, supervisor of 3', 'export one district JSON', 'export one district CSV', 'push 10 households'].map((n) => [n, 'scoped' as const]),
  );
  goals.set('progress province (office)', 'top');
  goals.set('progress city (office)', 'top');
  for (const n of ['daily report province, 7 days', 'daily report county CSV', 'quality province', 'quality township', 'quality enumerators township', 'households behind births, county', 'acceptance inbox, township']) goals.set(n, 'top');
  report(kind, load, small, big, plans, imported, goals);
  // BENCH_PLANS_OUT=<file>: every recorded statement with its plan, for a closer look.
  if (process.env.BENCH_PLANS_OUT) writeFileSync(`${process.env.BENCH_PLANS_OUT}.${kind}.json`, JSON.stringify(Object.fromEntries(plans), null, 1));
}

console.log(`scale bench: ${DISTRICTS.toLocaleString('en')} districts, ${RUNS} requests per measure, one at a time; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
try {
  for (const kind of STORES as Kind[]) await runStore(kind);
  if (unexpected.length > 0) console.log(`non-2xx answers seen:\n  ${unexpected.join('\n  ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (schemas.length > 0) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    for (const sc of schemas) await c.query(`DROP SCHEMA IF EXISTS ${sc} CASCADE`);
    await c.end();
  }
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
