// The server's public surface for tests, the CLI and other programs in this repo (the phone's
// sync tests use buildApp + openSqliteStore + seedDemo and sign in as demo-enumerator).
export { buildApp, API_BASE, type AppOptions } from './app.ts';
export { openSqliteStore } from './store/sqlite.ts';
export { openPostgresStore, type PostgresOptions } from './store/postgres.ts';
export type { Store } from './store/store.ts';
export { seedDemo, DEMO_PASSWORD, DEMO_USERS, DEMO_DISTRICTS, type SeedOptions, type SeedSummary } from './seed.ts';
export { hashPassword } from './auth.ts';
