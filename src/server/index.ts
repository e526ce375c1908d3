// The server's public surface for tests, the CLI and other programs in this repo.
export { buildApp, API_BASE, type AppOptions } from './app.ts';
export { openSqliteStore } from './store/sqlite.ts';
export { openPostgresStore, type PostgresOptions } from './store/postgres.ts';
export type { Store } from './store/store.ts';
export { hashPassword } from './auth.ts';
