// Typed access to the `meta` table (one row per key, value parsed with its schema on read), and
// the device identity: a persistent uuid, the device sequence counter, and the marker whose
// absence at start tells a fresh install from a store that was wiped under us.
import type { PuchaDb } from './database.ts';
import { META, type MetaKey, type MetaValue, type Session, SessionSchema } from './rows.ts';

/** Reads a meta value; a missing or unparseable row reads as undefined (and is logged as a bug by the caller if it matters). */
export async function getMeta<K extends MetaKey>(db: PuchaDb, key: K): Promise<MetaValue<K> | undefined> {
  const row = await db.meta.get(key);
  if (!row) return undefined;
  const parsed = META[key].safeParse(row.value);
  return parsed.success ? (parsed.data as MetaValue<K>) : undefined;
}

export async function setMeta<K extends MetaKey>(db: PuchaDb, key: K, value: MetaValue<K>): Promise<void> {
  await db.meta.put({ key, value: META[key].parse(value) });
}

export async function deleteMeta(db: PuchaDb, key: MetaKey): Promise<void> {
  await db.meta.delete(key);
}

export interface DeviceIdentity {
  deviceId: string;
  /** True when this call created the marker: a first start, or a store that was wiped. */
  fresh: boolean;
  /** The device sequence high-water mark (0 on a fresh store). */
  deviceSeq: number;
}

/**
 * Returns the persistent device id, creating it (and the marker) on a fresh store. `hint` is a
 * device id remembered outside IndexedDB (e.g. by the sign-in screen); reusing it lets the server
 * recognise the device after a wipe, which is what makes the loss detectable.
 */
export async function ensureDevice(db: PuchaDb, hint?: string): Promise<DeviceIdentity> {
  return db.transaction('rw', db.meta, async () => {
    const marker = await getMeta(db, 'marker');
    const existing = await getMeta(db, 'deviceId');
    const deviceSeq = (await getMeta(db, 'deviceSeq')) ?? 0;
    if (marker && existing) return { deviceId: existing, fresh: false, deviceSeq };
    const deviceId = existing ?? hint ?? db.newId();
    await setMeta(db, 'deviceId', deviceId);
    await setMeta(db, 'deviceSeq', deviceSeq);
    await setMeta(db, 'marker', { createdAt: new Date(db.now()).toISOString(), deviceId });
    return { deviceId, fresh: true, deviceSeq };
  });
}

export async function storeSession(db: PuchaDb, session: Session): Promise<void> {
  await setMeta(db, 'session', SessionSchema.parse(session));
}

export async function getSession(db: PuchaDb): Promise<Session | undefined> {
  return getMeta(db, 'session');
}

/** Whether a session is stored, readable while the store is locked (the row itself is encrypted). */
export async function hasSession(db: PuchaDb): Promise<boolean> {
  return (await db.meta.where('key').equals('session').count()) > 0;
}

/** Sign-out forgets the token only: the queue and the records stay on the phone. */
export async function clearSession(db: PuchaDb): Promise<void> {
  await deleteMeta(db, 'session');
}
