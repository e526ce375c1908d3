// District list: search by address / head / number, filter by outcome, outcome in two taps
// (through the db's setVisitOutcome, so the outbox gets the mutation), windowing of 1,000 rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DistrictScreen } from '../../../src/client/ui/district/DistrictScreen.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import { DISTRICT, district, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  const entries = Array.from({ length: 30 }, (_, i) => listingEntry(i + 1));
  entries[4] = { ...entries[4]!, headName: '王建国', address: '建设路 88 号' };
  entries[7] = { ...entries[7]!, visit: { status: 'refused', attempts: 1 } };
  await db.listing.bulkPut(entries);
});
afterEach(() => {
  cleanup();
  db.close();
});

const rows = () => screen.queryAllByTestId('hh-row');

describe('DistrictScreen', () => {
  it('lists the households and searches by head name, address and household number', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
    const search = screen.getByLabelText('搜索：地址、户主、户编号或身份证号');
    fireEvent.change(search, { target: { value: '王建国' } });
    await waitFor(() => expect(rows().map((r) => r.dataset.no)).toEqual(['005']));
    fireEvent.change(search, { target: { value: '建设路' } });
    await waitFor(() => expect(rows().map((r) => r.dataset.no)).toEqual(['005']));
    fireEvent.change(search, { target: { value: '012' } });
    await waitFor(() => expect(rows().map((r) => r.dataset.no)).toEqual(['012']));
    fireEvent.change(search, { target: { value: '没有这个人' } });
    await waitFor(() => expect(screen.getByText('没有符合条件的住户。')).toBeTruthy());
  });

  it('filters by visit outcome', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
    fireEvent.change(screen.getByLabelText('按走访结果筛选'), { target: { value: 'refused' } });
    await waitFor(() => expect(rows().map((r) => r.dataset.no)).toEqual(['008']));
  });

  it('marks an outcome in two taps and queues the change', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
    const row = rows().find((r) => r.dataset.no === '003')!;
    fireEvent.click(within(row).getByRole('button', { name: /标记结果/ })); // tap 1
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '拒绝登记' })); // tap 2
    await waitFor(async () => expect((await db.listing.get(listingEntry(3).id))?.visit.status).toBe('refused'));
    expect(await db.outbox.where('[entity+entityId]').equals(['listing', listingEntry(3).id]).count()).toBe(1);
    await waitFor(() => expect(within(rows().find((r) => r.dataset.no === '003')!).getByRole('button', { name: /拒绝登记/ })).toBeTruthy());
  });

  it('records a callback time with "not at home" and shows it on the row', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
    fireEvent.click(within(rows().find((r) => r.dataset.no === '006')!).getByRole('button', { name: /标记结果/ }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('约定回访时间'), { target: { value: '2020-11-06T18:30' } });
    fireEvent.click(dialog.getByRole('button', { name: '无人在家' }));
    await waitFor(async () => expect((await db.listing.get(listingEntry(6).id))?.visit.callbackAt).toBe(new Date('2020-11-06T18:30').toISOString()));
    await waitFor(() => expect(rows().find((r) => r.dataset.no === '006')!.textContent).toContain('约定回访'));
  });

  it('renders only a window of a 1,000-household district', async () => {
    await db.listing.bulkPut(Array.from({ length: 998 }, (_, i) => listingEntry(i + 1)));
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toContain('998'));
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(40);
  });

  it('adds a missed household with the next free number', async () => {
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
    fireEvent.click(screen.getByRole('button', { name: /补登遗漏户/ }));
    const dialog = within(screen.getByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('建筑物编号'), { target: { value: '009' } });
    fireEvent.change(dialog.getByLabelText('地址'), { target: { value: '光华路 200 号' } });
    fireEvent.change(dialog.getByLabelText('户主姓名'), { target: { value: '李新' } });
    fireEvent.click(dialog.getByRole('button', { name: '添加' }));
    await waitFor(async () => expect((await db.listing.where('districtCode').equals(DISTRICT).toArray()).find((e) => e.headName === '李新')?.householdNo).toBe('031'));
    expect(window.location.hash).toMatch(/^#\/h\//);
  });
});
