// The supervisor's dashboard and the exports (issue 16): on load it reads its counts from the
// status and progress answers and fetches no export at all; a district's households are read
// (its JSON export, that district only) when the supervisor opens them; the downloads offer XLSX
// first and CSV second, each handed over byte for byte; landmark names are unique.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { SupervisorScreen } from '../../../src/client/ui/supervisor/SupervisorScreen.tsx';
import { apiPort } from '../../../src/client/ui/platform.ts';
import type { ExportFile } from '../../../src/client/ui/services.ts';
import { openDb, type Session } from '../../../src/client/db/index.ts';
import type { RegistrationDraft } from '../../../src/domain/index.ts';
import { DISTRICT, draftFor, listingEntry, TEST_KEY } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const OTHER = '130102001003002';
const session: Session = { token: 't-sup', expiresAt: '2020-12-31T00:00:00.000Z', user: { id: 'u-sup', username: 'demo-supervisor', name: '指导员', role: 'supervisor', districts: [] } };
let n = 0;
const freshDb = () => openDb(`sup-exp-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });
afterEach(cleanup);

const STATUS = {
  enumerators: [
    { userId: 'u-e1', username: 'e1', name: '普查员甲', districts: [DISTRICT], lastSeenAt: '2020-11-05T07:00:00Z', lastPushAt: '2020-11-05T07:00:00Z', pendingOnDevice: 0, rejected: 0, conflicts: 0 },
    { userId: 'u-e2', username: 'e2', name: '普查员乙', districts: [OTHER], lastSeenAt: null, pendingOnDevice: 80, rejected: 1, conflicts: 0 },
  ],
  districts: [
    { code: DISTRICT, name: '第001普查小区', enumerators: ['u-e1'], listingSize: 10, byVisitStatus: { pending: 6, registered: 4 }, registrations: 4, completeRegistrations: 4, personsRegistered: 11, householdsWithErrors: 2, householdsWithWarnings: 3, openQueries: 1 },
    { code: OTHER, name: '第002普查小区', enumerators: ['u-e2'], listingSize: 8, byVisitStatus: { pending: 8 }, registrations: 0, personsRegistered: 0, householdsWithErrors: 0, householdsWithWarnings: 0, openQueries: 0 },
  ],
  serverTime: '2020-11-05T08:00:00Z',
};
const zeroVisits = { pending: 0, registered: 0, selfReported: 0, notAtHome: 0, refused: 0, vacant: 0, demolished: 0 };
const PROGRESS = {
  area: null, level: 'supervisor', name: '指导员',
  totals: { districts: 2, listing: 18, visits: zeroVisits, registrations: { complete: 4, draft: 1 }, persons: 11, births: 7, deaths: 5, withErrors: 2, withWarnings: 3, queries: { open: 1, answered: 2, resolved: 9 }, devicesWithQueue: 1, lastPushAt: null },
  children: [], asOf: '2020-11-05T08:00:00Z',
};

function warnedRegistration(): RegistrationDraft {
  const base = draftFor(listingEntry(4), 2);
  return { ...base, version: 1, updatedAt: '2020-11-05T08:00:00Z', household: { ...base.household, residents: 2, floorArea: 900, rooms: 3 }, persons: base.persons.map((p, k) => ({ ...p, name: k === 0 ? '张丽' : '李明', ...(k === 1 ? { birth: '1968-02' } : {}) })) };
}

const XLSX_BYTES = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 0xff]);
const CSV_BYTES = new TextEncoder().encode('\uFEFFid,person.citizenId\r\nr1,130102193305065368\r\n');

/** A fake server behind the real fetch-based API port, recording every URL asked for. */
function server() {
  const asked: string[] = [];
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    asked.push(url);
    const path = url.replace(/^\/api\/v1/, '');
    if (path === '/supervision/status') return Promise.resolve(Response.json(STATUS));
    if (path === '/progress') return Promise.resolve(Response.json(PROGRESS));
    if (path.startsWith('/queries')) return Promise.resolve(Response.json({ queries: [] }));
    if (path === `/export?format=json&district=${DISTRICT}`) return Promise.resolve(Response.json({ districts: [DISTRICT], registrations: [warnedRegistration()] }));
    if (path === '/export?format=xlsx') return Promise.resolve(new Response(XLSX_BYTES, { headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }));
    if (path === '/export?format=csv') return Promise.resolve(new Response(CSV_BYTES, { headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    return Promise.resolve(Response.json({ error: { code: 'not_found', message: 'no', details: [] } }, { status: 404 }));
  };
  return { asked, fetchFn, exports: () => asked.filter((u) => u.includes('/export')) };
}

async function dashboard() {
  const srv = server();
  const files: ExportFile[] = [];
  const db = await freshDb();
  renderWith(<SupervisorScreen session={session} />, fakeServices(db, { api: (s) => apiPort(srv.fetchFn, s), saveFile: (f) => void files.push(f) }));
  await screen.findByTestId('totals');
  expect(await screen.findAllByTestId('district-panel')).toHaveLength(2);
  // Let every effect and answer settle: anything fetched on load has been asked for by now.
  for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
  return { srv, files, db };
}

function readBytes(blob: Blob): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve([...new Uint8Array(r.result as ArrayBuffer)]);
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsArrayBuffer(blob);
  });
}

describe('supervisor dashboard without exports on load', () => {
  it('[SD1] fetches no export on load; its counts come from the status and progress answers', async () => {
    const { srv, db } = await dashboard();
    expect(srv.exports()).toEqual([]);
    expect(srv.asked).toEqual(expect.arrayContaining(['/api/v1/supervision/status', '/api/v1/progress']));
    const totals = screen.getByTestId('totals');
    expect(totals.textContent).toContain('普查小区 2');
    expect(totals.textContent).toContain('出生 7');
    expect(totals.textContent).toContain('死亡 5');
    expect(totals.textContent).toContain('有错误的住户 2');
    expect(totals.textContent).toContain('已回复 2');
    expect(totals.textContent).toContain('有待同步数据的手机 1');
    const [first, second] = screen.getAllByTestId('district-panel');
    // From the status counters, not from an export (none was read).
    expect(within(first!).getByTestId('warned-count').textContent).toBe('有未确认提示的住户 (3)');
    expect(within(first!).getByTestId('district-counts').textContent).toContain('已登记人数 11');
    expect(within(first!).getByTestId('district-counts').textContent).toContain('有错误的住户 2');
    expect(within(second!).getByTestId('warned-count').textContent).toBe('有未确认提示的住户 (0)');
    expect(within(first!).queryByTestId('warned-household')).toBeNull();
    db.close();
  });

  it('[SD2] reads one district\'s households only when the supervisor opens them', async () => {
    const { srv, db } = await dashboard();
    const first = screen.getAllByTestId('district-panel')[0]!;
    fireEvent.click(within(first).getByRole('button', { name: '查看住户和提示 第001普查小区' }));
    const item = await within(first).findByTestId('warned-household');
    expect(item.textContent).toMatch(/户 004 · 张丽/);
    expect(srv.exports()).toEqual([`/api/v1/export?format=json&district=${DISTRICT}`]);
    expect(within(first).getByLabelText<HTMLSelectElement>('住户').options).toHaveLength(2);
    // The other district was not read.
    expect(within(screen.getAllByTestId('district-panel')[1]!).queryByLabelText('住户')).toBeNull();
    // A refresh of the dashboard reads the answers again, never an export.
    fireEvent.click(screen.getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(srv.asked.filter((u) => u === '/api/v1/supervision/status')).toHaveLength(2));
    for (let i = 0; i < 10; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(srv.exports()).toHaveLength(1);
    db.close();
  });
});

describe('downloads', () => {
  it('[SD3] offers XLSX first and CSV second, and hands over the server\'s bytes (the CSV\'s BOM first)', async () => {
    const { srv, files, db } = await dashboard();
    const buttons = screen.getAllByRole('button').map((b) => b.textContent);
    const xlsxAt = buttons.indexOf('下载 Excel（XLSX）');
    const csvAt = buttons.indexOf('下载 CSV');
    expect(xlsxAt).toBeGreaterThanOrEqual(0);
    expect(csvAt).toBeGreaterThan(xlsxAt);

    fireEvent.click(screen.getByRole('button', { name: '下载 Excel（XLSX）' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(files[0]!.filename).toBe('pucha-export-2020-11-05.xlsx');
    expect(files[0]!.blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await readBytes(files[0]!.blob)).toEqual([...XLSX_BYTES]);

    fireEvent.click(screen.getByRole('button', { name: '下载 CSV' }));
    await waitFor(() => expect(files).toHaveLength(2));
    expect(files[1]!.filename).toBe('pucha-export-2020-11-05.csv');
    const csv = await readBytes(files[1]!.blob);
    expect(csv.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv).toEqual([...CSV_BYTES]);
    expect(srv.exports()).toEqual(['/api/v1/export?format=xlsx', '/api/v1/export?format=csv']);
    db.close();
  });
});

describe('landmarks', () => {
  it('[SD4] every landmark of the dashboard has a name of its own (axe landmark-unique, and counted directly)', async () => {
    const { db } = await dashboard();
    const result = await axe.run(document.body, { runOnly: { type: 'rule', values: ['landmark-unique'] } });
    expect(result.violations.map((v) => v.nodes.map((x) => x.target.join(' ')))).toEqual([]);
    const landmarks = [...document.querySelectorAll<HTMLElement>('main, nav, [role="region"], section[aria-labelledby], section[aria-label]')];
    const nameOf = (el: HTMLElement) => {
      const by = el.getAttribute('aria-labelledby');
      return `${el.getAttribute('role') ?? el.tagName.toLowerCase()}:${by ? (document.getElementById(by)?.textContent ?? '') : (el.getAttribute('aria-label') ?? '')}`;
    };
    const names = landmarks.map(nameOf);
    expect(names.length).toBeGreaterThan(4);
    expect(new Set(names.map((x) => x.replace(/^section:/, 'region:'))).size).toBe(names.length);
    db.close();
  });
});
