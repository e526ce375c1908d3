// A phone holds the records of one user at a time (issue 8). A phone handed to another
// enumerator keeps the previous user's queue until it is synced or exported: signing in as
// someone else is refused while the outbox is not empty, because those mutations pushed under the
// new user's token come back `forbidden` and the new user could read the respondents. Once the
// outbox is empty, the previous user's records leave the phone in the same transaction that
// stores the new session, so the new user never sees them and the first pull starts without a
// cursor. The device id, its sequence counter and the wipe marker stay: the server ties tokens
// and device sequence numbers to the device, not to the user.
import type { User } from '../../domain/index.ts';
import { Dexie } from 'dexie';
import { PRACTICE_DB_NAME, type PuchaDb } from './database.ts';
import { getMeta, setMeta, storeSession } from './meta.ts';
import type { MetaKey, Session } from './rows.ts';
import { isQuotaError } from './write.ts';
import { sealExistingRows } from './lock.ts';
import type { PreparedVault } from './vault.ts';

export interface Owner {
  userId: string;
  username: string;
}

export type HandoverRefusal = {
  ok: false;
  reason: 'otherUserQueued';
  /** Mutations still queued for the previous user. */
  queued: number;
  /** The previous user's username, when the phone knows it. */
  owner: string | undefined;
};
export type Handover = { ok: true; wiped: boolean } | HandoverRefusal;
export type Claim =
  | Handover
  | { ok: false; reason: 'storageFull'; message: string }
  /** The phone's records are locked with a key this sign-in cannot open (see claimPhone). */
  | { ok: false; reason: 'vaultKey' };

/** Everything that belongs to the user rather than to the device. */
const PERSONAL_META: readonly MetaKey[] = ['session', 'pullCursor', 'lastSyncAt', 'dataLoss', 'practice'];

/**
 * The user whose records the phone holds: the owner mark (kept after sign-out and after a 401,
 * which both forget only the session), else the stored session's user (a phone that signed in
 * before the mark existed and has not signed out since).
 */
export async function phoneOwner(db: PuchaDb): Promise<Owner | undefined> {
  const owner = await getMeta(db, 'owner');
  if (owner) return owner;
  // The session row is encrypted: while the store is locked it cannot tell, and the phone has
  // had an owner mark since before encryption existed.
  if (db.vault.state() === 'locked') return undefined;
  const session = await getMeta(db, 'session');
  return session ? { userId: session.user.id, username: session.user.username } : undefined;
}

/**
 * Before the network: may `username` sign in here? Refuses when the phone's known owner is
 * someone else and still has a queue, so no credentials are sent and no server is needed. Only
 * the username is known at this point; the decision that counts is made again by user id in
 * `claimPhone`. A phone with no known owner is decided there too (it needs the user's id and
 * assignment from the login answer).
 */
export async function mayHandOver(db: PuchaDb, username: string): Promise<Handover> {
  return db.transaction('r', [db.meta, db.outbox], async () => {
    const owner = await phoneOwner(db);
    if (!owner || sameName(owner.username, username)) return { ok: true as const, wiped: false };
    const queued = await db.outbox.count();
    return queued > 0 ? refusal(queued, owner.username) : { ok: true as const, wiped: false };
  });
}

/**
 * Stores `session` and makes its user the phone's owner, in ONE transaction with the re-check of
 * the outbox and, for another user, the wipe of the previous user's records: a save that raced
 * the login request is seen here, and nothing is half-removed. The database is opened with
 * `chromeTransactionDurability: 'strict'`, like every named operation.
 */
export async function claimPhone(db: PuchaDb, session: Session, deviceKey?: string): Promise<Claim> {
  const user = session.user;
  // The data key first (WebCrypto cannot run inside the transaction below without keeping it
  // alive): the phone's own key, opened with the device key when the store is locked (a
  // forgotten PIN), or a new one for a phone with no vault yet or with another user's records.
  const vault = db.vault;
  const previous = vault.current();
  let prepared: PreparedVault | undefined;
  if (previous && previous.userId === user.id) {
    if (vault.state() === 'locked' && !(deviceKey && (await vault.unlockWithDeviceKey(deviceKey)))) return { ok: false, reason: 'vaultKey' };
  } else {
    prepared = await vault.prepare(user.id, deviceKey, new Date(db.now()));
  }
  const restore = prepared ? vault.install(prepared) : undefined;
  let result: Claim;
  try {
    result = await db.transaction(
      'rw',
      [db.meta, db.outbox, db.districts, db.listing, db.registrations, db.queries, db.recordState, db.syncLog, db.drafts],
      async (): Promise<Claim> => {
        const owner = await phoneOwner(db);
        const queued = await db.outbox.count();
        // No stored user (an older version signed out or got a 401, which forgot the session):
        // the records count as this user's only if all of them lie in the districts the server
        // has just assigned to the user. Anything else is treated as another user's, so a queue is
        // never deleted and never pushed under a token it does not belong to.
        const foreign = owner ? owner.userId !== user.id : !(await onlyAssigned(db, user));
        let wiped = false;
        if (foreign) {
          if (queued > 0) return refusal(queued, owner?.username);
          // Drafts (unsaved input, never queued) hold respondents' answers too: they go with the records.
          await Promise.all([db.districts.clear(), db.listing.clear(), db.registrations.clear(), db.queries.clear(), db.recordState.clear(), db.syncLog.clear(), db.drafts.clear()]);
          await db.meta.bulkDelete([...PERSONAL_META, 'pinAttempts']);
          wiped = true;
        } else if (prepared && previous) {
          // Records of this user sealed under another user's vault: a new key could not read them.
          return { ok: false, reason: 'vaultKey' };
        }
        if (prepared) await setMeta(db, 'vault', prepared.record);
        await setMeta(db, 'owner', { userId: user.id, username: user.username });
        await storeSession(db, session);
        return { ok: true, wiped };
      },
    );
  } catch (e) {
    restore?.();
    // Reliability finding 7: a full disk aborts the transaction; nothing was stored or removed.
    if (isQuotaError(e)) return { ok: false, reason: 'storageFull', message: e instanceof Error ? e.message : 'storage full' };
    throw e;
  }
  if (!result.ok) {
    restore?.();
    return result;
  }
  if (result.wiped || prepared) {
    // The previous user's practice district (sealed with their key) goes with their records.
    await new Dexie(PRACTICE_DB_NAME, db.idb).delete().catch((e: unknown) => console.warn('practice store not deleted', e));
  }
  if (prepared) {
    vault.commit(prepared);
    // Rows written in clear by a version without encryption (a kept queue, kept records).
    if (!result.wiped) await sealExistingRows(db);
  }
  return result;
}

function refusal(queued: number, owner: string | undefined): HandoverRefusal {
  return { ok: false, reason: 'otherUserQueued', queued, owner };
}

// Usernames are compared as the server would likely match them; a wrong guess here only means
// the credentials are sent and the user-id check in claimPhone decides.
const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** True when every district the phone holds anything of is assigned to `user`. */
async function onlyAssigned(db: PuchaDb, user: User): Promise<boolean> {
  const assigned = new Set<string>(user.districts);
  const codes = [
    ...(await db.districts.toCollection().primaryKeys()),
    ...(await db.listing.orderBy('districtCode').uniqueKeys()),
    ...(await db.registrations.orderBy('districtCode').uniqueKeys()),
    ...(await db.queries.orderBy('districtCode').uniqueKeys()),
    ...(await db.drafts.orderBy('districtCode').uniqueKeys()),
  ];
  return codes.every((c) => typeof c === 'string' && assigned.has(c));
}
