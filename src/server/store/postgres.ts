// PostgreSQL adapter (pg Pool), the store at scale. synchronous_commit=on so a commit is flushed
// before the push is answered; an optional schema (search_path) lets tests run side by side.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Row, SqlDriver, SqlExec } from './sql-driver.ts';
import { SqlStore } from './sql-store.ts';
import type { Store } from './store.ts';

/** `?` placeholders to `$1, $2, ...` (our SQL never has `?` inside literals). */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

function params(ps: readonly unknown[]): unknown[] {
  return ps.map((p) => (p === undefined ? null : p));
}

/** 64-bit advisory lock key of a string, as a decimal string for `bigint`. */
function lockKey(key: string): string {
  return createHash('sha1').update(key).digest().readBigInt64BE(0).toString();
}

function execOn(client: pg.Pool | pg.PoolClient): SqlExec {
  return {
    all: async (sql, ps = []) => (await client.query<Row>(numbered(sql), params(ps))).rows,
    run: async (sql, ps = []) => (await client.query(numbered(sql), params(ps))).rowCount ?? 0,
    lockKeys: async (keys) => {
      if (keys.length === 0) return;
      const sorted = [...new Set(keys.map(lockKey))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
      // Locks are taken in sorted order (ORDER BY the ordinality is applied before the volatile
      // function runs), so two transactions never wait on each other in a cycle.
      await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i', [sorted]);
    },
  };
}

const RETRYABLE = new Set(['40P01', '40001']);

class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  private readonly exec: SqlExec;
  constructor(private readonly pool: pg.Pool) {
    this.exec = execOn(pool);
  }
  all(sql: string, ps?: readonly unknown[]) {
    return this.exec.all(sql, ps);
  }
  run(sql: string, ps?: readonly unknown[]) {
    return this.exec.run(sql, ps);
  }
  lockKeys() {
    return Promise.resolve(); // outside a transaction a lock would end at once
  }
  async tx<T>(fn: (q: SqlExec) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(execOn(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        const code = e instanceof Error && 'code' in e ? e.code : undefined;
        if (typeof code === 'string' && RETRYABLE.has(code) && attempt < 5) continue;
        throw e;
      }
    }
  }
  close() {
    return this.pool.end();
  }
}

export interface PostgresOptions {
  /** Schema to use (created if missing); default: the server's search_path. */
  schema?: string;
  poolSize?: number;
  /** Tests record the statements a request runs (query-plan checks). */
  wrap?: (d: SqlDriver) => SqlDriver;
}

// count(*), sum() and BIGINT columns come back as text by default; our values fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Connects to PostgreSQL at `url` and applies pending migrations. */
export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error('bad schema name');
  const options = ['-c synchronous_commit=on', ...(opts.schema ? [`-c search_path=${opts.schema}`] : [])].join(' ');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    options,
  });
  pool.on('error', () => undefined); // an idle client lost its connection: the pool replaces it
  if (opts.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
  const driver = new PostgresDriver(pool);
  const store = new SqlStore(opts.wrap ? opts.wrap(driver) : driver);
  await store.migrate();
  return store;
}
