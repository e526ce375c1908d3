// Review queries on the phone: open ones first, answered through the db's answerQuery (so the
// answer is queued as a queryAnswer mutation) and shown as answered at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { QueriesScreen } from '../../../src/client/ui/QueriesScreen.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import type { ReviewQuery } from '../../../src/domain/index.ts';
import { DISTRICT, district, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const query = (id: string, message: string, status: ReviewQuery['status'], createdAt: string): ReviewQuery => ({
  id, householdId: listingEntry(4).id, districtCode: DISTRICT, category: 'other', origin: 'query', message, status, createdBy: 'u-sup', createdAt, version: 1,
  ...(status === 'open' ? {} : { answer: { text: '已核实', answeredAt: createdAt } }),
});

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.put(listingEntry(4));
  await db.queries.bulkPut([query('q-old', '早先的问题', 'answered', '2020-11-03T08:00:00Z'), query('q-open', '请核实户主出生年月', 'open', '2020-11-04T08:00:00Z')]);
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('QueriesScreen', () => {
  it('lists open queries first and answers one into the outbox', async () => {
    renderWith(<QueriesScreen />, fakeServices(db));
    await waitFor(() => expect(screen.getAllByTestId('query').map((q) => q.dataset.status)).toEqual(['open', 'answered']));
    const card = screen.getAllByTestId('query')[0]!;
    expect(card.textContent).toContain('户 004');
    fireEvent.change(within(card).getByLabelText('复查结果'), { target: { value: 'corrected' } });
    fireEvent.change(within(card).getByLabelText('回复内容'), { target: { value: '出生年月已更正' } });
    fireEvent.click(within(card).getByRole('button', { name: '提交回复' }));
    await waitFor(async () => expect((await db.queries.get('q-open'))?.status).toBe('answered'));
    const queued = await db.outbox.toArray();
    expect(queued.map((m) => [m.entity, m.entityId, m.data])).toEqual([['queryAnswer', 'q-open', { text: '出生年月已更正', outcome: 'corrected' }]]);
    await waitFor(() => expect(screen.getAllByTestId('query').every((q) => q.dataset.status === 'answered')).toBe(true));
  });
});
