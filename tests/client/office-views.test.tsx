// The census office's desk views (issue 14), rendered through OfficeScreen with the real
// fetch-based API port over a fake server answering in docs/OFFICE.md's shapes; every request is
// recorded. Chinese by default. What each test guards: the daily table's running totals and new
// counts, the CSV download asking for format=csv and handing over the bytes (BOM first), no chart
// where window.matchMedia is missing; the quality view's low signal in words and its households
// link; the households list's paging; the one-tap query's POST; acceptance's blockers after a 409,
// the return reason checked at the field before any request, accept posting to the right path.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { OfficeScreen } from '../../src/client/ui/office/OfficeScreen.tsx';
import { apiPort } from '../../src/client/ui/platform.ts';
import type { ExportFile } from '../../src/client/ui/services.ts';
import { openDb, type Session } from '../../src/client/db/index.ts';
import type { Role } from '../../src/domain/index.ts';
import { TEST_KEY } from './fixtures.ts';
import { fakeServices, renderWith } from './ui/render.tsx';

afterEach(cleanup);

const DISTRICT = '130102001003001';
const session = (role: Role, scope?: string): Session => ({
  token: `t-${role}`,
  expiresAt: '2020-12-31T00:00:00.000Z',
  user: { id: `u-${role}`, username: `demo-${role}`, name: role, role, districts: [], ...(scope !== undefined ? { scope } : {}) },
});
const OFFICE = session('office', '130102');
const TOWNSHIP = session('office', '130102001');

interface Call {
  method: string;
  path: string;
  body: unknown;
}
type Answer = { status?: number; json?: unknown; bytes?: Uint8Array<ArrayBuffer>; type?: string };
type Handler = (call: Call, n: number) => Answer | undefined;

/** A fake server: `routes` maps "METHOD /path?query" (or a prefix ending in "*") to answers. */
function server(routes: Record<string, Answer | Handler>) {
  const calls: Call[] = [];
  const count = new Map<string, number>();
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = url.replace(/^\/api\/v1/, '');
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const call = { method, path, body };
    calls.push(call);
    const key = `${method} ${path}`;
    const route = routes[key] ?? Object.entries(routes).find(([k]) => k.endsWith('*') && key.startsWith(k.slice(0, -1)))?.[1];
    const n = (count.get(key) ?? 0) + 1;
    count.set(key, n);
    const a = typeof route === 'function' ? route(call, n) : route;
    await Promise.resolve();
    if (!a) return Response.json({ error: { code: 'not_found', message: `no route ${key}` } }, { status: 404 });
    if (a.bytes) return new Response(a.bytes, { status: a.status ?? 200, headers: { 'content-type': a.type ?? 'application/octet-stream' } });
    return Response.json(a.json ?? {}, { status: a.status ?? 200 });
  };
  return { calls, fetchFn, asked: (method: string, prefix: string) => calls.filter((c) => c.method === method && c.path.startsWith(prefix)) };
}

