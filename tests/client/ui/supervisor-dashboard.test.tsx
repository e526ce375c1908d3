// The supervisor's dashboard: the CSV download hands over the server's bytes, UTF-8 BOM first
// (Excel needs it for Chinese; res.text() would drop it); the warned-households list shows each
// unconfirmed warning (rule, person, message in the user's language) and opens the household;
// the storage banner after sign-in is for the field roles only, not for supervisors.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { SupervisorScreen } from '../../../src/client/ui/supervisor/SupervisorScreen.tsx';
import { DistrictPanel } from '../../../src/client/ui/supervisor/DistrictPanel.tsx';
import { DistrictStatusSchema } from '../../../src/client/ui/supervisor/supervision-api.ts';
import { App } from '../../../src/client/ui/App.tsx';
import { apiPort } from '../../../src/client/ui/platform.ts';
import type { ApiPort, ExportFile } from '../../../src/client/ui/services.ts';
import { openDb, storeSession, type Session } from '../../../src/client/db/index.ts';
import type { RegistrationDraft, Role } from '../../../src/domain/index.ts';
import { DISTRICT, draftFor, listingEntry, TEST_KEY } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const session = (role: Role): Session => ({
  token: `t-${role}`,
  expiresAt: '2020-12-31T00:00:00.000Z',
  user: { id: `u-${role}`, username: `demo-${role}`, name: role, role, districts: role === 'enumerator' ? [DISTRICT] : [] },
});

