// A phone as the app lock's tests find it: signed in once, then restarted, so the store opens
// locked (tests/client/ui/app-lock.test.tsx, early-lock.test.tsx).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect } from 'vitest';
import { openDb, setMeta, storeSession, type PuchaDb, type Session } from '../../../src/client/db/index.ts';
import { choosePin } from '../../../src/client/db/lock.ts';
import { district } from '../fixtures.ts';

export const PIN = '480361';
export const SESSION: Session = {
  token: 'tok-123456789',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: { id: 'u-enum-1', username: 'enum', name: '张三', role: 'enumerator', districts: [district().code] },
};

let n = 0;
/** Locked with a PIN; `pin: false`: no PIN chosen yet; `session: false`: signed out since. */
export async function lockedPhone(opts: { pin?: boolean; session?: boolean } = {}): Promise<{ db: PuchaDb; reopen: () => Promise<PuchaDb> }> {
  const idb = new IDBFactory();
  const name = `locked-phone-${++n}`;
  const first = await openDb(name, { indexedDB: idb, IDBKeyRange });
  const prepared = await first.vault.prepare(SESSION.user.id, 'A'.repeat(43), new Date());
  await setMeta(first, 'vault', prepared.record);
  first.vault.commit(prepared);
  if (opts.session !== false) await storeSession(first, SESSION);
  await setMeta(first, 'owner', { userId: SESSION.user.id, username: SESSION.user.username });
  await first.districts.put(district());
  if (opts.pin !== false) expect(await choosePin(first, PIN)).toEqual({ ok: true });
  first.close();
  const reopen = () => openDb(name, { indexedDB: idb, IDBKeyRange });
  return { db: await reopen(), reopen };
}
