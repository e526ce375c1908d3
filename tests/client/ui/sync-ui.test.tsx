// Sync badge (queued count and phase, always from live data), sign-out refused while anything is
// unsynced unless exported first, and the update banner that never reloads over unsaved input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { SyncBadge } from '../../../src/client/ui/SyncBadge.tsx';
import { SyncScreen } from '../../../src/client/ui/sync/SyncScreen.tsx';
import { UpdateBanner, type UpdateState } from '../../../src/client/ui/UpdateBanner.tsx';
import { DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { setVisitOutcome, type PuchaDb } from '../../../src/client/db/index.ts';
import { district, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.bulkPut([listingEntry(1), listingEntry(2)]);
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('SyncBadge', () => {
  it('shows the live queued count and the phase', async () => {
    const s = fakeServices(db);
    renderWith(<SyncBadge />, s);
    const badge = await screen.findByTestId('sync-badge');
    await waitFor(() => expect(badge.textContent).toContain('已同步'));
    await setVisitOutcome(db, listingEntry(1).id, { status: 'refused' });
    await setVisitOutcome(db, listingEntry(2).id, { status: 'vacant' });
    await waitFor(() => expect(badge.textContent).toContain('待同步 2'));
    act(() => s.sync.set({ phase: 'offline' }));
    expect(badge.textContent).toContain('离线');
    expect(badge.className).toContain('badge-warn');
    act(() => s.sync.set({ phase: 'error', error: 'HTTP 500' }));
    expect(badge.className).toContain('badge-err');
  });

  it('speaks English after the switch', async () => {
    renderWith(<SyncBadge />, fakeServices(db), { lang: 'en' });
    await waitFor(() => expect(screen.getByTestId('sync-badge').textContent).toContain('Synced'));
  });
});

describe('sign-out', () => {
  it('is refused while anything is unsynced, and allowed after an export', async () => {
    await setVisitOutcome(db, listingEntry(1).id, { status: 'refused' });
    const s = fakeServices(db);
    renderWith(<SyncScreen />, s);
    await screen.findByTestId('signout-refused');
    expect(screen.queryByRole('button', { name: '退出登录' })).toBeNull();
    // the sign-out panel's own export button (the sync card has one too)
    fireEvent.click(screen.getAllByRole('button', { name: '导出未同步数据' }).at(-1)!);
    // the file's password: too short, then two that differ, are refused at the field
    const pass = await screen.findByLabelText('文件密码');
    const again = screen.getByLabelText('再次输入密码');
    fireEvent.change(pass, { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: '加密并导出' }));
    expect(await screen.findByText('密码至少 8 个字符')).toBeTruthy();
    fireEvent.change(pass, { target: { value: 'long enough 1' } });
    fireEvent.change(again, { target: { value: 'long enough 2' } });
    fireEvent.click(screen.getByRole('button', { name: '加密并导出' }));
    expect(await screen.findByText('两次输入的密码不一致')).toBeTruthy();
    expect(s.saved).toEqual([]);
    fireEvent.change(again, { target: { value: 'long enough 1' } });
    fireEvent.click(screen.getByRole('button', { name: '加密并导出' }));
    await waitFor(() => expect(s.saved).toEqual(['x.json']));
    expect(s.exportPassphrases).toEqual(['long enough 1']);
    fireEvent.click(await screen.findByRole('button', { name: '退出登录' }));
    fireEvent.click(await screen.findByRole('button', { name: '退出' }));
    await waitFor(() => expect(s.counters.signedOut).toBe(1));
  });

  it('is allowed at once when the queue is empty', async () => {
    const s = fakeServices(db);
    renderWith(<SyncScreen />, s);
    await screen.findByTestId('queue-empty');
    expect(screen.queryByTestId('signout-refused')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    fireEvent.click(await screen.findByRole('button', { name: '退出' }));
    await waitFor(() => expect(s.counters.signedOut).toBe(1));
  });
});

describe('UpdateBanner', () => {
  it('offers the update, but not while a form has unsaved input', () => {
    let applied = 0;
    const state: UpdateState = { subscribe: () => () => undefined, available: () => true, replaced: () => false, apply: () => void applied++ };
    const dirty = new DirtyTracker();
    dirty.set('household:1', true);
    renderWith(<UpdateBanner state={state} />, fakeServices(db), { dirty });
    const button = screen.getByRole('button', { name: '更新' });
    expect(screen.getByTestId('update-banner').textContent).toContain('请先保存');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(button);
    expect(applied).toBe(0);
    act(() => dirty.set('household:1', false));
    expect((button as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(button);
    expect(applied).toBe(1);
  });
});

describe('UpdateBanner after a database upgrade in another tab', () => {
  it('asks for a reload and cannot be put off', () => {
    let applied = 0;
    const state: UpdateState = { subscribe: () => () => undefined, available: () => false, replaced: () => true, apply: () => void applied++ };
    renderWith(<UpdateBanner state={state} />, fakeServices(db));
    expect(screen.getByTestId('update-banner').textContent).toContain('另一个标签页');
    expect(screen.queryByRole('button', { name: '稍后' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '更新' }));
    expect(applied).toBe(1);
  });
});

describe('DataLossBanner', () => {
  it('[ST6] raises the alarm for a gap (numbers the phone sent that the server does not hold) until the user acknowledges it', async () => {
    const { DataLossBanner } = await import('../../../src/client/ui/DataLossBanner.tsx');
    const s = fakeServices(db);
    s.sync.set({ phase: 'idle', dataLoss: { kind: 'sameDevice', serverSeq: 12, localSeq: 13 } });
    renderWith(<DataLossBanner />, s);
    const alarm = screen.getByRole('alert');
    expect(alarm.textContent).toContain('第 13 条');
    expect(alarm.textContent).toContain('第 12 条');
    expect(alarm.textContent).toContain('告知指导员');
    fireEvent.click(screen.getByRole('button', { name: '知道了' }));
    await waitFor(() => expect(screen.queryByTestId('data-loss')).toBeNull());
    expect(s.sync.acknowledged).toBe(1);
  });
  it('[ST6][ST9] a reset that lost nothing is a calm notice, never an alarm (also for reports stored by earlier versions)', async () => {
    const { DataLossBanner } = await import('../../../src/client/ui/DataLossBanner.tsx');
    const s = fakeServices(db);
    s.sync.set({ phase: 'idle', notice: { kind: 'localReset', serverSeq: 40 } });
    const view = renderWith(<DataLossBanner />, s);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('全部 40 条记录都已在服务器上');
    expect(screen.getByTestId('data-reset').className).toContain('alert-info');
    // The old rule's report of "the server is ahead of the phone" (no gap) is no alarm either.
    act(() => s.sync.set({ phase: 'idle', dataLoss: { kind: 'sameDevice', serverSeq: 12, localSeq: 0 } }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('12');
    // A real alarm outweighs the notice.
    act(() => s.sync.set({ phase: 'idle', notice: { kind: 'localReset', serverSeq: 40 }, dataLoss: { kind: 'otherDevice', deviceId: 'a1b2c3d4-0000', pendingOnDevice: 1 } }));
    expect(screen.getByRole('alert').textContent).toContain('1 条记录未上传');
    expect(screen.queryByTestId('data-reset')).toBeNull();
    view.unmount();
    act(() => s.sync.set({ phase: 'idle', notice: { kind: 'localReset', serverSeq: 40 } }));
    renderWith(<DataLossBanner />, s, { lang: 'en' });
    expect(screen.getByRole('status').textContent).toContain("This phone's local data was reset");
  });
  it('reports records left queued on the user\'s other device (ST9): which device, when last seen, how many, ask the supervisor', async () => {
    const { DataLossBanner } = await import('../../../src/client/ui/DataLossBanner.tsx');
    const s = fakeServices(db);
    s.sync.set({ phase: 'idle', dataLoss: { kind: 'otherDevice', deviceId: 'a1b2c3d4-0000-4000-8000-000000000000', lastSeenAt: '2020-11-04T12:00:00.000Z', pendingOnDevice: 3 } });
    renderWith(<DataLossBanner />, s);
    const text = screen.getByTestId('data-loss').textContent;
    expect(text).toContain('a1b2c3d4');
    expect(text).toContain('3 条记录未上传');
    expect(text).toContain('联系指导员');
    expect(text).toMatch(/11月4日|11-04|11\/04/);
  });
});
