// The census office's desk (issue 14, docs/OFFICE.md) over HTTP on both stores: the daily freeze
// (the day boundary in China time, a missed day frozen late, a freeze that fails before its
// commit, idempotence and two freezes at once), the report's JSON, CSV (BOM, headers) and XLSX
// against a recount from the records, the schedule in /progress, the quality signals and the
// households behind them, one household read-only, and acceptance with its rules, its roles and
// the reopening by a later push.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { freezeDue } from '../../src/server/daily.ts';
import { DEFAULT_OFFICE, type OfficeOptions } from '../../src/server/office-config.ts';
import { DAILY_HEADERS } from '../../src/server/routes/office.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, D3, householdMutation, listingEntry, listingMutation, registration } from './fixtures.ts';
import { PASSWORD, USERS, expectErrorShape, openSeededStore, type UserKey } from './harness.ts';
import { pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
const KINDS = PG ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
const TOWNSHIP = D1.slice(0, 9);
const AREA = D1.slice(0, 12);
const COUNTY = D1.slice(0, 6);
/** Births per 1,000 expected between 500 and 900: with 10 events at 500 ‰, 20 persons are enough. */
const OFFICE: OfficeOptions = { ...DEFAULT_OFFICE, rates: { ...DEFAULT_OFFICE.rates, birthsPer1000: [500, 900] } };

interface Res {
  status: number;
  json: () => unknown;
  body: string;
  raw: Buffer;
  headers: Record<string, unknown>;
}

describe.each(KINDS)('office desk (%s)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  const auth: Record<string, Record<string, string>> = {};
  const devices: Record<string, string> = {};
  const req = async (method: 'GET' | 'POST', url: string, who: string, payload?: unknown): Promise<Res> => {
    const r = await app.inject({ method, url: `/api/v1${url}`, headers: auth[who] ?? {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
    return { status: r.statusCode, json: () => r.json<unknown>(), body: r.body, raw: r.rawPayload, headers: r.headers };
  };
  const pushAs = async (who: UserKey, mutations: Mutation[], pending = 0) => {
    const r = await req('POST', '/sync/push', who, { deviceId: devices[who], mutations, device: { pending, appVersion: 't' } });
    expect(r.status).toBe(200);
    return (r.json() as { results: { status: string }[] }).results.map((x) => x.status);
  };

  beforeAll(async () => {
    ({ store, close } = await openSeededStore(kind));
    const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    for (const [username, scope] of [
      ['township', TOWNSHIP],
      ['area', AREA],
      ['county', COUNTY],
      ['shanxi', '14'],
    ] as const) {
      const r = await store.createUser({ id: `u-${username}`, username, name: `${username}办`, role: 'office', scope, passwordHash });
      if (!r.ok) throw new Error(r.reason);
    }
    app = await buildApp({ store, now: () => clock.now, office: OFFICE });
    for (const who of ['enum', 'enum2', 'sup', 'sup2', 'admin', 'township', 'area', 'county', 'shanxi']) {
      devices[who] = randomUUID();
      const username = who in USERS ? USERS[who as UserKey].username : who;
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, deviceId: devices[who] } });
      if (r.statusCode !== 200) throw new Error(`login ${who}: ${r.body}`);
      auth[who] = { authorization: `Bearer ${r.json<{ token: string }>().token}` };
    }
  });
  afterAll(async () => {
    await app.close();
    await close();
  });

  const recount = async (node: string) => (await store.progressConsistency()).recounted.get(node)?.counts;
  type Daily = { days: { day: string; late: boolean; totals: { persons: number; registrations: { complete: number }; listing: number; births: number }; children: { area: string; totals: { persons: number } }[] }[]; expected: { listing: number } };

  it('[OD1] the daily freeze: a day is due at 24:00 China time, frozen once, its rows equal a recount; a missed day is frozen late; a failed freeze leaves nothing', async () => {
    // 23:59 China time on 3 November: counted in the 3rd (and completed on the 3rd).
    clock.now = new Date('2020-11-03T15:59:00.000Z');
    expect(await pushAs('enum', [householdMutation(registration(D1, {}, 3))], 2)).toEqual(['applied']);
    expect(await freezeDue(store, OFFICE, clock.now)).toEqual([]);
    const frozenAt = await recount(COUNTY);
    // 00:01 on the 4th: the 3rd is due, on time.
    clock.now = new Date('2020-11-03T16:01:00.000Z');
    expect(await freezeDue(store, OFFICE, clock.now)).toEqual([{ day: '2020-11-03', late: false, nodes: expect.any(Number) as number }]);
    // Frozen: a push after the hour changes the live counters, never the frozen row.
    expect(await pushAs('enum', [householdMutation(registration(D2, { listingId: `L-${D2}-001` }, 2))])).toEqual(['applied']);
    expect(await freezeDue(store, OFFICE, clock.now)).toEqual([]);
    expect(await store.office.freezeDay('2020-11-03', { late: true, at: clock.now.toISOString() })).toEqual({ frozen: false, nodes: 0 });
    const r = await req('GET', '/reports/daily?from=2020-11-01&to=2020-11-10', 'county');
    expect(r.status).toBe(200);
    const d = r.json() as Daily;
    expect(d.days.map((x) => [x.day, x.late])).toEqual([['2020-11-03', false]]);
    expect(d.days[0]?.totals).toMatchObject({ persons: frozenAt?.persons, listing: frozenAt?.listing, registrations: { complete: frozenAt?.r_complete } });
    expect(frozenAt?.persons).toBe(3);
    expect(d.days[0]?.children).toEqual([expect.objectContaining({ area: TOWNSHIP, totals: expect.objectContaining({ persons: 3 }) as object })]);
    expect(d.days[0]?.totals).toMatchObject({ devicesWithQueue: 1 });
    expect(d.expected.listing).toBe((await recount(COUNTY))?.listing);

    // The server was down on the 4th and the 5th: both are frozen when it next runs, late, with the counts of that moment.
    clock.now = new Date('2020-11-06T03:00:00.000Z');
    const late = await freezeDue(store, OFFICE, clock.now);
    expect(late.map((x) => [x.day, x.late])).toEqual([
      ['2020-11-04', true],
      ['2020-11-05', true],
    ]);
    const now5 = await recount(COUNTY);
    const d2 = (await req('GET', '/reports/daily?from=2020-11-01&to=2020-11-10', 'county')).json() as Daily;
    expect(d2.days.map((x) => [x.day, x.late, x.totals.persons])).toEqual([
      ['2020-11-03', false, 3],
      ['2020-11-04', true, now5?.persons],
      ['2020-11-05', true, now5?.persons],
    ]);

    // A freeze that fails before its commit (a crash, a restart) leaves no row and no run: the day is frozen on the next try.
    clock.now = new Date('2020-11-06T16:02:00.000Z');
    await expect(store.office.freezeDay('2020-11-06', { late: false, at: clock.now.toISOString(), beforeCommit: () => Promise.reject(new Error('killed')) })).rejects.toThrow('killed');
    expect((await store.office.frozenDays('2020-11-06')).size).toBe(0);
    expect(((await req('GET', '/reports/daily?from=2020-11-06&to=2020-11-06', 'county')).json() as Daily).days).toEqual([]);
    // Two nodes freezing at once: exactly one writes the day.
    const both = await Promise.all([store.office.freezeDay('2020-11-06', { late: false, at: clock.now.toISOString() }), store.office.freezeDay('2020-11-06', { late: false, at: clock.now.toISOString() })]);
    expect(both.map((x) => x.frozen).sort()).toEqual([false, true]);
    expect(await freezeDue(store, OFFICE, clock.now)).toEqual([]);
  });

  it('[OD2] the daily report as CSV (UTF-8 BOM, the headers in order, a 合计 row and one per child per day) and as XLSX; 400 on bad ranges, 403 outside the scope', async () => {
    const csv = await req('GET', '/reports/daily?from=2020-11-01&to=2020-11-10&format=csv', 'county');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="daily-${COUNTY}-2020-11-01-2020-11-10.csv"`);
    expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.raw.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(DAILY_HEADERS.join(','));
    expect(lines[0]?.split(',').slice(0, 4)).toEqual(['日期', '区划代码', '名称', '层级']);
    // 4 days frozen (3rd to 6th) x (the county's 合计 + its one township)
    expect(lines).toHaveLength(1 + 4 * 2);
    const first = lines[1]?.split(',') ?? [];
    expect(first.slice(0, 2)).toEqual(['2020-11-03', COUNTY]);
    expect(first[2]).toContain('合计');
    expect(first[DAILY_HEADERS.indexOf('人数')]).toBe('3');
    expect(first.at(-1)).toBe('否');
    expect(lines[3]?.split(',').at(-1)).toBe('是');
    expect(lines[2]?.split(',').slice(1, 2)).toEqual([TOWNSHIP]);

    const xlsx = await req('GET', '/reports/daily?from=2020-11-01&to=2020-11-10&format=xlsx', 'county');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws?.getRow(1).values as unknown[]).slice(1)).toEqual([...DAILY_HEADERS]);
    expect(ws?.rowCount).toBe(1 + 4 * 2);
    expect(ws?.getRow(2).getCell(DAILY_HEADERS.indexOf('人数') + 1).value).toBe(3);

    for (const bad of ['from=2020-11-10&to=2020-11-01', 'from=2020-08-01&to=2020-11-30', 'from=2020-13-01', 'format=pdf', 'area=123', 'x=1']) {
      const e = await req('GET', `/reports/daily?${bad}`, 'county');
      expect({ bad, status: e.status }).toEqual({ bad, status: 400 });
      expectErrorShape(e.json(), 'validation_failed');
    }
    expect((await req('GET', '/reports/daily?from=2020-08-31&to=2020-11-30', 'county')).status).toBe(200); // 92 days, the most
    expect((await req('GET', '/reports/daily?from=2020-08-30&to=2020-11-30', 'county')).status).toBe(400);
    expect((await req('GET', `/reports/daily?area=${COUNTY}`, 'area')).status).toBe(403);
    expect((await req('GET', `/reports/daily?area=${COUNTY}`, 'shanxi')).status).toBe(403);
    expect((await req('GET', '/reports/daily', 'enum')).status).toBe(403);
    // A supervisor's own node: its districts, summed.
    const sup = (await req('GET', '/reports/daily?from=2020-11-01&to=2020-11-10', 'sup')).json() as Daily;
    expect(sup.days[0]?.totals.persons).toBe(3);
    expect(sup.days[0]?.children.map((c) => c.area)).toEqual([D1, D2]);
    expect((await req('GET', '/reports/calendar', 'sup')).json()).toMatchObject({ timeZone: 'Asia/Shanghai', reportHour: 24, phases: [{ id: 'shortForm', from: '2020-11-01', to: '2020-11-15' }, { id: 'longForm' }, { id: 'review' }] });
  });

  it('[OD3] /progress: the schedule against the calendar and the share with an outcome; accepted/submitted/reopened counts', async () => {
    clock.now = new Date('2020-11-05T16:00:00.000Z'); // 6 November 00:00 China time: 5 of the short form's 15 days gone
    const p = (await req('GET', `/progress?area=${TOWNSHIP}`, 'township')).json() as { totals: { listing: number; visits: { pending: number }; schedule: { phase: string; expected: number; done: number; behind: boolean }; accepted: number } };
    expect(p.totals.schedule.phase).toBe('shortForm');
    expect(p.totals.schedule.expected).toBeCloseTo(5 / 15, 6);
    // The township's 4 listing entries are all still pending: nothing done, more than 10 points behind.
    expect([p.totals.listing, p.totals.visits.pending]).toEqual([4, 4]);
    expect(p.totals.schedule).toMatchObject({ done: 0, behind: true });
    expect(p.totals.accepted).toBe(0);
  });

  it('[OD4] quality: the expected ranges, a low births rate flagged when enough persons stand behind it, and the households behind signals and rules, paged', async () => {
    clock.now = new Date('2020-11-06T02:00:00.000Z');
    const q0 = (await req('GET', `/quality?area=${TOWNSHIP}`, 'township')).json() as { node: { signals: { id: string; enough: boolean; outside: string | null; basis: number }[] } };
    const births0 = q0.node.signals.find((s) => s.id === 'birthsPer1000');
    expect(births0).toMatchObject({ enough: false, outside: null, basis: 5 });
    // 19 persons more in D1 (24 in the township): 10 births at 500 ‰ need 20 persons, so the signal now counts.
    await store.importListing([3, 4, 5, 6, 7].map((n) => listingEntry(D1, n)));
    const regs = [3, 4, 5, 6, 7].map((n) => registration(D1, { listingId: `L-${D1}-00${n}`, householdNo: `00${n}`, ...(n === 3 ? { overrides: [{ rule: 'LISTING_COUNT', path: [], reason: 'confirmedWithRespondent' as const, note: '' }] } : {}) }, n === 7 ? 3 : 4));
    // One household reports a birth (a draft: the H3 count is stored and counted as it is).
    const birth = registration(D1, { listingId: `L-${D1}-002`, householdNo: '002', status: 'draft', household: { ...registration(D1).household, births: { male: 1, female: 0 } } }, 2);
    expect(await pushAs('enum', [...regs.map((r) => householdMutation(r)), householdMutation(birth)])).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    const q = (await req('GET', `/quality?area=${TOWNSHIP}`, 'township')).json() as { rates: { birthsPer1000: number[] }; node: { persons: number; signals: { id: string; value: number; enough: boolean; outside: string | null; range: number[] }[] }; children: { area: string; outside: number }[] };
    expect(q.rates.birthsPer1000).toEqual([500, 900]);
    expect(q.node.persons).toBe(26);
    expect(q.node.signals.find((s) => s.id === 'birthsPer1000')).toEqual({ id: 'birthsPer1000', value: Math.round((1 / 26) * 1000 * 100) / 100, range: [500, 900], basis: 26, enough: true, outside: 'low' });
    expect(q.node.signals.find((s) => s.id === 'sexRatio')).toMatchObject({ enough: false, outside: null });
    expect(q.children[0]).toMatchObject({ outside: 1 });

    type Page = { households: { householdId: string; householdNo: string; births: number; overrides: string[]; enumerator: string; headName: string }[]; next: string | null };
    const births = (await req('GET', `/quality/households?area=${TOWNSHIP}&signal=birthsPer1000`, 'township')).json() as Page;
    expect(births.households.map((h) => [h.householdId, h.births, h.enumerator, h.headName])).toEqual([[birth.id, 1, 'enum', '成员0']]);
    const rule = (await req('GET', `/quality/households?area=${TOWNSHIP}&signal=rule:LISTING_COUNT`, 'township')).json() as Page;
    expect(rule.households.map((h) => [h.householdNo, h.overrides])).toEqual([['003', ['LISTING_COUNT']]]);
    expect(((await req('GET', `/quality/households?area=${TOWNSHIP}&signal=rule:LISTING_C_UNT`, 'township')).json() as Page).households).toEqual([]);
    // Largest first, two at a time: every household once.
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Page = (await req('GET', `/quality/households?area=${TOWNSHIP}&signal=familySize&limit=2${after ? `&after=${after}` : ''}`, 'township')).json() as Page;
      seen.push(...page.households.map((h) => h.householdId));
      after = page.next;
      pages++;
    } while (after !== null && pages < 10);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen.length).toBe(8);
    const day = (await req('GET', `/quality/households?area=${TOWNSHIP}&signal=perEnumeratorDay&enumerator=enum&day=2020-11-06`, 'township')).json() as Page;
    expect(day.households).toHaveLength(5);
    for (const bad of ['signal=nope', 'signal=perEnumeratorDay', 'signal=perEnumeratorDay&enumerator=enum', 'signal=familySize&limit=201', 'signal=familySize&after=xyz', `signal=familySize&area=${COUNTY.slice(0, 4)}`]) {
      const e = await req('GET', `/quality/households?${bad.includes('area=') ? '' : `area=${TOWNSHIP}&`}${bad}`, 'admin');
      expect({ bad, status: e.status }).toEqual({ bad, status: 400 });
      expectErrorShape(e.json(), 'validation_failed');
    }
    expect((await req('GET', `/quality/households?area=${TOWNSHIP}&signal=familySize&enumerator=nobody`, 'township')).status).toBe(404);
    expect((await req('GET', `/quality/households?area=${TOWNSHIP}&signal=familySize`, 'shanxi')).status).toBe(403);

    const en = (await req('GET', `/quality/enumerators?area=${TOWNSHIP}`, 'township')).json() as { enumerators: { username: string; complete: number; overrideShare: number; topRules: { rule: string; n: number }[]; maxPerDay: number; maxDay: string }[] };
    expect(en.enumerators).toEqual([{ username: 'enum', name: '普查员甲', complete: 7, overrideShare: Math.round((1 / 7) * 1000) / 10, topRules: [{ rule: 'LISTING_COUNT', n: 1 }], maxPerDay: 5, maxDay: '2020-11-06' }]);
    expect((await req('GET', `/quality/enumerators?area=${COUNTY}`, 'county')).status).toBe(400);
    expect(((await req('GET', '/quality/enumerators', 'sup2')).json() as { enumerators: unknown[] }).enumerators).toEqual([]);
  });

  it('[OD5] one household read-only: the server recomputes its findings, names its district and enumerator; outside the scope 403, unknown 404', async () => {
    // A draft whose H2 says 5 residents for its 2 persons: the server's own edit checks name it.
    const reg = registration(D1, { listingId: `L-${D1}-001`, householdNo: '001', status: 'draft', household: { ...registration(D1).household, residents: 5 } }, 2);
    expect(await pushAs('enum', [householdMutation(reg)])).toEqual(['applied']);
    const r = await req('GET', `/registrations/${reg.id}`, 'township');
    expect(r.status).toBe(200);
    const body = r.json() as { registration: { id: string }; findings: { rule: string; severity: string }[]; district: { code: string; name: string }; enumerator: { username: string } };
    expect(body.registration.id).toBe(reg.id);
    expect(body.district).toEqual({ code: D1, name: '第001普查小区' });
    expect(body.enumerator.username).toBe('enum');
    expect(body.findings.map((f) => [f.rule, f.severity]).sort()).toEqual([
      ['PERSON_COUNT', 'error'],
      ['RESIDENT_COUNT', 'error'],
    ]);
    const q = await req('POST', '/queries', 'township', { householdId: reg.id, message: '请核实出生人数' });
    expect(q.status).toBe(201);
    expect(((await req('GET', `/registrations/${reg.id}`, 'sup')).json() as { queries: { message: string }[] }).queries.map((x) => x.message)).toEqual(['请核实出生人数']);
    expect((await req('GET', `/registrations/${reg.id}`, 'sup2')).status).toBe(403);
    expect((await req('GET', `/registrations/${reg.id}`, 'shanxi')).status).toBe(403);
    expect((await req('GET', `/registrations/${reg.id}`, 'enum')).status).toBe(403);
    expect((await req('GET', `/registrations/${randomUUID()}`, 'admin')).status).toBe(404);
    expect((await req('GET', '/registrations/%20', 'admin')).status).toBe(400);
  });

  it('[OD6] acceptance: blockers refuse a submit, the township accepts or returns with a reason, the roles are kept, a later push reopens the district', async () => {
    type Acc = { state: string; blockers: { kind: string; count: number }[]; history: { action: string; by: string; reason?: string }[] };
    const a0 = (await req('GET', `/acceptance/${D2}`, 'sup')).json() as Acc;
    expect(a0.state).toBe('open');
    // D2: its one listing entry pending; the enumerator's phone reported 0 queued on its last push.
    expect(a0.blockers).toEqual([{ kind: 'pending', count: 1 }]);
    const refused = await req('POST', `/acceptance/${D2}/submit`, 'sup');
    expect(refused.status).toBe(409);
    expectErrorShape(refused.json(), 'not_ready');
    expect((refused.json() as { error: { details: unknown[] } }).error.details).toEqual([{ path: ['pending'], message: '1' }]);
    const entry = listingEntry(D2, 1, { visit: { status: 'registered', attempts: 1 } });
    expect(await pushAs('enum', [listingMutation(entry, 1)])).toEqual(['applied']);
    expect(((await req('GET', `/acceptance/${D2}`, 'sup')).json() as Acc).blockers).toEqual([]);
    expect((await req('POST', `/acceptance/${D2}/submit`, 'enum')).status).toBe(403);
    expect((await req('POST', `/acceptance/${D2}/submit`, 'sup2')).status).toBe(403);
    expect((await req('POST', `/acceptance/${D2}/submit`, 'sup')).status).toBe(200);
    const twice = await req('POST', `/acceptance/${D2}/submit`, 'sup');
    expect(twice.status).toBe(409);
    expectErrorShape(twice.json(), 'conflict');
    const inbox = (await req('GET', `/acceptance?area=${TOWNSHIP}&state=submitted`, 'township')).json() as { districts: { district: string; state: string }[] };
    expect(inbox.districts.map((d) => [d.district, d.state])).toEqual([[D2, 'submitted']]);
    // Only a township office or one above it, or an admin, decides.
    expect((await req('POST', `/acceptance/${D2}/accept`, 'sup')).status).toBe(403);
    expect((await req('POST', `/acceptance/${D2}/accept`, 'area')).status).toBe(403);
    expect((await req('POST', `/acceptance/${D2}/accept`, 'shanxi')).status).toBe(403);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'ok', extra: 1 }]) {
      const e = await req('POST', `/acceptance/${D2}/return`, 'township', body);
      expect({ body, status: e.status }).toEqual({ body, status: 400 });
    }
    expect((await req('POST', `/acceptance/${D2}/return`, 'township', { reason: '门牌号与底册不符，请核实' })).json()).toMatchObject({ state: 'returned' });
    expect((await req('POST', `/acceptance/${D2}/accept`, 'township')).status).toBe(409);
    expect((await req('POST', `/acceptance/${D2}/submit`, 'sup')).status).toBe(200);
    const accepted = await req('POST', `/acceptance/${D2}/accept`, 'township');
    expect(accepted.json()).toMatchObject({ state: 'accepted' });
    const prog = (await req('GET', `/progress?area=${TOWNSHIP}`, 'township')).json() as { totals: { accepted: number; submitted: number; reopened: number } };
    expect(prog.totals).toMatchObject({ accepted: 1, submitted: 0, reopened: 0 });
    expect(((await req('GET', `/acceptance?area=${COUNTY}&state=accepted`, 'county')).json() as { districts: { district: string }[] }).districts.map((d) => d.district)).toEqual([D2]);
    expect(((await req('GET', `/acceptance?area=${COUNTY}&state=open`, 'county')).json() as { districts: { district: string }[] }).districts.map((d) => d.district)).toEqual([D1, D3]);

    // A later push is stored (never refused for being late) and reopens the district.
    expect(await pushAs('enum', [householdMutation(registration(D2, { listingId: `L-${D2}-001` }, 2), 0)])).toEqual(['applied']);
    const after = (await req('GET', `/acceptance/${D2}`, 'township')).json() as Acc;
    expect(after.state).toBe('reopened');
    expect(after.history.map((h) => [h.action, h.by])).toEqual([
      ['submit', 'sup'],
      ['return', 'township'],
      ['submit', 'sup'],
      ['accept', 'township'],
      ['reopen', 'enum'],
    ]);
    expect(after.history[1]?.reason).toBe('门牌号与底册不符，请核实');
    expect(((await req('GET', `/acceptance?area=${TOWNSHIP}&state=reopened`, 'township')).json() as { districts: { district: string }[] }).districts.map((d) => d.district)).toEqual([D2]);
    expect(((await req('GET', `/progress?area=${TOWNSHIP}`, 'township')).json() as { totals: object }).totals).toMatchObject({ accepted: 0, reopened: 1 });
    const k = await store.progressConsistency();
    for (const [node, r] of k.recounted) expect({ node, counts: k.maintained.get(node)?.counts }).toEqual({ node, counts: r.counts });

    expect((await req('GET', `/acceptance/${D2}`, 'enum')).status).toBe(403);
    expect((await req('GET', `/acceptance/${D2}`, 'shanxi')).status).toBe(403);
    expect((await req('GET', `/acceptance/${TOWNSHIP}999999`, 'township')).status).toBe(404);
    expect((await req('GET', '/acceptance/12', 'township')).status).toBe(400);
    expect((await req('POST', `/acceptance/${D2}/close`, 'township')).status).toBe(400);
    expect((await req('GET', `/acceptance?area=${TOWNSHIP}&state=lost`, 'township')).status).toBe(400);
  });

  it('[OD7] hostile input to every desk endpoint: never a 5xx, always the api.md error shape, nothing changed', async () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = ['', '0', '-1', '1e9', '13', D1, `${D1}0`, TOWNSHIP, '2020-11-05', '2020-02-30', 'rule:', 'rule:%', "rule:'--", 'births', 'perEnumeratorDay', 'enum', '%00', '%E4%B8%AD', 'x'.repeat(500), '[]', '{}', 'null', 'true', '..%2F..', 'submitted', 'open'];
    const pick = () => pieces[Math.floor(rnd() * pieces.length)] ?? '';
    const keys = ['area', 'from', 'to', 'format', 'signal', 'enumerator', 'day', 'after', 'limit', 'state', 'reason'];
    const before = await store.tableCounts();
    const acceptanceBefore = (await req('GET', `/acceptance/${D2}`, 'admin')).body;
    for (let i = 0; i < 120; i++) {
      const qs = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => `${keys[Math.floor(rnd() * keys.length)] ?? 'area'}=${pick()}`).join('&');
      const who = ['township', 'county', 'sup', 'admin', 'enum', 'shanxi'][i % 6] ?? 'admin';
      for (const url of [`/reports/daily?${qs}`, `/quality?${qs}`, `/quality/enumerators?${qs}`, `/quality/households?${qs}`, `/acceptance?${qs}`, `/acceptance/${pick()}`, `/registrations/${pick()}`, '/reports/calendar']) {
        const r = await req('GET', url, who);
        expect({ url, who, status: r.status < 500 }).toEqual({ url, who, status: true });
        if (r.status >= 400) expectErrorShape(r.json());
      }
      // Steps that cannot succeed (a district that is reopened needs a submit first, bodies malformed).
      const body = [undefined, {}, { reason: pick() }, { reason: 1 }, [], 'text', { extra: pick() }][i % 7];
      for (const action of ['accept', 'return', pick()]) {
        const r = await req('POST', `/acceptance/${[D2, pick(), `${TOWNSHIP}999999`][i % 3]}/${action}`, who, body);
        expect({ action, who, status: r.status < 500 }).toEqual({ action, who, status: true });
        if (r.status >= 400) expectErrorShape(r.json());
      }
    }
    const after = await store.tableCounts();
    expect(after).toEqual(before);
    expect((await req('GET', `/acceptance/${D2}`, 'admin')).body).toBe(acceptanceBefore);
  });
});
