// Opens the store a config names: SQLite at PUCHA_DB, or PostgreSQL at DATABASE_URL.
import { resolve } from 'node:path';
import { storeTimeouts, type Config } from './config.ts';
import { openPostgresStore, type PgTimeouts } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

export function openConfiguredStore(config: Config, root: string, opts: { migrate: boolean; timeouts?: Partial<PgTimeouts> }): Promise<Store> {
  if (!config.DATABASE_URL) return openSqliteStore(resolve(root, config.PUCHA_DB), { migrate: opts.migrate });
  return openPostgresStore(config.DATABASE_URL, {
    migrate: opts.migrate,
    poolSize: config.PUCHA_PG_POOL,
    timeouts: { ...storeTimeouts(config), ...opts.timeouts },
    ...(config.PUCHA_PG_SCHEMA ? { schema: config.PUCHA_PG_SCHEMA } : {}),
  });
}
