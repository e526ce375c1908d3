// Comparison review over HTTP (issue 12): a county office imports the hukou, birth and death
// registers and the national list, compares, releases; the phone pulls the items and answers;
// the office dismisses and reads the statistics. Scope is checked at every step.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizenId, type ReviewQuery } from '../../src/domain/index.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { D1, D2, D3, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
const tokens: Record<string, Record<string, string>> = {};
const COUNTY = D1.slice(0, 6);
const HEAD_ID = makeCitizenId('130102', '1960-05-03', 11, 1);
const CHILD_ID = makeCitizenId('130102', '1986-05-09', 12, 2);
const MISSING_ID = makeCitizenId('130102', '1975-03-02', 13, 1);
const reg = registration(D1, {}, 2);
const enumDevice = randomUUID();

beforeAll(async () => {
  h = await harness();
  const passwordHash = await hashPassword('office-password-1', { N: 1024, r: 8, p: 1 });
  for (const [username, scope] of [
    ['county', COUNTY],
    ['shanxi', '14'],
  ] as const) {
    await h.store.createUser({ id: `u-${username}`, username, name: username, role: 'office', scope, passwordHash });
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'office-password-1', deviceId: randomUUID() } });
    tokens[username] = { authorization: `Bearer ${(r.json() as { token: string }).token}` };
  }
  const [p0, p1] = reg.persons;
  if (!p0 || !p1) throw new Error('fixture');
  reg.persons = [
    { ...p0, name: '张伟', citizenId: HEAD_ID, sex: 1, birth: '1960-05' },
    { ...p1, name: '张丽', citizenId: CHILD_ID, sex: 2, birth: '1986-05' },
  ];
  const e = await h.login('enum', enumDevice);
  tokens.enum = e.auth;
  const pushed = await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: e.auth, payload: { deviceId: enumDevice, mutations: [householdMutation(reg)] } });
  expect((pushed.json() as { results: { status: string }[] }).results[0]?.status).toBe('applied');
  tokens.sup = (await h.login('sup')).auth;
});
afterAll(async () => h.close());

const post = (who: string, url: string, payload: unknown) => h.req({ method: 'POST', url: `/api/v1${url}`, headers: tokens[who] ?? {}, payload: payload as Record<string, unknown> });
const get = (who: string, url: string) => h.req({ method: 'GET', url: `/api/v1${url}`, headers: tokens[who] ?? {} });

const HUKOU = [
  'citizenId,name,sex,birth,districtCode,address',
  `${HEAD_ID},张伟,1,1960-05-03,${D1},光华路1号`,
  `${CHILD_ID},张莉,2,1986-05-09,${D1},光华路1号`,
  `${MISSING_ID},李强,1,1975-03-02,${D1},光华路1号`,
].join('\n');

