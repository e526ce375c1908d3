// The district screen's sheets (issues 16 and 10). As modal dialogs: focus goes in when one opens,
// Tab and Shift+Tab cycle inside, focus that lands outside comes back, and Escape, 关闭 or the
// backdrop close it with focus back on the button that opened it (passed by the screen: a tap
// does not focus a button, and jsdom's click does not either, so document.activeElement would be
// <body>). As screens with input: a callback time or a missed household typed and not yet saved is
// reported to the one unsaved-input tracker (the update waits), and saving or closing clears it.
// The browser walk of the same behaviour is tests/e2e/keyboard-focus.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createI18n, I18nProvider } from '../../../src/client/i18n/index.ts';
import { DistrictScreen } from '../../../src/client/ui/district/DistrictScreen.tsx';
import { MissedHouseholdSheet } from '../../../src/client/ui/district/MissedHouseholdSheet.tsx';
import { Sheet, tabStops } from '../../../src/client/ui/Sheet.tsx';
import { SaveBar, type SaveBarProps } from '../../../src/client/ui/household/SaveBar.tsx';
import { SAVEBAR_HEIGHT } from '../../../src/client/ui/sticky-bars.ts';
import { DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { UpdateBanner, type UpdateState } from '../../../src/client/ui/UpdateBanner.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import { DISTRICT, district, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.bulkPut(Array.from({ length: 12 }, (_, i) => listingEntry(i + 1)));
});
afterEach(() => {
  cleanup();
  db.close();
  window.location.hash = '';
});

const rowButton = (no: string) =>
  within(screen.getAllByTestId('hh-row').find((r) => r.dataset.no === no)!).getByRole('button', { name: /标记结果/ });
const dialog = () => screen.getByRole('dialog');
const active = () => document.activeElement;
/** Presses a key where focus is; true when the sheet took it over (default prevented). */
const press = (key: string, shiftKey = false) => !fireEvent.keyDown(active() ?? document.body, { key, shiftKey });

function waitingUpdate(): UpdateState & { applied: number } {
  const s = { applied: 0, subscribe: () => () => undefined, available: () => true, replaced: () => false, apply: () => void s.applied++ };
  return s;
}

async function district12(dirty = new DirtyTracker()) {
  const update = waitingUpdate();
  renderWith(
    <>
      <DistrictScreen code={DISTRICT} />
      <UpdateBanner state={update} />
    </>,
    fakeServices(db),
    { dirty },
  );
  await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 12 户'));
  const updateButton = () => within(screen.getByTestId('update-banner')).getByRole<HTMLButtonElement>('button', { name: '更新' });
  return { dirty, update, updateButton };
}

