// The phone's store as the UI and the sync engine see it: the database, the named write
// operations, the reads for useLiveQuery, meta (device, session) and export/import.
export * from './database.ts';
export * from './rows.ts';
export * from './meta.ts';
export * from './operations.ts';
export * from './queries.ts';
export { isQuotaError } from './write.ts';
export * from './outbox.ts';
export * from './export.ts';
