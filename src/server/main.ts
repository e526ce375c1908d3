// `npm start`: the composition root. Reads the environment, opens the store (SQLite file, or
// PostgreSQL with DATABASE_URL), seeds the demo on an empty store, builds the web app if stale,
// serves API and app on one port, and shuts down cleanly on SIGTERM / SIGINT.
import { resolve } from 'node:path';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import { ensureWebBuild } from './web-build.ts';

const config = readConfig(process.env);
const root = resolve(import.meta.dirname, '../..');
const store = config.DATABASE_URL ? await openPostgresStore(config.DATABASE_URL) : await openSqliteStore(resolve(root, config.PUCHA_DB));

// Never acknowledge a push that a power cut could still roll back (reliability.md finding 3):
// a store whose live connection is not set for durable commits does not serve.
const durability = await store.durability();
if (!durability.durableCommits) {
  console.error(`Refusing to start: the store does not commit durably (${JSON.stringify(durability.settings)}).`);
  await store.close();
  process.exit(1);
}

const web = ensureWebBuild(root, config.PUCHA_BUILD === '1');
if (!web.ok) console.warn(`! The web app is not served (${web.reason === 'build_failed' ? '`vite build` failed' : 'no dist/ build'}); the API runs.`);

if (config.PUCHA_DEMO === '1') {
  const s = await seedDemo(store);
  if (s.seeded) console.log(`Seeded demo data: ${s.districts.length} districts, ${s.households} registered households.`);
}

const app = await buildApp({
  store,
  logger: config.PUCHA_LOG === '1',
  pushLimit: { max: config.PUCHA_PUSH_PER_MINUTE, windowMs: 60_000 },
  graceMs: config.PUCHA_GRACE_DAYS * 86_400_000,
  ...(web.ok ? { staticDir: web.dir } : {}),
});
const address = await app.listen({ port: config.PORT, host: config.HOST });
if (config.PUCHA_DEMO === '1') {
  console.log(`Demo accounts (password "${DEMO_PASSWORD}"): demo-enumerator, demo-enumerator-2, demo-supervisor, demo-admin`);
}
const settings = Object.entries(durability.settings).map(([k, v]) => `${k}=${v}`).join(' ');
console.log(`Pucha listening on ${address} (store: ${store.kind}${store.kind === 'sqlite' ? `, ${config.PUCHA_DB}` : ''}; ${settings})`);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`${signal}: closing`);
  await app.close();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
