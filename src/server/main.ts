// The composition root of both starts.
// `npm start` (development): opens the store (SQLite file, or PostgreSQL with DATABASE_URL),
// applies migrations, seeds the demo on an empty store, builds the web app if stale.
// `npm run serve` (NODE_ENV=production): none of that. The schema must already be current
// (`npm run admin -- migrate`), the web app already built (`npm run build`), and a store where a
// demo account still has the demo password is refused.
// Both serve API and app on one port (HTTPS with PUCHA_TLS_CERT/PUCHA_TLS_KEY) and shut down
// cleanly on SIGTERM / SIGINT.
import { resolve } from 'node:path';
import { buildApp } from './app.ts';
import { isProduction, officeOptions, readConfig, selfDeadline } from './config.ts';
import { openConfiguredStore } from './open-store.ts';
import { DEMO_PASSWORD, demoPasswordUsers, seedDemo } from './seed.ts';
import { parseTrustProxy, readTlsFiles } from './tls.ts';
import { ensureWebBuild } from './web-build.ts';

function refuse(message: string): never {
  console.error(`Refusing to start: ${message}`);
  process.exit(1);
}

const config = readConfig(process.env);
const production = isProduction(config);
const root = resolve(import.meta.dirname, '../..');
if (production && config.PUCHA_DEMO === '1') refuse('PUCHA_DEMO=1 seeds accounts with a published password; demo data is for `npm start` only.');
let https: ReturnType<typeof readTlsFiles>;
let trustProxy: ReturnType<typeof parseTrustProxy>;
try {
  https = readTlsFiles(process.env);
  trustProxy = parseTrustProxy(process.env.PUCHA_TRUST_PROXY);
} catch (e) {
  refuse(e instanceof Error ? e.message : String(e));
}

const store = await openConfiguredStore(config, root, { migrate: !production });
const stop = async (message: string): Promise<never> => {
  await store.close();
  refuse(message);
};

// Never acknowledge a push that a power cut could still roll back (reliability.md finding 3):
// a store whose live connection is not set for durable commits does not serve.
const durability = await store.durability();
if (!durability.durableCommits) await stop(`the store does not commit durably (${JSON.stringify(durability.settings)}).`);

if (production) {
  const schema = await store.schemaVersion();
  if (schema.current < schema.latest) await stop(`the database schema is at version ${schema.current}, this release needs ${schema.latest}: run \`npm run admin -- migrate\` first.`);
  if (schema.current > schema.latest) console.warn(`! The database schema (version ${schema.current}) is newer than this release knows (${schema.latest}).`);
  const demo = await demoPasswordUsers(store);
  if (demo.length > 0) await stop(`the store has demo accounts with the demo password (${demo.join(', ')}): disable them or reset their passwords (npm run admin -- disable-user / reset-password).`);
}

const web = ensureWebBuild(root, !production && config.PUCHA_BUILD === '1');
if (!web.ok) console.warn(`! The web app is not served (${web.reason === 'build_failed' ? '`vite build` failed' : production ? 'no dist/ build: run `npm run build`' : 'no dist/ build'}); the API runs.`);

if (config.PUCHA_DEMO === '1') {
  const s = await seedDemo(store);
  if (s.seeded) console.log(`Seeded demo data: ${s.districts.length} districts, ${s.households} registered households.`);
}

const app = await buildApp({
  store,
  logger: config.PUCHA_LOG === '1',
  pushLimit: { max: config.PUCHA_PUSH_PER_MINUTE, windowMs: 60_000 },
  graceMs: config.PUCHA_GRACE_DAYS * 86_400_000,
  office: officeOptions(config, new Date()),
  dailyFreeze: true,
  self: { deadline: selfDeadline(config, new Date()), perIp: { max: config.PUCHA_SELF_PER_IP_MINUTE, windowMs: 60_000 }, total: { max: config.PUCHA_SELF_TOTAL_MINUTE, windowMs: 60_000 } },
  trustProxy,
  ...(https ? { https } : {}),
  ...(config.PUCHA_METRICS_TOKEN ? { metricsToken: config.PUCHA_METRICS_TOKEN } : {}),
  ...(web.ok ? { staticDir: web.dir } : {}),
});
const address = await app.listen({ port: config.PORT, host: config.HOST });
if (config.PUCHA_DEMO === '1') {
  console.log(`Demo accounts (password "${DEMO_PASSWORD}"): demo-enumerator, demo-enumerator-2, demo-supervisor, demo-admin, demo-county, demo-township`);
}
const settings = Object.entries(durability.settings).map(([k, v]) => `${k}=${v}`).join(' ');
console.log(`Pucha listening on ${address} (${production ? 'production' : 'development'}; store: ${store.kind}${store.kind === 'sqlite' ? `, ${config.PUCHA_DB}` : ''}; ${settings})`);

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