let n = 0;
const freshDb = () => openDb(`sup-dash-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });

afterEach(cleanup);

function readBytes(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(new Uint8Array(r.result as ArrayBuffer));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsArrayBuffer(blob);
  });
}

describe('CSV download', () => {
  it('hands the server\'s bytes to the download, starting with the UTF-8 BOM EF BB BF', async () => {
    const csv = new TextEncoder().encode('\uFEFF户编号,姓名\r\n001,张丽\r\n');
    expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const asked: string[] = [];
    const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      asked.push(url);
      if (url.includes('/export?format=csv')) return Promise.resolve(new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } }));
      if (url.endsWith('/supervision/status')) return Promise.resolve(Response.json({ enumerators: [], districts: [] }));
      return Promise.resolve(Response.json([]));
    };
    const files: ExportFile[] = [];
    const db = await freshDb();
    const services = fakeServices(db, { api: (s) => apiPort(fetchFn, s), saveFile: (f) => void files.push(f) });
    renderWith(<SupervisorScreen session={session('supervisor')} />, services);
    fireEvent.click(await screen.findByRole('button', { name: '下载 CSV' }));
    await waitFor(() => expect(files).toHaveLength(1));
    const file = files[0]!;
    expect(file.filename).toMatch(/^pucha-export-\d{4}-\d\d-\d\d\.csv$/);
    expect(file.blob.type).toBe('text/csv;charset=utf-8');
    const bytes = await readBytes(file.blob);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...bytes]).toEqual([...csv]);
    expect(asked.some((u) => u === '/api/v1/export?format=csv')).toBe(true);
    db.close();
  });
});

describe('households with unconfirmed warnings', () => {
  const entry = listingEntry(4);
  const base = draftFor(entry, 2);
  const reg: RegistrationDraft = {
    ...base,
    version: 1,
    updatedAt: '2020-11-05T08:00:00Z',
    household: { ...base.household, residents: 2, floorArea: 900, rooms: 3 },
    persons: base.persons.map((p, k) => ({ ...p, name: k === 0 ? '张丽' : '李明', ...(k === 1 ? { birth: '1968-02' } : {}) })),
  };
  const api: ApiPort = {
    get: (path) => Promise.resolve(path.startsWith('/export?format=json') ? { ok: true, value: [reg] } : { ok: false, status: 404, message: 'no' }),
    getBlob: () => Promise.resolve({ ok: false, status: 0, message: 'offline' }),
    send: () => Promise.resolve({ ok: true, value: {} }),
  };
  const district = DistrictStatusSchema.parse({ code: DISTRICT, name: '第001普查小区', listingSize: 10, registrations: 1, householdsWithWarnings: 1 });

  async function panel(lang: 'zh-CN' | 'en') {
    const db = await freshDb();
    renderWith(<DistrictPanel api={api} district={district} queries={[]} onChanged={() => undefined} />, fakeServices(db), { lang });
    // The households are read when the supervisor opens them (never on load: supervisor-exports.test.tsx).
    fireEvent.click(await screen.findByRole('button', { name: lang === 'en' ? 'Households and warnings 第001普查小区' : '查看住户和提示 第001普查小区' }));
    return { item: await screen.findByTestId('warned-household'), db };
  }

  it('lists each warning: rule, person and the catalogue\'s message in Chinese', async () => {
    const { item, db } = await panel('zh-CN');
    expect(within(item).getByText(/户 004 · 张丽/)).toBeTruthy();
    expect(within(item).getByText('2 条提示')).toBeTruthy();
    const lines = within(item).getAllByRole('listitem');
    expect(lines.map((l) => l.dataset.rule)).toEqual(['FLOOR_AREA_PLAUSIBLE', 'CHILD_AGE_GAP']);
    expect(lines[0]!.textContent).toBe('FLOOR_AREA_PLAUSIBLE 人均建筑面积450平方米或间数3与面积900平方米不太合理，请核实。');
    expect(lines[1]!.textContent).toBe('CHILD_AGE_GAP 第 2 人 李明: 户主只比子女大8岁，请核实。');
    db.close();
  });

  it('in English with the switch', async () => {
    const { item, db } = await panel('en');
    const lines = within(item).getAllByRole('listitem');
    expect(lines[0]!.textContent).toBe('FLOOR_AREA_PLAUSIBLE Floor area per person 450 m² or 3 rooms in 900 m² looks implausible; please confirm.');
    expect(lines[1]!.textContent).toBe('CHILD_AGE_GAP Person 2 李明: The head is only 8 years older than this child; please confirm.');
    db.close();
  });

  it('opens the household with its members and warnings, and queries it from there', async () => {
    const { item, db } = await panel('zh-CN');
    fireEvent.click(within(item).getByRole('button', { name: '查看住户 户 004' }));
    const dialog = screen.getByRole('dialog', { name: '户 004 · 张丽' });
    const members = within(dialog).getAllByRole('list')[0]!;
    expect(within(members).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['张丽 · 户主 · 男 · 1960-01', '李明 · 子女 · 女 · 1968-02']);
    expect(within(dialog).getByText(/户主只比子女大8岁/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: '就此户发起复查' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByLabelText<HTMLSelectElement>('住户').value).toBe(reg.id);
    expect(document.activeElement).toBe(screen.getByLabelText('问题描述'));
    db.close();
  });
});

describe('the storage banner after sign-in', () => {
  async function signIn(role: Role) {
    const db = await freshDb();
    let persistAsked = 0;
    const services = fakeServices(db, {
      auth: { login: async () => (await storeSession(db, session(role)), { ok: true }), signOut: () => Promise.resolve() },
      storage: { persist: () => Promise.resolve(void persistAsked++).then(() => false), info: () => Promise.resolve({}) },
    });
    renderWith(<App />, services);
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: `demo-${role}` } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'pucha-demo' } });
    fireEvent.submit(screen.getByLabelText('用户名').closest('form')!);
    await screen.findByRole('navigation');
    await waitFor(() => expect(persistAsked).toBe(1));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    return db;
  }

  it('is not shown to a supervisor', async () => {
    const db = await signIn('supervisor');
    expect(screen.getByRole('link', { name: '督导' })).toBeTruthy();
    expect(screen.queryByTestId('persist-result')).toBeNull();
    expect(screen.queryByText(/持久存储/)).toBeNull();
    db.close();
  });

  it('is not shown to an office user either', async () => {
    const db = await signIn('office');
    expect(screen.queryByTestId('persist-result')).toBeNull();
    db.close();
  });

  it('is shown to an enumerator, whose work lives on the phone', async () => {
    const db = await signIn('enumerator');
    expect(screen.getByTestId('persist-result').textContent).toMatch(/浏览器未授予持久存储/);
    db.close();
  });
});
