// Ingest of generated households by N concurrent simulated devices over real HTTP on loopback,
// against SQLite and PostgreSQL, each server in its own process. Prints persons/s, p50/p99 per
// push, and the ratio to a raw baseline: the same rows inserted by a bare better-sqlite3 / pg
// loop in batches of the same size (WAL + synchronous=FULL, synchronous_commit=on).
// Env: BENCH_DEVICES (200), BENCH_HOUSEHOLDS per device (60), BENCH_BATCH households per push (10),
// BENCH_STORES (sqlite,postgres), BENCH_TARGET persons/s for the paced phase (5000),
// PUCHA_TEST_DATABASE_URL. The machine's load average is printed: other work skews the figures.
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { generateDistrict, PushResponseSchema, type Registration } from '../src/domain/index.ts';
import { deviceCount, deviceId, districtCode, token, userId } from './server-lib/ingest-setup.ts';
import { cpuOf, startProcess, stopProcess } from './server-lib/process.ts';

const N = deviceCount();
const H = Number(process.env.BENCH_HOUSEHOLDS ?? 60);
const B = Number(process.env.BENCH_BATCH ?? 10);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const PG_URL = process.env.PUCHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

console.log(`generating ${N} districts x ${H} households ...`);
const perDevice: Registration[][] = [];
for (let i = 0; i < N; i++) perDevice.push(generateDistrict({ seed: 1000 + i, code: districtCode(i), enumerators: [userId(i)], households: H, registeredShare: 1 }).registrations);
const households = perDevice.reduce((n, r) => n + r.length, 0);
const persons = perDevice.reduce((n, rs) => n + rs.reduce((m, r) => m + r.persons.length, 0), 0);
const batches = perDevice.map((rs) => {
  const out: Registration[][] = [];
  for (let k = 0; k < rs.length; k += B) out.push(rs.slice(k, k + B));
  return out;
});
console.log(`${households} households, ${persons} persons, ${B} households per push, ${N} devices; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

const startServer = (env: Record<string, string>) => startProcess('bench/server-lib/ingest-server.ts', env, (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));

// Bodies are serialised before the clock starts, so the load generator (same 2 cores) spends
// as little CPU as possible.
const bodies = batches.map((device, i) =>
  device.map((regs) =>
    JSON.stringify({
      deviceId: deviceId(i),
      mutations: regs.map((r) => ({ id: randomUUID(), entity: 'household', entityId: r.id, baseVersion: 0, createdAt: r.updatedAt, data: r })),
      device: { pending: 0, appVersion: 'bench' },
    }),
  ),
);
const personsPerPush = persons / bodies.reduce((n, d) => n + d.length, 0);

/**
 * Every device pushes its batches. `intervalMs` 0: back to back (saturation, closed loop);
 * otherwise each device starts a push every `intervalMs` (offered load), phases spread evenly.
 */
async function drive(url: string, bodiesOf: string[][], intervalMs: number) {
  const latencies: number[] = [];
  let notApplied = 0;
  const t0 = performance.now();
  await Promise.all(
    bodiesOf.map(async (device, i) => {
      const headers = { authorization: `Bearer ${token(i)}`, 'content-type': 'application/json' };
      const offset = intervalMs ? (i / bodiesOf.length) * intervalMs : 0;
      for (const [k, body] of device.entries()) {
        if (intervalMs) {
          const due = t0 + offset + k * intervalMs;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const t = performance.now();
        const res = await fetch(`${url}/api/v1/sync/push`, { method: 'POST', headers, body });
        const parsed = PushResponseSchema.parse(await res.json());
        latencies.push(performance.now() - t);
        notApplied += parsed.results.filter((x) => x.status !== 'applied').length;
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies, notApplied };
}

function rawSqlite(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE registrations (id TEXT PRIMARY KEY, district_code TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO registrations (id, district_code, version, data) VALUES (?, ?, 1, ?)');
  const tx = db.transaction((regs: Registration[]) => {
    for (const r of regs) ins.run(r.id, r.districtCode, JSON.stringify(r));
  });
  const t0 = performance.now();
  for (const device of batches) for (const regs of device) tx(regs);
  const s = (performance.now() - t0) / 1000;
  db.close();
  return s;
}

async function rawPg(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema} -c synchronous_commit=on` });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query('CREATE TABLE registrations (id TEXT PRIMARY KEY, district_code TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)');
  const t0 = performance.now();
  for (const device of batches) {
    for (const regs of device) {
      await client.query('BEGIN');
      const values = regs.map((_, k) => `($${k * 3 + 1}, $${k * 3 + 2}, 1, $${k * 3 + 3})`).join(', ');
      await client.query(`INSERT INTO registrations (id, district_code, version, data) VALUES ${values}`, regs.flatMap((r) => [r.id, r.districtCode, JSON.stringify(r)]));
      await client.query('COMMIT');
    }
  }
  const s = (performance.now() - t0) / 1000;
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
  return s;
}

