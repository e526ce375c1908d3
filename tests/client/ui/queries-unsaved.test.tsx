// A review-query answer typed but not sent is unsaved input (issue 10): the one tracker knows it,
// so the update banner will not reload over it, in either language; sending it (or clearing the
// box) makes the screen clean again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { QueriesScreen } from '../../../src/client/ui/QueriesScreen.tsx';
import { DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { UpdateBanner, type UpdateState } from '../../../src/client/ui/UpdateBanner.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import type { ReviewQuery } from '../../../src/domain/index.ts';
import { DISTRICT, district, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const open: ReviewQuery = { id: 'q-open', householdId: listingEntry(4).id, districtCode: DISTRICT, message: '请核实户主出生年月', category: 'other', origin: 'query', status: 'open', createdBy: 'u-sup', createdAt: '2020-11-04T08:00:00Z', version: 1 };

function waitingUpdate(): UpdateState & { applied: number } {
  const s = { applied: 0, subscribe: () => () => {}, available: () => true, replaced: () => false, apply: () => void s.applied++ };
  return s;
}

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  await db.listing.put(listingEntry(4));
  await db.queries.put(open);
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('review-query answer as unsaved input', () => {
  it.each([['zh-CN', '回复内容', '提交回复', '更新'], ['en', 'Answer', 'Send answer', 'Update']] as const)('registers a typed answer (%s), blocks the update, and is clean once sent', async (lang, box, send, reload) => {
    const dirty = new DirtyTracker();
    const update = waitingUpdate();
    renderWith(
      <>
        <QueriesScreen />
        <UpdateBanner state={update} />
      </>,
      fakeServices(db),
      { lang, dirty },
    );
    const card = await screen.findByTestId('query');
    const text = within(card).getByLabelText(box);
    expect(dirty.any()).toBe(false);

    fireEvent.change(text, { target: { value: '出生年月已更正' } });
    await waitFor(() => expect(dirty.keys()).toEqual(['query:q-open']));
    const updateButton = within(screen.getByTestId('update-banner')).getByRole<HTMLButtonElement>('button', { name: reload });
    expect(updateButton.disabled).toBe(true);
    fireEvent.click(updateButton);
    expect(update.applied).toBe(0);

    fireEvent.change(text, { target: { value: '  ' } }); // nothing worth keeping
    await waitFor(() => expect(dirty.any()).toBe(false));
    fireEvent.change(text, { target: { value: '出生年月已更正' } });
    await waitFor(() => expect(dirty.any()).toBe(true));

    fireEvent.click(within(card).getByRole('button', { name: send }));
    await waitFor(async () => expect((await db.queries.get('q-open'))?.status).toBe('answered'));
    await waitFor(() => expect(dirty.any()).toBe(false));
    expect(updateButton.disabled).toBe(false);
  });
});
