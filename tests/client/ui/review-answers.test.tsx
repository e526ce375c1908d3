// The 复查 list on the phone (issue 12): items grouped by category with unanswered groups first,
// the register's person and what was registered shown, dismissed items counted and not listed as
// work, and each structured answer queued with the data its kind needs (read from the outbox).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { QueriesScreen } from '../../../src/client/ui/QueriesScreen.tsx';
import { saveRegistration, type PuchaDb } from '../../../src/client/db/index.ts';
import type { ReviewQuery } from '../../../src/domain/index.ts';
import householdEn from '../../../src/client/i18n/household.en.ts';
import householdZh from '../../../src/client/i18n/household.zh.ts';
import { DISTRICT, district, draftFor, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const item = (id: string, over: Partial<ReviewQuery>): ReviewQuery => ({
  id,
  districtCode: DISTRICT,
  category: 'hukouMissing',
  origin: 'compare',
  message: `核实 ${id}`,
  status: 'open',
  createdBy: 'u-county',
  createdAt: '2020-11-20T08:00:00Z',
  version: 2,
  ...over,
});

let db: PuchaDb;
const entry = listingEntry(4);
const reg = draftFor(entry, 3);
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.put(entry);
  expect((await saveRegistration(db, reg)).ok).toBe(true);
  await db.outbox.clear();
  await db.queries.bulkPut([
    item('q-missing', { subject: { name: '李强', citizenId: '130102197503021334', sex: 1, birth: '1975-03', address: '光华路9号' } }),
    item('q-mismatch', {
      category: 'hukouMismatch',
      householdId: reg.id,
      householdNo: entry.householdNo,
      subject: { name: '张莉', sex: 2, birth: '1986-05', registered: { name: '张丽' } },
      match: { method: 'fuzzy', confidence: 0.82, fields: ['name'] },
    }),
    item('q-away', { category: 'hukouMissing', subject: { name: '王五' } }),
    item('q-gone', { category: 'deathMissing', status: 'dismissed', dismissReason: '重复' }),
    item('q-done', { category: 'childMissing', status: 'answered', answer: { text: '', kind: 'notFound', answeredAt: '2020-11-21T08:00:00Z' } }),
  ]);
});
afterEach(() => {
  cleanup();
  db.close();
});

const card = (id: string) => {
  const c = screen.getAllByTestId('query').find((q) => within(q).queryByText(`核实 ${id}`));
  if (!c) throw new Error(`no card ${id}`);
  return c;
};

describe('review items on the phone', () => {
  it('groups by category with open work first, shows the person, and counts dismissed items apart', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => expect(screen.getAllByTestId('review-group').length).toBe(3));
    expect(screen.getAllByTestId('review-group').map((g) => g.dataset.category)).toEqual(['hukouMissing', 'hukouMismatch', 'childMissing']);
    expect(screen.getAllByTestId('review-group')[0]?.textContent).toContain('户籍人口漏报');
    expect(screen.queryByText('核实 q-gone')).toBeNull();
    expect(screen.getByTestId('review-dismissed').textContent).toContain('1 条已由普查机构撤销');
    const missing = card('q-missing');
    expect(missing.textContent).toContain('李强');
    expect(missing.textContent).toContain('130102197503021334');
    expect(missing.textContent).toContain('光华路9号');
    expect(within(missing).getByTestId('query-district')).toBeTruthy();
    const mismatch = card('q-mismatch');
    expect(within(mismatch).getByTestId('review-registered').textContent).toContain('张丽');
    expect(within(mismatch).getByTestId('review-fuzzy').textContent).toContain('82%');
    expect(card('q-done').textContent).toContain('查无此人');
  });

  it('sends addedPerson with the household and the person chosen', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => card('q-missing'));
    const c = card('q-missing');
    const send = within(c).getByRole('button', { name: '提交回复' });
    fireEvent.click(within(c).getByLabelText(/已补登此人/));
    expect((send as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(within(c).getByLabelText<HTMLSelectElement>('补登到哪一户').options.length).toBeGreaterThan(1));
    fireEvent.change(within(c).getByLabelText('补登到哪一户'), { target: { value: reg.id } });
    const personId = reg.persons[2]?.id ?? '';
    fireEvent.change(within(c).getByLabelText('补登的人'), { target: { value: personId } });
    fireEvent.click(send);
    await waitFor(async () => expect((await db.queries.get('q-missing'))?.status).toBe('answered'));
    const queued = await db.outbox.toArray();
    expect(queued.map((m) => [m.entity, m.entityId, m.baseVersion, m.data])).toEqual([['queryAnswer', 'q-missing', 2, { text: '', kind: 'addedPerson', householdId: reg.id, personId }]]);
  });

  it('sends notResident with where the person lives, and corrected with the household', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => card('q-away'));
    const away = card('q-away');
    fireEvent.click(within(away).getByLabelText(/不在本地居住/));
    fireEvent.change(within(away).getByLabelText('现住地（如知道）'), { target: { value: '北京市朝阳区' } });
    fireEvent.change(within(away).getByLabelText('说明（可不填）'), { target: { value: '邻居说已搬走' } });
    fireEvent.click(within(away).getByRole('button', { name: '提交回复' }));
    await waitFor(async () => expect((await db.queries.get('q-away'))?.answer?.kind).toBe('notResident'));
    const mismatch = card('q-mismatch');
    // Mismatches offer corrected / confirmed, not addedPerson.
    expect(within(mismatch).queryByLabelText(/已补登此人/)).toBeNull();
    fireEvent.click(within(mismatch).getByLabelText(/已更正/));
    await waitFor(() => expect(within(mismatch).getByLabelText<HTMLSelectElement>('补登到哪一户').value).toBe(reg.id));
    fireEvent.click(within(mismatch).getByRole('button', { name: '提交回复' }));
    await waitFor(async () => expect((await db.queries.get('q-mismatch'))?.status).toBe('answered'));
    const data = (await db.outbox.toArray()).map((m) => [m.entityId, m.data]);
    expect(data).toEqual([
      ['q-away', { text: '邻居说已搬走', kind: 'notResident', whereabouts: '北京市朝阳区' }],
      ['q-mismatch', { text: '', kind: 'corrected', householdId: reg.id }],
    ]);
  });

  it('has every review string in Chinese and English', () => {
    const keys = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(householdEn.rv).sort()).toEqual(keys(householdZh.rv).sort());
    expect(keys(householdZh.rv.category).sort()).toEqual(['childMismatch', 'childMissing', 'deathMissing', 'duplicate', 'hukouMismatch', 'hukouMissing', 'internalLogic', 'other']);
  });
});
