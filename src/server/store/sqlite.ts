// SQLite adapter (better-sqlite3, the embedded default): one connection in WAL mode with
// synchronous=FULL, so a commit is on disk before the push is answered (better-sqlite3 builds
// with WAL synchronous=NORMAL, which can lose the last commits on power loss). The connection
// runs on a worker thread (sqlite-worker.js) so commits do not stall the event loop.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Row, SqlDriver, SqlExec } from './sql-driver.ts';
import { SqlStore } from './sql-store.ts';
import type { Store } from './store.ts';

type Bindable = string | number | bigint | null;

function bindable(params: readonly unknown[]): Bindable[] {
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'string' || typeof p === 'number' || typeof p === 'bigint') return p;
    if (typeof p === 'boolean') return p ? 1 : 0;
    throw new Error('unsupported SQL parameter type');
  });
}

const ReplySchema = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number(), ok: z.literal(false), message: z.string(), code: z.string().optional() }),
]);
// Rows as the worker's better-sqlite3 made them: plain objects, checked but not copied (a
// z.record would build a second object per row, thousands per push and per pull page).
const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const RowsSchema = z.array(z.custom<Row>(isRow, 'a row object'));

export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

class SqliteDriver implements SqlDriver {
  readonly kind = 'sqlite' as const;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  // One transaction (or one standalone statement) at a time on the single connection, so no
  // reader ever sees another request's uncommitted rows.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exec: SqlExec;

  constructor(private readonly worker: Worker) {
    worker.on('message', (raw: unknown) => {
      const m = ReplySchema.parse(raw);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new SqliteError(m.message, m.code));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error('the SQLite worker stopped')));
    this.exec = {
      all: async (sql, params = []) => RowsSchema.parse(await this.call('all', sql, params)),
      run: async (sql, params = []) => z.number().parse(await this.call('run', sql, params)),
      lockKeys: () => Promise.resolve(),
    };
  }

  private stopped: Error | undefined;

  private failAll(e: Error) {
    this.stopped ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call(op: 'all' | 'run' | 'exec' | 'rollback' | 'close', sql = '', params: readonly unknown[] = []): Promise<unknown> {
    const id = this.next++;
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, sql, params: bindable(params) });
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  all(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    return this.serial(() => this.exec.all(sql, params));
  }
  run(sql: string, params?: readonly unknown[]) {
    return this.serial(() => this.exec.run(sql, params));
  }
  lockKeys() {
    return Promise.resolve();
  }
  tx<T>(fn: (q: SqlExec) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.call('exec', 'BEGIN IMMEDIATE');
      try {
        const result = await fn(this.exec);
        await this.call('exec', 'COMMIT');
        return result;
      } catch (e) {
        await this.call('rollback');
        throw e;
      }
    });
  }
  close() {
    return this.serial(async () => {
      if (this.stopped) return; // closing twice is harmless
      await this.call('close');
      this.stopped = new Error('the store is closed');
      await this.worker.terminate();
    });
  }
}

/** Opens (creating if needed) the SQLite store at `path` and applies pending migrations (unless `migrate: false`). */
export async function openSqliteStore(path: string, opts: { wrap?: (d: SqlDriver) => SqlDriver; migrate?: boolean } = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const worker = new Worker(new URL('./sqlite-worker.js', import.meta.url), { workerData: { path } });
  const driver = new SqliteDriver(worker);
  // `wrap`: tests record the statements a request runs (query-plan checks).
  const store = new SqlStore(opts.wrap ? opts.wrap(driver) : driver);
  if (opts.migrate !== false) await store.migrate();
  return store;
}
