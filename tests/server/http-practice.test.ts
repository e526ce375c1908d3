// Practice summaries (issue 15) through the real Fastify app: an enumerator's phone pushes its
// summary with the normal sync, and the supervision status shows it per enumerator.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PracticeSummarySchema, PushResponseSchema, practiceSummaryEntityId, type PracticeSummary } from '../../src/domain/index.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

const StatusSchema = z.object({
  enumerators: z.array(z.object({ userId: z.string(), practice: PracticeSummarySchema.extend({ updatedAt: z.string() }).strict().optional() })),
  districts: z.array(z.object({ code: z.string(), registrations: z.number() })),
});

const practice = (userId: string, data: unknown, createdAt = '2020-11-02T10:00:00.000Z') => ({
  id: randomUUID(),
  entity: 'practiceSummary',
  entityId: practiceSummaryEntityId(userId),
  baseVersion: 0,
  createdAt,
  data,
});

async function pushAs(s: { auth: Record<string, string>; deviceId: string }, mutations: unknown[]) {
  const r = await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations, device: { pending: mutations.length, appVersion: '1.0.0' } } });
  expect(r.status, r.body).toBe(200);
  return PushResponseSchema.parse(r.json()).results;
}

async function status(user: 'sup' | 'sup2' | 'admin') {
  const s = await h.login(user);
  const r = await h.req({ method: 'GET', url: '/api/v1/supervision/status', headers: s.auth });
  expect(r.status, r.body).toBe(200);
  return StatusSchema.parse(r.json());
}

describe('practice summary over HTTP', () => {
  it('[HP1] push a summary with a household; the supervisor sees the practice block, not for others', async () => {
    const e = await h.login('enum');
    const counts: PracticeSummary = { completed: 3, attempts: 6, errorsAtAttempts: 5, households: 4, resets: 0 };
    const sent = practice('u-enum', counts);
    const household = householdMutation(registration(D1));
    const results = await pushAs(e, [sent, household]);
    expect(results.map((r) => [r.id, r.status, r.version])).toEqual([
      [sent.id, 'applied', 1],
      [household.id, 'applied', 1],
    ]);
    const sup = await status('sup');
    expect(sup.enumerators).toEqual([expect.objectContaining({ userId: 'u-enum', practice: { ...counts, updatedAt: '2020-11-02T10:00:00.000Z' } })]);
    // The practice summary is not a registration: only the real household counts.
    expect(sup.districts.find((d) => d.code === D1)?.registrations).toBe(1);
    // The other supervisor's enumerator sent nothing: no block at all.
    const other = await status('sup2');
    expect(other.enumerators.map((x) => [x.userId, 'practice' in x])).toEqual([['u-enum2', false]]);
    const all = await status('admin');
    expect(Object.fromEntries(all.enumerators.map((x) => [x.userId, x.practice?.completed]))).toEqual({ 'u-enum': 3, 'u-enum2': undefined });
  });

  it('[HP2] a re-pushed batch is duplicate; an invalid or foreign summary is rejected in the api.md error shape', async () => {
    const e = await h.login('enum');
    const sent = practice('u-enum', { completed: 1, attempts: 1, errorsAtAttempts: 0, households: 1, resets: 0 });
    await pushAs(e, [sent]);
    expect(await pushAs(e, [sent])).toEqual([{ id: sent.id, status: 'duplicate', version: 1 }]);
    const invalid = practice('u-enum', { completed: -1, attempts: 1, errorsAtAttempts: 0, households: 1, resets: 0 }, '2020-11-02T11:00:00.000Z');
    const foreign = practice('u-enum2', { completed: 9, attempts: 9, errorsAtAttempts: 9, households: 9, resets: 9 });
    const results = await pushAs(e, [invalid, foreign]);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'validation_failed'],
      ['rejected', 'forbidden'],
    ]);
    for (const r of results) expectErrorShape({ error: r.error });
    const all = await status('admin');
    expect(Object.fromEntries(all.enumerators.map((x) => [x.userId, x.practice?.completed]))).toEqual({ 'u-enum': 1, 'u-enum2': undefined });
  });
});
