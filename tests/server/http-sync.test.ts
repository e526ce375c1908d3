import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, type Mutation } from '../../src/domain/index.ts';
import { D1, D2, D3, householdMutation, listingEntry, listingMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

async function push(auth: Record<string, string>, deviceId: string, mutations: unknown[], device?: unknown) {
  return h.req({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId, mutations, ...(device ? { device } : {}) } });
}

async function pullAll(auth: Record<string, string>, cursor?: string, limit?: number) {
  const qs = new URLSearchParams({ ...(cursor ? { cursor } : {}), ...(limit ? { limit: String(limit) } : {}) });
  const r = await h.req({ method: 'GET', url: `/api/v1/sync/pull?${qs.toString()}`, headers: auth });
  expect(r.status).toBe(200);
  return PullResponseSchema.parse(r.json());
}

describe('push', () => {
  it('[PU1] applied, duplicate, conflict and rejected, one result per mutation in order', async () => {
    const s = await h.login('enum');
    const reg = registration(D1);
    const a = householdMutation(reg, 0);
    const bad = householdMutation(registration(D1));
    bad.data = { ...bad.data, household: { householdType: 7 } };
    const foreign = householdMutation(registration(D3));
    const r = await push(s.auth, s.deviceId, [a, bad, foreign], { pending: 3, appVersion: '0.1.0' });
    expect(r.status).toBe(200);
    const body = PushResponseSchema.parse(r.json());
    expect(body.serverTime).toBe('2020-11-03T08:00:00.000Z');
    expect(body.results.map((x) => [x.id, x.status])).toEqual([
      [a.id, 'applied'],
      [bad.id, 'rejected'],
      [foreign.id, 'rejected'],
    ]);
    expect(body.results[1]?.error?.code).toBe('validation_failed');
    expect(body.results[1]?.error?.details?.[0]?.path.slice(0, 2)).toEqual(['data', 'household']);
    expect(body.results[2]?.error?.code).toBe('forbidden');
    const again = PushResponseSchema.parse((await push(s.auth, s.deviceId, [a])).json());
    expect(again.results).toEqual([{ id: a.id, status: 'duplicate', version: 1 }]);
    // a second phone from the same base version conflicts; both versions are kept
    const other = await h.login('enum');
    const stale = householdMutation({ ...reg, household: { ...reg.household, rooms: 3 } }, 0);
    expect(PushResponseSchema.parse((await push(other.auth, other.deviceId, [stale])).json()).results).toEqual([{ id: stale.id, status: 'conflict', version: 1 }]);
    expect(await h.store.countRevisions(reg.id)).toBe(2);
  });

  it('[PU2] listing mutations: a visit outcome and a missed household found in the field', async () => {
    const s = await h.login('enum');
    const visited = { ...listingEntry(D1, 1), visit: { status: 'notAtHome' as const, attempts: 1, lastAt: '2020-11-02T09:00:00.000Z' } };
    const found = { ...listingEntry(D1, 50), origin: 'field' as const };
    const res = PushResponseSchema.parse((await push(s.auth, s.deviceId, [listingMutation(visited, 1), listingMutation(found, 0)])).json());
    expect(res.results.map((x) => [x.status, x.version])).toEqual([
      ['applied', 2],
      ['applied', 1],
    ]);
  });

  it('[PU3] a complete household with blocking edit-check findings is rejected; a draft may be incomplete', async () => {
    const s = await h.login('enum');
    const reg = registration(D1);
    const incomplete: Mutation = householdMutation(reg);
    incomplete.data = { ...reg, household: { householdType: 1 } };
    const draft: Mutation = householdMutation(reg);
    draft.data = { ...reg, status: 'draft', household: { householdType: 1 } };
    const res = PushResponseSchema.parse((await push(s.auth, s.deviceId, [incomplete, draft])).json());
    expect(res.results.map((x) => x.status)).toEqual(['rejected', 'applied']);
  });

  it('[PU4] entityId must match the record id; envelope errors are per-mutation; no id is a 400', async () => {
    const s = await h.login('enum');
    const reg = registration(D1);
    const wrongId = householdMutation(reg, 0, { entityId: 'other-id' });
    const badEnvelope = { ...householdMutation(registration(D1)), createdAt: 'yesterday' };
    const res = PushResponseSchema.parse((await push(s.auth, s.deviceId, [wrongId, badEnvelope])).json());
    expect(res.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'validation_failed'],
      ['rejected', 'validation_failed'],
    ]);
    const noId = await push(s.auth, s.deviceId, [{ entity: 'household' }]);
    expect(noId.status).toBe(400);
    expectErrorShape(noId.json(), 'validation_failed');
    expect((await h.store.tableCounts()).mutations).toBe(2);
  });

  it('[PU5] over 200 mutations or over 2 MiB is 413 payload_too_large', async () => {
    const s = await h.login('enum');
    const many = Array.from({ length: 201 }, () => householdMutation(registration(D1)));
    const r = await push(s.auth, s.deviceId, many);
    expect(r.status).toBe(413);
    expectErrorShape(r.json(), 'payload_too_large');
    const big = householdMutation(registration(D1));
    big.data = { ...big.data, padding: 'x'.repeat(2 * 1024 * 1024) };
    const r2 = await push(s.auth, s.deviceId, [big]);
    expect(r2.status).toBe(413);
    expectErrorShape(r2.json(), 'payload_too_large');
    expect((await h.store.tableCounts()).mutations).toBe(0);
  });

  it('[PU6] a token pushes only for the device it was issued to (S2)', async () => {
    const s = await h.login('enum');
    const r = await push(s.auth, randomUUID(), [householdMutation(registration(D1))]);
    expect(r.status).toBe(403);
    expectErrorShape(r.json(), 'forbidden');
  });

  it('[PU7] the device report and the deviceSeq high-water mark come back on pull', async () => {
    const s = await h.login('enum');
    const ms = [1, 2, 3].map((n) => ({ ...householdMutation(registration(D1)), deviceSeq: n }));
    await push(s.auth, s.deviceId, ms, { pending: 4, appVersion: '0.2.0', storage: { usage: 10, quota: 100 }, persisted: true, clock: '2020-11-03T08:00:00.000Z' });
    const p = await pullAll(s.auth);
    expect(p.deviceSeq).toBe(3);
    expect(await h.store.getDevice(s.deviceId)).toMatchObject({ pending: 1, appVersion: '0.2.0', deviceSeq: 3 });
    // R14: a phone whose clock is two days ahead still syncs; the skew is reported, not used
    const skewed = { ...householdMutation(registration(D1)), createdAt: '2020-11-05T08:00:00.000Z' };
    const r = PushResponseSchema.parse((await push(s.auth, s.deviceId, [skewed], { pending: 0, appVersion: '0.2.0', clock: '2020-11-05T08:00:00.000Z' })).json());
    expect(r.results[0]?.status).toBe('applied');
    const [st] = await h.store.enumeratorStatus(['u-enum']);
    expect(st?.clockSkewSeconds).toBe(2 * 86_400);
    // a wiped phone signs in as a new device: it starts at 0
    expect((await pullAll((await h.login('enum')).auth)).deviceSeq).toBe(0);
  });
});