async function pulledQueries(): Promise<ReviewQuery[]> {
  const out: ReviewQuery[] = [];
  let cursor: string | undefined;
  for (;;) {
    const r = await get('enum', `/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    const body = r.json() as { changes: { entity: string; data: ReviewQuery }[]; cursor: string; more: boolean };
    out.push(...body.changes.filter((c) => c.entity === 'query').map((c) => c.data));
    cursor = body.cursor;
    if (!body.more) return out;
  }
}

describe('comparison review over HTTP', () => {
  it('[RV1] registers: imported by an office in scope, refused with line numbers or outside the scope, idempotent', async () => {
    const bad = await post('county', '/registers/hukou', { csv: `${HUKOU}\n123,王五,3,1990-13-01,${D1},x` });
    expect(bad.status).toBe(400);
    expectErrorShape(bad.json(), 'validation_failed');
    expect(JSON.stringify(bad.json())).toContain('"path":["csv",5]');
    expect((await get('county', '/registers')).json()).toEqual({ counts: { hukou: 0, births: 0, deaths: 0 } });

    const foreign = await post('shanxi', '/registers/hukou', { csv: HUKOU });
    expect(foreign.status).toBe(403);
    expectErrorShape(foreign.json(), 'forbidden');
    expect((await post('sup', '/registers/hukou', { csv: HUKOU })).status).toBe(403);
    expect((await post('county', '/registers/passports', { csv: HUKOU })).status).toBe(400);

    const ok = await post('county', '/registers/hukou', { csv: HUKOU });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ rows: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect((await post('county', '/registers/hukou', { csv: `\uFEFF${HUKOU}` })).json()).toEqual({ rows: 3, inserted: 0, updated: 0, unchanged: 3 });
    const deaths = await post('county', '/registers/deaths', { csv: `citizenId,name,sex,birth,death,districtCode\n,王奶奶,2,1931-02-01,2020-03-15,${D1}` });
    expect(deaths.json()).toMatchObject({ inserted: 1 });
    expect((await get('county', '/registers')).json()).toEqual({ counts: { hukou: 3, births: 0, deaths: 1 } });
    expect((await get('shanxi', '/registers')).json()).toEqual({ counts: { hukou: 0, births: 0, deaths: 0 } });
  });

  it('[RV2] compare makes drafts once; phones and supervisors see nothing until release', async () => {
    expect((await post('shanxi', '/review/compare', { area: COUNTY })).status).toBe(403);
    const run = await post('county', '/review/compare', { area: COUNTY });
    expect(run.status).toBe(200);
    expect(run.json()).toMatchObject({ created: 3, existing: 0, byCategory: { hukouMissing: 1, hukouMismatch: 1, deathMissing: 1 } });
    expect((await post('county', '/review/compare', { area: COUNTY })).json()).toMatchObject({ created: 0, existing: 3 });

    expect(await pulledQueries()).toEqual([]);
    expect((await get('sup', '/queries')).json()).toEqual({ queries: [] });
    const drafts = (await get('county', '/queries?status=draft&category=hukouMismatch')).json() as { queries: ReviewQuery[] };
    expect(drafts.queries).toHaveLength(1);
    expect(drafts.queries[0]).toMatchObject({ householdId: reg.id, subject: { name: '张莉', registered: { name: '张丽' } }, match: { method: 'citizenId', confidence: 1 } });
  });

  it('[RV3] release, answer at the door, dismiss, close, and the statistics per node', async () => {
    expect((await post('sup', '/review/release', {})).status).toBe(403);
    expect((await post('county', '/review/release', { category: 'hukouMissing' })).json()).toEqual({ released: 1 });
    expect((await post('county', '/review/release', {})).json()).toEqual({ released: 2 });
    const items = await pulledQueries();
    expect(items.map((q) => q.category).sort()).toEqual(['deathMissing', 'hukouMismatch', 'hukouMissing']);
    const missing = items.find((q) => q.category === 'hukouMissing');
    const death = items.find((q) => q.category === 'deathMissing');
    const mismatch = items.find((q) => q.category === 'hukouMismatch');
    if (!missing || !death || !mismatch) throw new Error('items');
    expect(missing.householdId).toBeUndefined();
    expect(missing.subject).toMatchObject({ citizenId: MISSING_ID, name: '李强' });

    const personId = reg.persons[1]?.id ?? '';
    const answered = await post('enum', '/sync/push', {
      deviceId: enumDevice,
      mutations: [
        { id: randomUUID(), entity: 'queryAnswer', entityId: missing.id, baseVersion: missing.version, createdAt: '2020-11-20T08:00:00.000Z', data: { kind: 'addedPerson', householdId: reg.id, personId } },
        { id: randomUUID(), entity: 'queryAnswer', entityId: mismatch.id, baseVersion: mismatch.version, createdAt: '2020-11-20T08:00:00.000Z', data: { kind: 'confirmed', text: '户口本上是张丽' } },
      ],
    });
    expect((answered.json() as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const dismissBySup = await h.req({ method: 'PATCH', url: `/api/v1/queries/${death.id}`, headers: tokens.sup ?? {}, payload: { status: 'dismissed', reason: '已知登记错误' } });
    expect(dismissBySup.status).toBe(403);
    const noReason = await h.req({ method: 'PATCH', url: `/api/v1/queries/${death.id}`, headers: tokens.county ?? {}, payload: { status: 'dismissed' } });
    expect(noReason.status).toBe(400);
    const dismissed = await h.req({ method: 'PATCH', url: `/api/v1/queries/${death.id}`, headers: tokens.county ?? {}, payload: { status: 'dismissed', reason: '已知登记错误' } });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissReason: '已知登记错误' });
    expect((await pulledQueries()).find((q) => q.id === death.id)?.status).toBe('dismissed');
    const closed = await h.req({ method: 'PATCH', url: `/api/v1/queries/${missing.id}`, headers: tokens.sup ?? {}, payload: { status: 'resolved' } });
    expect(closed.json()).toMatchObject({ status: 'resolved' });

    const stats = await get('county', '/review/stats');
    expect(stats.status).toBe(200);
    const body = stats.json() as { node: Record<string, unknown>; children: Record<string, unknown>[]; deadline: string };
    expect(body.deadline).toBe('2020-12-10T16:00:00.000Z');
    expect(body.node).toMatchObject({ node: COUNTY, released: 3, answered: 1, closed: 1, dismissed: 1, addedPersons: 1, open: 0, overdue: 0 });
    expect(body.children).toHaveLength(1);
    expect(body.children[0]).toMatchObject({ node: D1.slice(0, 9), released: 3, byCategory: { hukouMissing: { closed: 1, addedPersons: 1 } } });
    expect((await get('county', `/review/stats?area=${D1}`)).json()).toMatchObject({ node: { node: D1, addedPersons: 1 } });
    expect((await get('county', '/review/stats?area=14')).status).toBe(403);
    expect((await get('county', '/review/stats?area=1301020')).status).toBe(400);
    expect((await get('sup', '/review/stats')).json()).toMatchObject({ node: { released: 3 }, children: [expect.objectContaining({ node: D1 })] });
    expect((await get('enum', '/review/stats')).status).toBe(403);
    // After the deadline (here moved before "now"), released items still open are overdue.
    process.env.PUCHA_REVIEW_DEADLINE = '2020-11-01';
    await post('county', '/review/problems', { csv: `districtCode,householdNo,category,citizenId,name,message\n${D2},001,internalLogic,,,户主年龄与子女年龄不符，请核实` });
    await post('county', '/review/release', {});
    const late = (await get('county', '/review/stats')).json() as { node: { overdue: number; open: number }; deadline: string };
    delete process.env.PUCHA_REVIEW_DEADLINE;
    expect(late).toMatchObject({ node: { overdue: 1, open: 1 }, deadline: '2020-11-01T16:00:00.000Z' });
    expect(((await get('county', '/review/stats')).json() as { node: { overdue: number } }).node.overdue).toBe(0);
  });

  it('[RV4] the national list: rows checked, districts in scope, linked to the registered household, idempotent', async () => {
    const header = 'districtCode,householdNo,category,citizenId,name,message';
    const bad = await post('county', '/review/problems', { csv: `${header}\n${D1},001,nonsense,,,x` });
    expect(bad.status).toBe(400);
    expect((await post('county', '/review/problems', { csv: `${header}\n140101001001001,001,other,,,x` })).status).toBe(403);
    const csv = `${header}\n${D1},001,hukouMismatch,${HEAD_ID},张伟,户籍与普查姓名不一致\n${D3},,childMissing,,王小宝,疑似漏登婴儿`;
    const first = await post('county', '/review/problems', { csv });
    expect(first.json()).toEqual({ created: 2, existing: 0 });
    expect((await post('county', '/review/problems', { csv })).json()).toEqual({ created: 0, existing: 2 });
    const drafts = ((await get('county', '/queries?status=draft')).json() as { queries: ReviewQuery[] }).queries.filter((q) => q.origin === 'national');
    expect(drafts.find((q) => q.districtCode === D1)).toMatchObject({ householdId: reg.id, householdNo: '001', category: 'hukouMismatch', match: { method: 'national' } });
    expect(drafts.find((q) => q.districtCode === D3)?.householdId).toBeUndefined();
  });
});
