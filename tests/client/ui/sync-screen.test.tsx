// The sync screen and badge in the user's language: a busy server is "server busy, next try at
// HH:MM" (not 同步出错), failures and the sync log are worded from their kinds and numbers (no raw
// English such as "network: Failed to fetch" or "push 1 sent: 1 applied"), and every queue line
// names its household.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { SyncBadge } from '../../../src/client/ui/SyncBadge.tsx';
import { SyncScreen } from '../../../src/client/ui/sync/SyncScreen.tsx';
import { answerQuery, logSyncEvent, saveRegistration, setVisitOutcome, type PuchaDb } from '../../../src/client/db/index.ts';
import { SyncEngine } from '../../../src/client/sync/index.ts';
import { syncPort } from '../../../src/client/ui/platform.ts';
import { district, draftFor, fakeClock, listingEntry, testDb } from '../fixtures.ts';
import { FakeServer, ManualTimers } from '../fake-server.ts';
import { fakeServices, renderWith } from './render.tsx';

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.bulkPut([listingEntry(1), listingEntry(2), listingEntry(3)]);
});
afterEach(() => {
  cleanup();
  db.close();
});

const hhmm = (ms: number) => new Date(ms).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
/** Latin words of three or more letters: what a Chinese screen must not show (ids and numbers aside). */
const englishWords = (text: string) => (text.match(/\b[A-Za-z]{3,}\b/g) ?? []).filter((w) => !/^(?:L|R|Q)?[0-9a-f-]*$/i.test(w));

describe('server busy (Retry-After)', () => {
  it('the badge says when the next try is, in Chinese and in English, and is not an error', () => {
    const next = Date.now() + 5 * 60_000;
    const s = fakeServices(db);
    s.sync.set({ phase: 'serverBusy', nextAttemptAt: next, failure: { kind: 'http', status: 503, code: 'unavailable' } });
    renderWith(<SyncBadge />, s);
    const badge = screen.getByTestId('sync-badge');
    expect(badge.textContent).toContain(`服务器繁忙，${hhmm(next)} 再试`);
    expect(badge.textContent).not.toContain('同步出错');
    expect(badge.className).toContain('badge-warn');
    cleanup();
    renderWith(<SyncBadge />, s, { lang: 'en' });
    expect(screen.getByTestId('sync-badge').textContent).toContain('Server busy, next try at');
  });

  it('the sync screen shows the same state and what it means, from the real engine\'s state on a 503', async () => {
    const clock = fakeClock(Date.now());
    const server = new FakeServer(clock.now);
    const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: 'http://fake.test', setTimer: new ManualTimers().setTimer, random: () => 0.5 });
    await engine.signIn('demo-enumerator', 'pucha-demo');
    await engine.syncNow();
    await setVisitOutcome(db, listingEntry(1).id, { status: 'refused' });
    server.faults.push({ when: 'push', fault: { kind: 'status', status: 503, code: 'unavailable', retryAfter: '86400' } });
    await engine.syncNow();
    // The engine's state as the app's port words it (platform.ts), handed to the screen.
    const s = fakeServices(db);
    s.sync.set(syncPort(engine).getStatus());
    renderWith(<SyncScreen />, s);
    const at = hhmm(clock.now() + 300_000);
    expect(screen.getByTestId('sync-phase').textContent).toBe(`服务器繁忙，${at} 再试`);
    expect(screen.getByTestId('sync-busy').textContent).toContain('不会丢失');
    expect(screen.queryByTestId('sync-failure')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('sync-log').textContent).toContain(`服务器繁忙，${at} 再试`));
    engine.stop();
  });
});

