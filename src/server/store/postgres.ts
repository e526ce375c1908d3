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

/**
 * Most advisory locks one transaction takes. PostgreSQL keeps them in a shared table of
 * max_locks_per_transaction x max_connections entries (6,400 on default settings), which one group
 * commit of 6,400 keys used to exhaust ("out of shared memory"). Every locking transaction holds
 * the one GLOBAL key shared and its own keys exclusively; a transaction with more keys than this
 * takes GLOBAL exclusively instead, so it runs alone and holds a single lock.
 */
export const MAX_KEY_LOCKS = 128;
const GLOBAL = lockKey('advisory:global');

function execOn(client: pg.Pool | pg.PoolClient): SqlExec {
  return {
    all: async (sql, ps = []) => (await client.query<Row>(numbered(sql), params(ps))).rows,
    run: async (sql, ps = []) => (await client.query(numbered(sql), params(ps))).rowCount ?? 0,
    lockKeys: async (keys) => {
      if (keys.length === 0) return;
      const distinct = [...new Set(keys.map(lockKey))];
      if (distinct.length > MAX_KEY_LOCKS) {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [GLOBAL]);
        return;
      }
      await client.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [GLOBAL]);
      const sorted = distinct.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
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
      // PostgreSQL may end a checked-out session (idle-in-transaction timeout, restart): pg then
      // emits 'error' on the client, which would crash the process unhandled. The failing query
      // reports it to the request; the client is destroyed on release.
      const ignore = () => undefined;
      client.on('error', ignore);
      const release = (broken: boolean) => {
        client.off('error', ignore);
        client.release(broken);
      };
      try {
        await client.query('BEGIN');
        const result = await fn(execOn(client));
        await client.query('COMMIT');
        release(false);
        return result;
      } catch (e) {
        // A session PostgreSQL ended (idle-in-transaction timeout, restart) cannot roll back:
        // it leaves the pool instead of being handed to the next request.
        let broken = false;
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        release(broken);
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

/**
 * Bounds on a stalled transaction (issue 9). A node frozen mid-push holds the server_seq row
 * lock; PostgreSQL ends its session after `idleInTransactionMs`, so the other nodes' pushes,
 * which wait up to `lockMs` for a lock, resume instead of failing; the frozen node's phone gets
 * an error and re-sends its batch, which the mutation ids make safe.
 */
export interface PgTimeouts {
  /** statement_timeout (0: none, for admin commands that rebuild a province). */
  statementMs: number;
  /** lock_timeout: longer than idleInTransactionMs, so a waiter outlives a stalled holder. */
  lockMs: number;
  /** idle_in_transaction_session_timeout. */
  idleInTransactionMs: number;
  /** Wait for a new connection before failing the request. */
  connectMs: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 5_000, connectMs: 5_000 };

export interface PostgresOptions {
  /** Schema to use (created if missing); default: the server's search_path. */
  schema?: string;
  poolSize?: number;
  timeouts?: Partial<PgTimeouts>;
  /** Apply pending migrations on open (default true; production starts use `admin migrate`). */
  migrate?: boolean;
  /** Tests record the statements a request runs (query-plan checks). */
  wrap?: (d: SqlDriver) => SqlDriver;
}

// count(*), sum() and BIGINT columns come back as text by default; our values fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Connects to PostgreSQL at `url` and applies pending migrations (unless `migrate: false`). */
export async function openPostgresStore(url: string, opts: PostgresOptions = {}): Promise<Store> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error('bad schema name');
  const t = { ...DEFAULT_PG_TIMEOUTS, ...opts.timeouts };
  for (const [k, v] of Object.entries(t)) if (!Number.isInteger(v) || v < 0) throw new Error(`bad PostgreSQL timeout ${k}`);
  const options = [
    '-c synchronous_commit=on',
    `-c statement_timeout=${t.statementMs}`,
    `-c lock_timeout=${t.lockMs}`,
    `-c idle_in_transaction_session_timeout=${t.idleInTransactionMs}`,
    ...(opts.schema ? [`-c search_path=${opts.schema}`] : []),
  ].join(' ');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    options,
    // A database host that vanished (no FIN) is noticed on idle connections too.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: t.connectMs,
  });
  pool.on('error', () => undefined); // an idle client lost its connection: the pool replaces it
  if (opts.schema) {
    // Nodes starting together race on IF NOT EXISTS (a unique violation in the catalogue): one wins.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).catch(async (e: unknown) => {
      const r = await pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [opts.schema]);
      if (r.rowCount === 0) throw e;
    });
  }
  const driver = new PostgresDriver(pool);
  const store = new SqlStore(opts.wrap ? opts.wrap(driver) : driver);
  if (opts.migrate !== false) await store.migrate();
  return store;
}
