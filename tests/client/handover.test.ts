// Phone handover (issue 8), against the fake server: a phone holds one user's records. Another
// user is refused while the previous user's outbox is not empty (on the phone, before any
// credentials are sent, and again in the transaction that stores the session); once it is empty
// the previous user's records leave the phone as the new user signs in, and the new user's first
// pull starts without a cursor. The same user signing in again keeps everything.
import { describe, expect, it } from 'vitest';
import { deleteMeta, getMeta, getSession, listingOfDistrict, outboxStats, reviewQueries, saveRegistration, syncLog, type PuchaDb } from '../../src/client/db/index.ts';
import type { FetchLike } from '../../src/client/sync/index.ts';
import type { User } from '../../src/domain/index.ts';
import { DISTRICT, district, draftFor, listingEntry } from './fixtures.ts';
import type { FakeServer } from './fake-server.ts';
import { rig } from './sync-helpers.ts';

const D_B = '130102003003002';
const USER_B: User = { id: 'u-enum-2', username: 'demo-enumerator-2', name: '李四', role: 'enumerator', districts: [D_B] };

/** Every table of the phone, for "nothing changed" comparisons. */
async function dump(db: PuchaDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await t.toArray();
  return out;
}

const logins = (server: FakeServer): number => server.requests.filter((r) => r.path === '/auth/login').length;

/**
 * A phone of enumerator A (synced once, with a review query pulled) and a server that also knows
 * enumerator B, with B's own district. Pulls are scoped to the user's districts like the real
 * server's, so whatever of A's is found after B signs in was left on the phone, not pulled.
 * `hook` runs before each request reaches the server (to race a save or hold a pull).
 */
async function handoverRig(households = 3) {
  const hooks: { before?: ((path: string, init?: RequestInit) => Promise<void>) | undefined } = {};
  const urls: string[] = [];
  const wrapFetch = (f: FetchLike): FetchLike => async (input, init) => {
    urls.push(input);
    await hooks.before?.(new URL(input).pathname.replace('/api/v1', ''), init);
    return f(input, init);
  };
  const r = await rig({ households, wrapFetch });
  r.server.users.set(USER_B.username, { password: 'pucha-b', user: USER_B });
  r.server.scopePulls = true;
  r.server.put('district', DISTRICT, district(DISTRICT));
  r.server.put('query', 'Q-A', { id: 'Q-A', householdId: `R-${r.entries[0]?.id ?? ''}`, districtCode: DISTRICT, message: '核实人数', status: 'open', createdBy: 'u-sup', createdAt: '2020-11-05T07:00:00Z', version: 1 });
  r.server.put('district', D_B, district(D_B));
  r.server.put('listing', listingEntry(1, D_B).id, listingEntry(1, D_B));
  expect(await r.engine.syncNow()).toMatchObject({ kind: 'ok' });
  expect(await reviewQueries(r.db)).toHaveLength(1);
  return { ...r, hooks, urls };
}

/** A registers a household while offline: it stays queued. */
async function queueOne(db: PuchaDb, server: FakeServer, entry = listingEntry(2)) {
  server.offline = true;
  const saved = await saveRegistration(db, draftFor(entry, 3, 'ho'));
  if (!saved.ok) throw new Error(saved.reason);
  server.offline = false;
  return saved.registration;
}

