// R1 of reliability.md: the server is killed with SIGKILL at random points while devices push;
// restarted on the same SQLite file (or PostgreSQL schema), every mutation acknowledged before a
// kill is there exactly once, and re-pushing everything (acknowledged or not) ends with each
// mutation applied once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PushResponseSchema, type Mutation } from '../../src/domain/index.ts';
import { D1, D2, householdMutation, registration } from './fixtures.ts';
import { PG_URL, pgAvailableOrSkip } from './pg-test-db.ts';

/** Where the crashed server keeps its data, and a way to read it back independently of the server. */
interface Backend {
  name: string;
  env: Record<string, string>;
  /** One integer from `sql` (positional `?` parameters). */
  count(sql: string, params?: string[]): Promise<number>;
  mutation(id: string): Promise<{ status: string; version: number } | undefined>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-crash-'));
  const path = join(dir, 'db.sqlite');
  let db: Database.Database | undefined;
  const open = () => (db ??= new Database(path, { readonly: true }));
  return {
    name: 'sqlite',
    env: { CRASH_DB: path },
    count: (sql, params = []) => Promise.resolve(Number((open().prepare(sql).get(...params) as { n: number }).n)),
    mutation: (id) => Promise.resolve(open().prepare('SELECT status, version FROM mutations WHERE id = ?').get(id) as { status: string; version: number } | undefined),
    cleanup: () => {
      db?.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

function postgresBackend(): Backend {
  const schema = `crash_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
  const numbered = (sql: string) => {
    let i = 0;
    return sql.replace(/\?/g, () => `$${++i}`);
  };
  return {
    name: 'postgres',
    env: { CRASH_PG_URL: PG_URL, CRASH_PG_SCHEMA: schema },
    count: async (sql, params = []) => Number((await pool.query<{ n: string }>(numbered(sql), params)).rows[0]?.n),
    mutation: async (id) => {
      const r = (await pool.query<{ status: string; version: number }>('SELECT status, version FROM mutations WHERE id = $1', [id])).rows[0];
      return r ? { status: r.status, version: Number(r.version) } : undefined;
    },
    cleanup: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

interface Server {
  child: ChildProcess;
  url: string;
}

function start(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/server/crash-server.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let errOut = '';
    const timer = setTimeout(() => reject(new Error(`server not ready after 30 s: ${out} ${errOut}`)), 30_000);
    child.stderr?.on('data', (b: Buffer) => (errOut += b.toString()));
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${errOut}`));
    });
  });
}

function kill(s: Server): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

async function crashRun(backend: Backend): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  const deviceId = randomUUID();
  const env = { ...backend.env, CRASH_TOKEN: token, CRASH_DEVICE: deviceId };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const acknowledged = new Map<string, number>(); // mutation id -> version
  const attempted: Mutation[][] = [];
  const rng = fc.sample(fc.integer({ min: 20, max: 400 }), { numRuns: 6, seed: 20201101 });
  let server: Server | undefined;
  try {
    for (const delay of rng) {
      server = await start(env);
      const url = server.url;
      let stop = false;
      // four devices' worth of pushes in flight until the kill
      const workers = Array.from({ length: 4 }, async (_, w) => {
        while (!stop) {
          const batch = Array.from({ length: 10 }, () => householdMutation(registration(w % 2 ? D1 : D2)));
          attempted.push(batch);
          try {
            const res = await fetch(`${url}/api/v1/sync/push`, { method: 'POST', headers, body: JSON.stringify({ deviceId, mutations: batch }), signal: AbortSignal.timeout(15_000) });
            const body = PushResponseSchema.parse(await res.json());
            for (const r of body.results) if (r.status === 'applied' || r.status === 'duplicate') acknowledged.set(r.id, r.version ?? -1);
          } catch {
            return; // the server died under us: this answer is lost
          }
        }
      });
      await new Promise((r) => setTimeout(r, delay));
      await kill(server);
      stop = true;
      await Promise.all(workers);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // Restart on the same file: everything acknowledged is there exactly once.
    server = await start(env);
    for (const [id, version] of acknowledged) {
      expect(await backend.count('SELECT count(*) AS n FROM revisions WHERE mutation_id = ?', [id])).toBe(1);
      expect(await backend.mutation(id)).toEqual({ status: 'applied', version });
    }
    // The phones retry everything they never heard back about: each mutation ends applied once.
    const restarted = server.url;
    const queue = [...attempted];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = queue.shift(); batch; batch = queue.shift()) {
          const res = await fetch(`${restarted}/api/v1/sync/push`, { method: 'POST', headers, body: JSON.stringify({ deviceId, mutations: batch }), signal: AbortSignal.timeout(15_000) });
          const body = PushResponseSchema.parse(await res.json());
          for (const r of body.results) expect(['applied', 'duplicate']).toContain(r.status);
        }
      }),
    );
    const total = attempted.reduce((n, b) => n + b.length, 0);
    expect(acknowledged.size).toBeLessThan(total); // some answers really were lost to the kills
    console.log(`crash test (${backend.name}): ${rng.length} kills, ${acknowledged.size} acknowledged of ${total} pushed`);
    expect(await backend.count('SELECT count(*) AS n FROM revisions')).toBe(total);
    expect(await backend.count('SELECT count(DISTINCT mutation_id) AS n FROM revisions')).toBe(total);
    expect(await backend.count('SELECT count(*) AS n FROM registrations')).toBe(total);
  } finally {
    if (server) await kill(server);
    await backend.cleanup();
  }
}

describe('crash safety', () => {
  it('[CR1] SIGKILL during pushes loses no acknowledged mutation and duplicates none (SQLite)', () => crashRun(sqliteBackend()), 90_000);
});

const pgAvailable = await pgAvailableOrSkip();
describe.runIf(pgAvailable)('crash safety on PostgreSQL', () => {
  it('[CR2] SIGKILL during pushes loses no acknowledged mutation and duplicates none (PostgreSQL)', () => crashRun(postgresBackend()), 90_000);
});
