// Review queries on the phone: each opens its household (the household route) and names the head
// (the registration's head, else the listing's), and the queries tab and the home screen show how
// many are still unanswered, updated when one is answered.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { QueriesScreen } from '../../../src/client/ui/QueriesScreen.tsx';
import { HomeScreen } from '../../../src/client/ui/HomeScreen.tsx';
import { App } from '../../../src/client/ui/App.tsx';
import { answerQuery, storeSession, type PuchaDb, type Session } from '../../../src/client/db/index.ts';
import type { ReviewQuery } from '../../../src/domain/index.ts';
import { DISTRICT, district, draftFor, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const query = (id: string, householdId: string, status: ReviewQuery['status'], createdAt: string, extra: Partial<ReviewQuery> = {}): ReviewQuery => ({
  id, householdId, districtCode: DISTRICT, category: 'other', origin: 'query', message: `问题 ${id}`, status, createdBy: 'u-sup', createdAt, version: 1,
  ...(status === 'open' ? {} : { answer: { text: '已核实', answeredAt: createdAt } }),
  ...extra,
});

const reg4 = (() => {
  const base = draftFor(listingEntry(4), 2);
  return { ...base, persons: base.persons.map((p, k) => ({ ...p, name: k === 0 ? '张丽' : '李明' })), status: 'draft' as const, version: 1, updatedAt: '2020-11-04T08:00:00Z' };
})();

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.bulkPut([listingEntry(4), listingEntry(5), listingEntry(6)]);
  await db.registrations.put(reg4);
  await db.queries.bulkPut([
    query('q-reg', reg4.id, 'open', '2020-11-04T09:00:00Z'), // by registration id (what the supervisor sends)
    query('q-listing', listingEntry(5).id, 'open', '2020-11-04T08:00:00Z'), // by listing id
    query('q-other', 'R-registered-elsewhere', 'answered', '2020-11-03T08:00:00Z', { householdNo: '006' }), // found by number
    query('q-gone', 'R-not-on-this-phone', 'resolved', '2020-11-02T08:00:00Z', { householdNo: '099' }),
  ]);
});
afterEach(() => {
  cleanup();
  db.close();
});

const card = (id: string) => screen.getAllByTestId('query').find((c) => within(c).queryByText(`问题 ${id}`))!;

describe('review queries', () => {
  it('name the head and open the household', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => expect(screen.getAllByTestId('query')).toHaveLength(4));
    expect(within(card('q-reg')).getByRole('heading').textContent).toBe('户 004 · 户主 张丽');
    expect(within(card('q-listing')).getByRole('heading').textContent).toBe('户 005 · 户主 户主5');
    expect(within(card('q-other')).getByRole('heading').textContent).toBe('户 006 · 户主 户主6');

    const open = within(card('q-reg')).getByRole('link', { name: '打开住户 户 004' });
    expect(open.getAttribute('href')).toBe(`#/h/${listingEntry(4).id}`);
    expect(within(card('q-listing')).getByRole('link', { name: /打开住户/ }).getAttribute('href')).toBe(`#/h/${listingEntry(5).id}`);
    expect(within(card('q-other')).getByRole('link', { name: /打开住户/ }).getAttribute('href')).toBe(`#/h/${listingEntry(6).id}`);
    // Not on this phone: no dead link, a reason.
    expect(within(card('q-gone')).queryByRole('link')).toBeNull();
    expect(within(card('q-gone')).getByText('本机没有这户的记录，请先同步。')).toBeTruthy();
  });

  it('shows the unanswered count on the home screen, linking to the queries', async () => {
    renderWith(<HomeScreen />, fakeServices(db));
    const link = await screen.findByRole('link', { name: '复查问题：2 条待回复' });
    expect(link.getAttribute('href')).toBe('#/queries');
    await answerQuery(db, 'q-reg', { text: '已更正' });
    await waitFor(() => expect(screen.getByTestId('home-unanswered').textContent).toBe('复查问题：1 条待回复'));
    await answerQuery(db, 'q-listing', { text: '已核实' });
    await waitFor(() => expect(screen.queryByTestId('home-unanswered')).toBeNull());
  });

  it('shows the unanswered count on the queries tab', async () => {
    const session: Session = {
      token: 't-enum',
      expiresAt: '2020-12-31T00:00:00.000Z',
      user: { id: 'u-enum-1', username: 'demo-enumerator', name: '张三', role: 'enumerator', districts: [DISTRICT] },
    };
    await storeSession(db, session);
    renderWith(<App initialSession={session} />, fakeServices(db));
    const nav = await screen.findByRole('navigation');
    await waitFor(() => expect(within(nav).getByRole('link', { name: '复查问题 2 条待回复' }).getAttribute('href')).toBe('#/queries'));
    await answerQuery(db, 'q-reg', { text: '已更正' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: '复查问题 1 条待回复' })).toBeTruthy());
  });

  it('answering from the card keeps the household link', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => expect(screen.getAllByTestId('query')).toHaveLength(4));
    const c = card('q-reg');
    fireEvent.change(within(c).getByLabelText('回复内容'), { target: { value: '出生年月已更正' } });
    fireEvent.click(within(c).getByRole('button', { name: '提交回复' }));
    await waitFor(async () => expect((await db.queries.get('q-reg'))?.status).toBe('answered'));
    await waitFor(() => expect(within(card('q-reg')).getByRole('link', { name: /打开住户/ })).toBeTruthy());
  });
});