describe('phone handover', () => {
  it('[HO1] another user is refused while the previous user has a queue: no credentials sent, nothing changed, no session for them', async () => {
    const { db, server, engine } = await handoverRig();
    await queueOne(db, server);
    const before = await dump(db);
    const sent = logins(server);

    const r = await engine.signIn(USER_B.username, 'pucha-b');

    expect(r).toMatchObject({ ok: false, reason: 'otherUserQueued' });
    expect(logins(server)).toBe(sent);
    // Records, outbox, cursor, device id, A's session and A's log: all exactly as they were.
    expect(await dump(db)).toEqual(before);
    expect((await getSession(db))?.user.id).toBe('u-enum-1');
    expect((await outboxStats(db)).count).toBe(1);
    expect(engine.getState().user?.id).not.toBe(USER_B.id);
  });

  it('[HO1] a save that races the login request is seen in the transaction that would store the session', async () => {
    const { db, server, engine, hooks } = await handoverRig();
    expect((await outboxStats(db)).count).toBe(0);
    hooks.before = async (path) => {
      if (path !== '/auth/login') return;
      hooks.before = undefined;
      await queueOne(db, server, listingEntry(3));
    };

    const r = await engine.signIn(USER_B.username, 'pucha-b');

    expect(r).toMatchObject({ ok: false, reason: 'otherUserQueued' });
    expect((await getSession(db))?.user.id).toBe('u-enum-1');
    expect(await getMeta(db, 'owner')).toEqual({ userId: 'u-enum-1', username: 'demo-enumerator' });
    expect((await outboxStats(db)).count).toBe(1);
    expect(await listingOfDistrict(db, DISTRICT)).toHaveLength(3);
    // The token the server issued to B is given back.
    expect(server.requests.at(-1)?.path).toBe('/auth/logout');
  });

  it('[HO2] once the queue is empty, the previous user\'s records leave the phone with the sign-in; the device id stays and the first pull has no cursor', async () => {
    const { db, server, engine, urls } = await handoverRig();
    const reg = await queueOne(db, server);
    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect((await outboxStats(db)).count).toBe(0);
    expect(await getMeta(db, 'pullCursor')).toBeDefined();
    const deviceId = await getMeta(db, 'deviceId');
    const deviceSeq = await getMeta(db, 'deviceSeq');
    expect(deviceSeq).toBeGreaterThan(0);
    const firstUrl = urls.length;

    const r = await engine.signIn(USER_B.username, 'pucha-b');
    expect(r).toMatchObject({ ok: true, user: { id: USER_B.id } });
    // Gone as soon as sign-in returns: removed in the session's transaction, not by a later pull.
    expect(await db.districts.get(DISTRICT)).toBeUndefined();
    expect(await listingOfDistrict(db, DISTRICT)).toEqual([]);
    expect(await db.registrations.get(reg.id)).toBeUndefined();
    expect(await reviewQueries(db)).toEqual([]);

    expect(await engine.syncNow()).toMatchObject({ kind: 'ok' });
    expect((await db.districts.toArray()).map((d) => d.code)).toEqual([D_B]);
    expect(await listingOfDistrict(db, D_B)).toHaveLength(1);
    expect(await db.registrations.count()).toBe(0);
    expect((await db.recordState.toArray()).every((s) => s.entityId.includes(D_B))).toBe(true);
    expect((await syncLog(db)).some((l) => l.data?.user === 'demo-enumerator')).toBe(false);
    expect((await getSession(db))?.user.id).toBe(USER_B.id);
    expect(await getMeta(db, 'owner')).toEqual({ userId: USER_B.id, username: USER_B.username });
    expect(await getMeta(db, 'deviceId')).toBe(deviceId);
    expect(await getMeta(db, 'deviceSeq')).toBe(deviceSeq);
    const pulls = urls.slice(firstUrl).filter((u) => u.includes('/sync/pull'));
    expect(new URL(pulls[0] ?? 'http://x/').searchParams.has('cursor')).toBe(false);
    // A's household reached the server before the handover.
    expect(server.revisions.some((v) => v.entityId === reg.id && v.status === 'applied')).toBe(true);
  });

  it('[HO3] the same user signing in again (after a 401) keeps everything, the queue included', async () => {
    const { db, server, engine } = await handoverRig();
    await queueOne(db, server);
    server.revokeAll();
    expect(await engine.syncNow()).toMatchObject({ kind: 'signedOut' });
    expect(await getSession(db)).toBeUndefined();
    // The syncs after sign-in fail their push, so the queue is still there to be looked at.
    for (let i = 0; i < 2; i++) server.faults.push({ when: 'push', fault: { kind: 'status', status: 503 } });
    const before = await dump(db);

    const r = await engine.signIn('demo-enumerator', 'pucha-demo');
    expect(r).toMatchObject({ ok: true, user: { id: 'u-enum-1' } });
    await engine.syncNow().catch(() => undefined);

    const after = await dump(db);
    for (const table of ['districts', 'listing', 'registrations', 'queries', 'outbox'] as const) {
      expect(after[table]?.length, table).toBe(before[table]?.length);
    }
    expect((await outboxStats(db)).count).toBeGreaterThanOrEqual(1);
    expect(await getMeta(db, 'pullCursor')).toBeDefined();
    expect(await reviewQueries(db)).toHaveLength(1);
  });

  it('[HO4] a phone with records but no stored user: another user is refused while it has a queue, the assigned user is not', async () => {
    const { db, server, engine } = await handoverRig();
    await queueOne(db, server);
    // As an older version left it after a sign-out: no session, no owner mark.
    await engine.signOut();
    await deleteMeta(db, 'owner');
    const before = await dump(db);

    expect(await engine.signIn(USER_B.username, 'pucha-b')).toMatchObject({ ok: false, reason: 'otherUserQueued' });
    expect(await dump(db)).toEqual(before);

    // The records all lie in A's districts: A may sign in and push them.
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503 } });
    expect(await engine.signIn('demo-enumerator', 'pucha-demo')).toMatchObject({ ok: true });
    expect((await outboxStats(db)).count).toBe(1);
    expect(await listingOfDistrict(db, DISTRICT)).toHaveLength(3);
  });

  it('[HO4] a phone with records but no stored user and nothing queued: another user does not see them', async () => {
    const { db, engine } = await handoverRig();
    await engine.signOut();
    await deleteMeta(db, 'owner');

    expect(await engine.signIn(USER_B.username, 'pucha-b')).toMatchObject({ ok: true });
    expect(await listingOfDistrict(db, DISTRICT)).toEqual([]);
    expect(await reviewQueries(db)).toEqual([]);
  });

  it('[HO5] a page the previous user pulled while the handover happened is dropped, not written for the new user', async () => {
    const { db, server, engine, hooks } = await handoverRig();
    server.put('listing', listingEntry(9).id, listingEntry(9));
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived = (): void => undefined;
    const atPull = new Promise<void>((resolve) => (arrived = resolve));
    hooks.before = async (path) => {
      if (path !== '/sync/pull') return;
      hooks.before = undefined;
      arrived();
      await held;
    };
    const cycle = engine.syncNow();
    await atPull;
    await engine.signOut();
    expect(await engine.signIn(USER_B.username, 'pucha-b')).toMatchObject({ ok: true });
    release();
    await cycle;
    await engine.syncNow();

    expect(await listingOfDistrict(db, DISTRICT)).toEqual([]);
    expect(await db.districts.get(DISTRICT)).toBeUndefined();
    expect(await listingOfDistrict(db, D_B)).toHaveLength(1);
  });

  it('[HO6] an office user (role office, with a scope) signs in and the session keeps both', async () => {
    const { db, server, engine } = await handoverRig();
    const office: User = { id: 'u-office-1', username: 'office-1301', name: '区普查办', role: 'office', scope: '1301', districts: [] };
    server.users.set(office.username, { password: 'pucha-o', user: office });
    expect(await engine.signIn(office.username, 'pucha-o')).toMatchObject({ ok: true, user: { role: 'office', scope: '1301' } });
    expect((await getSession(db))?.user).toMatchObject({ role: 'office', scope: '1301', districts: [] });
    expect(await listingOfDistrict(db, DISTRICT)).toEqual([]);
  });
});
