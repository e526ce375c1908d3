// ONE contract suite for the Store port: tests/server/store-sqlite.test.ts and
// store-postgres.test.ts run it against each adapter.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation } from '../../src/domain/index.ts';
import { planPush, type PreparedMutation } from '../../src/server/push-plan.ts';
import { prepareMutation } from '../../src/server/push-prepare.ts';
import type { Store } from '../../src/server/store/store.ts';
import type { Scope } from '../../src/server/store/scope.ts';
import { D1, D2, D3, district, householdMutation, listingEntry, listingMutation, registration } from './fixtures.ts';
import { baseLong, listingFor } from '../domain/fixtures.ts';

export interface StoreHandle {
  store: Store;
  /** Close and reopen the same database (migrations must be idempotent). */
  reopen: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

const NOW = '2020-11-03T08:00:00.000Z';
/** The scope of enumerator u-enum (districts D1 and D2). */
export const ENUM: Scope = { kind: 'enumerator', userId: 'u-enum' };
export const ALL: Scope = { kind: 'all' };
export const NONE: Scope = { kind: 'none' };
export const inD = (code: string): Scope => ({ kind: 'district', code });

function prep(ms: Mutation[]): PreparedMutation[] {
  return ms.map((m) => {
    const p = prepareMutation(m);
    if (!p) throw new Error('fixture mutation without id');
    return p;
  });
}

export function push(store: Store, ms: Mutation[], opts: { userId?: string; deviceId?: string; districts?: string[]; device?: { pending: number; appVersion: string } } = {}) {
  const prepared = prep(ms);
  return store.applyPush(
    {
      userId: opts.userId ?? 'u-enum',
      deviceId: opts.deviceId ?? 'dev-1',
      keys: prepared.map((p) => ({ mutationId: p.id, entity: p.kind, entityId: p.entityId })),
      listingIds: prepared.flatMap((p) => (p.check.ok && p.check.kind === 'household' ? [p.check.reg.listingId] : [])),
      ...(opts.device ? { device: opts.device } : {}),
      receivedAt: NOW,
    },
    planPush(prepared, new Set(opts.districts ?? [D1, D2]), NOW, new Set(), opts.deviceId ?? 'dev-1'),
  );
}

export function storeContract(name: string, open: () => Promise<StoreHandle>) {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHandle;
    let store: Store;
    beforeEach(async () => {
      h = await open();
      store = h.store;
      await store.createUser({ id: 'u-sup', username: 'sup', name: 'Supervisor', role: 'supervisor', passwordHash: 'x' });
      await store.createUser({ id: 'u-enum', username: 'enum', name: 'Enumerator', role: 'enumerator', passwordHash: 'x', supervisorId: 'u-sup' });
      await store.createUser({ id: 'u-enum2', username: 'enum2', name: 'Other', role: 'enumerator', passwordHash: 'x' });
      await store.createUser({ id: 'u-admin', username: 'admin', name: 'Admin', role: 'admin', passwordHash: 'x' });
      await store.putDistrict(district(D1, ['u-enum']));
      await store.putDistrict(district(D2, ['u-enum']));
      await store.putDistrict(district(D3, ['u-enum2']));
      // the listing entries the fixture registrations name (L-<district>-001)
      await store.importListing([listingEntry(D1, 1), listingEntry(D2, 1), listingEntry(D3, 1)]);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('[DU1] commits are durable before a push is answered (WAL + synchronous=FULL / synchronous_commit=on)', async () => {
      const d = await store.durability();
      expect(d.durableCommits).toBe(true);
      expect(d.settings).toEqual(store.kind === 'sqlite' ? { journal_mode: 'wal', synchronous: 'full', foreign_keys: 'on' } : { synchronous_commit: 'on' });
    });

    it('[ST1] users: unique usernames, lookup, and district scope per role', async () => {
      expect(await store.createUser({ id: 'x', username: 'enum', name: 'Dup', role: 'enumerator', passwordHash: 'x' })).toEqual({ ok: false, reason: 'username_taken' });
      expect(await store.createUser({ id: 'y', username: 'y', name: 'Y', role: 'enumerator', passwordHash: 'x', supervisorId: 'nobody' })).toEqual({ ok: false, reason: 'unknown_supervisor' });
      const enumUser = await store.findUserByUsername('enum');
      expect(enumUser).toMatchObject({ id: 'u-enum', role: 'enumerator', supervisorId: 'u-sup', disabled: false });
      expect(await store.findUserByUsername('nobody')).toBeUndefined();
      const get = async (id: string) => {
        const u = await store.getUser(id);
        if (!u) throw new Error('missing');
        return store.districtsOf(u);
      };
      expect(await get('u-enum')).toEqual([D1, D2]);
      expect(await get('u-enum2')).toEqual([D3]);
      expect(await get('u-sup')).toEqual([D1, D2]);
      // an admin's scope is never expanded into a list
      expect(await get('u-admin')).toEqual([]);
      expect(await store.hasUsers()).toBe(true);
    });

    it('[ST2] sessions: stored by hash, revocable', async () => {
      await store.createSession({ tokenHash: 'h1', userId: 'u-enum', deviceId: 'dev-1', createdAt: NOW, expiresAt: '2020-12-03T08:00:00.000Z' });
      expect(await store.findSession('h1')).toMatchObject({ userId: 'u-enum', deviceId: 'dev-1' });
      await store.revokeSession('h1', NOW);
      expect((await store.findSession('h1'))?.revokedAt).toBe(NOW);
      expect(await store.findSession('nope')).toBeUndefined();
    });

    it('[ST3] districts: assignment replaced on update', async () => {
      await store.putDistrict(district(D1, ['u-enum', 'u-enum2'], '新名'));
      const [d] = await store.listDistricts([D1]);
      expect(d).toEqual({ code: D1, name: '新名', enumerators: ['u-enum', 'u-enum2'] });
      expect((await store.listDistricts()).length).toBe(3);
    });

    it('[ST4] listing import: all or nothing, re-import changes nothing, keeps field visits', async () => {
      const entries = [4, 5, 6].map((n) => listingEntry(D1, n));
      expect(await store.importListing(entries)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
      const before = await store.pull(inD(D1), 0, 100);
      expect(await store.importListing(entries)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
      expect(await store.pull(inD(D1), 0, 100)).toEqual(before);
      // the phone records a visit; a re-import of the office file does not undo it
      const visited = { ...listingEntry(D1, 4), visit: { status: 'registered' as const, attempts: 1 } };
      expect((await push(store, [listingMutation(visited, 1)]))[0]).toMatchObject({ status: 'applied', version: 2 });
      expect(await store.importListing(entries)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
      expect(await store.importListing([{ ...listingEntry(D1, 4), address: '新地址' }])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
      const l1 = (await store.pull(inD(D1), 0, 100)).changes.find((c) => c.id === visited.id);
      expect(l1).toMatchObject({ version: 3, data: { address: '新地址', visit: { status: 'registered' } } });
      // a bad entry (foreign district for an existing id) aborts the whole import
      const counts = await store.tableCounts();
      await expect(store.importListing([listingEntry(D1, 9), { ...listingEntry(D1, 5), districtCode: D2 }])).rejects.toThrow();
      expect(await store.tableCounts()).toEqual(counts);
    });

    it('[PU1] applied then duplicate: one revision per mutation, version from 0', async () => {
      const reg = registration(D1);
      const m = householdMutation(reg, 0);
      expect(await push(store, [m])).toEqual([{ id: m.id, status: 'applied', version: 1 }]);
      for (let i = 0; i < 3; i++) expect(await push(store, [m])).toEqual([{ id: m.id, status: 'duplicate', version: 1 }]);
      expect(await store.countRevisions(reg.id)).toBe(1);
      const m2 = householdMutation({ ...reg, version: 2 }, 1);
      expect(await push(store, [m2])).toEqual([{ id: m2.id, status: 'applied', version: 2 }]);
      expect(await store.getRegistration(reg.id)).toMatchObject({ version: 2, districtCode: D1 });
    });

    it('[PU2] two saves of one household in one batch, then a conflict keeps both versions', async () => {
      const reg = registration(D1);
      const a = householdMutation(reg, 0);
      const b = householdMutation({ ...reg, version: 2 }, 1);
      const stale = householdMutation({ ...reg, household: { ...reg.household, rooms: 9 } }, 1);
      const res = await push(store, [a, b]);
      expect(res.map((r) => [r.status, r.version])).toEqual([
        ['applied', 1],
        ['applied', 2],
      ]);
      expect(await push(store, [stale], { deviceId: 'dev-2' })).toEqual([{ id: stale.id, status: 'conflict', version: 2 }]);
      expect((await store.getRegistration(reg.id))?.version).toBe(2);
      expect(await store.countRevisions(reg.id)).toBe(3);
      const conflicts = await store.listConflicts(inD(D1), 0, 100);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ mutationId: stale.id, baseVersion: 1, currentVersion: 2, deviceId: 'dev-2', data: { household: { rooms: 9 } } });
      expect(await store.listConflicts(inD(D2), 0, 100)).toEqual([]);
      // the conflict repeats as a conflict on re-push
      expect(await push(store, [stale], { deviceId: 'dev-2' })).toEqual([{ id: stale.id, status: 'conflict', version: 2 }]);
    });

    it('[PU3] rejected mutations go to quarantine, the rest of the batch is unaffected', async () => {
      const good = householdMutation(registration(D1));
      const bad = householdMutation(registration(D1));
      bad.data = { ...bad.data, persons: 'many' };
      const foreign = householdMutation(registration(D3));
      const res = await push(store, [good, bad, foreign]);
      expect(res.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected']);
      expect(res[1]?.error?.code).toBe('validation_failed');
      expect(res[2]?.error?.code).toBe('forbidden');
      const q = await store.listQuarantine(ALL, 0, 100);
      expect(q.map((x) => x.mutationId)).toEqual([bad.id, foreign.id]);
      expect(q[0]?.payload).toEqual(JSON.parse(JSON.stringify(bad)));
      expect(await store.listQuarantine({ kind: 'supervisor', userId: 'u-sup' }, 0, 100)).toHaveLength(2);
      expect(await store.listQuarantine(inD(D2), 0, 100)).toHaveLength(0);
      // repeated as rejected, not quarantined twice
      expect((await push(store, [bad]))[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
      expect(await store.listQuarantine(ALL, 0, 100)).toHaveLength(2);
    });

    it('[PU4] an existing household may not move districts', async () => {
      const reg = registration(D1);
      await push(store, [householdMutation(reg)]);
      const moved = householdMutation({ ...reg, districtCode: D2, version: 2 }, 1);
      expect((await push(store, [moved]))[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      expect((await store.getRegistration(reg.id))?.districtCode).toBe(D1);
    });

    it('[PU5] device report and highest deviceSeq are recorded', async () => {
      const m1 = { ...householdMutation(registration(D1)), deviceSeq: 7 };
      const m2 = { ...householdMutation(registration(D1)), deviceSeq: 5 };
      await push(store, [m1, m2], { device: { pending: 12, appVersion: '1.2.3' } });
      // 12 queued at send time, 2 of them answered: 10 still queued on the phone
      expect(await store.getDevice('dev-1')).toMatchObject({ userId: 'u-enum', pending: 10, appVersion: '1.2.3', deviceSeq: 7 });
      await push(store, [], { device: { pending: 0, appVersion: '1.2.4' } });
      expect(await store.getDevice('dev-1')).toMatchObject({ pending: 0, appVersion: '1.2.4', deviceSeq: 7 });
      const [st] = await store.enumeratorStatus(['u-enum']);
      expect(st).toMatchObject({ username: 'enum', districts: [D1, D2], pendingOnDevice: 0, appVersion: '1.2.4', lastPushAt: NOW, rejected: 0, conflicts: 0 });
    });

    it('[PU5] devicesOfUser lists one user\'s devices, most recently seen first', async () => {
      await store.touchDevice('dev-a', 'u-enum', '2020-11-03T08:00:00.000Z');
      await store.touchDevice('dev-b', 'u-enum', '2020-11-03T09:00:00.000Z');
      await store.touchDevice('dev-c', 'u-enum2', '2020-11-03T10:00:00.000Z');
      expect((await store.devicesOfUser('u-enum', 10)).map((d) => d.id)).toEqual(['dev-b', 'dev-a']);
      expect((await store.devicesOfUser('u-enum', 1)).map((d) => d.id)).toEqual(['dev-b']);
      expect(await store.devicesOfUser('u-enum2', 10)).toEqual([{ id: 'dev-c', userId: 'u-enum2', lastSeenAt: '2020-11-03T10:00:00.000Z', deviceSeq: 0 }]);
    });

    it('[PU6] the same batch pushed concurrently yields one revision per mutation', async () => {
      const batch = Array.from({ length: 20 }, () => householdMutation(registration(D1)));
      const all = await Promise.all(Array.from({ length: 6 }, () => push(store, batch)));
      for (let i = 0; i < batch.length; i++) {
        const statuses = all.map((r) => r[i]?.status);
        expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
        expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(5);
      }
      expect(await store.countRevisions()).toBe(20);
      expect((await store.tableCounts()).mutations).toBe(20);
    });

    it('[PU7] concurrent pushes commit together; one failing push rolls back alone', async () => {
      const good = Array.from({ length: 8 }, () => [householdMutation(registration(D1)), householdMutation(registration(D2))]);
      // the first push opens a transaction; the failing one and the rest queue up behind it and
      // share the next transaction, where the failure must roll back only its own savepoint
      const first = push(store, good[0] ?? []);
      // a push that fails half way through its writes (a foreign key violation after its
      // mutation and revision rows went in)
      const bad = prep([householdMutation(registration(D1))]);
      const planner = planPush(bad, new Set([D1]), NOW);
      const boom = store.applyPush({ userId: 'u-enum', deviceId: 'dev-1', keys: bad.map((p) => ({ mutationId: p.id, entity: p.kind, entityId: p.entityId })), listingIds: [`L-${D1}-001`], receivedAt: NOW }, (snap) => {
        const plan = planner(snap);
        plan.registrations = plan.registrations.map((r) => ({ ...r, districtCode: '999999999999999' }));
        return plan;
      });
      const rest = good.slice(1).map((b) => push(store, b));
      const results = await Promise.all([boom.then(() => 'resolved', (e: unknown) => (e instanceof Error ? e.message : 'other')), first, ...rest]);
      expect(results[0]).not.toBe('resolved');
      for (const r of results.slice(1)) expect(Array.isArray(r) && r.every((x) => x.status === 'applied')).toBe(true);
      expect(await store.countRevisions()).toBe(16);
      expect((await store.tableCounts()).mutations).toBe(16);
    });

    it('[PU9] the server runs the checks that need the listing entry, and refuses a household without one in its district', async () => {
      // A complete long form that passes every context-free check, for a household outside the sample.
      const long = { ...baseLong(), id: randomUUID(), districtCode: D1, listingId: `L-${D1}-050`, householdNo: '050' };
      await store.importListing([listingFor(long, { longForm: false })]);
      const sampled = { ...baseLong(), id: randomUUID(), districtCode: D1, listingId: `L-${D1}-051`, householdNo: '051' };
      await store.importListing([listingFor(sampled, { longForm: true })]);
      const missing = householdMutation(registration(D1, { listingId: `L-${D1}-404` }));
      const elsewhere = householdMutation(registration(D1, { listingId: `L-${D2}-001` }));
      // created on the phone: the new listing entry and its household in one batch
      const added = listingEntry(D1, 60, { origin: 'field' });
      const withAdded = householdMutation(registration(D1, { listingId: added.id, householdNo: '060' }));
      const longM = householdMutation(long);
      const res = await push(store, [longM, householdMutation(sampled), missing, elsewhere, listingMutation(added, 0), withAdded]);
      expect(res.map((r) => r.status)).toEqual(['rejected', 'applied', 'rejected', 'rejected', 'applied', 'applied']);
      expect(res[0]?.error?.details?.[0]?.message).toMatch(/^LONG_FORM_NOT_SAMPLED/);
      expect(res[2]?.error?.details).toEqual([{ path: ['data', 'listingId'], message: 'no such listing entry in this district' }]);
      expect(res[3]?.error?.details?.[0]?.path).toEqual(['data', 'listingId']);
      expect(await store.getRegistration(long.id)).toBeUndefined();
      expect(await store.getRegistration(missing.entityId)).toBeUndefined();
      // the same long form as a draft is kept (drafts may have findings)
      expect((await push(store, [householdMutation({ ...long, status: 'draft' })]))[0]?.status).toBe('applied');
      expect((await store.listQuarantine(ALL, 0, 100)).map((q) => q.mutationId)).toEqual([longM.id, missing.id, elsewhere.id]);
    });

    it('[PU10] a mutation id is idempotent only from its own device: another device reusing it is rejected, never a duplicate', async () => {
      const first = householdMutation(registration(D1));
      expect((await push(store, [first], { deviceId: 'dev-1' }))[0]).toEqual({ id: first.id, status: 'applied', version: 1 });
      const reg2 = registration(D1);
      const reuse = { ...householdMutation(reg2), id: first.id };
      const r = (await push(store, [reuse], { deviceId: 'dev-2' }))[0];
      expect(r).toMatchObject({ id: first.id, status: 'rejected', error: { code: 'validation_failed', details: [{ path: ['id'] }] } });
      expect(await store.getRegistration(reg2.id)).toBeUndefined();
      expect((await store.listQuarantine(ALL, 0, 100)).map((q) => q.deviceId)).toEqual(['dev-2']);
      // the first device's re-push is still its duplicate
      expect((await push(store, [first], { deviceId: 'dev-1' }))[0]).toEqual({ id: first.id, status: 'duplicate', version: 1 });
    });

    it('[PU11] a baseVersion ahead of the server is a conflict at the server version, never applied', async () => {
      const reg = registration(D1);
      await push(store, [householdMutation(reg)]);
      const ahead = householdMutation({ ...reg, version: 5 }, 4);
      expect((await push(store, [ahead]))[0]).toEqual({ id: ahead.id, status: 'conflict', version: 1 });
      const fresh = householdMutation(registration(D1), 3);
      expect((await push(store, [fresh]))[0]).toEqual({ id: fresh.id, status: 'conflict', version: 0 });
      expect(await store.getRegistration(fresh.entityId)).toBeUndefined();
      expect((await store.getRegistration(reg.id))?.version).toBe(1);
    });

    it('[PU8] pushes sharing a group see each other: a chain applies, a rival conflicts', async () => {
      const reg = registration(D1);
      const warm = push(store, [householdMutation(registration(D2))]); // holds the writer, so the next three share a group
      const a = push(store, [householdMutation(reg, 0)], { deviceId: 'dev-a' });
      const b = push(store, [householdMutation({ ...reg, version: 2 }, 1)], { deviceId: 'dev-a' });
      const rival = push(store, [householdMutation(reg, 0)], { deviceId: 'dev-b' });
      const [, ra, rb, rr] = await Promise.all([warm, a, b, rival]);
      const all = [ra?.[0], rb?.[0], rr?.[0]];
      const applied = all.filter((r) => r?.status === 'applied');
      // whatever the order: versions 1..n once each, everything else a conflict, all kept
      expect(applied.map((r) => r?.version).sort()).toEqual(applied.map((_, i) => i + 1));
      expect(all.filter((r) => r?.status === 'conflict')).toHaveLength(3 - applied.length);
      expect(await store.getRegistration(reg.id)).toMatchObject({ version: applied.length });
      expect(await store.countRevisions(reg.id)).toBe(3);
      if (store.kind === 'sqlite') {
        // one writer, so arrival order: the chain applies, the rival conflicts
        expect([ra?.[0]?.status, ra?.[0]?.version, rb?.[0]?.status, rb?.[0]?.version]).toEqual(['applied', 1, 'applied', 2]);
        expect(rr?.[0]).toMatchObject({ status: 'conflict', version: 2 });
      }
      expect((await store.getDevice('dev-a'))?.userId).toBe('u-enum');
      expect((await store.pull(inD(D1), 0, 100)).changes.filter((c) => c.id === reg.id)).toHaveLength(1);
    });

    it('[PL1] pull: server order, paging, scope', async () => {
      // the listing entries of D1, D2 and D3 come from beforeEach
      const regs = [registration(D1), registration(D2), registration(D1)];
      await push(store, regs.map((r) => householdMutation(r)));
      const all = await store.pull(ENUM, 0, 1000);
      expect(all.more).toBe(false);
      expect(all.changes.map((c) => c.entity)).toEqual(['district', 'district', 'listing', 'listing', 'household', 'household', 'household']);
      expect(all.changes[0]?.data).toEqual(district(D1, ['u-enum']));
      const seqs = all.changes.map((c) => c.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      // paging returns the same sequence
      const paged = [];
      let after = 0;
      for (;;) {
        const page = await store.pull(ENUM, after, 2);
        paged.push(...page.changes);
        const last = page.changes.at(-1);
        if (last) after = last.seq;
        if (!page.more) break;
      }
      expect(paged).toEqual(all.changes);
      expect((await store.pull(inD(D3), 0, 100)).changes.map((c) => c.entity)).toEqual(['district', 'listing']);
      expect(await store.pull(NONE, 0, 100)).toEqual({ changes: [], more: false });
      const last = all.changes.at(-1);
      expect((await store.pull(ENUM, last?.seq ?? 0, 100)).changes).toEqual([]);
      // every record of a district with its version (tombstones when a district leaves a scope)
      const inD1 = await store.recordsIn([D1]);
      expect(inD1.map((r) => r.entity).sort()).toEqual(['district', 'household', 'household', 'listing']);
      expect(inD1.every((r) => r.version === 1)).toBe(true);
      expect(await store.recordsIn([])).toEqual([]);
    });

    it('[PL5] a device\'s own pushed versions come marked, without data, and still count in the page', async () => {
      const mine = [registration(D1), registration(D2)];
      const theirs = registration(D1);
      const visited = { ...listingEntry(D1, 1), visit: { status: 'notAtHome' as const, attempts: 1 } };
      expect((await push(store, [...mine.map((r) => householdMutation(r)), listingMutation(visited, 1)], { deviceId: 'dev-1' })).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      await push(store, [householdMutation(theirs)], { deviceId: 'dev-2' });
      const plain = await store.pull(ENUM, 0, 1000);
      const except = await store.pull(ENUM, 0, 1000, 'dev-1');
      // the same rows in the same order: only the marks and the data differ
      expect(except.changes.map((c) => [c.entity, c.id, c.version, c.seq])).toEqual(plain.changes.map((c) => [c.entity, c.id, c.version, c.seq]));
      const own = except.changes.filter((c) => c.own).map((c) => c.id).sort();
      expect(own).toEqual([...mine.map((r) => r.id), visited.id].sort());
      for (const c of except.changes) {
        if (c.own) expect(c.data).toBeNull();
        else expect(c.data).toEqual(plain.changes.find((p) => p.id === c.id)?.data);
      }
      expect(plain.changes.some((c) => c.own)).toBe(false);
      // paged with limit 2: every row once, own rows included, so a cursor passes them
      const paged = [];
      let after = 0;
      for (;;) {
        const page = await store.pull(ENUM, after, 2, 'dev-1');
        paged.push(...page.changes);
        const last = page.changes.at(-1);
        if (last) after = last.seq;
        if (!page.more) break;
      }
      expect(paged.map((c) => c.seq)).toEqual(except.changes.map((c) => c.seq));
      // another device's later version of one of them is not its own any more
      const [first, second] = mine;
      if (!first || !second) throw new Error('fixture');
      await push(store, [householdMutation({ ...first, version: 2 }, 1)], { deviceId: 'dev-2' });
      // a writer other than a push (an import) at the same version: not a version the device pushed
      await store.importRegistrations([{ ...second, persons: second.persons.length, errors: 0, warnings: 0, data: { ...second, persons: second.persons.slice(0, 1) } }], NOW);
      const later = await store.pull(ENUM, 0, 1000, 'dev-1');
      expect(later.changes.filter((c) => c.own).map((c) => c.id)).toEqual([visited.id]);
      const edited = later.changes.find((c) => c.id === first.id);
      expect(edited?.version).toBe(2);
      expect(edited?.data).toMatchObject({ id: first.id, version: 2 });
      expect(later.changes.find((c) => c.id === second.id)?.data).toMatchObject({ persons: [expect.objectContaining({ id: second.persons[0]?.id })] });
    });

    it('[Q1] review queries: create, answer by mutation, resolve, pull', async () => {
      const reg = registration(D1);
      await push(store, [householdMutation(reg)]);
      const id = randomUUID();
      await store.createQuery({ id, householdId: reg.id, districtCode: D1, householdNo: '001', message: '请核对年龄', status: 'open', createdBy: 'u-sup', createdAt: NOW, version: 1 });
      expect((await store.listQueries(inD(D1), 'open', undefined, 100)).map((q) => q.id)).toEqual([id]);
      expect(await store.listQueries(inD(D2), undefined, undefined, 100)).toEqual([]);
      const answer: Mutation = { id: randomUUID(), entity: 'queryAnswer', entityId: id, baseVersion: 1, createdAt: NOW, data: { text: '已核对', outcome: 'verified' } };
      expect(await push(store, [answer])).toEqual([{ id: answer.id, status: 'applied', version: 2 }]);
      expect(await store.getQuery(id)).toMatchObject({ status: 'answered', version: 2, answer: { text: '已核对', outcome: 'verified', answeredAt: NOW } });
      const foreign: Mutation = { ...answer, id: randomUUID(), baseVersion: 2 };
      expect((await push(store, [foreign], { userId: 'u-enum2', districts: [D3] }))[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      const missing: Mutation = { ...answer, id: randomUUID(), entityId: 'nope' };
      expect((await push(store, [missing]))[0]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
      expect(await store.resolveQuery(id, NOW)).toMatchObject({ status: 'resolved', version: 3, resolvedAt: NOW });
      expect(await store.resolveQuery('nope', NOW)).toBeUndefined();
      const pulled = (await store.pull(inD(D1), 0, 100)).changes.filter((c) => c.entity === 'query');
      expect(pulled).toMatchObject([{ id, version: 3, data: { status: 'resolved' } }]);
    });

    it('[S1] district status aggregates', async () => {
      await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2, { visit: { status: 'refused', attempts: 2 } })]);
      await push(store, [householdMutation(registration(D1, {}, 3)), householdMutation(registration(D1, { status: 'draft' }, 2))]);
      const [s] = await store.districtStatus(inD(D1), '', 100);
      expect(s).toMatchObject({ code: D1, listingSize: 2, byVisitStatus: { pending: 1, refused: 1 }, registrations: 2, completeRegistrations: 1, personsRegistered: 5, openQueries: 0 });
      expect(await store.districtStatus(NONE, '', 100)).toEqual([]);
    });

    it('[ST5] migrations are idempotent on reopen and data survives', async () => {
      await push(store, [householdMutation(registration(D1))]);
      const counts = await store.tableCounts();
      store = await h.reopen();
      expect(await store.tableCounts()).toEqual(counts);
    });

    it('[PR1] rollup counters: exact counts at a district and every ancestor; children one level down', async () => {
      await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2, { visit: { status: 'notAtHome', attempts: 1 } }), listingEntry(D2, 1)]);
      const born = registration(D1, { status: 'draft', household: { ...registration(D1).household, births: { male: 1, female: 0 }, deaths: { male: 0, female: 2 } } }, 3);
      await push(store, [householdMutation(registration(D1, {}, 2)), householdMutation(born), householdMutation(registration(D2, {}, 4))]);
      const qid = randomUUID();
      await store.createQuery({ id: qid, householdId: born.id, districtCode: D1, message: '核对', status: 'open', createdBy: 'u-sup', createdAt: NOW, version: 1 });
      const d1 = await store.progress(D1);
      expect(d1?.node.counts).toMatchObject({ districts: 1, listing: 2, v_pending: 1, v_not_at_home: 1, r_complete: 1, r_draft: 1, persons: 5, births: 1, deaths: 2, q_open: 1 });
      expect(d1?.node.lastPushAt).toBe(NOW);
      expect(d1?.children).toEqual([]);
      // the area 130102001003 holds D1, D2, D3
      const area = await store.progress(D1.slice(0, 12));
      expect(area?.node.counts).toMatchObject({ districts: 3, listing: 4, r_complete: 2, r_draft: 1, persons: 9, q_open: 1 });
      expect(area?.children.map((c) => c.node)).toEqual([D1, D2, D3]);
      for (const n of ['', '13', '1301', '130102', '130102001']) expect((await store.progress(n))?.node.counts.persons).toBe(9);
      expect((await store.progress('13'))?.children.map((c) => c.node)).toEqual(['1301']);
      expect(await store.progress('14')).toBeUndefined();
      // an edit replaces the household's counts, it does not add to them
      await push(store, [householdMutation({ ...born, status: 'draft', version: 2, persons: born.persons.slice(0, 1), household: { ...born.household, births: { male: 0, female: 0 } } }, 1)]);
      expect((await store.progress(D1))?.node.counts).toMatchObject({ r_draft: 1, persons: 3, births: 0, deaths: 2 });
      // answering and resolving move the query between columns
      await push(store, [{ id: randomUUID(), entity: 'queryAnswer', entityId: qid, baseVersion: 1, createdAt: NOW, data: { text: '已核对' } }]);
      expect((await store.progress(D1))?.node.counts).toMatchObject({ q_open: 0, q_answered: 1 });
      await store.resolveQuery(qid, NOW);
      expect((await store.progress('13'))?.node.counts).toMatchObject({ q_open: 0, q_answered: 0, q_resolved: 1 });
      // a conflict is kept but counts nothing
      const before = (await store.progress(D1))?.node.counts;
      await push(store, [householdMutation({ ...born, persons: [] , status: 'draft' }, 0)], { deviceId: 'dev-9' });
      expect((await store.progress(D1))?.node.counts).toEqual(before);
    });

    it('[PR3] quality counters (issue 14): persons by sex, aged 0-4 at the standard time, H3 births by sex, family households, confirmed warnings', async () => {
      await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2)]);
      const base = registration(D1, {}, 4);
      // Born 2015-11 is 4 at 2020-11-01 (counted), 2015-10 is 5 (not), 2020-10 is 0 (counted).
      const births = ['1960-05', '2015-11', '2015-10', '2020-10'];
      const sexes = [1, 2, 1, 2];
      const reg = {
        ...base,
        household: { ...base.household, births: { male: 0, female: 1 } },
        persons: base.persons.map((p, i) => {
          // Children: pre-school education at 4 and 5, no literacy item; nothing of either at 0.
          const { education: _e, literate: _l, ...rest } = p;
          const child = i === 3 ? rest : { ...rest, education: 2 };
          return { ...(i === 0 ? p : child), birth: births[i] ?? p.birth, sex: sexes[i] ?? p.sex };
        }),
        overrides: [{ rule: 'LISTING_COUNT', path: [], reason: 'confirmedWithRespondent', note: '' }],
      } as unknown as typeof base;
      const one = registration(D1, { listingId: `L-${D1}-002`, householdNo: '002' }, 1);
      const collective = { ...one, household: { ...one.household, householdType: 2, births: { male: 2, female: 0 } } };
      const res = await push(store, [householdMutation(reg), householdMutation(collective)]);
      expect(res.map((r) => r.status)).toEqual(['applied', 'applied']);
      const c = (await store.progress(D1))?.node.counts;
      expect(c).toMatchObject({ persons: 5, males: 3, females: 2, under5: 2, births_m: 2, births_f: 1, fam_households: 1, fam_persons: 4, r_overridden: 1 });
      expect((await store.progress('13'))?.node.counts).toMatchObject({ males: 3, under5: 2, fam_households: 1, r_overridden: 1 });
      // Both completed by the pushing enumerator on one China-time day: one row of 2, one overridden.
      const first = await store.progressConsistency();
      expect([...first.enumeratorDays.maintained.values()]).toEqual([{ complete: 2, overridden: 1 }]);
      expect([...first.enumeratorDays.maintained.keys()][0]).toMatch(new RegExp(`^${D1}\\|[^|]+\\|\\d{4}-\\d{2}-\\d{2}$`));
      expect([first.maxPerDay.maintained.get(D1), first.maxPerDay.maintained.get('')]).toEqual([2, 2]);
      // A new version replaces the household's counts: the override withdrawn, a person removed.
      const v2 = await push(store, [householdMutation({ ...reg, version: 2, overrides: [], household: { ...reg.household, residents: 3 }, persons: reg.persons.slice(0, 3) }, 1)]);
      expect(v2.map((r) => r.status)).toEqual(['applied']);
      expect((await store.progress(D1))?.node.counts).toMatchObject({ males: 3, females: 1, under5: 1, fam_persons: 3, r_overridden: 0 });
      // Still complete: the same completion, its override gone; back to draft leaves the day's row.
      expect([...(await store.progressConsistency()).enumeratorDays.maintained.values()]).toEqual([{ complete: 2, overridden: 0 }]);
      const v3 = await push(store, [householdMutation({ ...reg, version: 3, status: 'draft', overrides: [], household: { ...reg.household, residents: 3 }, persons: reg.persons.slice(0, 3) }, 2)]);
      expect(v3.map((r) => r.status)).toEqual(['applied']);
      const last = await store.progressConsistency();
      expect([...last.enumeratorDays.maintained.values()]).toEqual([{ complete: 1, overridden: 0 }]);
      expect(last.enumeratorDays.maintained).toEqual(last.enumeratorDays.recounted);
    });

    it('[PR2] rollup counters equal a recount from the base tables after random writes', async () => {
      // A seeded walk over every write path that moves a counter; the recount reads the base tables.
      let seed = 20201101;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const regs: { reg: ReturnType<typeof registration>; version: number }[] = [];
      const listing = [1, 2, 3, 4].flatMap((n) => [listingEntry(D1, n), listingEntry(D2, n)]);
      await store.importListing(listing);
      const versions = new Map(listing.map((l) => [l.id, 1]));
      const queries: { id: string; status: string; version: number }[] = [];
      const check = async () => {
        const { maintained, recounted } = await store.progressConsistency();
        for (const [node, r] of recounted) expect({ node, counts: maintained.get(node)?.counts, last: maintained.get(node)?.lastPushAt }).toEqual({ node, counts: r.counts, last: r.lastPushAt });
        for (const [node, m] of maintained) if (!recounted.has(node)) expect({ node, counts: m.counts }).toMatchObject({ node, counts: { districts: 0, listing: 0, persons: 0 } });
        // Complete registrations per enumerator and day (issue 14) follow every completion and every step back to draft.
        const { enumeratorDays } = await store.progressConsistency();
        expect(enumeratorDays.maintained).toEqual(enumeratorDays.recounted);
      };
      for (let step = 0; step < 60; step++) {
        const op = rnd(7);
        const d = rnd(2) === 0 ? D1 : D2;
        if (op <= 1 || regs.length === 0) {
          const n = 1 + rnd(4);
          const draft = rnd(2) === 0;
          const reg = registration(d, draft ? { status: 'draft', household: { ...registration(d).household, births: { male: rnd(2), female: 0 }, deaths: { male: 0, female: rnd(2) } } } : {}, n);
          await push(store, [householdMutation(reg)]);
          regs.push({ reg, version: 1 });
        } else if (op === 2) {
          const r = regs[rnd(regs.length)];
          if (!r) continue;
          const persons = r.reg.persons.slice(0, 1 + rnd(r.reg.persons.length));
          const next = { ...r.reg, status: 'draft' as const, persons, version: r.version + 1 };
          const res = await push(store, [householdMutation(next, r.version)]);
          if (res[0]?.status === 'applied') {
            r.reg = next;
            r.version++;
          }
        } else if (op === 3) {
          const l = listing[rnd(listing.length)];
          if (!l) continue;
          const v = versions.get(l.id) ?? 1;
          const status = (['registered', 'notAtHome', 'refused', 'vacant', 'pending'] as const)[rnd(5)] ?? 'pending';
          const res = await push(store, [listingMutation({ ...l, visit: { status, attempts: 1 } }, v)]);
          if (res[0]?.status === 'applied') versions.set(l.id, v + 1);
        } else if (op === 4) {
          const r = regs[rnd(regs.length)];
          if (!r) continue;
          const id = randomUUID();
          await store.createQuery({ id, householdId: r.reg.id, districtCode: r.reg.districtCode, message: '核对', status: 'open', createdBy: 'u-sup', createdAt: NOW, version: 1 });
          queries.push({ id, status: 'open', version: 1 });
        } else if (op === 5) {
          const q = queries[rnd(queries.length)];
          if (!q) continue;
          if (rnd(2) === 0) {
            const res = await push(store, [{ id: randomUUID(), entity: 'queryAnswer', entityId: q.id, baseVersion: q.version, createdAt: NOW, data: { text: '答' } }]);
            if (res[0]?.status === 'applied') q.version++;
          } else if (await store.resolveQuery(q.id, NOW)) q.version = (await store.getQuery(q.id))?.version ?? q.version;
        } else {
          await store.importListing([listingEntry(d, 10 + step)]);
        }
        if (step % 15 === 14) await check();
      }
      await check();
      // a rebuild from scratch lands on the same numbers
      const { maintained } = await store.progressConsistency();
      await store.rebuildProgress();
      const after = await store.progressConsistency();
      for (const [node, m] of maintained) expect(after.maintained.get(node)?.counts).toEqual(m.counts);
    });
  });
}
