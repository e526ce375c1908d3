// The app PIN (issue 10): chosen right after a sign-in with the password, asked when the app
// starts and when it was left alone. Wrong PINs earn growing waits that survive a reload; the
// tenth in a row signs the user out (the token is forgotten, the records and the queue stay
// encrypted on the phone) and only a sign-in with the password, online, opens the store again.
import type { PuchaDb } from './database.ts';
import { deleteMeta, getMeta, getSession, setMeta } from './meta.ts';
import { checkPin, type PinProblem, type VaultRecord } from './vault.ts';

export const MAX_PIN_FAILURES = 10;
/** Default inactivity before the app locks. */
export const DEFAULT_LOCK_MINUTES = 5;
export const LOCK_MINUTE_CHOICES = [1, 2, 5, 10, 15, 30] as const;

/** The wait after the n-th wrong PIN in a row (n = 1..9): free tries first, then longer and longer. */
export function pinDelayMs(failures: number): number {
  const steps = [0, 0, 0, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000];
  return steps[Math.min(failures, steps.length) - 1] ?? 0;
}

export type UnlockResult =
  | { ok: true }
  /** Wrong PIN: `left` tries before the sign-out, the next try not before `notBefore`. */
  | { ok: false; reason: 'wrong'; left: number; notBefore: number }
  /** Too early: the wait after the last wrong PIN is not over. */
  | { ok: false; reason: 'wait'; notBefore: number }
  /** The tenth wrong PIN: signed out; sign in with the password. */
  | { ok: false; reason: 'signedOut' }
  | { ok: false; reason: 'noPin' };

export async function pinAttempts(db: PuchaDb): Promise<{ failures: number; notBefore: number }> {
  return (await getMeta(db, 'pinAttempts')) ?? { failures: 0, notBefore: 0 };
}

export async function unlockWithPin(db: PuchaDb, pin: string): Promise<UnlockResult> {
  if (!db.vault.hasPin()) return { ok: false, reason: 'noPin' };
  const now = db.now();
  const before = await pinAttempts(db);
  if (before.notBefore > now) return { ok: false, reason: 'wait', notBefore: before.notBefore };
  if (await db.vault.unlockWithPin(pin)) {
    if (before.failures > 0) await deleteMeta(db, 'pinAttempts');
    return { ok: true };
  }
  // Counted after the slow key derivation, re-read so two tabs trying at once both count.
  const failures = (await pinAttempts(db)).failures + 1;
  if (failures >= MAX_PIN_FAILURES) {
    await db.transaction('rw', db.meta, async () => {
      await deleteMeta(db, 'session');
      await deleteMeta(db, 'pinAttempts');
    });
    db.vault.forget();
    return { ok: false, reason: 'signedOut' };
  }
  const notBefore = now + pinDelayMs(failures);
  await setMeta(db, 'pinAttempts', { failures, notBefore });
  return { ok: false, reason: 'wrong', left: MAX_PIN_FAILURES - failures, notBefore };
}

/** Chooses the PIN (after a sign-in, or a forgotten one): wraps the data key with it. */
export async function choosePin(db: PuchaDb, pin: string): Promise<{ ok: true } | { ok: false; problem: PinProblem }> {
  const problem = checkPin(pin);
  if (problem) return { ok: false, problem };
  const record = await db.vault.withPin(pin);
  await storeVault(db, record);
  await deleteMeta(db, 'pinAttempts');
  return { ok: true };
}

export async function storeVault(db: PuchaDb, record: VaultRecord): Promise<void> {
  await setMeta(db, 'vault', record);
  db.vault.stored(record);
}

/** Adds the device wrap once the device key is known (a phone upgraded from a version without encryption). */
export async function addDeviceKey(db: PuchaDb, deviceKey: string): Promise<boolean> {
  const record = await db.vault.withDeviceKey(deviceKey);
  if (!record) return false;
  await storeVault(db, record);
  return true;
}

export async function lockAfterMinutes(db: PuchaDb): Promise<number> {
  return (await getMeta(db, 'lockAfterMinutes')) ?? DEFAULT_LOCK_MINUTES;
}

const ENCRYPTED_ROW_TABLES = ['listing', 'registrations', 'outbox', 'queries', 'drafts'] as const;
const CHUNK = 500;

/**
 * Encrypts, in place, rows written in clear by a version without encryption (run once the vault
 * exists). Chunked by primary key, one transaction per chunk: rows are rewritten unchanged but
 * sealed, so an interruption leaves a mix that reads the same and the next run finishes it.
 */
export async function sealExistingRows(db: PuchaDb): Promise<number> {
  let n = 0;
  for (const name of ENCRYPTED_ROW_TABLES) {
    const table = db.table<Record<string, unknown>, unknown>(name);
    const keys = await table.toCollection().primaryKeys();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      n += await db.transaction('rw', table, async () => {
        const rows = (await table.bulkGet(chunk)).filter((r): r is Record<string, unknown> => r !== undefined);
        await table.bulkPut(rows);
        return rows.length;
      });
    }
  }
  await db.transaction('rw', db.meta, async () => {
    const session = await db.meta.get('session');
    if (session) await db.meta.put(session);
  });
  return n;
}

/**
 * A phone upgraded from a version without encryption, still signed in: the PIN makes its vault
 * (the device wrap follows at the next sync, see the engine) and its rows are sealed.
 */
export async function createVaultWithPin(db: PuchaDb, pin: string): Promise<{ ok: true } | { ok: false; problem: PinProblem }> {
  const problem = checkPin(pin);
  if (problem) return { ok: false, problem };
  const session = await getSession(db);
  if (!session) throw new Error('createVaultWithPin: no session to take the user from');
  const prepared = await db.vault.prepare(session.user.id, undefined, new Date(db.now()));
  db.vault.commit(prepared);
  await storeVault(db, await db.vault.withPin(pin));
  await sealExistingRows(db);
  return { ok: true };
}