let dbN = 0;
async function show(path: readonly string[], srv: ReturnType<typeof server>, who: Session = OFFICE) {
  const db = await openDb(`office-views-${++dbN}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });
  const files: ExportFile[] = [];
  const services = fakeServices(db, { api: (s) => apiPort(srv.fetchFn, s), saveFile: (f) => void files.push(f) });
  renderWith(<OfficeScreen session={who} path={path} />, services);
  return { files, db };
}

const totals = (over: Record<string, unknown> = {}) => ({
  districts: 3,
  listing: 40,
  visits: { pending: 10, registered: 30 },
  registrations: { complete: 28, draft: 2 },
  persons: 80,
  births: 1,
  deaths: 1,
  withErrors: 0,
  withWarnings: 0,
  queries: { open: 0, answered: 0, resolved: 0 },
  devicesWithQueue: 0,
  ...over,
});
const progress = (area: string, name: string) => ({ json: { area, level: 'county', name, totals: totals(), children: [] } });

function readBytes(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsArrayBuffer(blob);
  });
}

const cellNumbers = (rows: HTMLElement[], col: string) => rows.map((r) => Number(r.querySelector(`td[data-col="${col}"]`)?.textContent));

describe('daily report', () => {
  // Frozen counters: running totals. 2020-10-05 is the day before the range (asked for as the baseline).
  const day = (d: string, complete: number, persons: number, late = false) => ({ day: d, late, frozenAt: `${d}T16:00:00Z`, totals: totals({ registrations: { complete, draft: 0 }, persons }), children: [] });
  const DAILY = { area: '130102', level: 'county', name: '长安区', days: [day('2020-10-05', 1, 2), day('2020-11-01', 4, 11), day('2020-11-02', 8, 22), day('2020-11-03', 13, 33, true)], expected: { listing: 40 } };
  const CSV = new TextEncoder().encode('\uFEFF日期,区划代码,名称\r\n2020-11-01,130102,长安区\r\n');

  function dailyServer() {
    return server({
      'GET /progress?area=130102': progress('130102', '长安区'),
      'GET /reports/daily?area=130102&from=2020-10-05&to=2020-11-05&format=json': { json: DAILY },
      'GET /reports/daily?area=130102&from=2020-10-06&to=2020-11-05&format=csv': { bytes: CSV, type: 'text/csv; charset=utf-8' },
    });
  }

  it('one row per day in the range: households and persons so far, new ones the difference from the freeze before', async () => {
    const srv = dailyServer();
    await show(['130102', 'report'], srv);
    const table = await screen.findByTestId('daily');
    const rows = within(table).getAllByTestId('daily-row');
    expect(rows.map((r) => r.dataset.day)).toEqual(['2020-11-01', '2020-11-02', '2020-11-03']);
    const cumulative = cellNumbers(rows, 'households');
    const added = cellNumbers(rows, 'newHouseholds');
    expect(cumulative).toEqual([4, 8, 13]);
    expect(added).toEqual([3, 4, 5]);
    // The running total is the baseline (1 on 2020-10-05) plus the new ones of each day so far.
    let sum = 1;
    added.forEach((a, i) => {
      sum += a;
      expect(cumulative[i]).toBe(sum);
    });
    expect(cellNumbers(rows, 'persons')).toEqual([11, 22, 33]);
    expect(cellNumbers(rows, 'newPersons')).toEqual([9, 11, 11]);
    expect(within(rows[0]!).getByText('10%')).toBeTruthy(); // 4 of the 40 listed
    expect(within(rows[2]!).getByText('是')).toBeTruthy(); // late
    expect(screen.getByText('底册户数：40')).toBeTruthy();
    // jsdom has no matchMedia: the table only, no chart and uPlot never imported.
    expect(document.querySelector('.daily-chart')).toBeNull();
  });

  it('the CSV button asks for format=csv of the range shown and hands over the bytes, BOM first', async () => {
    const srv = dailyServer();
    const { files } = await show(['130102', 'report'], srv);
    await screen.findByTestId('daily');
    fireEvent.click(screen.getByRole('button', { name: '下载 CSV' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(srv.asked('GET', '/reports/daily').map((c) => c.path)).toContain('/reports/daily?area=130102&from=2020-10-06&to=2020-11-05&format=csv');
    const file = files[0]!;
    expect(file.filename).toBe('daily-130102-2020-10-06-2020-11-05.csv');
    const bytes = await readBytes(file.blob);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...bytes]).toEqual([...CSV]);
  });

  it('refuses a range that ends before it starts, at the field, without asking the server', async () => {
    const srv = dailyServer();
    await show(['130102', 'report'], srv);
    await screen.findByTestId('daily');
    const before = srv.calls.length;
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2020-11-09' } });
    fireEvent.change(screen.getByLabelText('结束日期'), { target: { value: '2020-11-02' } });
    expect(screen.getByRole('alert').textContent).toBe('开始日期不能晚于结束日期。');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '查询' }).disabled).toBe(true);
    expect(srv.calls.length).toBe(before);
  });
});

const signal = (id: string, value: number | null, range: [number, number], basis: number, enough: boolean, outside: 'low' | 'high' | null) => ({ id, value, range, basis, enough, outside });

describe('quality signals', () => {
  const QUALITY = {
    area: '130102',
    level: 'county',
    name: '长安区',
    rates: { birthsPer1000: [8, 14] },
    node: { area: '130102', name: '长安区', persons: 3000, signals: [signal('birthsPer1000', 5.2, [8, 14], 3000, true, 'low'), signal('sexRatio', 104.3, [95, 110], 3000, true, null), signal('familySize', 2.875, [2.5, 3.5], 900, true, null), signal('sexRatioAtBirth', null, [100, 120], 12, false, null), signal('perEnumeratorDay', 31, [0, 40], 900, true, null)] },
    children: [
      { area: '130102002', name: '青园街道', persons: 1000, outside: 2, signals: [signal('birthsPer1000', 3.1, [8, 14], 1000, true, 'low'), signal('sexRatio', 121, [95, 110], 1000, true, 'high')] },
      { area: '130102001', name: '建北街道', persons: 2000, outside: 0, signals: [signal('birthsPer1000', 9, [8, 14], 2000, true, null), signal('sexRatio', 100, [95, 110], 2000, true, null)] },
    ],
  };

  it('marks the low signal in words, links to its households, keeps the server\'s order of children and flags their cells', async () => {
    const srv = server({ 'GET /progress?area=130102': progress('130102', '长安区'), 'GET /quality?area=130102': { json: QUALITY } });
    await show(['130102', 'quality'], srv);
    const signals = await screen.findByTestId('signals');
    const births = within(signals).getAllByTestId('signal-row').find((r) => r.dataset.signal === 'birthsPer1000')!;
    expect(within(births).getByText('每千人出生')).toBeTruthy();
    expect(within(births).getByText('偏低')).toBeTruthy();
    expect(within(births).getByText('5.2')).toBeTruthy();
    expect(within(births).getByText('8–14')).toBeTruthy();
    expect(within(births).getByRole('link', { name: '查看“每千人出生”的住户' }).getAttribute('href')).toBe('#/office/130102/hh/birthsPer1000');
    const rowOf = (id: string) => within(signals).getAllByTestId('signal-row').find((r) => r.dataset.signal === id)!;
    expect(within(rowOf('sexRatio')).getByText('正常')).toBeTruthy();
    expect(within(rowOf('familySize')).getByText('2.88')).toBeTruthy();
    expect(within(rowOf('sexRatioAtBirth')).getByText('数据不足')).toBeTruthy();
    // perEnumeratorDay needs an enumerator and a day: no node-wide households link.
    expect(within(rowOf('perEnumeratorDay')).queryByRole('link')).toBeNull();

    const children = within(screen.getByTestId('quality-children')).getAllByTestId('quality-child');
    expect(children.map((c) => c.dataset.area)).toEqual(['130102002', '130102001']);
    const low = children[0]!.querySelector('td[data-signal="birthsPer1000"]')!;
    expect(low.className).toContain('flag-low');
    expect(low.textContent).toContain('偏低');
    expect(children[0]!.querySelector('td[data-signal="sexRatio"]')!.textContent).toContain('偏高');
    expect(children[1]!.querySelector('td[data-signal="birthsPer1000"]')!.className).not.toContain('flag');
    // A county: the enumerators' table is not asked for (the server bounds it to a township or below).
    expect(srv.asked('GET', '/quality/enumerators')).toHaveLength(0);
  });

  it('at a township: the enumerators with override share, top rules and the busiest day linking to their households', async () => {
    const town = { ...QUALITY, area: '130102001', level: 'township', name: '建北街道', node: { ...QUALITY.node, area: '130102001' }, children: [] };
    const srv = server({
      'GET /progress?area=130102001': progress('130102001', '建北街道'),
      'GET /quality?area=130102001': { json: town },
      'GET /quality/enumerators?area=130102001': { json: { enumerators: [{ username: 'e1', name: '普查员甲', complete: 40, overrideShare: 22.5, topRules: [{ rule: 'LISTING_COUNT', n: 6 }], maxPerDay: 31, maxDay: '2020-11-03' }] } },
    });
    await show(['130102001', 'quality'], srv, TOWNSHIP);
    const row = await screen.findByTestId('quality-enumerator');
    expect(within(row).getByText('22.5%')).toBeTruthy();
    expect(within(row).getByRole('link', { name: /LISTING_COUNT/ }).getAttribute('href')).toBe('#/office/130102001/hh/rule%3ALISTING_COUNT/e1');
    expect(within(row).getByRole('link', { name: /31/ }).getAttribute('href')).toBe('#/office/130102001/hh/perEnumeratorDay/e1/2020-11-03');
  });
});

const hhRow = (id: string, no: string) => ({ householdId: id, districtCode: DISTRICT, householdNo: no, headName: `户主${no}`, enumerator: 'e1', persons: 3, births: 1, deaths: 0, overrides: [], updatedAt: '2020-11-03T02:00:00Z' });

describe('households behind a signal', () => {
  it('shows the first page and appends the next one with the server\'s cursor', async () => {
    const srv = server({
      'GET /quality/households?area=130102&signal=birthsPer1000&limit=50': { json: { households: [hhRow('h1', '001'), hhRow('h2', '002')], next: 'c1' } },
      'GET /quality/households?area=130102&signal=birthsPer1000&after=c1&limit=50': { json: { households: [hhRow('h3', '003')], next: null } },
    });
    await show(['130102', 'hh', 'birthsPer1000'], srv);
    expect(await screen.findByRole('heading', { level: 1, name: '每千人出生 背后的住户' })).toBeTruthy();
    await screen.findByTestId('households');
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    await waitFor(() => expect(screen.getAllByTestId('household-row').map((r) => r.dataset.id)).toEqual(['h1', 'h2', 'h3']));
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    expect(screen.getByRole('link', { name: `查看 ${DISTRICT} 户 003` }).getAttribute('href')).toBe('#/office/h/h3');
  });

  it('an enumerator\'s households: all registrations first, those with confirmed warnings on demand', async () => {
    const srv = server({
      [`GET /quality/households?area=${DISTRICT}&signal=sexRatio&enumerator=e1&limit=50`]: { json: { households: [hhRow('h1', '001'), hhRow('h2', '002')], next: null } },
      [`GET /quality/households?area=${DISTRICT}&signal=overrideShare&enumerator=e1&limit=50`]: { json: { households: [{ ...hhRow('h2', '002'), overrides: ['AGE_RELATION'] }], next: null } },
    });
    await show([DISTRICT, 'e', 'e1'], srv);
    await waitFor(() => expect(screen.getAllByTestId('household-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: '有确认提示的户' }));
    await waitFor(() => expect(screen.getAllByTestId('household-row').map((r) => r.dataset.id)).toEqual(['h2']));
    expect(screen.getByText('AGE_RELATION')).toBeTruthy();
  });
});

describe('one household, read-only, and the one-tap review query', () => {
  const DETAIL = {
    registration: {
      id: 'hh-1',
      districtCode: DISTRICT,
      householdNo: '007',
      status: 'complete',
      household: { householdType: 1, residents: 2, births: { male: 1, female: 0 }, deaths: { male: 0, female: 0 } },
      persons: [
        { name: '张丽', relationship: 0, sex: 2, birth: '1980-03' },
        { name: '李明', relationship: 2, sex: 1, birth: '2020-02' },
      ],
    },
    findings: [{ rule: 'AGE_RELATION', severity: 'warning', path: ['persons', 1], message: { zh: '子女比户主年长', en: 'Child older than head' } }],
    overrides: [{ rule: 'AGE_RELATION', path: ['persons', 1], reason: 'confirmedWithRespondent', note: '领养' }],
    district: { code: DISTRICT, name: '第001普查小区' },
    enumerator: { username: 'e1', name: '普查员甲' },
    queries: [],
  };

  it('shows the household and sends POST /queries with its id and the typed message', async () => {
    const srv = server({
      'GET /registrations/hh-1': { json: DETAIL },
      'POST /queries': { status: 201, json: { id: 'q1' } },
    });
    await show(['h', 'hh-1'], srv);
    expect(await screen.findByRole('heading', { level: 1, name: '户 007' })).toBeTruthy();
    const summary = within(screen.getByRole('region', { name: '登记内容' }));
    expect(summary.getByText('第001普查小区')).toBeTruthy();
    expect(summary.getByText('普查员甲')).toBeTruthy();
    expect(summary.getByText('家庭户')).toBeTruthy();
    expect(summary.getByText('1 / 0')).toBeTruthy(); // births male / female
    const persons = within(screen.getByTestId('persons'));
    expect(persons.getByText('张丽')).toBeTruthy();
    expect(persons.getByText('户主')).toBeTruthy();
    expect(persons.getByText('2020-02')).toBeTruthy();
    expect(within(screen.getByTestId('findings')).getByText(/子女比户主年长/)).toBeTruthy();
    expect(within(screen.getByTestId('findings')).getByText('已确认')).toBeTruthy();
    expect(within(screen.getByTestId('overrides')).getByText(/已与被访者核实 · 领养/)).toBeTruthy();
    const box = screen.getByLabelText<HTMLTextAreaElement>('问题内容（可修改）');
    expect(box.value).toBe(`请核实 ${DISTRICT} 户 007：已确认的提示（AGE_RELATION）是否属实。`);
    fireEvent.change(box, { target: { value: '请核实第2人的出生年月' } });
    fireEvent.click(screen.getByRole('button', { name: '发送复查问题' }));
    expect(await screen.findByText('复查问题已发送。')).toBeTruthy();
    expect(srv.asked('POST', '/queries')).toEqual([{ method: 'POST', path: '/queries', body: { householdId: 'hh-1', message: '请核实第2人的出生年月' } }]);
    // Read again, so the new query shows in the list.
    await waitFor(() => expect(srv.asked('GET', '/registrations/hh-1')).toHaveLength(2));
  });

  it('says why a query was not sent, in Chinese, and sends nothing for an empty message', async () => {
    const srv = server({
      'GET /registrations/hh-1': { json: DETAIL },
      'POST /queries': { status: 403, json: { error: { code: 'forbidden', message: 'outside your scope' } } },
    });
    await show(['h', 'hh-1'], srv);
    const box = await screen.findByLabelText<HTMLTextAreaElement>('问题内容（可修改）');
    fireEvent.change(box, { target: { value: '   ' } });
    expect(screen.getByText('请填写问题内容。')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '发送复查问题' }).disabled).toBe(true);
    expect(srv.asked('POST', '/queries')).toHaveLength(0);
    fireEvent.change(box, { target: { value: '请核实户主姓名' } });
    fireEvent.click(screen.getByRole('button', { name: '发送复查问题' }));
    // The server's code worded in Chinese, not its English message.
    expect((await screen.findByRole('alert')).textContent).toBe('发送失败：不在您的工作范围内');
  });
});

describe('acceptance', () => {
  const acc = (state: string, blockers: { kind: string; count: number }[] = [], history: unknown[] = []) => ({ district: DISTRICT, name: '第001普查小区', state, blockers, history });

  it("a refused submission (409 not_ready) says in Chinese why (not the server's English) and shows the blockers, in words", async () => {
    const blockers = [
      { kind: 'errors', count: 2 },
      { kind: 'queued', count: 1 },
      { kind: 'pending', count: 0 },
    ];
    const srv = server({
      [`GET /progress?area=${DISTRICT}`]: progress(DISTRICT, '第001普查小区'),
      // Read before the enumerator's last push: nothing blocked yet; read again after the refusal.
      [`GET /acceptance/${DISTRICT}`]: (_c, n) => ({ json: n === 1 ? acc('open') : acc('open', blockers) }),
      [`POST /acceptance/${DISTRICT}/submit`]: { status: 409, json: { error: { code: 'not_ready', message: 'the district is not ready', details: blockers } } },
    });
    await show([DISTRICT, 'acceptance'], srv, TOWNSHIP);
    expect(await screen.findByText('已满足提交条件。')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '提交验收' }));
    expect(await screen.findByText('还有未完成的事项，暂不能验收：见下方。')).toBeTruthy();
    expect(screen.queryByText(/the district is not ready/)).toBeNull();
    const list = await screen.findByTestId('blockers');
    expect(within(list).getByText('2 户登记有错误')).toBeTruthy();
    expect(within(list).getByText('1 部手机还有未上传的数据')).toBeTruthy();
    expect(within(list).queryByText(/底册还没有走访结果/)).toBeNull(); // a zero count blocks nothing
    expect(srv.asked('POST', '/acceptance')).toHaveLength(1);
  });

  it('return refuses an empty reason at the field without a request; accept posts to /acceptance/<code>/accept and reads again', async () => {
    const history = [{ action: 'submit', by: 'demo-supervisor', at: '2020-11-04T02:00:00Z' }];
    const srv = server({
      [`GET /progress?area=${DISTRICT}`]: progress(DISTRICT, '第001普查小区'),
      [`GET /acceptance/${DISTRICT}`]: (_c, n) => ({ json: n === 1 ? acc('submitted', [], history) : acc('accepted', [], [...history, { action: 'accept', by: 'demo-office', at: '2020-11-05T08:00:00Z' }]) }),
      [`POST /acceptance/${DISTRICT}/accept`]: { json: {} },
    });
    await show([DISTRICT, 'acceptance'], srv, TOWNSHIP);
    const back = await screen.findByRole('button', { name: '退回 第001普查小区' });
    expect(screen.getByTestId('acceptance-state').textContent).toBe('待验收');
    fireEvent.click(back);
    expect(screen.getByText('请填写退回原因。')).toBeTruthy();
    expect(screen.getByLabelText('退回原因').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('退回原因'), { target: { value: '   ' } });
    fireEvent.click(back);
    expect(screen.getByText('请填写退回原因。')).toBeTruthy();
    expect(srv.asked('POST', '/acceptance')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: '验收通过' }));
    expect(await screen.findByText('已验收。')).toBeTruthy();
    expect(srv.asked('POST', '/acceptance')).toEqual([{ method: 'POST', path: `/acceptance/${DISTRICT}/accept`, body: {} }]);
    await waitFor(() => expect(screen.getByTestId('acceptance-state').textContent).toBe('已验收'));
    expect(screen.queryByRole('button', { name: '验收通过' })).toBeNull();
  });

  it('return sends the typed reason', async () => {
    const srv = server({
      [`GET /progress?area=${DISTRICT}`]: progress(DISTRICT, '第001普查小区'),
      [`GET /acceptance/${DISTRICT}`]: (_c, n) => ({ json: n === 1 ? acc('submitted') : acc('returned') }),
      [`POST /acceptance/${DISTRICT}/return`]: { json: {} },
    });
    await show([DISTRICT, 'acceptance'], srv, TOWNSHIP);
    fireEvent.change(await screen.findByLabelText('退回原因'), { target: { value: ' 第3户人数与底册不符 ' } });
    fireEvent.click(screen.getByRole('button', { name: '退回 第001普查小区' }));
    expect(await screen.findByText('已退回。')).toBeTruthy();
    expect(srv.asked('POST', '/acceptance')).toEqual([{ method: 'POST', path: `/acceptance/${DISTRICT}/return`, body: { reason: '第3户人数与底册不符' } }]);
  });

  it('above a district: the inbox (submitted) and the alerts (reopened), each linking to the district\'s acceptance tab', async () => {
    const other = '130102001003002';
    const srv = server({
      'GET /progress?area=130102001': progress('130102001', '建北街道'),
      'GET /acceptance?area=130102001&state=submitted&limit=50': { json: { districts: [acc('submitted', [], [{ action: 'submit', by: 'demo-supervisor', at: '2020-11-04T02:00:00Z' }])], next: null } },
      'GET /acceptance?area=130102001&state=reopened&limit=50': { json: { districts: [{ ...acc('reopened'), district: other, name: '第002普查小区' }], next: null } },
    });
    await show(['130102001', 'acceptance'], srv, TOWNSHIP);
    const inbox = await screen.findByTestId('acceptance-submitted');
    expect(within(inbox).getByRole('link', { name: '打开 第001普查小区' }).getAttribute('href')).toBe(`#/office/${DISTRICT}/acceptance`);
    const alerts = await screen.findByTestId('acceptance-reopened');
    expect(within(alerts).getByRole('link', { name: '打开 第002普查小区' }).getAttribute('href')).toBe(`#/office/${other}/acceptance`);
    expect(within(alerts).getByText('第002普查小区 已验收，但之后又收到数据，需要重新提交验收。')).toBeTruthy();
  });
});

describe('the drill-down tells of reopened districts', () => {
  it('a node with districts reopened by a later push shows it and links to its acceptance lists; none, no alert', async () => {
    const srv = server({ 'GET /progress?area=130102': { json: { area: '130102', level: 'county', name: '长安区', totals: totals({ reopened: 2 }), children: [] } } });
    await show(['130102'], srv);
    const alert = await screen.findByTestId('reopened-alert');
    expect(alert.textContent).toContain('2 个已验收的普查小区收到了补报');
    expect(within(alert).getByRole('link').getAttribute('href')).toBe('#/office/130102/acceptance');
    cleanup();
    await show(['130102'], server({ 'GET /progress?area=130102': { json: { area: '130102', level: 'county', name: '长安区', totals: totals({ reopened: 0 }), children: [] } } }));
    await screen.findByTestId('node-totals');
    expect(screen.queryByTestId('reopened-alert')).toBeNull();
  });
});
