// Practice mode (issue 15) on the supervisor's screen: the enumerator table shows each
// enumerator's practice summary from the status answer (completed households and errors left
// at completion), "—" when the phone never sent one, in Chinese by default; the status answer is
// parsed with zod, so a malformed practice block is refused rather than shown.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { SupervisorScreen } from '../../../src/client/ui/supervisor/SupervisorScreen.tsx';
import { EnumeratorStatusSchema } from '../../../src/client/ui/supervisor/supervision-api.ts';
import { apiPort } from '../../../src/client/ui/platform.ts';
import { openDb, type Session } from '../../../src/client/db/index.ts';
import { DISTRICT, TEST_KEY } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const session: Session = {
  token: 't-sup',
  expiresAt: '2020-12-31T00:00:00.000Z',
  user: { id: 'u-sup', username: 'demo-supervisor', name: '指导员', role: 'supervisor', districts: [] },
};

let n = 0;
const freshDb = () => openDb(`sup-practice-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });

afterEach(cleanup);

const enumerator = (userId: string, username: string, extra: Record<string, unknown> = {}) => ({
  userId,
  username,
  name: username,
  districts: [DISTRICT],
  lastSeenAt: new Date().toISOString(),
  lastPushAt: new Date().toISOString(),
  pendingOnDevice: 0,
  rejected: 0,
  conflicts: 0,
  ...extra,
});

async function renderStatus(body: unknown) {
  const fetchFn = (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/supervision/status')) return Promise.resolve(Response.json(body));
    return Promise.resolve(Response.json([]));
  };
  const db = await freshDb();
  renderWith(<SupervisorScreen session={session} />, fakeServices(db, { api: (s) => apiPort(fetchFn, s) }));
}

describe('practice column of the enumerator table', () => {
  it('shows completed practice households and errors at completion, and — when absent (Chinese)', async () => {
    const practice = { completed: 3, attempts: 7, errorsAtAttempts: 5, households: 4, resets: 1, updatedAt: '2020-11-02T10:00:00.000Z' };
    await renderStatus({ enumerators: [enumerator('u-a', 'zhang', { practice }), enumerator('u-b', 'li')], districts: [] });
    const rows = await screen.findAllByTestId('enumerator-row');
    const cell = (username: string) => {
      const row = rows.find((r) => r.getAttribute('data-username') === username);
      if (!row) throw new Error(`no row ${username}`);
      return within(row).getByTestId('practice');
    };
    expect(screen.getByRole('columnheader', { name: '练习' })).toBeTruthy();
    expect(cell('zhang').textContent).toBe('完成 3 户 · 提交时错误 5');
    expect(cell('li').textContent).toBe('—');
    // The other counts are there for the supervisor who asks (tooltip).
    expect(within(cell('zhang')).getByTitle(/开始 4 户，点“完成登记” 7 次，重新开始 1 次/)).toBeTruthy();
  });

  it('refuses a status answer whose practice block is malformed (zod), never showing made-up figures', async () => {
    const bad = { completed: -3, attempts: 7, errorsAtAttempts: 5, households: 4, resets: 1, updatedAt: '2020-11-02T10:00:00.000Z' };
    expect(EnumeratorStatusSchema.safeParse(enumerator('u-a', 'zhang', { practice: bad })).success).toBe(false);
    expect(EnumeratorStatusSchema.safeParse(enumerator('u-a', 'zhang')).success).toBe(true);
    await renderStatus({ enumerators: [enumerator('u-a', 'zhang', { practice: bad })], districts: [] });
    await waitFor(() => expect(screen.getByText(/加载失败/)).toBeTruthy());
    expect(screen.queryByText(/完成 -3 户/)).toBeNull();
  });
});
