// A phone holds the records of one user at a time. A phone handed to another enumerator keeps
// the previous user's queue until it is synced or exported: signing in as someone else is
// refused while the outbox is not empty. Once it is empty, the previous user's records leave the
// phone in the same transaction that makes the new user its owner, so the new user never sees
// them (and never pushes them under its own token).
import type { PuchaDb } from './database.ts';
import { getMeta, setMeta } from './meta.ts';

export interface Owner {
  userId: string;
  username: string;
}

export type Handover = { ok: true; wiped: boolean } | { ok: false; reason: 'otherUserQueued'; queued: number; owner: string };

/** The user whose records the phone holds: the owner mark, else the stored session's user. */
export async function phoneOwner(db: PuchaDb): Promise<Owner | undefined> {
  const owner = await getMeta(db, 'owner');
  if (owner) return owner;
  const session = await getMeta(db, 'session');
  return session ? { userId: session.user.id, username: session.user.username } : undefined;
}

/** Before the network: may `username` sign in here? (The check is repeated in `claimPhone`.) */
export async function mayHandOver(db: PuchaDb, username: string): Promise<Handover> {
  const owner = await phoneOwner(db);
  if (!owner || owner.username.toLowerCase() === username.toLowerCase()) return { ok: true, wiped: false };
  const queued = await db.outbox.count();
  return queued > 0 ? { ok: false, reason: 'otherUserQueued', queued, owner: owner.username } : { ok: true, wiped: false };
}

/**
 * Makes `user` the phone's owner, in one transaction with the wipe of another user's records.
 * A phone with no known owner (an earlier version signed out) keeps what it holds when the
 * outbox is not empty: unsynced data is never deleted on a guess.
 */
export async function claimPhone(db: PuchaDb, user: Owner, store: () => Promise<void>): Promise<Handover> {
  return db.transaction('rw', [db.meta, db.outbox, db.districts, db.listing, db.registrations, db.queries, db.recordState], async () => {
    const owner = await phoneOwner(db);
    const queued = await db.outbox.count();
    let wiped = false;
    if (owner && owner.userId !== user.userId) {
      if (queued > 0) return { ok: false as const, reason: 'otherUserQueued' as const, queued, owner: owner.username };
      await Promise.all([db.districts.clear(), db.listing.clear(), db.registrations.clear(), db.queries.clear(), db.recordState.clear()]);
      await db.meta.bulkDelete(['pullCursor', 'lastSyncAt', 'dataLoss', 'session']);
      wiped = true;
    }
    await setMeta(db, 'owner', user);
    await store();
    return { ok: true as const, wiped };
  });
}
