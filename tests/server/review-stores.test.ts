// Comparison review (issue 12) on both stores: review items as drafts invisible to phones and
// supervisors until released, idempotent by key across runs, released in seq order (chunk
// boundaries crossed), dismissed with a reason before or after release, answered by the phone
// (an answer to a dismissed item kept without reopening it), statistics by node and category,
// and the department registers imported all or nothing and idempotently, paged by district.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation, ReviewQuery } from '../../src/domain/index.ts';
import { runPush } from '../../src/server/push-service.ts';
import type { RegisterRecord } from '../../src/server/review-types.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, D3, householdMutation, registration } from './fixtures.ts';
import { openSeededStore } from './harness.ts';
import { pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
type Kind = 'sqlite' | 'postgres';
const AT = '2020-11-20T08:00:00.000Z';
const NOW = new Date('2020-11-21T08:00:00.000Z');
const ALL = { kind: 'all' } as const;
const ENUM = { kind: 'enumerator', userId: 'u-enum' } as const;

const open = openSeededStore;

function item(districtCode: string, over: Partial<ReviewQuery> = {}): ReviewQuery {
  return {
    id: randomUUID(),
    districtCode,
    category: 'hukouMissing',
    origin: 'compare',
    message: '户籍登记有此人，普查未登记：请核实是否漏登',
    subject: { name: '张伟', citizenId: '130102199001011234', sex: 1, birth: '1990-01' },
    match: { method: 'citizenId', confidence: 1 },
    status: 'draft',
    createdBy: 'u-admin',
    createdAt: AT,
    version: 1,
    ...over,
  };
}

const hukou = (n: number, districtCode = D1, over: Partial<RegisterRecord> = {}): RegisterRecord => ({
  kind: 'hukou',
  key: `1301021990${String(n).padStart(8, '0')}`,
  districtCode,
  citizenId: `1301021990${String(n).padStart(8, '0')}`,
  name: `人${n}`,
  sex: 1,
  birth: '1990-01',
  address: `光华路${n}号`,
  ...over,
});

function answer(queryId: string, baseVersion: number, data: Record<string, unknown>): Mutation {
  return { id: randomUUID(), entity: 'queryAnswer', entityId: queryId, baseVersion, createdAt: AT, data };
}

const push = (store: Store, mutations: Mutation[]) =>
  runPush(store, { userId: 'u-enum', deviceId: 'dev-1', writeDistricts: new Set([D1, D2]), graceDistricts: new Set(), mutations, now: NOW });

async function pulledQueries(store: Store, scope: Parameters<Store['pull']>[0]) {
  const out = new Map<string, ReviewQuery>();
  let after = 0;
  for (;;) {
    const { changes, more } = await store.pull(scope, after, 1000);
    for (const c of changes) if (c.entity === 'query') out.set(c.id, c.data as ReviewQuery);
    const last = changes.at(-1);
    if (!more || !last) return out;
    after = last.seq;
  }
}

function suite(kind: Kind) {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open(kind));
  });
  afterEach(async () => close());

  it('keeps drafts from phones and supervisors, releases them in seq order, and never duplicates a key', async () => {
    const items = Array.from({ length: 620 }, (_, i) => ({ key: `hukouMissing:k${i}`, item: item(i % 2 === 0 ? D1 : D3) }));
    const first = await store.insertReviewItems(items);
    expect(first).toMatchObject({ created: 620, existing: 0, byCategory: { hukouMissing: 620 } });
    // A second run with the same keys (new ids) creates nothing: more than one chunk of 500.
    const again = await store.insertReviewItems(items.map((x) => ({ key: x.key, item: { ...x.item, id: randomUUID() } })));
    expect(again).toMatchObject({ created: 0, existing: 620 });
    expect((await store.tableCounts()).queries).toBe(620);

    expect((await pulledQueries(store, ENUM)).size).toBe(0);
    expect(await store.listQueries({ kind: 'supervisor', userId: 'u-sup' }, undefined, undefined, 1000)).toHaveLength(0);
    expect(await store.listQueries(ALL, 'draft', undefined, 1000, { includeDrafts: true })).toHaveLength(620);

    // Release D1's items only (310, across the 400-row statement chunk).
    const released = await store.releaseReviewItems(ALL, { area: D1 }, AT);
    expect(released).toBe(310);
    const pulled = await pulledQueries(store, ENUM);
    expect(pulled.size).toBe(310);
    for (const q of pulled.values()) expect(q).toMatchObject({ status: 'open', districtCode: D1, releasedAt: AT, version: 2, category: 'hukouMissing' });
    // Every released row got its own seq: a pull in pages of 7 sees each exactly once.
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const { changes, more } = await store.pull(ENUM, after, 7);
      seen.push(...changes.filter((c) => c.entity === 'query').map((c) => c.id));
      if (!more) break;
      after = changes.at(-1)?.seq ?? after;
    }
    expect(seen.length).toBe(310);
    expect(new Set(seen).size).toBe(310);
    // Releasing again releases nothing; the counters saw 310 open items.
    expect(await store.releaseReviewItems(ALL, { area: D1 }, AT)).toBe(0);
    const progress = await store.progress(D1);
    expect(progress?.node.counts.q_open).toBe(310);
    const consistency = await store.progressConsistency();
    expect(consistency.maintained.get(D1)?.counts).toEqual(consistency.recounted.get(D1)?.counts);
  });

  it('releases by category and by id, inside the scope only', async () => {
    await store.insertReviewItems([
      { key: 'a', item: item(D1, { category: 'childMissing' }) },
      { key: 'b', item: item(D1, { category: 'deathMissing' }) },
      { key: 'c', item: item(D3, { category: 'childMissing' }) },
    ]);
    // An office of another county releases nothing here.
    expect(await store.releaseReviewItems({ kind: 'prefix', prefix: '130104' }, {}, AT)).toBe(0);
    expect(await store.releaseReviewItems(ALL, { category: 'childMissing', area: D1 }, AT)).toBe(1);
    const drafts = await store.listQueries(ALL, 'draft', undefined, 10, { includeDrafts: true });
    expect(drafts.map((d) => d.category).sort()).toEqual(['childMissing', 'deathMissing']);
    const byId = drafts.find((d) => d.districtCode === D3);
    expect(await store.releaseReviewItems(ALL, { ids: [byId?.id ?? ''] }, AT)).toBe(1);
    expect(await store.listQueries(ALL, 'open', undefined, 10)).toHaveLength(2);
  });

  it('dismisses a draft silently and a released item with a new version the phone pulls', async () => {
    const a = item(D1);
    const b = item(D1);
    await store.insertReviewItems([
      { key: 'a', item: a },
      { key: 'b', item: b },
    ]);
    const d1 = await store.dismissReviewItem(a.id, '户籍资料有误', AT);
    expect(d1).toMatchObject({ status: 'dismissed', dismissReason: '户籍资料有误', version: 2 });
    await store.releaseReviewItems(ALL, {}, AT);
    let pulled = await pulledQueries(store, ENUM);
    expect([...pulled.keys()]).toEqual([b.id]);
    const before = (await store.pull(ENUM, 0, 1000)).changes.at(-1)?.seq ?? 0;
    const d2 = await store.dismissReviewItem(b.id, '已迁出', AT);
    expect(d2).toMatchObject({ status: 'dismissed', version: 3 });
    const later = await store.pull(ENUM, before, 1000);
    expect(later.changes.filter((c) => c.entity === 'query').map((c) => (c.data as ReviewQuery).status)).toEqual(['dismissed']);
    pulled = await pulledQueries(store, ENUM);
    expect(pulled.get(b.id)?.status).toBe('dismissed');
    expect((await store.progress(D1))?.node.counts.q_open).toBe(0);
    // Closing a dismissed item leaves it dismissed.
    expect((await store.resolveQuery(b.id, AT))?.status).toBe('dismissed');
  });

  it('takes a structured answer from the phone, refuses one to a draft, and keeps one to a dismissed item without reopening it', async () => {
    const reg = registration(D1);
    expect((await push(store, [householdMutation(reg)]))[0]?.status).toBe('applied');
    const open = item(D1, { category: 'childMissing' });
    const draft = item(D1);
    const gone = item(D1);
    await store.insertReviewItems([
      { key: 'o', item: open },
      { key: 'g', item: gone },
    ]);
    await store.releaseReviewItems(ALL, {}, AT);
    await store.insertReviewItems([{ key: 'd', item: draft }]);
    await store.dismissReviewItem(gone.id, '重复', AT);
    const personId = reg.persons[1]?.id ?? '';
    const results = await push(store, [
      answer(open.id, 2, { kind: 'addedPerson', householdId: reg.id, personId }),
      answer(draft.id, 1, { text: '猜的' }),
      answer(gone.id, 3, { kind: 'notFound', text: '查无此人' }),
      answer(open.id, 3, { text: '' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'rejected']);
    expect(results[1]?.error?.code).toBe('not_found');
    expect(results[3]?.error?.code).toBe('validation_failed');
    expect(await store.getQuery(open.id)).toMatchObject({ status: 'answered', answer: { kind: 'addedPerson', householdId: reg.id, personId } });
    expect(await store.getQuery(gone.id)).toMatchObject({ status: 'dismissed', answer: { kind: 'notFound' } });
    const stats = await store.reviewStats(ALL, '', 15);
    expect(stats.find((r) => r.node === D1 && r.category === 'childMissing')).toMatchObject({ answered: 1, addedPersons: 1, released: 1 });
    expect(stats.find((r) => r.node === D1 && r.category === 'hukouMissing')).toMatchObject({ drafts: 1, dismissed: 1, released: 1, addedPersons: 0 });
    // Closed after the answer: counted as closed and still as a person added.
    await store.resolveQuery(open.id, AT);
    const after = await store.reviewStats({ kind: 'prefix', prefix: '1301' }, '1301', 6);
    expect(after).toEqual([
      expect.objectContaining({ node: '130102', category: 'childMissing', closed: 1, addedPersons: 1 }),
      expect.objectContaining({ node: '130102', category: 'hukouMissing', drafts: 1, dismissed: 1 }),
    ]);
    const consistency = await store.progressConsistency();
    expect(consistency.maintained.get(D1)?.counts).toEqual(consistency.recounted.get(D1)?.counts);
  });

  it('refuses an answer kind its category does not take, also as the second answer in one push', async () => {
    const reg = registration(D1);
    expect((await push(store, [householdMutation(reg)]))[0]?.status).toBe('applied');
    const mismatch = item(D1, { category: 'hukouMismatch', householdId: reg.id });
    const missing = item(D1, { category: 'hukouMissing' });
    const other = item(D1, { category: 'other', origin: 'query' });
    await store.insertReviewItems([
      { key: 'm', item: mismatch },
      { key: 'x', item: missing },
      { key: 'o', item: other },
    ]);
    await store.releaseReviewItems(ALL, {}, AT);
    const results = await push(store, [
      answer(mismatch.id, 2, { kind: 'addedPerson', householdId: reg.id, personId: reg.persons[0]?.id ?? '' }),
      answer(missing.id, 2, { kind: 'notFound' }),
      answer(missing.id, 3, { kind: 'corrected', householdId: reg.id }),
      answer(other.id, 2, { kind: 'registeredElsewhere' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'applied', 'rejected', 'applied']);
    expect(results[0]?.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['data', 'kind'] }] });
    expect(results[2]?.error?.code).toBe('validation_failed');
    expect((await store.getQuery(mismatch.id))?.status).toBe('open');
    expect((await store.getQuery(missing.id))?.answer?.kind).toBe('notFound');
  });

  it('counts an addedPerson only for a person the server holds in a household of the item\'s district, also one saved in the same push', async () => {
    const stored = registration(D1);
    const elsewhere = registration(D2);
    expect((await push(store, [householdMutation(stored), householdMutation(elsewhere)])).map((r) => r.status)).toEqual(['applied', 'applied']);
    const items = Array.from({ length: 5 }, () => item(D1));
    await store.insertReviewItems(items.map((it, i) => ({ key: `k${i}`, item: it })));
    await store.releaseReviewItems(ALL, {}, AT);
    const [nobody, foreign, noHousehold, sameBatch, good] = items.map((x) => x.id) as [string, string, string, string, string];
    const fresh = registration(D1);
    const added = fresh.persons[1]?.id ?? '';
    const results = await push(store, [
      answer(nobody, 2, { kind: 'addedPerson', householdId: stored.id, personId: randomUUID() }),
      answer(foreign, 2, { kind: 'addedPerson', householdId: elsewhere.id, personId: elsewhere.persons[0]?.id ?? '' }),
      answer(noHousehold, 2, { kind: 'addedPerson', householdId: randomUUID(), personId: added }),
      householdMutation(fresh),
      answer(sameBatch, 2, { kind: 'addedPerson', householdId: fresh.id, personId: added }),
      answer(good, 2, { kind: 'addedPerson', householdId: stored.id, personId: stored.persons[0]?.id ?? '' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'applied', 'applied', 'applied']);
    expect(results[0]?.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['data', 'personId'] }] });
    expect(results[1]?.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['data', 'householdId'] }] });
    expect(results[2]?.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['data', 'householdId'] }] });
    expect((await store.getQuery(nobody))?.status).toBe('open');
    const stats = await store.reviewStats(ALL, '', 15);
    expect(stats.find((r) => r.node === D1 && r.category === 'hukouMissing')).toMatchObject({ answered: 2, addedPersons: 2, open: 3 });
    // An answer in a later push finds the household the earlier push stored.
    const late = item(D1);
    await store.insertReviewItems([{ key: 'late', item: late }]);
    await store.releaseReviewItems(ALL, {}, AT);
    expect((await push(store, [answer(late.id, 2, { kind: 'addedPerson', householdId: fresh.id, personId: added })]))[0]?.status).toBe('applied');
  });

  it('imports a register all or nothing and idempotently, and pages it by district inside a scope', async () => {
    const rows = [...Array.from({ length: 530 }, (_, i) => hukou(i, i < 300 ? D1 : D3))];
    const r1 = await store.importRegister('hukou', rows, randomUUID(), null, AT);
    expect(r1).toEqual({ rows: 530, inserted: 530, updated: 0, unchanged: 0 });
    const changed = rows.map((r, i) => (i === 7 ? { ...r, name: '改名' } : r));
    const r2 = await store.importRegister('hukou', [...changed, hukou(999, D2)], randomUUID(), null, AT);
    expect(r2).toEqual({ rows: 531, inserted: 1, updated: 1, unchanged: 529 });
    expect(await store.registerCounts(ALL)).toEqual({ hukou: 531, births: 0, deaths: 0 });
    expect(await store.registerCounts({ kind: 'district', code: D3 })).toEqual({ hukou: 230, births: 0, deaths: 0 });
    // A row naming a district that does not exist fails the whole import (foreign key).
    await expect(store.importRegister('deaths', [{ kind: 'deaths', key: 'x', districtCode: '139999999999999', name: '某', sex: 2, birth: '1930-01', death: '2020-03' }], randomUUID(), null, AT)).rejects.toThrow();
    expect((await store.registerCounts(ALL)).deaths).toBe(0);

    const paged: RegisterRecord[] = [];
    let after: { districtCode: string; kind: string; key: string } | undefined;
    for (;;) {
      const page = await store.registerRecordsPage(ALL, '130102001003', after, 97);
      paged.push(...page);
      const last = page.at(-1);
      if (!last || page.length < 97) break;
      after = { districtCode: last.districtCode, kind: last.kind, key: last.key };
    }
    expect(paged).toHaveLength(531);
    expect(new Set(paged.map((p) => p.key)).size).toBe(531);
    expect(paged.find((p) => p.key === rows[7]?.key)).toMatchObject({ name: '改名', districtCode: D1, citizenId: rows[7]?.citizenId, birth: '1990-01', kind: 'hukou' });
    expect(await store.registerRecordsPage({ kind: 'prefix', prefix: '130104' }, '', undefined, 10)).toEqual([]);
    expect(await store.registerRecordsPage(ALL, D2, undefined, 10)).toHaveLength(1);
  });

  it('reads every registered household with its address for the comparison, in pages', async () => {
    const regs = Array.from({ length: 23 }, (_, i) => registration(i % 2 ? D1 : D2, { householdNo: '001', listingId: `L-${i % 2 ? D1 : D2}-001` }, 3));
    for (const r of regs) expect((await push(store, [householdMutation(r)]))[0]?.status).toBe('applied');
    const all = [];
    let after = '';
    for (;;) {
      const page = await store.compareHouseholdsPage(after, 5);
      all.push(...page);
      const last = page.at(-1);
      if (!last || page.length < 5) break;
      after = last.registrationId;
    }
    expect(all).toHaveLength(23);
    const one = all.find((h) => h.registrationId === regs[0]?.id);
    expect(one).toMatchObject({ districtCode: D2, householdNo: '001', status: 'complete', address: '光华路1号' });
    expect(one?.persons).toHaveLength(3);
    expect(one?.persons[1]).toMatchObject({ personId: regs[0]?.persons[1]?.id, name: '成员1', sex: 2 });
  });
}

describe('review items and registers: SQLite', () => suite('sqlite'));
describe.skipIf(!PG)('review items and registers: PostgreSQL', () => suite('postgres'));