describe('failures and the sync log in the user\'s language', () => {
  it('a network failure is worded, not "network: Failed to fetch"', () => {
    const s = fakeServices(db);
    s.sync.set({ phase: 'offline', error: 'network: Failed to fetch', failure: { kind: 'network' } });
    renderWith(<SyncScreen />, s);
    const alert = screen.getByTestId('sync-failure');
    expect(alert.textContent).toContain('连不上服务器');
    expect(alert.textContent).not.toContain('Failed to fetch');
    act(() => s.sync.set({ phase: 'error', failure: { kind: 'http', status: 400, code: 'client_too_old' } }));
    expect(screen.getByTestId('sync-failure').textContent).toContain('应用版本过旧');
  });

  it('every kind of log entry reads in Chinese (or English after the switch), with its numbers', async () => {
    await logSyncEvent(db, 'start', { user: 'demo-enumerator' });
    await logSyncEvent(db, 'push', { sent: 1, applied: 1, duplicate: 0, conflict: 0, rejected: 0 });
    await logSyncEvent(db, 'retry', { failure: 'network', delaySec: 4 });
    await logSyncEvent(db, 'retry', { failure: 'http', status: 500, code: 'internal', delaySec: 8 });
    await logSyncEvent(db, 'error', { failure: 'http', status: 403, code: 'forbidden' });
    await logSyncEvent(db, 'rejected', { entity: 'listing', entityId: listingEntry(2).id, code: 'validation_failed' });
    await logSyncEvent(db, 'conflict', { entity: 'household', entityId: 'R-0f3a9c2e-77' });
    await logSyncEvent(db, 'batchHalved', { size: 50 });
    await logSyncEvent(db, 'pull', { applied: 7 });
    await logSyncEvent(db, 'pullInvalid', { count: 2 });
    await logSyncEvent(db, 'success', { acknowledged: 1, pulled: 7 });
    await logSyncEvent(db, 'dataLoss', { kind: 'sameDevice', serverSeq: 2, localSeq: 3, missing: 1 });
    await logSyncEvent(db, 'localReset', { serverSeq: 40, localSeq: 0 });
    await logSyncEvent(db, 'signedOut', { reason: 'refused' });
    // An entry an earlier version wrote as text is shown as it was.
    await db.syncLog.add({ at: '2020-11-05T07:00:00.000Z', event: 'push', message: 'legacy text' });
    const s = fakeServices(db);
    const view = renderWith(<SyncScreen />, s);
    const log = await screen.findByTestId('sync-log');
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(15));
    const text = log.textContent ?? '';
    for (const part of [
      '应用启动，已登录：demo-enumerator',
      '上传 1 条：新收 1，已有 0，冲突 0，被拒绝 0',
      '网络不通，4 秒后重试',
      '服务器内部错误 (500)，8 秒后重试',
      '无权提交',
      `被拒绝：户 002 · ${listingEntry(2).headName}（数据未通过服务器检查）`,
      '冲突：住户登记 R-0f3a9c',
      '改为每次 50 条',
      '下载更新 7 条',
      '2 条下载内容格式有误',
      '同步完成：确认上传 1 条，下载 7 条',
      '数据丢失警报',
      '它发出的 40 条记录都在服务器上',
      '服务器要求重新登录',
      'legacy text',
    ])
      expect(text).toContain(part);
    expect(englishWords(text.replace('demo-enumerator', '').replace('legacy text', ''))).toEqual([]);
    expect(text).not.toMatch(/sent|applied|duplicate|network|HTTP/);
    view.unmount();
    renderWith(<SyncScreen />, s, { lang: 'en' });
    await waitFor(() => expect(screen.getByTestId('sync-log').textContent).toContain('Sent 1: 1 new, 0 already there, 0 conflicts, 0 rejected'));
    expect(screen.getByTestId('sync-log').textContent).toContain('No network: next try in 4 s');
  });
});

describe('queue lines', () => {
  it('name the household (number and head of household), or the record and a short id when the phone does not know it', async () => {
    const e1 = listingEntry(1);
    const e3 = listingEntry(3);
    await saveRegistration(db, draftFor(e1));
    await setVisitOutcome(db, e3.id, { status: 'notAtHome' });
    await db.queries.put({ id: 'Q-1', householdId: draftFor(e1).id, districtCode: e1.districtCode, message: '核实', category: 'other', origin: 'query', status: 'open', createdBy: 'u-sup', createdAt: '2020-11-05T07:00:00.000Z', version: 1 });
    await answerQuery(db, 'Q-1', { text: '已核实' });
    // A listing mutation whose entry is not on the phone (e.g. removed since): entity and id.
    await setVisitOutcome(db, listingEntry(2).id, { status: 'vacant' });
    await db.listing.delete(listingEntry(2).id);
    renderWith(<SyncScreen />, fakeServices(db));
    const queue = await screen.findByTestId('queue');
    await waitFor(() => expect(within(queue).getAllByRole('listitem')).toHaveLength(4));
    const lines = within(queue).getAllByRole('listitem').map((li) => li.querySelector('.title')?.textContent);
    expect(lines).toEqual([
      `户 001 · ${e1.headName}`, // the registration (a draft: its listing entry names it)
      `户 003 · ${e3.headName}`,
      `户 001 · ${e1.headName}`, // the query answer, through the query's household
      `摸底记录 ${listingEntry(2).id.slice(0, 8)}`,
    ]);
    expect(queue.textContent).toContain('住户登记');
    expect(queue.textContent).toContain('复查回复');
  });
});

describe('what the browser cannot do, said on the sync screen', () => {
  it('without Background Sync and with a queue: uploads happen only while the app is open', async () => {
    await saveRegistration(db, draftFor(listingEntry(1)));
    renderWith(<SyncScreen />, fakeServices(db, { backgroundSync: false }));
    expect((await screen.findByTestId('no-background-sync')).textContent).toBe('此浏览器不能在后台上传：待同步的数据只在本应用打开时上传。有网络时请打开本应用，直到队列为空。');
  });

  it('not where the browser has Background Sync, nor with an empty queue', async () => {
    renderWith(<SyncScreen />, fakeServices(db, { backgroundSync: false }));
    await screen.findByTestId('queue');
    expect(screen.queryByTestId('no-background-sync')).toBeNull();
    cleanup();
    await saveRegistration(db, draftFor(listingEntry(1)));
    renderWith(<SyncScreen />, fakeServices(db, { backgroundSync: true }));
    await waitFor(() => expect(screen.getByRole('heading', { name: /待同步|队列/ }).textContent).toMatch(/\(1\)/));
    expect(screen.queryByTestId('no-background-sync')).toBeNull();
  });

  it('a browser that does not report storage use says so, never "? / ?"', async () => {
    renderWith(<SyncScreen />, fakeServices(db, { storage: { persist: () => Promise.resolve(undefined), info: () => Promise.resolve({}) } }));
    await waitFor(() => expect(screen.getByText('此浏览器不报告存储用量。')).toBeTruthy());
  });
});
