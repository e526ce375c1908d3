// The server process of bench/server-ingest.ts: the real app on a fresh store (SQLite file or a
// PostgreSQL schema), with the benchmark's users, districts and sessions, on a random port.
import { buildApp } from '../../src/server/app.ts';
import { hashToken } from '../../src/server/auth.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { generateDistrict } from '../../src/domain/index.ts';
import { deviceCount, deviceId, districtCode, token, userId } from './ingest-setup.ts';

const store = process.env.BENCH_PG_URL
  ? await openPostgresStore(process.env.BENCH_PG_URL, { schema: process.env.BENCH_PG_SCHEMA ?? 'bench', poolSize: 16 })
  : await openSqliteStore(process.env.BENCH_DB ?? 'data/bench.sqlite');
const n = deviceCount();
/** Households per device, as the load generator makes them (BENCH_HOUSEHOLDS). */
const households = Number(process.env.BENCH_HOUSEHOLDS ?? 60);
const expiresAt = '2099-01-01T00:00:00.000Z';
for (let i = 0; i < n; i++) {
  const r = await store.createUser({ id: userId(i), username: `bench-${i}`, name: `Bench ${i}`, role: 'enumerator', passwordHash: 'scrypt$1$1$1$x$x' });
  if (!r.ok) throw new Error(r.reason);
  await store.putDistrict({ code: districtCode(i), name: `Bench district ${i}`, enumerators: [userId(i)] });
  await store.createSession({ tokenHash: hashToken(token(i)), userId: userId(i), deviceId: deviceId(i), createdAt: new Date().toISOString(), expiresAt });
  // The listing entries the device's households are registered on (the server refuses a household
  // that names none of its district): the same generator call as the load generator's.
  await store.importListing(generateDistrict({ seed: 1000 + i, code: districtCode(i), enumerators: [userId(i)], households: households, registeredShare: 1 }).listing);
}
const app = await buildApp({ store });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
// The benchmark asks for the server's CPU time around each phase: a figure the other jobs on a
// shared machine do not distort as much as wall time.
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`CPU ${u.user + u.system}\n`);
});
process.on('SIGTERM', () => {
  void app.close().then(() => store.close()).then(() => process.exit(0));
});
