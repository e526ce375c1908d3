// The server process of bench/scale.ts: the real app (buildApp) on an existing store, on a
// random port, so the load generator does not share its event loop. Over IPC the bench can
// switch statement recording on and off and have the recorded SELECTs explained
// (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL) on the store's own connection.
import { buildApp } from '../../src/server/app.ts';
import type { SqlDriver, SqlExec } from '../../src/server/store/sql-driver.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';

interface Recorded {
  sql: string;
  params: readonly unknown[];
}
let recording = false;
let seen: Recorded[] = [];
let raw: SqlDriver | undefined;
const wrap = (d: SqlDriver): SqlDriver => {
  raw = d;
  const rec = (sql: string, params: readonly unknown[] = []) => {
    if (recording) seen.push({ sql, params });
  };
  const exec = (q: SqlExec): SqlExec => ({
    all: (sql, params) => (rec(sql, params), q.all(sql, params)),
    run: (sql, params) => (rec(sql, params), q.run(sql, params)),
    lockKeys: (keys) => q.lockKeys(keys),
  });
  return { kind: d.kind, ...exec(d), tx: (fn) => d.tx((q) => fn(exec(q))), close: () => d.close() };
};

const store = process.env.SCALE_PG_URL
  ? await openPostgresStore(process.env.SCALE_PG_URL, { schema: process.env.SCALE_PG_SCHEMA ?? 'bench', poolSize: 10, wrap })
  : await openSqliteStore(process.env.SCALE_DB ?? 'data/scale.sqlite', { wrap });
const app = await buildApp({ store });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

async function explain(r: Recorded): Promise<string[]> {
  if (!raw) return [];
  if (raw.kind === 'sqlite') return (await raw.all(`EXPLAIN QUERY PLAN ${r.sql}`, r.params)).map((x) => String(x.detail));
  return (await raw.all(`EXPLAIN ${r.sql}`, r.params)).map((x) => String(x['QUERY PLAN']));
}

process.on('message', (m: { op: string }) => {
  if (m.op === 'record') {
    recording = true;
    seen = [];
    process.send?.({ op: 'recording' });
  } else if (m.op === 'explain') {
    recording = false;
    const statements = seen.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql));
    void (async () => {
      const out: { sql: string; plan: string[] }[] = [];
      for (const s of statements) out.push({ sql: s.sql, plan: await explain(s).catch((e: unknown) => [`EXPLAIN failed: ${String(e)}`]) });
      process.send?.({ op: 'plans', plans: out });
    })();
  }
});
process.on('SIGTERM', () => {
  void app.close().then(() => store.close()).then(() => process.exit(0));
});
process.stdout.write(`READY ${address}\n`);
