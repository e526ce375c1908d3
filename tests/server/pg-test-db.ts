// PostgreSQL for tests: a fresh schema per store (others run tests on the same server at the
// same time), dropped afterwards. Without a reachable server: fail in CI, skip loudly elsewhere.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import type { Store } from '../../src/server/store/store.ts';

export const PG_URL = process.env.PUCHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function pgAvailableOrSkip(): Promise<boolean> {
  const ok = await pgReachable();
  if (!ok) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${PG_URL} is not reachable`);
    console.warn(`\n*** PostgreSQL tests SKIPPED: ${PG_URL} is not reachable (set PUCHA_TEST_DATABASE_URL) ***\n`);
  }
  return ok;
}

export async function openTempPg(poolSize?: number): Promise<{ store: Store; schema: string; reopen: () => Promise<Store>; cleanup: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let store = await openPostgresStore(PG_URL, { schema, ...(poolSize ? { poolSize } : {}) });
  return {
    get store() {
      return store;
    },
    schema,
    reopen: async () => {
      await store.close();
      store = await openPostgresStore(PG_URL, { schema });
      return store;
    },
    cleanup: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Throw-away schema names for tests that open their own connections or processes; `dropAll` removes them. */
export function tempSchemas(): { fresh: () => string; dropAll: () => Promise<void> } {
  const made: string[] = [];
  return {
    fresh: () => {
      const s = `t_${randomBytes(6).toString('hex')}`;
      made.push(s);
      return s;
    },
    dropAll: async () => {
      if (made.length === 0) return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      for (const s of made.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    },
  };
}