function line(label: string, personsSent: number, r: { seconds: number; latencies: number[]; notApplied: number; cpuUs: number }, raw?: number) {
  const rate = personsSent / r.seconds;
  console.log(
    `  ${label.padEnd(34)} ${rate.toFixed(0).padStart(6)} persons/s  p50 ${pct(r.latencies, 50).toFixed(0).padStart(5)} ms  p99 ${pct(r.latencies, 99).toFixed(0).padStart(5)} ms  ` +
      `server CPU ${(r.cpuUs / personsSent).toFixed(0)} us/person (${((personsSent / r.cpuUs) * 1e6).toFixed(0)} persons per CPU-second)  ` +
      `(${r.latencies.length} pushes, ${r.notApplied} not applied)${raw ? `  raw loop ${raw.toFixed(0)} persons/s, ratio ${(rate / raw).toFixed(2)}` : ''}`,
  );
}

async function measured(child: ChildProcess, url: string, bodiesOf: string[][], intervalMs: number) {
  const c0 = await cpuOf(child);
  const r = await drive(url, bodiesOf, intervalMs);
  return { ...r, cpuUs: (await cpuOf(child)) - c0 };
}

/**
 * Per device: the first batch warms the server up (not measured), the first half of the rest
 * is pushed back to back (saturation: the most the server takes), the second half at the
 * target rate (what a phone waits for at that load).
 */
async function run(name: string, child: ChildProcess, url: string, rawPersonsPerSecond: number) {
  console.log(`${name}:`);
  const warm = bodies.map((d) => d.slice(0, 1));
  const cut = (d: string[]) => 1 + Math.ceil((d.length - 1) / 2);
  const sat = bodies.map((d) => d.slice(1, cut(d)));
  const paced = bodies.map((d) => d.slice(cut(d)));
  const count = (bs: string[][]) => bs.reduce((n, d) => n + d.length, 0) * personsPerPush;
  await drive(url, warm, 0);
  line(`saturation (${N} devices back to back)`, count(sat), await measured(child, url, sat, 0), rawPersonsPerSecond);
  const target = Number(process.env.BENCH_TARGET ?? 5000);
  const intervalMs = (N * personsPerPush * 1000) / target;
  line(`paced: ${target} persons/s offered`, count(paced), await measured(child, url, paced, intervalMs));
}

const dir = mkdtempSync(join(tmpdir(), 'pucha-bench-'));
try {
  if (STORES.includes('sqlite')) {
    const raw = persons / rawSqlite(join(dir, 'raw.sqlite'));
    const s = await startServer({ BENCH_DB: join(dir, 'server.sqlite'), BENCH_DEVICES: String(N) });
    try {
      await run('sqlite', s.child, s.url, raw);
    } finally {
      await stopProcess(s.child);
    }
  }
  if (STORES.includes('postgres')) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const raw = persons / (await rawPg(`${schema}_raw`));
    const s = await startServer({ BENCH_PG_URL: PG_URL, BENCH_PG_SCHEMA: schema, BENCH_DEVICES: String(N) });
    try {
      await run('postgres', s.child, s.url, raw);
    } finally {
      await stopProcess(s.child);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