describe('sheets are modal dialogs', () => {
  it('the outcome sheet takes focus, cycles Tab and Shift+Tab inside, and Escape returns focus to the row button', async () => {
    await district12();
    const opener = rowButton('003');
    fireEvent.click(opener); // jsdom does not focus on click, like a tap on some phones
    expect(dialog().contains(active())).toBe(true);

    const stops = tabStops(dialog());
    expect(stops.map((s) => s.textContent || s.getAttribute('aria-label') || s.id)).toEqual([
      '关闭',
      'callback-at',
      '无人在家',
      '拒绝登记',
      '空户',
      '已拆除',
      '未登记',
      '自主填报码',
    ]);
    const first = stops[0]!;
    const last = stops.at(-1)!;
    // From the dialog itself (where it opened), Shift+Tab goes round to the last control.
    expect(press('Tab', true)).toBe(true);
    expect(active()).toBe(last);
    expect(press('Tab')).toBe(true); // the last one: round to the first
    expect(active()).toBe(first);
    expect(press('Tab', true)).toBe(true); // the first one: round to the last
    expect(active()).toBe(last);
    stops[2]!.focus();
    expect(press('Tab')).toBe(false); // in the middle the browser moves focus, the sheet does not interfere

    fireEvent.keyDown(active()!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(active()).toBe(rowButton('003'));
    expect((await db.listing.get(listingEntry(3).id))?.visit.status).toBe('pending'); // closing records nothing
  });

  it('brings focus back when it lands outside, and 关闭 and the backdrop also return it to the opener', async () => {
    await district12();
    fireEvent.click(rowButton('004'));
    screen.getByLabelText('搜索：地址、户主、户编号或身份证号').focus(); // behind the sheet
    await waitFor(() => expect(dialog().contains(active())).toBe(true));
    fireEvent.click(within(dialog()).getByRole('button', { name: '关闭' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(active()).toBe(rowButton('004'));

    fireEvent.click(rowButton('005'));
    fireEvent.click(dialog().parentElement!); // the backdrop
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(active()).toBe(rowButton('005'));
  });

  it('the missed-household sheet focuses its first field, traps Tab, and Escape returns focus to 补登遗漏户', async () => {
    await district12();
    const add = screen.getByRole('button', { name: /补登遗漏户/ });
    fireEvent.click(add);
    expect(active()).toBe(within(dialog()).getByLabelText('建筑物编号'));
    const stops = tabStops(dialog());
    // One stop for the radio group (the checked 家庭户), as the browser's Tab has it.
    expect(stops.filter((s) => s instanceof HTMLInputElement && s.type === 'radio')).toHaveLength(1);
    stops.at(-1)!.focus();
    expect(within(dialog()).getByRole('button', { name: '添加' })).toBe(active());
    expect(press('Tab')).toBe(true);
    expect(active()).toBe(stops[0]);
    expect(press('Tab', true)).toBe(true);
    expect(active()).toBe(stops.at(-1));
    fireEvent.keyDown(active()!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(active()).toBe(add);
  });

  it('gives focus to the nearest focusable former ancestor when its opener left the page', () => {
    function Host() {
      const [open, setOpen] = useState(false);
      const [gone, setGone] = useState(false);
      return (
        <I18nProvider i18n={createI18n('zh-CN')}>
          <div tabIndex={-1} data-testid="region">
            {!gone && (
              <button type="button" onClick={() => setOpen(true)}>
                open
              </button>
            )}
          </div>
          {open && (
            <Sheet title="t" onClose={() => setOpen(false)}>
              <button type="button" onClick={() => setGone(true)}>
                remove opener
              </button>
            </Sheet>
          )}
        </I18nProvider>
      );
    }
    render(<Host />);
    const opener = screen.getByRole('button', { name: 'open' });
    opener.focus();
    fireEvent.click(opener);
    fireEvent.click(screen.getByRole('button', { name: 'remove opener' }));
    fireEvent.keyDown(active()!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(active()).toBe(screen.getByTestId('region'));
  });
  it('lets a sheet button move focus to the page and close the sheet in one go (focus stays where it was sent)', async () => {
    function Host() {
      const [open, setOpen] = useState(true);
      return (
        <I18nProvider i18n={createI18n('zh-CN')}>
          <textarea aria-label="message" id="msg" />
          {open && (
            <Sheet title="t" onClose={() => setOpen(false)}>
              <button
                type="button"
                onClick={() => {
                  document.getElementById('msg')?.focus();
                  setOpen(false);
                }}
              >
                query
              </button>
            </Sheet>
          )}
        </I18nProvider>
      );
    }
    render(<Host />);
    fireEvent.click(screen.getByRole('button', { name: 'query' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await act(() => new Promise((r) => setTimeout(r, 10))); // past the focus guard's second look
    expect(active()).toBe(screen.getByLabelText('message'));
  });
});

describe('sheets report unsaved input', () => {
  it('a typed callback time makes the tracker dirty and holds the update; saving it with an outcome clears it', async () => {
    const { dirty, update, updateButton } = await district12();
    fireEvent.click(rowButton('006'));
    expect(dirty.any()).toBe(false); // opening is not input
    const time = within(dialog()).getByLabelText('约定回访时间');
    fireEvent.change(time, { target: { value: '2020-11-06T18:30' } });
    await waitFor(() => expect(dirty.keys()).toEqual([`outcome:${listingEntry(6).id}`]));
    expect(updateButton().disabled).toBe(true);
    fireEvent.click(updateButton());
    expect(update.applied).toBe(0);
    fireEvent.change(time, { target: { value: '' } }); // back to what is stored: nothing to lose
    await waitFor(() => expect(dirty.any()).toBe(false));
    fireEvent.change(time, { target: { value: '2020-11-06T18:30' } });
    await waitFor(() => expect(dirty.any()).toBe(true));

    fireEvent.click(within(dialog()).getByRole('button', { name: '无人在家' }));
    await waitFor(async () =>
      expect((await db.listing.get(listingEntry(6).id))?.visit.callbackAt).toBe(new Date('2020-11-06T18:30').toISOString()),
    );
    expect(dirty.any()).toBe(false);
    expect(updateButton().disabled).toBe(false);
  });

  it('closing the outcome sheet with a typed time clears the report (the enumerator discarded it)', async () => {
    const { dirty } = await district12();
    fireEvent.click(rowButton('007'));
    fireEvent.change(within(dialog()).getByLabelText('约定回访时间'), { target: { value: '2020-11-06T09:00' } });
    await waitFor(() => expect(dirty.any()).toBe(true));
    fireEvent.keyDown(active()!, { key: 'Escape' });
    expect(dirty.any()).toBe(false);
  });

  it('a missed household being typed is dirty and holds the update; closing the sheet clears it', async () => {
    const { dirty, updateButton } = await district12();
    fireEvent.click(screen.getByRole('button', { name: /补登遗漏户/ }));
    expect(dirty.any()).toBe(false);
    fireEvent.change(within(dialog()).getByLabelText('户主姓名'), { target: { value: '李新' } });
    await waitFor(() => expect(dirty.keys()).toEqual([`missed:${DISTRICT}`]));
    expect(updateButton().disabled).toBe(true);
    fireEvent.change(within(dialog()).getByLabelText('户主姓名'), { target: { value: '  ' } });
    await waitFor(() => expect(dirty.any()).toBe(false));
    fireEvent.click(within(dialog()).getByRole('radio', { name: /集体户/ })); // a choice is input too
    await waitFor(() => expect(dirty.any()).toBe(true));
    fireEvent.click(within(dialog()).getByRole('button', { name: '关闭' }));
    expect(dirty.any()).toBe(false);
  });

  it('adding the missed household is clean before onAdded navigates (so leaving for it does not ask)', async () => {
    const dirty = new DirtyTracker();
    const seen: { id: string; dirty: boolean }[] = [];
    renderWith(
      <MissedHouseholdSheet districtCode={DISTRICT} onClose={() => undefined} onAdded={(id) => seen.push({ id, dirty: dirty.any() })} />,
      fakeServices(db),
      { dirty },
    );
    const d = within(dialog());
    fireEvent.change(d.getByLabelText('建筑物编号'), { target: { value: '009' } });
    fireEvent.change(d.getByLabelText('地址'), { target: { value: '光华路 200 号' } });
    fireEvent.change(d.getByLabelText('户主姓名'), { target: { value: '李新' } });
    await waitFor(() => expect(dirty.any()).toBe(true));
    fireEvent.click(d.getByRole('button', { name: '添加' }));
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.dirty).toBe(false);
    expect((await db.listing.get(seen[0]!.id))?.headName).toBe('李新');
  });

  it('a failed add keeps the input reported', async () => {
    const dirty = new DirtyTracker();
    const onAdded = vi.fn();
    renderWith(<MissedHouseholdSheet districtCode="999999999999999" onClose={() => undefined} onAdded={onAdded} />, fakeServices(db), {
      dirty,
    });
    const d = within(dialog());
    fireEvent.change(d.getByLabelText('建筑物编号'), { target: { value: '009' } });
    fireEvent.change(d.getByLabelText('地址'), { target: { value: '光华路 200 号' } });
    fireEvent.change(d.getByLabelText('户主姓名'), { target: { value: '李新' } });
    fireEvent.click(d.getByRole('button', { name: '添加' }));
    await screen.findByRole('alert');
    expect(onAdded).not.toHaveBeenCalled();
    expect(dirty.any()).toBe(true);
  });
});

describe('the household save bar', () => {
  const props = (over: Partial<SaveBarProps> = {}): SaveBarProps => ({
    busy: false,
    dirty: false,
    notice: undefined,
    onSave: () => undefined,
    onComplete: () => undefined,
    onClose: () => undefined,
    onLeave: () => undefined,
    onDismiss: () => undefined,
    ...over,
  });

  it('publishes its height for the scroll padding while mounted, and takes it back', async () => {
    const { unmount } = render(
      <I18nProvider i18n={createI18n('zh-CN')}>
        <SaveBar {...props()} />
      </I18nProvider>,
    );
    await screen.findByRole('button', { name: '保存' }); // the form's strings load on first use
    const style = document.documentElement.style;
    expect(style.getPropertyValue(SAVEBAR_HEIGHT)).toMatch(/^\d+px$/);
    unmount();
    expect(style.getPropertyValue(SAVEBAR_HEIGHT)).toBe('');
  });

  it('"not saved" holds focus until 知道了, ignores Escape, and gives focus back to 保存', async () => {
    function Host() {
      const [full, setFull] = useState(false);
      return (
        <SaveBar
          {...props({ onSave: () => setFull(true), onDismiss: () => setFull(false), ...(full ? { notice: { kind: 'storageFull' } } : {}) })}
        />
      );
    }
    render(
      <I18nProvider i18n={createI18n('zh-CN')}>
        <Host />
      </I18nProvider>,
    );
    const save = await screen.findByRole('button', { name: '保存' });
    save.focus();
    act(() => save.click());
    const alert = screen.getByRole('alertdialog');
    const understood = within(alert).getByRole('button');
    expect(active()).toBe(understood);
    expect(press('Tab')).toBe(true);
    expect(active()).toBe(understood);
    expect(press('Tab', true)).toBe(true);
    expect(active()).toBe(understood);
    fireEvent.keyDown(understood, { key: 'Escape' });
    expect(screen.getByRole('alertdialog')).toBe(alert);
    fireEvent.click(understood);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(active()).toBe(save);
  });
});
