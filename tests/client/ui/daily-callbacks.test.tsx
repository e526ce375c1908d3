// Callbacks (约定回访) in the district list: the time is shown in full on the row at 360 px (its
// own element, first on the line, never the part the ellipsis cuts); the 今日回访 list holds the
// open callbacks of the phone's today, earliest first; in the outcome sheet the time comes before
// the outcome buttons, and 无人在家 with no time asks for one (with a skip) instead of closing.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DistrictScreen } from '../../../src/client/ui/district/DistrictScreen.tsx';
import { HomeScreen } from '../../../src/client/ui/HomeScreen.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import type { ListingEntry } from '../../../src/domain/index.ts';
import { DISTRICT, district, draftFor, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

/** Local time on the phone's "today" (5 Nov 2020), whatever the machine's time zone. */
const local = (day: number, h: number, m: number) => new Date(2020, 10, day, h, m).toISOString();
const NOW = new Date(2020, 10, 5, 8, 0).getTime();
const callback = (i: number, at: string, status: ListingEntry['visit']['status'] = 'notAtHome'): ListingEntry => ({
  ...listingEntry(i),
  visit: { status, attempts: 1, callbackAt: at },
});

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.bulkPut(Array.from({ length: 20 }, (_, i) => listingEntry(i + 1)));
  await db.listing.bulkPut([
    { ...callback(3, local(5, 18, 30)), address: '光华路 3 号 建设新村 12 栋 3 单元 502 室（东侧楼梯上）' },
    callback(11, local(5, 9, 15), 'refused'),
    callback(12, local(6, 9, 0)), // tomorrow
    callback(13, local(4, 19, 0)), // yesterday
    callback(14, local(5, 10, 0)), // registered since: no callback to make
    callback(15, local(5, 11, 0), 'vacant'),
  ]);
  await db.registrations.put({ ...draftFor(listingEntry(14), 1), status: 'complete', version: 1, updatedAt: '2020-11-05T00:00:00Z' });
});
afterEach(() => {
  cleanup();
  db.close();
  document.head.querySelectorAll('style[data-test-css]').forEach((s) => s.remove());
});

const rows = () => screen.queryAllByTestId('hh-row');
const row = (no: string) => rows().find((r) => r.dataset.no === no)!;
const services = () => fakeServices(db, { now: () => NOW });
async function ready() {
  renderWith(<DistrictScreen code={DISTRICT} />, services());
  await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 20 户'));
}

describe('callbacks in the district list', () => {
  it('shows the callback time in its own element before the address, which is what gets cut', async () => {
    const css = document.createElement('style');
    css.dataset.testCss = '';
    css.textContent = readFileSync('src/client/ui/app.css', 'utf8');
    document.head.appendChild(css);
    await ready();
    const time = within(row('003')).getByTestId('callback');
    expect(time.textContent).toBe('约定回访 今天 18:30');
    expect(time.getAttribute('datetime')).toBe(local(5, 18, 30));
    const address = within(row('003')).getByText(/建设新村/);
    expect(time.compareDocumentPosition(address) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(address.contains(time)).toBe(false);
    // The time never shrinks; the address takes the ellipsis.
    expect(getComputedStyle(time).flexShrink).toBe('0');
    expect(getComputedStyle(time).whiteSpace).not.toBe('normal');
    expect(getComputedStyle(address).textOverflow).toBe('ellipsis');
    // Another day: the date in a short format. A done household shows no callback.
    expect(within(row('012')).getByTestId('callback').textContent).toBe('约定回访 11/6 09:00');
    expect(within(row('014')).queryByTestId('callback')).toBeNull();
    expect(within(row('015')).queryByTestId('callback')).toBeNull();
  });

  it('lists today\'s open callbacks, earliest first, from a button that shows their count', async () => {
    await ready();
    const button = screen.getByRole('button', { name: '今日回访 2' });
    fireEvent.click(button);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(rows().map((r) => r.dataset.no)).toEqual(['011', '003']));
    expect(rows().map((r) => within(r).getByTestId('callback').textContent)).toEqual(['约定回访 今天 09:15', '约定回访 今天 18:30']);
    expect(screen.getByTestId('district-count').textContent).toBe('今日回访 2 户');
    expect(screen.getByRole('region', { name: '今日回访' })).toBeTruthy();
    fireEvent.click(button);
    await waitFor(() => expect(rows().length).toBeGreaterThan(2));
  });

  it('in English too', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, services(), { lang: 'en' });
    fireEvent.click(await screen.findByRole('button', { name: "Today's callbacks 2" }));
    await waitFor(() => expect(rows().map((r) => within(r).getByTestId('callback').textContent)).toEqual(['call back today 09:15', 'call back today 18:30']));
  });
});

