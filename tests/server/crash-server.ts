// Entry of the crash test's child process: a real server on a SQLite file, with the fixture
// users and a known session, that prints its port and is then killed with SIGKILL.
import { buildApp } from '../../src/server/app.ts';
import { hashToken } from '../../src/server/auth.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { seedFixtures } from './harness.ts';

const path = process.env.CRASH_DB;
const token = process.env.CRASH_TOKEN;
const deviceId = process.env.CRASH_DEVICE;
if (!path || !token || !deviceId) throw new Error('CRASH_DB, CRASH_TOKEN and CRASH_DEVICE are required');
const store = await openSqliteStore(path);
if ((await store.listUsers()).length === 0) await seedFixtures(store);
if (!(await store.findSession(hashToken(token)))) {
  await store.createSession({ tokenHash: hashToken(token), userId: 'u-enum', deviceId, createdAt: new Date().toISOString(), expiresAt: '2099-01-01T00:00:00.000Z' });
}
// One token stands for four phones pushing back to back: the per-device limit is not under test.
const app = await buildApp({ store, pushLimit: { max: 1_000_000, windowMs: 60_000 } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
