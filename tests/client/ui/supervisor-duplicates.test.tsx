// Duplicate citizen IDs on the supervisor's dashboard (issue 11): each ID with every household
// holding it and who registered it; a household outside the scope shows no person and offers no
// query; "show more" asks for the page after the server's group number; a review query names
// the person, the ID and the other household; an older server without the endpoint hides the
// section instead of showing an error.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DuplicateIds } from '../../../src/client/ui/supervisor/DuplicateIds.tsx';
import type { ApiPort, ApiResult } from '../../../src/client/ui/services.ts';
import { openDb } from '../../../src/client/db/index.ts';
import { TEST_KEY } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

let n = 0;
const freshDb = () => openDb(`sup-dups-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });
afterEach(cleanup);

const ID1 = '130102196005120017';
const ID2 = '13010219850512002X';
const PAGE1 = {
  duplicates: [
    {
      citizenId: ID1,
      households: [
        {
          inScope: true,
          registrationId: 'reg-a',
          districtCode: '130102001003001',
          householdNo: '004',
          enumerator: { username: 'e1', name: '普查员甲' },
          person: { index: 1, name: '张丽' },
        },
        { inScope: false, districtCode: '130102001009001', householdNo: '017', enumerator: { username: 'e9', name: '普查员庚' } },
      ],
    },
  ],
  next: 41,
};
const PAGE2 = {
  duplicates: [
    {
      citizenId: ID2,
      households: [
        {
          inScope: true,
          registrationId: 'reg-b',
          districtCode: '130102001003001',
          householdNo: '005',
          enumerator: null,
          person: { index: 0, name: '李明' },
        },
        {
          inScope: true,
          registrationId: 'reg-c',
          districtCode: '130102001003002',
          householdNo: '001',
          enumerator: { username: 'e2', name: '普查员乙' },
          person: { index: 2 },
        },
      ],
    },
  ],
};

function api(pages: Record<string, ApiResult<unknown>>) {
  const asked: string[] = [];
  const sent: { method: string; path: string; body: unknown }[] = [];
  const port: ApiPort = {
    get: (path) => {
      asked.push(path);
      return Promise.resolve(pages[path] ?? { ok: false, status: 404, message: 'not found' });
    },
    getBlob: () => Promise.resolve({ ok: false, status: 0, message: 'offline' }),
    send: (method, path, body) => {
      sent.push({ method, path, body });
      return Promise.resolve({ ok: true, value: {} });
    },
  };
  return { port, asked, sent };
}

async function render(pages: Record<string, ApiResult<unknown>>, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const a = api(pages);
  const db = await freshDb();
  const changed: number[] = [];
  renderWith(<DuplicateIds api={a.port} generation={0} onChanged={() => void changed.push(1)} />, fakeServices(db), { lang });
  return { ...a, db, changed };
}

const FIRST = '/supervision/duplicates?after=0&limit=50';
const SECOND = '/supervision/duplicates?after=41&limit=50';

describe('duplicate citizen IDs', () => {
  it('lists both households, the one outside the scope without its person and without a query button', async () => {
    const { db } = await render({ [FIRST]: { ok: true, value: PAGE1 } });
    const item = await screen.findByTestId('duplicate-id');
    expect(within(item).getByText(`${ID1}：2 户`)).toBeTruthy();
    const rows = within(item).getAllByTestId('duplicate-household');
    expect(rows[0]!.textContent).toBe('小区 130102001003001 户 004 · 普查员 普查员甲 · 第 2 人 张丽发起复查');
    expect(rows[1]!.textContent).toBe('小区 130102001009001 户 017 · 普查员 普查员庚 · 不在您负责的范围内');
    expect(within(rows[1]!).queryByRole('button')).toBeNull();
    db.close();
  });

  it('"show more" asks for the page after the server\'s group number and appends it', async () => {
    const { asked, db } = await render({ [FIRST]: { ok: true, value: PAGE1 }, [SECOND]: { ok: true, value: PAGE2 } });
    fireEvent.click(await screen.findByRole('button', { name: '显示更多' }));
    await waitFor(() => expect(screen.getAllByTestId('duplicate-id')).toHaveLength(2));
    expect(asked).toEqual([FIRST, SECOND]);
    // The second page has no `next`: no more button.
    expect(screen.queryByRole('button', { name: '显示更多' })).toBeNull();
    const rows = within(screen.getAllByTestId('duplicate-id')[1]!).getAllByTestId('duplicate-household');
    expect(rows[0]!.textContent).toContain('普查机构导入');
    expect(rows[1]!.textContent).toContain('第 3 人');
    db.close();
  });

  it('sends a review query on the household in scope naming the person, the ID and the other household', async () => {
    const { sent, changed, db } = await render({ [FIRST]: { ok: true, value: PAGE1 } });
    fireEvent.click(await screen.findByRole('button', { name: '就小区 130102001003001 户 004发起复查' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      method: 'POST',
      path: '/queries',
      body: {
        householdId: 'reg-a',
        message: `第 2 人 张丽 的公民身份号码 ${ID1} 也登记在小区 130102001009001 户 017，请核实号码或是否重复登记。`,
      },
    });
    expect(changed).toHaveLength(1);
    await screen.findByText(/已发送/);
    expect(screen.queryByRole('button', { name: /发起复查/ })).toBeNull();
    db.close();
  });

  it('in English with the switch', async () => {
    const { db } = await render({ [FIRST]: { ok: true, value: PAGE1 } }, 'en');
    const item = await screen.findByTestId('duplicate-id');
    expect(within(item).getByText(`${ID1}: 2 households`)).toBeTruthy();
    expect(within(item).getAllByTestId('duplicate-household')[1]!.textContent).toBe(
      'district 130102001009001 household 017 · enumerator 普查员庚 · outside your scope',
    );
    db.close();
  });

  it('shows a load failure in the section, and nothing at all for a server without the endpoint', async () => {
    const failing = await render({ [FIRST]: { ok: false, status: 503, message: 'unavailable' } });
    expect((await screen.findByRole('alert')).textContent).toBe('加载失败：unavailable');
    failing.db.close();
    cleanup();
    const old = await render({});
    await waitFor(() => expect(old.asked).toEqual([FIRST]));
    await waitFor(() => expect(screen.queryByTestId('duplicate-ids')).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    old.db.close();
  });
});
