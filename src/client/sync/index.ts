// The sync engine as the UI sees it.
export * from './sync-engine.ts';
export * from './api-client.ts';
export * from './backoff.ts';
export * from './sync-lock.ts';
export * from './browser-triggers.ts';
