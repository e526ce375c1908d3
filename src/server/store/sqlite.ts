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
const CountSchema = z.number();
const BatchReplySchema = z.array(z.union([z.object({ ok: z.literal(true), result: z.unknown() }), z.object({ ok: z.literal(false), message: z.string(), code: z.string().optional() })]));

/** Standalone statements sent to the worker in one message at most (see `standalone`). */
const MAX_BATCH = 64;

interface Standalone {
  op: 'all' | 'run';
  sql: string;
  params: Bindable[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

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
      run: async (sql, params = []) => CountSchema.parse(await this.call('run', sql, params)),
      lockKeys: () => Promise.resolve(),
    };
  }

  /**
   * The batch of standalone statements waiting at the end of the queue, not started yet: a
   * statement called now joins it. Anything else queued after it (a transaction, close) ends it,
   * so statements still run in the order they were called.
   */
  private open: Standalone[] | undefined;

  /**
   * A statement outside any transaction. While the connection is busy (a push group's
   * transaction, other requests' statements), the ones that arrive wait together and go to the
   * worker in one message: one round trip instead of one each, and when some of them write, one
   * commit for all of them (sqlite-worker.js, `batch`). Each caller still gets its own result or
   * error, after that commit.
   */
  private standalone(op: 'all' | 'run', sql: string, params: readonly unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const item: Standalone = { op, sql, params: bindable(params), resolve, reject };
      if (this.open && this.open.length < MAX_BATCH) {
        this.open.push(item);
        return;
      }
      const batch = [item];
      this.open = batch;
      void this.serial(async () => {
        if (this.open === batch) this.open = undefined;
        await this.runBatch(batch);
      });
    });
  }

  private async runBatch(batch: Standalone[]): Promise<void> {
    let replies: z.infer<typeof BatchReplySchema>;
    try {
      replies = BatchReplySchema.parse(await this.call('batch', '', [], batch.map((b) => ({ op: b.op, sql: b.sql, params: b.params }))));
      if (replies.length !== batch.length) throw new Error('the SQLite worker answered a batch with the wrong number of results');
    } catch (e) {
      for (const b of batch) b.reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    batch.forEach((b, i) => {
      const r = replies[i];
      if (!r) return;
      // The result's shape is checked by `all` / `run`, as for a statement inside a transaction.
      if (r.ok) b.resolve(r.result);
      else b.reject(new SqliteError(r.message, r.code));
    });
  }

  private stopped: Error | undefined;

  private failAll(e: Error) {
    this.stopped ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call(op: 'all' | 'run' | 'exec' | 'rollback' | 'close' | 'batch', sql = '', params: readonly unknown[] = [], items?: readonly { op: 'all' | 'run'; sql: string; params: Bindable[] }[]): Promise<unknown> {
    const id = this.next++;
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(items ? { id, op, items } : { id, op, sql, params: bindable(params) });
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Queues work that is not a standalone statement: later statements must not join an earlier batch. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.open = undefined;
    return this.serial(fn);
  }

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return RowsSchema.parse(await this.standalone('all', sql, params));
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return CountSchema.parse(await this.standalone('run', sql, params));
  }
  lockKeys() {
    return Promise.resolve();
  }
  tx<T>(fn: (q: SqlExec) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
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
    return this.exclusive(async () => {
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
