// A process of bench/scale.ts: the users import through the real path (importUsersFile, what
// `npm run admin -- import-users` runs: decode, parse and check the CSV, one importUsers
// transaction, the activation-codes file) into an empty store; prints its wall time.
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { activationCsv } from '../../src/server/activation.ts';
import { DEFAULT_GRACE_MS } from '../../src/server/context.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { importUsersFile } from '../../src/server/user-admin.ts';

const file = process.env.SCALE_USERS_CSV ?? '';
const store = process.env.SCALE_PG_URL ? await openPostgresStore(process.env.SCALE_PG_URL, { schema: process.env.SCALE_PG_SCHEMA ?? 'bench' }) : await openSqliteStore(process.env.SCALE_DB ?? '');
try {
  const t0 = performance.now();
  const bytes = readFileSync(file);
  const r = await importUsersFile(store, { kind: 'all' }, bytes, new Date(), DEFAULT_GRACE_MS);
  if (!r.ok) throw new Error(`import refused: ${r.message} ${JSON.stringify(r.details?.slice(0, 3))}`);
  writeFileSync(`${file}.activation.csv`, activationCsv(r.value.created), { mode: 0o600 });
  const seconds = (performance.now() - t0) / 1000;
  const counts = await store.tableCounts();
  process.stdout.write(`RESULT ${JSON.stringify({ seconds, created: r.value.created.length, newDistricts: r.value.newDistricts, users: counts.users, progress: counts.progress, rssMb: Math.round(process.memoryUsage().rss / 1e6) })}\n`);
} finally {
  await store.close();
}
