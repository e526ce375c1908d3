// SQLite adapter (better-sqlite3, the embedded default): one connection in WAL mode with
// synchronous=FULL, so a commit is on disk before the push is answered (better-sqlite3 builds
// with WAL synchronous=NORMAL, which can lose the last commits on power loss).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Row, SqlDriver, SqlExec } from './sql-driver.ts';
import { SqlStore } from './sql-store.ts';
import type { Store } from './store.ts';

type Bindable = string | number | bigint | null | Buffer;

function bindable(params: readonly unknown[]): Bindable[] {
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'string' || typeof p === 'number' || typeof p === 'bigint' || Buffer.isBuffer(p)) return p;
    if (typeof p === 'boolean') return p ? 1 : 0;
    throw new Error('unsupported SQL parameter type');
  });
}

class SqliteDriver implements SqlDriver {
  readonly kind = 'sqlite' as const;
  private readonly cache = new Map<string, Database.Statement>();
  // better-sqlite3 is synchronous but our store code awaits between statements; this queue keeps
  // one transaction (or one standalone statement) at a time on the single connection, so no
  // reader ever sees another request's uncommitted rows.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exec: SqlExec;

  constructor(private readonly db: Database.Database) {
    this.exec = {
      all: (sql, params = []) => Promise.resolve(this.stmt(sql).all(...bindable(params)) as Row[]),
      run: (sql, params = []) => Promise.resolve(this.stmt(sql).run(...bindable(params)).changes),
      lockKeys: () => Promise.resolve(),
    };
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size > 1000) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  all(sql: string, params?: readonly unknown[]) {
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
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.exec);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }
  close() {
    return this.serial(() => {
      this.db.close();
      return Promise.resolve();
    });
  }
}

/** Opens (creating if needed) the SQLite store at `path` and applies pending migrations. */
export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const store = new SqlStore(new SqliteDriver(db));
  await store.migrate();
  return store;
}