describe('the home screen', () => {
  it('reminds of today\'s callbacks on the district card', async () => {
    renderWith(<HomeScreen />, services());
    expect((await screen.findByTestId('home-callbacks')).textContent).toBe('今日回访 2 户');
  });
});

describe('the outcome sheet', () => {
  it('puts the callback time above the outcome buttons and saves it with the outcome', async () => {
    await ready();
    fireEvent.click(within(row('006')).getByRole('button', { name: /标记结果/ }));
    const dialog = within(screen.getByRole('dialog'));
    const input = dialog.getByLabelText('约定回访时间');
    const buttons = within(dialog.getByRole('group', { name: '走访结果' })).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['无人在家', '拒绝登记', '空户', '已拆除', '未登记']);
    for (const b of buttons) expect(input.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.change(input, { target: { value: '2020-11-05T19:00' } });
    fireEvent.click(dialog.getByRole('button', { name: '无人在家' }));
    await waitFor(async () => expect((await db.listing.get(listingEntry(6).id))?.visit).toMatchObject({ status: 'notAtHome', callbackAt: local(5, 19, 0) }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('does not close on 无人在家 without a time: it asks for one, and a skip records the visit without', async () => {
    await ready();
    fireEvent.click(within(row('006')).getByRole('button', { name: /标记结果/ }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '无人在家' }));
    // Still open, nothing recorded yet, the time field focused with the question.
    const dialog = within(screen.getByRole('dialog'));
    const input = dialog.getByLabelText('约定回访时间');
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute('aria-describedby') && document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toMatch(/还没有约定回访时间/);
    expect(dialog.getByRole('button', { name: '保存：无人在家，按此时间回访' }).hasAttribute('disabled')).toBe(true);
    expect((await db.listing.get(listingEntry(6).id))?.visit.status).toBe('pending');
    expect(await db.outbox.count()).toBe(0);

    fireEvent.click(dialog.getByRole('button', { name: '跳过，不约定回访' }));
    await waitFor(async () => expect((await db.listing.get(listingEntry(6).id))?.visit.status).toBe('notAtHome'));
    expect((await db.listing.get(listingEntry(6).id))?.visit.callbackAt).toBeUndefined();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('records the time entered at the second step', async () => {
    await ready();
    fireEvent.click(within(row('007')).getByRole('button', { name: /标记结果/ }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '无人在家' }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('约定回访时间'), { target: { value: '2020-11-05T20:15' } });
    fireEvent.click(dialog.getByRole('button', { name: '保存：无人在家，按此时间回访' }));
    await waitFor(async () => expect((await db.listing.get(listingEntry(7).id))?.visit).toMatchObject({ status: 'notAtHome', callbackAt: local(5, 20, 15) }));
    await waitFor(() => expect(within(row('007')).getByTestId('callback').textContent).toBe('约定回访 今天 20:15'));
    expect(screen.getByRole('button', { name: '今日回访 3' })).toBeTruthy();
  });

  it('keeps a callback already agreed when the sheet is opened again', async () => {
    await ready();
    fireEvent.click(within(row('003')).getByRole('button', { name: /标记结果/ }));
    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByLabelText<HTMLInputElement>('约定回访时间').value).toBe('2020-11-05T18:30');
    fireEvent.click(dialog.getByRole('button', { name: '无人在家' }));
    await waitFor(async () => expect((await db.listing.get(listingEntry(3).id))?.visit.attempts).toBe(2));
    expect((await db.listing.get(listingEntry(3).id))?.visit.callbackAt).toBe(local(5, 18, 30));
  });
});
