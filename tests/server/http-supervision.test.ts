import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PushResponseSchema, ReviewQuerySchema } from '../../src/domain/index.ts';
import { D1, D2, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

async function pushAs(s: { auth: Record<string, string>; deviceId: string }, mutations: unknown[], device?: unknown) {
  const r = await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations, ...(device ? { device } : {}) } });
  return PushResponseSchema.parse(r.json()).results;
}

describe('supervision', () => {
  it('[SV1] status per enumerator and per district', async () => {
    const e = await h.login('enum');
    const bad = householdMutation(registration(D1));
    bad.data = { ...bad.data, persons: [] , status: 'complete', household: {} };
    await pushAs(e, [householdMutation(registration(D1, {}, 3)), householdMutation(registration(D2, { status: 'draft' }, 1)), bad], { pending: 5, appVersion: '0.3.0' });
    const sup = await h.login('sup');
    const r = await h.req({ method: 'GET', url: '/api/v1/supervision/status', headers: sup.auth });
    expect(r.status).toBe(200);
    const body = r.json() as { enumerators: unknown[]; districts: unknown[] };
    expect(body.enumerators).toEqual([
      expect.objectContaining({ userId: 'u-enum', username: 'enum', districts: [D1, D2], pendingOnDevice: 2, appVersion: '0.3.0', rejected: 1, conflicts: 0, lastPushAt: '2020-11-03T08:00:00.000Z' }),
    ]);
    expect(body.districts).toEqual([
      expect.objectContaining({ code: D1, listingSize: 2, byVisitStatus: { pending: 2 }, registrations: 1, completeRegistrations: 1, personsRegistered: 3, openQueries: 0 }),
      expect.objectContaining({ code: D2, listingSize: 1, registrations: 1, completeRegistrations: 0, personsRegistered: 1 }),
    ]);
  });

  it('[SV3] pendingOnDevice is what stays queued on the phone after the push, not the count sent with it', async () => {
    const e = await h.login('enum');
    const sup = await h.login('sup');
    const pendingOnDevice = async () => {
      const r = await h.req({ method: 'GET', url: '/api/v1/supervision/status', headers: sup.auth });
      const body = r.json() as { enumerators: { pendingOnDevice?: number }[] };
      return body.enumerators[0]?.pendingOnDevice;
    };
    const reg = registration(D1);
    const ok = householdMutation(reg);
    const bad = { ...householdMutation(registration(D1)), data: { id: 'x', districtCode: D1 } };
    // 7 queued on the phone, 2 of them sent: one applied, one rejected -- both leave the outbox
    const first = await pushAs(e, [ok, bad], { pending: 7, appVersion: '0.3.0' });
    expect(first.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(await pendingOnDevice()).toBe(5);
    // a re-push after a lost answer: the duplicate leaves the outbox too
    const stale = householdMutation(reg, 0);
    const second = await pushAs(e, [ok, stale], { pending: 5, appVersion: '0.3.0' });
    expect(second.map((r) => r.status)).toEqual(['duplicate', 'conflict']);
    expect(await pendingOnDevice()).toBe(3);
    // a report smaller than the batch (an older phone) never goes below 0
    await pushAs(e, [householdMutation(registration(D1))], { pending: 0, appVersion: '0.3.0' });
    expect(await pendingOnDevice()).toBe(0);
  });

  it('[SV2] conflicts and rejected mutations are listed for the supervisor', async () => {
    const a = await h.login('enum');
    const b = await h.login('enum');
    const reg = registration(D1);
    await pushAs(a, [householdMutation(reg)]);
    const stale = householdMutation({ ...reg, household: { ...reg.household, rooms: 7 } });
    expect((await pushAs(b, [stale]))[0]?.status).toBe('conflict');
    const bad = { ...householdMutation(registration(D1)), data: { id: 'x', districtCode: D1 } };
    expect((await pushAs(a, [bad]))[0]?.status).toBe('rejected');
    const sup = await h.login('sup');
    const c = (await h.req({ method: 'GET', url: '/api/v1/supervision/conflicts', headers: sup.auth })).json() as { conflicts: { mutationId: string; data: unknown }[] };
    expect(c.conflicts.map((x) => x.mutationId)).toEqual([stale.id]);
    const rj = (await h.req({ method: 'GET', url: '/api/v1/supervision/rejected', headers: sup.auth })).json() as { rejected: { mutationId: string; payload: unknown; error: { code: string } }[] };
    expect(rj.rejected).toEqual([expect.objectContaining({ mutationId: bad.id, districtCode: D1, payload: JSON.parse(JSON.stringify(bad)) as unknown, error: expect.objectContaining({ code: 'validation_failed' }) as unknown })]);
    const sup2 = await h.login('sup2');
    expect((await h.req({ method: 'GET', url: '/api/v1/supervision/rejected', headers: sup2.auth })).json()).toEqual({ rejected: [] });
  });
});

describe('review queries', () => {
  it('[QU1] create -> pulled by the phone -> answered by mutation -> resolved', async () => {
    const e = await h.login('enum');
    const reg = registration(D1);
    await pushAs(e, [householdMutation(reg)]);
    const sup = await h.login('sup');
    const created = await h.req({ method: 'POST', url: '/api/v1/queries', headers: sup.auth, payload: { householdId: reg.id, message: '  户主年龄与身份证不符  ' } });
    expect(created.status).toBe(201);
    const q = ReviewQuerySchema.parse(created.json());
    expect(q).toMatchObject({ householdId: reg.id, districtCode: D1, householdNo: '001', message: '户主年龄与身份证不符', status: 'open', createdBy: 'u-sup', version: 1 });
    const pulled = (await h.req({ method: 'GET', url: '/api/v1/sync/pull', headers: e.auth })).json() as { changes: { entity: string; id: string }[] };
    expect(pulled.changes.filter((c) => c.entity === 'query').map((c) => c.id)).toEqual([q.id]);
    const answer = { id: randomUUID(), entity: 'queryAnswer', entityId: q.id, baseVersion: 1, createdAt: '2020-11-03T09:00:00.000Z', data: { text: '已核实，身份证正确', outcome: 'corrected' } };
    expect(await pushAs(e, [answer])).toEqual([{ id: answer.id, status: 'applied', version: 2 }]);
    const answered = (await h.req({ method: 'GET', url: '/api/v1/queries?status=answered', headers: sup.auth })).json() as { queries: unknown[] };
    expect(answered.queries).toEqual([expect.objectContaining({ id: q.id, status: 'answered', answer: { text: '已核实，身份证正确', outcome: 'corrected', answeredAt: '2020-11-03T08:00:00.000Z' } })]);
    expect((await h.req({ method: 'GET', url: '/api/v1/queries?status=open', headers: sup.auth })).json()).toEqual({ queries: [] });
    const patched = await h.req({ method: 'PATCH', url: `/api/v1/queries/${q.id}`, headers: sup.auth, payload: { status: 'resolved' } });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'resolved', version: 3 });
  });

  it('[QU2] query errors: unknown household / query 404, bad bodies 400', async () => {
    const sup = await h.login('sup');
    const r1 = await h.req({ method: 'POST', url: '/api/v1/queries', headers: sup.auth, payload: { householdId: 'nope', message: 'x' } });
    expect(r1.status).toBe(404);
    expectErrorShape(r1.json(), 'not_found');
    const r2 = await h.req({ method: 'POST', url: '/api/v1/queries', headers: sup.auth, payload: { householdId: 'x', message: '   ' } });
    expect(r2.status).toBe(400);
    expectErrorShape(r2.json(), 'validation_failed');
    const r3 = await h.req({ method: 'PATCH', url: '/api/v1/queries/nope', headers: sup.auth, payload: { status: 'resolved' } });
    expect(r3.status).toBe(404);
    const r4 = await h.req({ method: 'PATCH', url: '/api/v1/queries/nope', headers: sup.auth, payload: { status: 'open' } });
    expect(r4.status).toBe(400);
    const r5 = await h.req({ method: 'PATCH', url: '/api/v1/queries/bad%20id', headers: sup.auth, payload: { status: 'resolved' } });
    expect(r5.status).toBe(400);
  });
});