describe('pull', () => {
  it('[PL1] the first pull returns the whole scope; a cursor returns only later changes', async () => {
    const s = await h.login('enum');
    const first = await pullAll(s.auth);
    expect(first.more).toBe(false);
    expect(first.changes.map((c) => `${c.entity}:${c.id}`).sort()).toEqual(
      [`district:${D1}`, `district:${D2}`, `listing:L-${D1}-001`, `listing:L-${D1}-002`, `listing:L-${D2}-001`].sort(),
    );
    expect(first.changes.every((c) => !c.deleted)).toBe(true);
    expect((await pullAll(s.auth, first.cursor)).changes).toEqual([]);
    // a second phone of the same enumerator pushes; the first one's cursor brings it
    const other = await h.login('enum');
    const reg = registration(D2);
    await push(other.auth, other.deviceId, [householdMutation(reg)]);
    const next = await pullAll(s.auth, first.cursor);
    expect(next.changes).toEqual([{ entity: 'household', id: reg.id, version: 1, data: JSON.parse(JSON.stringify(reg)) as unknown, deleted: false }]);
  });

  it('[PL5] a device\'s own pushed versions stay out of its continued pulls, nowhere else', async () => {
    const s = await h.login('enum');
    const first = await pullAll(s.auth);
    const mine = Array.from({ length: 5 }, () => registration(D1));
    await push(s.auth, s.deviceId, mine.map((r) => householdMutation(r)));
    // continued from its own cursor, in pages of 2: the versions it pushed never come back, and
    // the cursor passes them (the empty pages still say more until the end)
    let cursor = first.cursor;
    const seen = [];
    for (let i = 0; i < 10; i++) {
      const page = await pullAll(s.auth, cursor, 2);
      seen.push(...page.changes);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen).toEqual([]);
    // a later change by someone else comes at once from where that left off
    const other = await h.login('enum');
    const theirs = registration(D2);
    await push(other.auth, other.deviceId, [householdMutation(theirs)]);
    const after = await pullAll(s.auth, cursor, 2);
    expect(after.changes.map((c) => c.id)).toEqual([theirs.id]);
    expect(after.more).toBe(false);
    // the other phone's own cursor brings the first phone's versions; a first pull brings all
    expect((await pullAll(other.auth, first.cursor)).changes.map((c) => c.id).sort()).toEqual([...mine.map((r) => r.id), theirs.id].sort());
    expect((await pullAll(s.auth)).changes.filter((c) => c.entity === 'household').map((c) => c.id).sort()).toEqual([...mine.map((r) => r.id), theirs.id].sort());
    // the other phone's next version of one of them is not the first phone's own any more
    const edited = mine[0];
    if (!edited) throw new Error('fixture');
    await push(other.auth, other.deviceId, [householdMutation({ ...edited, version: 2 }, 1)]);
    const edit = await pullAll(s.auth, after.cursor);
    expect(edit.changes.map((c) => [c.id, c.version])).toEqual([[edited.id, 2]]);
    // a writer that bumps the version but forgets the mark (none does today; the version check
    // is the safety net): the new version is not the device's own
    const bumped = mine[1];
    if (!bumped) throw new Error('fixture');
    const raw = new Database(h.path);
    raw.pragma('busy_timeout = 5000');
    raw.transaction(() => {
      const seq = Number(raw.prepare('UPDATE server_seq SET value = value + 1 WHERE id = 1 RETURNING value').pluck().get());
      raw.prepare('UPDATE registrations SET version = version + 1, seq = ? WHERE id = ?').run(seq, bumped.id);
    })();
    raw.close();
    const bump = await pullAll(s.auth, edit.cursor);
    expect(bump.changes.map((c) => [c.id, c.version])).toEqual([[bumped.id, 2]]);
    // after an assignment change the pull restarts with the whole scope, own versions included
    await h.store.putDistrict({ code: D3, name: 'D3', enumerators: ['u-enum2', 'u-enum'] });
    const restart = await pullAll(s.auth, edit.cursor);
    expect(restart.changes.filter((c) => c.entity === 'household').map((c) => c.id).sort()).toEqual([...mine.map((r) => r.id), theirs.id].sort());
  });

  it('[PL2] paging with limit returns every change once, in order', async () => {
    const writer = await h.login('enum');
    await push(writer.auth, writer.deviceId, Array.from({ length: 7 }, () => householdMutation(registration(D1))));
    const s = await h.login('enum');
    const whole = await pullAll(s.auth);
    const seen = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await pullAll(s.auth, cursor, 3);
      seen.push(...page.changes);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen).toEqual(whole.changes);
    expect(seen).toHaveLength(12);
  });

  it('[PL3] scope: supervisors see their enumerators districts, admins all, nobody else', async () => {
    const e = await h.login('enum');
    await push(e.auth, e.deviceId, [householdMutation(registration(D1))]);
    const districtsOf = async (u: 'sup' | 'sup2' | 'admin' | 'enum2') =>
      [...new Set((await pullAll((await h.login(u)).auth)).changes.filter((c) => c.entity === 'district').map((c) => c.id))].sort();
    expect(await districtsOf('sup')).toEqual([D1, D2]);
    expect(await districtsOf('sup2')).toEqual([D3]);
    expect(await districtsOf('enum2')).toEqual([D3]);
    expect(await districtsOf('admin')).toEqual([D1, D2, D3]);
  });

  it('[PL4] a changed assignment restarts from the full scope; a forged cursor is a 400', async () => {
    const s = await h.login('enum2');
    const first = await pullAll(s.auth);
    await h.store.putDistrict({ code: D2, name: 'D2', enumerators: ['u-enum', 'u-enum2'] });
    await h.store.putDistrict({ code: D1, name: 'D1 renamed', enumerators: ['u-enum'] });
    const after = await pullAll(s.auth, first.cursor);
    expect(after.changes.map((c) => `${c.entity}:${c.id}`).sort()).toEqual([`district:${D2}`, `district:${D3}`, `listing:L-${D2}-001`, `listing:L-${D3}-001`]);
    expect(after.changes.some((c) => c.deleted)).toBe(false);
    // D3 is taken away: its records come back as tombstones, one version past the current one
    await h.store.putDistrict({ code: D3, name: 'D3', enumerators: [] });
    const gone = await pullAll(s.auth, after.cursor);
    expect(gone.changes.filter((c) => c.deleted).map((c) => [c.entity, c.id, c.version]).sort()).toEqual([
      ['district', D3, 3],
      ['listing', `L-${D3}-001`, 2],
    ]);
    expect(gone.changes.filter((c) => !c.deleted).map((c) => c.id).sort()).toEqual([D2, `L-${D2}-001`]);
    expect((await pullAll(s.auth, gone.cursor)).changes).toEqual([]);
    const r = await h.req({ method: 'GET', url: '/api/v1/sync/pull?cursor=abc', headers: s.auth });
    expect(r.status).toBe(400);
    expectErrorShape(r.json(), 'validation_failed');
    const r2 = await h.req({ method: 'GET', url: '/api/v1/sync/pull?limit=0', headers: s.auth });
    expect(r2.status).toBe(400);
  });
});
