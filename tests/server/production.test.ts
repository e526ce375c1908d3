// Production start (`npm run serve`, NODE_ENV=production) and `admin migrate`, as real
// processes: the schema must be migrated first, demo accounts are never seeded and a store
// holding the demo password is refused; migrate and first starts are safe from several
// processes at once (PostgreSQL) and on SQLite.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, seedDemo } from '../../src/server/index.ts';
import { PG_URL, pgAvailableOrSkip, tempSchemas } from './pg-test-db.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'pucha-prod-'));
  dirs.push(d);
  return d;
}

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function run(script: string, args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Starts main.ts; resolves with its URL once it listens, or with its exit when it refuses. */
function start(env: Record<string, string>): Promise<{ url?: string; ran?: Ran; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PUCHA_BUILD: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`neither listening nor exited: ${out} ${err}`)), 60_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(t);
        resolve({ url: m[1], child, stop });
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ ran: { code, out, err }, child, stop });
    });
  });
}

describe('production start and migrate on SQLite', () => {
  it('[PM1] serve refuses an unmigrated store, admin migrate applies once, serve then starts without demo data', async () => {
    const db = join(tempDir(), 'db.sqlite');
    const env = { NODE_ENV: 'production', PUCHA_DB: db };
    const refused = await start(env);
    expect(refused.url).toBeUndefined();
    expect(refused.ran?.code).toBe(1);
    expect(refused.ran?.err).toMatch(/schema is at version 0.*npm run admin -- migrate/);

    const first = await run('src/server/cli.ts', ['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^migrate: applied 1, 2, \d/);
    const again = await run('src/server/cli.ts', ['migrate'], env);
    expect(again.out).toMatch(/^migrate: nothing to apply; schema at version (\d+) of \1/);

    const up = await start(env);
    try {
      expect(up.url).toBeDefined();
      const health = await fetch(`${up.url}/api/v1/readyz`);
      expect(health.status).toBe(200);
      // no demo account was made: demo-admin cannot sign in
      const login = await fetch(`${up.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo-admin', password: 'pucha-demo', deviceId: 'dev-prod-1' }),
      });
      expect(login.status).toBe(401);
    } finally {
      await up.stop();
    }
    const store = await openSqliteStore(db, { migrate: false });
    expect(await store.hasUsers()).toBe(false);
    await store.close();
  });

  it('[PM2] serve refuses a store where a demo account still has the demo password, and PUCHA_DEMO=1', async () => {
    const db = join(tempDir(), 'db.sqlite');
    const store = await openSqliteStore(db);
    await seedDemo(store, { households: 2 });
    await store.close();
    const refused = await start({ NODE_ENV: 'production', PUCHA_DB: db });
    expect(refused.ran?.code).toBe(1);
    expect(refused.ran?.err).toMatch(/demo accounts with the demo password \(demo-supervisor, demo-enumerator, demo-enumerator-2, demo-admin, demo-county, demo-township\)/);
    // one demo account left with the demo password is enough to refuse; with all disabled, it serves
    const s2 = await openSqliteStore(db);
    for (const u of ['demo-supervisor', 'demo-enumerator', 'demo-enumerator-2', 'demo-county', 'demo-township']) {
      const found = await s2.findUserByUsername(u);
      if (!found) throw new Error(u);
      await s2.setUserDisabled(found.id, true, new Date().toISOString());
    }
    await s2.close();
    const stillOne = await start({ NODE_ENV: 'production', PUCHA_DB: db });
    expect(stillOne.ran?.err).toMatch(/demo password \(demo-admin\)/);
    const s3 = await openSqliteStore(db);
    const admin = await s3.findUserByUsername('demo-admin');
    if (!admin) throw new Error('demo-admin');
    await s3.setUserDisabled(admin.id, true, new Date().toISOString());
    await s3.close();
    const up = await start({ NODE_ENV: 'production', PUCHA_DB: db });
    expect(up.url).toBeDefined();
    await up.stop();

    const demo = await start({ NODE_ENV: 'production', PUCHA_DB: join(tempDir(), 'x.sqlite'), PUCHA_DEMO: '1' });
    expect(demo.ran?.code).toBe(1);
    expect(demo.ran?.err).toMatch(/PUCHA_DEMO=1/);
  });

  it('[PM3] admin backup writes a consistent copy of the live SQLite store', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    const store = await openSqliteStore(db);
    await seedDemo(store, { households: 5 });
    const counts = await store.tableCounts();
    await store.close();
    const out = join(dir, 'copy.sqlite');
    const r = await run('src/server/cli.ts', ['backup', '--out', out], { PUCHA_DB: db });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const copy = await openSqliteStore(out, { migrate: false });
    expect(await copy.tableCounts()).toEqual(counts);
    expect((await copy.schemaVersion()).current).toBe((await copy.schemaVersion()).latest);
    await copy.close();
    // never over an existing file
    expect((await run('src/server/cli.ts', ['backup', '--out', out], { PUCHA_DB: db })).code).toBe(1);
  });
});

describe('several processes at once on PostgreSQL', async () => {
  const ok = await pgAvailableOrSkip();
  const schemas = tempSchemas();
  afterAll(() => schemas.dropAll());
  const freshSchema = schemas.fresh;

  it.runIf(ok)('[PM4] three concurrent admin migrate runs apply each migration exactly once', async () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: PG_URL, PUCHA_PG_SCHEMA: freshSchema() };
    const runs = await Promise.all([1, 2, 3].map(() => run('src/server/cli.ts', ['migrate'], env)));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.filter((r) => /applied 1, 2/.test(r.out))).toHaveLength(1);
    expect(runs.filter((r) => /nothing to apply/.test(r.out))).toHaveLength(2);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    const rows = (await c.query<{ version: number }>(`SELECT version FROM ${env.PUCHA_PG_SCHEMA}.schema_migrations ORDER BY version`)).rows;
    await c.end();
    expect(rows.map((r) => r.version)).toEqual([...new Set(rows.map((r) => r.version))]);
    expect(rows[0]?.version).toBe(1);
  });

  it.runIf(ok)('[PM5] three development nodes starting together on an empty database: all serve, one seeds the demo', async () => {
    const env = { DATABASE_URL: PG_URL, PUCHA_PG_SCHEMA: freshSchema(), PUCHA_DEMO: '1' };
    const nodes = await Promise.all([1, 2, 3].map(() => start(env)));
    try {
      expect(nodes.map((n) => n.ran?.err ?? 'listening')).toEqual(['listening', 'listening', 'listening']);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      const users = (await c.query<{ username: string }>(`SELECT username FROM ${env.PUCHA_PG_SCHEMA}.users ORDER BY username`)).rows.map((r) => r.username);
      await c.end();
      // every node has finished its start (listening), so the winner's seed is complete
      expect(users).toEqual(['demo-admin', 'demo-county', 'demo-enumerator', 'demo-enumerator-2', 'demo-supervisor', 'demo-township']);
      for (const n of nodes) {
        const login = await fetch(`${n.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'demo-enumerator', password: 'pucha-demo', deviceId: `dev-${randomBytes(4).toString('hex')}` }),
        });
        expect(login.status).toBe(200);
      }
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
