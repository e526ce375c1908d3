// Entry of the crash test's child process: a real server on a SQLite file (CRASH_DB) or a
// PostgreSQL schema (CRASH_PG_URL + CRASH_PG_SCHEMA), with the fixture users and a known
// session, that prints its port and is then killed with SIGKILL.
import { buildApp } from '../../src/server/app.ts';
import { hashToken } from '../../src/server/auth.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { seedFixtures } from './harness.ts';

const { CRASH_DB: path, CRASH_PG_URL: pgUrl, CRASH_PG_SCHEMA: schema, CRASH_TOKEN: token, CRASH_DEVICE: deviceId } = process.env;
if (!(path || (pgUrl && schema)) || !token || !deviceId) throw new Error('CRASH_DB (or CRASH_PG_URL + CRASH_PG_SCHEMA), CRASH_TOKEN and CRASH_DEVICE are required');
const store = path ? await openSqliteStore(path) : await openPostgresStore(pgUrl ?? '', { schema: schema ?? '' });
if (!(await store.hasUsers())) await seedFixtures(store);
if (!(await store.findSession(hashToken(token)))) {
  await store.createSession({ tokenHash: hashToken(token), userId: 'u-enum', deviceId, createdAt: new Date().toISOString(), expiresAt: '2099-01-01T00:00:00.000Z' });
}
// One token stands for four phones pushing back to back: the per-device limit is not under test.
const app = await buildApp({ store, pushLimit: { max: 1_000_000, windowMs: 60_000 } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
