// Practice summaries (issue 15) on both stores: the phone's latest practice totals arrive as a
// `practiceSummary` mutation, are kept one row per user (newest createdAt wins, idempotent by
// mutation id), may only name the caller's own summary, and never touch registrations,
// revisions, counters or exports; the supervision status shows them per enumerator.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdSchema, MAX_INT32, practiceSummaryEntityId, type Mutation, type MutationResult, type PracticeSummary } from '../../src/domain/index.ts';
import { runPush } from '../../src/server/push-service.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, householdMutation, registration } from './fixtures.ts';
import { openSeededStore } from './harness.ts';
import { pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
type Kind = 'sqlite' | 'postgres';

const T1 = '2020-11-02T09:00:00.000Z';
const T2 = '2020-11-02T10:00:00.000Z';
const NOW = new Date('2020-11-03T08:00:00.000Z');

const summary = (over: Partial<PracticeSummary> = {}): PracticeSummary => ({ completed: 3, attempts: 7, errorsAtAttempts: 5, households: 4, resets: 1, ...over });

function practiceMutation(userId: string, data: unknown, createdAt = T1, over: Partial<Mutation> = {}): Mutation {
  return { id: randomUUID(), entity: 'practiceSummary', entityId: practiceSummaryEntityId(userId), baseVersion: 0, createdAt, data: data as Record<string, unknown>, ...over };
}

const open = openSeededStore;

describe('practiceSummaryEntityId', () => {
  it('names the caller and passes IdSchema for the ids the server makes (u-<name>, UUID)', () => {
    expect(practiceSummaryEntityId('u-enum')).toBe('practice-u-enum');
    expect(IdSchema.safeParse(practiceSummaryEntityId(randomUUID())).success).toBe(true);
    expect(IdSchema.safeParse(practiceSummaryEntityId('u-'.padEnd(55, 'a'))).success).toBe(true);
    // IdSchema allows 64 characters: a user id over 55 cannot carry the prefix (reported limit).
    expect(IdSchema.safeParse(practiceSummaryEntityId('u-'.padEnd(56, 'a'))).success).toBe(false);
  });
});

function suite(kind: Kind) {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open(kind));
  });
  afterEach(async () => {
    await close();
  });

  const push = (userId: string, mutations: unknown[], deviceId = `dev-${userId}`, writeDistricts: string[] = userId === 'u-enum' ? [D1, D2] : []): Promise<MutationResult[]> =>
    runPush(store, { userId, deviceId, writeDistricts: new Set(writeDistricts), mutations, now: NOW });
  const practiceOf = async (userId: string) => (await store.enumeratorStatus([userId]))[0]?.practice;

  it('[PS1] a summary is applied, stored once per user, and a newer one replaces it', async () => {
    const first = practiceMutation('u-enum', summary(), T1);
    expect(await push('u-enum', [first])).toEqual([{ id: first.id, status: 'applied', version: 1 }]);
    expect(await practiceOf('u-enum')).toEqual({ ...summary(), updatedAt: T1 });
    const newer = practiceMutation('u-enum', summary({ completed: 4, attempts: 9, errorsAtAttempts: 6, households: 5, resets: 2 }), T2);
    expect(await push('u-enum', [newer])).toEqual([{ id: newer.id, status: 'applied', version: 2 }]);
    expect(await practiceOf('u-enum')).toEqual({ completed: 4, attempts: 9, errorsAtAttempts: 6, households: 5, resets: 2, updatedAt: T2 });
    expect((await store.tableCounts()).practice_summaries).toBe(1);
  });

  it('[PS2] the largest 32-bit count is stored exactly; one more is refused', async () => {
    const max = practiceMutation('u-enum', summary({ errorsAtAttempts: MAX_INT32 }));
    const over = practiceMutation('u-enum', summary({ attempts: MAX_INT32 + 1 }), T2);
    const results = await push('u-enum', [max, over]);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'validation_failed'],
    ]);
    expect((await practiceOf('u-enum'))?.errorsAtAttempts).toBe(MAX_INT32);
  });

  it('[PS3] the same mutation again is a duplicate with the same version, in a later push or the same one', async () => {
    const m = practiceMutation('u-enum', summary(), T1);
    await push('u-enum', [practiceMutation('u-enum', summary({ completed: 1 }), '2020-11-02T08:00:00.000Z')]);
    expect(await push('u-enum', [m])).toEqual([{ id: m.id, status: 'applied', version: 2 }]);
    const before = await store.tableCounts();
    // A lost answer and a re-push: nothing is written again.
    expect(await push('u-enum', [m, m])).toEqual([
      { id: m.id, status: 'duplicate', version: 2 },
      { id: m.id, status: 'duplicate', version: 2 },
    ]);
    expect(await store.tableCounts()).toEqual(before);
    expect(await practiceOf('u-enum')).toEqual({ ...summary(), updatedAt: T1 });
  });

  it('[PS4] an older summary delivered late is applied but keeps the newer counts (two pushes and one batch)', async () => {
    const newer = practiceMutation('u-enum', summary({ completed: 8 }), T2);
    const older = practiceMutation('u-enum', summary({ completed: 2 }), T1);
    expect(await push('u-enum', [newer])).toEqual([{ id: newer.id, status: 'applied', version: 1 }]);
    expect(await push('u-enum', [older])).toEqual([{ id: older.id, status: 'applied', version: 1 }]);
    expect(await practiceOf('u-enum')).toEqual({ ...summary({ completed: 8 }), updatedAt: T2 });
    // Its re-push is still a duplicate (the phone may have lost that answer too).
    expect(await push('u-enum', [older])).toEqual([{ id: older.id, status: 'duplicate', version: 1 }]);

    const late = practiceMutation('u-enum', summary({ completed: 10 }), '2020-11-02T12:00:00.000Z');
    const early = practiceMutation('u-enum', summary({ completed: 9 }), '2020-11-02T11:00:00.000Z');
    expect((await push('u-enum', [late, early])).map((r) => [r.status, r.version])).toEqual([
      ['applied', 2],
      ['applied', 2],
    ]);
    expect((await practiceOf('u-enum'))?.completed).toBe(10);
  });

  it('[PS5] another user\'s summary id is forbidden and nothing is stored; any role writes only its own', async () => {
    const foreign = practiceMutation('u-enum2', summary());
    const bogus = practiceMutation('u-enum', summary(), T1, { entityId: 'practice-u-enumX' });
    const results = await push('u-enum', [foreign, bogus]);
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'forbidden'],
      ['rejected', 'forbidden'],
    ]);
    expect(results[0]?.error?.details).toEqual([]);
    expect(await practiceOf('u-enum2')).toBeUndefined();
    expect(await practiceOf('u-enum')).toBeUndefined();
    expect((await store.tableCounts()).practice_summaries).toBe(0);
    // A supervisor (no districts to write) may send its own summary, never an enumerator's.
    const own = practiceMutation('u-sup', summary({ completed: 1 }));
    const theirs = practiceMutation('u-enum', summary());
    expect((await push('u-sup', [own, theirs])).map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect((await store.tableCounts()).practice_summaries).toBe(1);
    expect(await practiceOf('u-enum')).toBeUndefined();
  });

  it('[PS6] invalid counts are validation_failed with details under data; a household in the same batch is applied', async () => {
    const { completed: _omit, ...missing } = summary();
    const bad = [
      practiceMutation('u-enum', summary({ completed: -1 })),
      practiceMutation('u-enum', missing),
      practiceMutation('u-enum', { ...summary(), extra: 1 }),
      practiceMutation('u-enum', { ...summary(), attempts: '7' }),
      practiceMutation('u-enum', summary({ resets: 1.5 })),
      practiceMutation('u-enum', 'not an object'),
    ];
    const reg = registration(D1);
    const household = householdMutation(reg);
    const results = await push('u-enum', [bad[0], bad[1], household, ...bad.slice(2)]);
    expect(results.map((r) => r.id)).toEqual([bad[0]?.id, bad[1]?.id, household.id, ...bad.slice(2).map((m) => m.id)]);
    expect(results[2]).toEqual({ id: household.id, status: 'applied', version: 1 });
    const refused = results.filter((r) => r.id !== household.id);
    expect(refused.map((r) => [r.status, r.error?.code])).toEqual(bad.map(() => ['rejected', 'validation_failed']));
    for (const r of refused) {
      expect(r.error?.message).toEqual(expect.any(String));
      expect(r.error?.details?.length).toBeGreaterThan(0);
      expect(r.error?.details?.[0]?.path[0]).toBe('data');
    }
    expect(refused[0]?.error?.details?.[0]?.path).toEqual(['data', 'completed']);
    expect(await practiceOf('u-enum')).toBeUndefined();
    expect((await store.getRegistration(reg.id))?.version).toBe(1);
  });

  it('[PS7] a summary changes no registration, revision, counter, export or duplicate', async () => {
    const reg = registration(D1);
    await push('u-enum', [householdMutation(reg)]);
    const snapshot = async () => ({
      counts: await store.tableCounts(),
      progress: await store.progress(D1),
      districts: await store.districtStatus({ kind: 'all' }, '', 100),
      export: await store.registrationsPage({ kind: 'all' }, undefined, 100),
      revisions: await store.countRevisions(),
      duplicates: await store.listDuplicates({ kind: 'all' }, 0, 100),
      status: (await store.enumeratorStatus(['u-enum'])).map(({ practice: _p, ...rest }) => rest),
    });
    const before = await snapshot();
    expect(await push('u-enum', [practiceMutation('u-enum', summary({ completed: 30, households: 31 }))], `dev-u-enum`)).toEqual([expect.objectContaining({ status: 'applied' })]);
    const after = await snapshot();
    expect(after.progress).toEqual(before.progress);
    expect(after.districts).toEqual(before.districts);
    expect(after.export).toEqual(before.export);
    expect(after.revisions).toBe(before.revisions);
    expect(after.duplicates).toEqual(before.duplicates);
    expect(after.status).toEqual(before.status);
    expect(after.districts.find((d) => d.code === D1)?.registrations).toBe(1);
    // Only its mutation result and its summary row are new.
    const { mutations: m0, practice_summaries: p0, ...rest0 } = before.counts;
    const { mutations: m1, practice_summaries: p1, ...rest1 } = after.counts;
    expect([(m1 ?? 0) - (m0 ?? 0), (p1 ?? 0) - (p0 ?? 0)]).toEqual([1, 1]);
    expect(rest1).toEqual(rest0);
  });

  it('[PS8] the status shows practice for the enumerator that sent it and not for another', async () => {
    await push('u-enum', [practiceMutation('u-enum', summary(), T2)]);
    const status = await store.enumeratorStatus(['u-enum', 'u-enum2']);
    expect(status.map((e) => [e.userId, e.practice])).toEqual([
      ['u-enum', { ...summary(), updatedAt: T2 }],
      ['u-enum2', undefined],
    ]);
    expect(status[1] && 'practice' in status[1]).toBe(false);
  });
}

describe('practice summaries on SQLite', () => suite('sqlite'));
describe.runIf(PG)('practice summaries on PostgreSQL', () => suite('postgres'));
