// One tab syncs at a time. Web Locks (navigator.locks) where the browser has them: the lock is
// released when the holder's callback ends or its tab dies. Elsewhere a lease row in `meta` with
// an expiry, taken in its own short transaction and renewed before each network call; a tab that
// dies simply lets its lease run out. Never held as an IndexedDB transaction across a request.
import type { PuchaDb } from '../db/database.ts';
import { getMeta, setMeta, deleteMeta } from '../db/meta.ts';

/** The part of the Web Locks API we use (navigator.locks). */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface SyncLock {
  /** Runs `fn` holding the lock, or returns 'busy' at once if another tab holds it. */
  run<T>(fn: (renew: () => Promise<boolean>) => Promise<T>): Promise<T | 'busy'>;
}

export const LOCK_NAME = 'pucha-sync';

export function webLock(locks: LockManagerLike): SyncLock {
  return {
    run: <T,>(fn: (renew: () => Promise<boolean>) => Promise<T>) => locks.request<T | 'busy'>(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? fn(() => Promise.resolve(true)) : Promise.resolve('busy' as const))),
  };
}

/**
 * Lease in meta; `leaseMs` should exceed the longest request (the fetch timeout) by a margin.
 * Renewing writes (and commits) only once the lease is a quarter used up, so a drain of many
 * batches does not add a strict commit per request: after `renew()` the lease has at least three
 * quarters of `leaseMs` left (90 s of the default 120 s, more than the 60 s request timeout).
 */
export function leaseLock(db: PuchaDb, owner: string, leaseMs = 120_000): SyncLock {
  let heldUntil = 0;
  const take = (): Promise<boolean> =>
    db.transaction('rw', db.meta, async () => {
      const lease = await getMeta(db, 'syncLease');
      const now = db.now();
      if (lease && lease.owner !== owner && lease.expiresAt > now) return false;
      heldUntil = now + leaseMs;
      await setMeta(db, 'syncLease', { owner, expiresAt: heldUntil });
      return true;
    });
  const renew = (): Promise<boolean> => (db.now() <= heldUntil - (leaseMs * 3) / 4 ? Promise.resolve(true) : take());
  const release = (): Promise<void> =>
    db.transaction('rw', db.meta, async () => {
      heldUntil = 0;
      const lease = await getMeta(db, 'syncLease');
      if (lease?.owner === owner) await deleteMeta(db, 'syncLease');
    });
  return {
    async run(fn) {
      if (!(await take())) return 'busy';
      try {
        return await fn(renew);
      } finally {
        await release();
      }
    },
  };
}
