// Several API nodes on one PostgreSQL database, as real processes (src/server/main.ts): phones
// send each request to the next node, one node is SIGKILLed during the pushes and started again.
// Every acknowledged mutation is stored exactly once; a reader pulling page by page through
// random nodes sees every (entity, id, version) the database holds in its scope; the per-device
// push limit and the sign-in delays count across nodes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { D1, D2, householdMutation, registration } from './fixtures.ts';
import { PASSWORD, seedFixtures } from './harness.ts';
import { PG_URL, pgAvailableOrSkip, tempSchemas } from './pg-test-db.ts';

const ok = await pgAvailableOrSkip();
const schemas = tempSchemas();
const schema = schemas.fresh();
const PUSH_LIMIT = 40;
const BATCHES = 12;

interface Node {
  url: string;
  child: ChildProcess;
}

function startNode(): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PUCHA_BUILD: '0', PUCHA_DEMO: '0', DATABASE_URL: PG_URL, PUCHA_PG_SCHEMA: schema, PUCHA_PUSH_PER_MINUTE: String(PUSH_LIMIT) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr.on('data', () => undefined);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`node did not start: ${out}`)), 60_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(t);
        resolve({ url: m[1], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`node exited ${code}: ${out}`)));
  });
}

const nodes: (Node | undefined)[] = [];
afterAll(async () => {
  for (const n of nodes) n?.child.kill('SIGKILL');
  if (ok) await schemas.dropAll();
});

let turn = 0;
/** The next node that is up (round robin), as a load balancer would pick it. */
function nextNode(): Node {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[turn++ % nodes.length];
    if (n && n.child.exitCode === null && n.child.signalCode === null) return n;
  }
  throw new Error('no node is up');
}

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}, node = nextNode()): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: r.status, json: await r.json() };
}

async function login(username: string, deviceId: string): Promise<string> {
  for (;;) {
    try {
      const r = await call('/api/v1/auth/login', { method: 'POST', body: { username, password: PASSWORD, deviceId } });
      if (r.status === 200) return (r.json as { token: string }).token;
    } catch {
      // that node just died: the next one
    }
  }
}

describe.runIf(ok)('three API nodes on one PostgreSQL database', () => {
  it('[MN1] SIGKILL of a node during pushes: every acknowledged mutation stored once, pulls through any node complete, push limit shared', async () => {
    const seedStore = await openPostgresStore(PG_URL, { schema });
    await seedFixtures(seedStore);
    await seedStore.close();
    nodes.push(...(await Promise.all([startNode(), startNode(), startNode()])));

    const acked = new Map<string, number>(); // mutation id -> version acknowledged
    const phone = async (p: number) => {
      const deviceId = `phone-${p}-${randomUUID()}`;
      const token = await login('enum', deviceId);
      for (let b = 0; b < BATCHES; b++) {
        const batch = Array.from({ length: 15 }, () => householdMutation(registration(p % 2 === 0 ? D1 : D2)));
        // the phone re-sends the same batch until it has an answer (network error, 5xx)
        for (let attempt = 0; ; attempt++) {
          if (attempt > 50) throw new Error('push never answered');
          try {
            const r = await call('/api/v1/sync/push', { method: 'POST', token, body: { deviceId, mutations: batch } });
            if (r.status !== 200) continue;
            for (const res of (r.json as { results: { id: string; status: string; version?: number }[] }).results) {
              expect(['applied', 'duplicate']).toContain(res.status);
              acked.set(res.id, res.version ?? -1);
            }
            break;
          } catch {
            // connection refused or reset by the killed node
          }
        }
      }
    };
    let ackedAtKill = -1;
    const killer = async () => {
      // in the middle of the pushes: a quarter acknowledged
      while (acked.size < 4 * BATCHES * 15 * 0.25) await new Promise((r) => setTimeout(r, 5));
      ackedAtKill = acked.size;
      nodes[1]?.child.kill('SIGKILL');
      nodes[1] = await startNode();
    };
    await Promise.all([phone(0), phone(1), phone(2), phone(3), killer()]);
    expect(acked.size).toBe(4 * BATCHES * 15);
    // the kill fell during the pushes, not after them
    expect(ackedAtKill).toBeGreaterThan(0);
    expect(ackedAtKill).toBeLessThan(acked.size * 0.6);

    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    const rev = await c.query<{ mutation_id: string; n: number; version: number }>(`SELECT mutation_id, count(*)::int AS n, max(version) AS version FROM ${schema}.revisions GROUP BY mutation_id`);
    const stored = new Map(rev.rows.map((r) => [r.mutation_id, r]));
    for (const [id, version] of acked) {
      expect(stored.get(id)?.n, id).toBe(1);
      expect(stored.get(id)?.version).toBe(version);
    }
    expect(rev.rows.every((r) => r.n === 1)).toBe(true);

    // A reader pulls page by page, each page from a random node.
    const readerToken = await login('enum', `reader-${randomUUID()}`);
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; ; pages++) {
      if (pages > 500) throw new Error('pull never ended');
      const q = `/api/v1/sync/pull?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await call(q, { token: readerToken }, nodes[Math.floor(Math.random() * nodes.length)] ?? nextNode());
      expect(r.status).toBe(200);
      const body = r.json as { changes: { entity: string; id: string; version: number }[]; cursor: string; more: boolean };
      for (const ch of body.changes) seen.add(`${ch.entity}:${ch.id}:${ch.version}`);
      cursor = body.cursor;
      if (!body.more) break;
    }
    const db = await c.query<{ k: string }>(
      `SELECT 'household:' || id || ':' || version AS k FROM ${schema}.registrations WHERE district_code IN ($1, $2)
       UNION ALL SELECT 'listing:' || id || ':' || version FROM ${schema}.listing WHERE district_code IN ($1, $2)`,
      [D1, D2],
    );
    await c.end();
    for (const row of db.rows) expect(seen.has(row.k), row.k).toBe(true);
    expect(db.rows.length).toBeGreaterThanOrEqual(acked.size);

    // One device's push limit is counted by all nodes together.
    const deviceId = `limit-${randomUUID()}`;
    const token = await login('enum', deviceId);
    const statuses: number[] = [];
    for (let i = 0; i < PUSH_LIMIT + 5; i++) statuses.push((await call('/api/v1/sync/push', { method: 'POST', token, body: { deviceId, mutations: [] } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(PUSH_LIMIT);
    expect(statuses.slice(PUSH_LIMIT)).toEqual([429, 429, 429, 429, 429]);

    // Sign-in failures of one user, each to the next node, count together: five are free, the
    // sixth makes the user wait (DEFAULT_LOGIN_LIMITS), so the seventh is refused on any node.
    const logins: number[] = [];
    for (let i = 0; i < 7; i++) logins.push((await call('/api/v1/auth/login', { method: 'POST', body: { username: 'sup2', password: 'wrong password', deviceId: `d-${i}` } })).status);
    expect(logins).toEqual([401, 401, 401, 401, 401, 401, 429]);
  }, 120_000);
});