describe('export', () => {
  it('[EX1] CSV: BOM, field-name headers, one row per person with household columns, formula-safe', async () => {
    const e = await h.login('enum');
    const reg = registration(D1, {}, 3);
    const named = { ...reg, persons: reg.persons.map((p, i) => (i === 1 ? { ...p, name: '=HYPERLINK("x")' } : i === 2 ? { ...p, name: '王, "小" 明' } : p)) };
    await pushAs(e, [householdMutation(named), householdMutation(registration(D1, { householdNo: '002' }, 1))]);
    const r = await h.req({ method: 'GET', url: `/api/v1/export?format=csv&district=${D1}`, headers: e.auth });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.body.startsWith('\uFEFF')).toBe(true);
    const lines = r.body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 4);
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 9)).toEqual(['id', 'listingId', 'districtCode', 'householdNo', 'form', 'source', 'status', 'version', 'updatedAt']);
    for (const col of ['household.householdType', 'household.births.male', 'person.name', 'person.residence.code', 'person.birth']) expect(header).toContain(col);
    expect(header.indexOf('household.householdType')).toBeLessThan(header.indexOf('household.residents'));
    expect(r.body).toContain(`'=HYPERLINK(""x"")`);
    expect(r.body).toContain('"王, ""小"" 明"');
    expect(r.body).toContain('成员0');
    const json = await h.req({ method: 'GET', url: `/api/v1/export?format=json&district=${D1}`, headers: e.auth });
    expect((json.json() as { registrations: unknown[] }).registrations).toHaveLength(2);
  });

  it('[EX2] an admin asking for an unknown district gets 404', async () => {
    const a = await h.login('admin');
    const r = await h.req({ method: 'GET', url: '/api/v1/export?district=999999999999999', headers: a.auth });
    expect(r.status).toBe(404);
    expectErrorShape(r.json(), 'not_found');
  });
});
