// Drafts that survive (issue 10): what is typed is kept in the drafts table within a second and at
// once when the page is hidden or left, restored (with a notice and a discard) when the household
// is opened again, deleted by 保存 / 完成登记 or a discard, kept by a blocked 完成登记; drafts
// never reach the outbox, and a handover removes the previous user's with their records.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claimPhone } from '../../../src/client/db/handover.ts';
import { draftListingIds, putDraft, readDraft } from '../../../src/client/db/drafts.ts';
import { registrationByListingId, setMeta, type PuchaDb } from '../../../src/client/db/index.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import type { ListingEntry } from '../../../src/domain/index.ts';
import { draftFor } from '../fixtures.ts';
import { choose, completeDraft, field, renderIn, setup, type, LOAD } from './helpers.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const value = (path: (string | number)[]) => (field(path) as HTMLInputElement).value;
const keptPersons = async (db: PuchaDb, listingId: string) => (await readDraft(db, listingId))?.registration.persons;

async function open(db: PuchaDb, listing: ListingEntry, opts: { draftDelayMs?: number } = {}) {
  const dirty: boolean[] = [];
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} onDirtyChange={(d) => dirty.push(d)} {...opts} />, 'en');
  await screen.findByText(/Household 001/, undefined, LOAD);
  return { dirty: () => dirty.at(-1) };
}

describe('household form: drafts', () => {
  it('keeps every change within a second, restores it on the next visit, and never queues it', async () => {
    const { db, listing } = await setup();
    await open(db, listing);
    type(['household', 'residents'], '3');
    type(['persons', 0, 'birth'], '1970-05');
    choose(['persons', 0, 'sex'], /^1 /);
    const typedAt = Date.now();
    await waitFor(async () => expect((await keptPersons(db, listing.id))?.[0]).toMatchObject({ birth: '1970-05', sex: 1 }), { timeout: 1000 });
    expect(Date.now() - typedAt).toBeLessThan(1000);
    expect((await readDraft(db, listing.id))?.registration.household.residents).toBe(3);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.registrations.count()).toBe(0);
    expect(await draftListingIds(db, listing.districtCode)).toEqual(new Set([listing.id]));

    cleanup(); // the tab is gone
    const again = await open(db, listing);
    expect(screen.getByTestId('draft-restored').textContent).toMatch(/Restored unsaved input/);
    expect(value(['household', 'residents'])).toBe('3');
    expect(value(['persons', 0, 'birth'])).toBe('1970-05');
    expect(within(field(['persons', 0, 'sex'])).getByRole<HTMLInputElement>('radio', { name: /^1 / }).checked).toBe(true);
    // Restored input is unsaved input: the update prompt and the leave guard know it.
    await waitFor(() => expect(again.dirty()).toBe(true));
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps steady typing too: a draft is written while the keystrokes keep coming', async () => {
    const { db, listing } = await setup();
    await open(db, listing);
    const start = Date.now();
    let n = 0;
    let keptAfter: number | undefined;
    // A keystroke every 150 ms, shorter than the debounce: only the one-second bound writes.
    while (keptAfter === undefined && Date.now() - start < 1500) {
      type(['household', 'rooms'], String(++n));
      await act(() => new Promise((r) => setTimeout(r, 150)));
      if (await readDraft(db, listing.id)) keptAfter = Date.now() - start;
    }
    expect(keptAfter, 'no draft while typing went on').toBeDefined();
    expect(keptAfter).toBeLessThan(1500);
  });

  it('writes at once when the page is hidden, left, or the form unmounts', async () => {
    const { db, listing } = await setup();
    // A delay no test waits for: only the flush can have written.
    await open(db, listing, { draftDelayMs: 60_000 });
    type(['household', 'rooms'], '4');
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(async () => expect((await readDraft(db, listing.id))?.registration.household.rooms).toBe(4));
    visibility.mockRestore();

    type(['household', 'rooms'], '5');
    window.dispatchEvent(new Event('pagehide'));
    await waitFor(async () => expect((await readDraft(db, listing.id))?.registration.household.rooms).toBe(5));

    type(['household', 'rooms'], '6');
    cleanup(); // a link or the back button
    await waitFor(async () => expect((await readDraft(db, listing.id))?.registration.household.rooms).toBe(6));
    expect(await db.outbox.count()).toBe(0);
  });

  it('deletes the draft with the save (保存), and keeps later input as a new one', async () => {
    const { db, listing } = await setup();
    const page = await open(db, listing, { draftDelayMs: 20 });
    type(['household', 'rooms'], '4');
    await waitFor(async () => expect(await readDraft(db, listing.id)).toBeDefined());
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    expect(await readDraft(db, listing.id)).toBeUndefined();
    expect(await db.drafts.count()).toBe(0);
    expect(page.dirty()).toBe(false);
    // One outbox entry: the save's. The draft writes added nothing.
    expect(await db.outbox.count()).toBe(1);
    type(['household', 'rooms'], '5');
    await waitFor(async () => expect((await readDraft(db, listing.id))?.registration).toMatchObject({ id: (await registrationByListingId(db, listing.id))?.id, household: { rooms: 5 } }));
    expect((await db.drafts.get(listing.id))?.registrationId).toBe((await registrationByListingId(db, listing.id))?.id);
  });

  it('keeps the draft when 完成登记 is blocked, deletes it when it completes', async () => {
    const { db, listing } = await setup();
    const reg = completeDraft(listing);
    await db.registrations.put({ ...reg, household: { ...reg.household, residents: 2 } }); // PERSON_COUNT: an error
    await open(db, listing, { draftDelayMs: 60_000 });
    type(['household', 'rooms'], '3');
    fireEvent.click(screen.getByRole('button', { name: 'Complete' }));
    expect((await screen.findByRole('status', {}, LOAD)).textContent).toMatch(/Cannot complete yet/);
    await waitFor(async () => expect((await readDraft(db, listing.id))?.registration.household.rooms).toBe(3));

    type(['household', 'residents'], '1');
    await waitFor(() => expect(field(['findings']).querySelector('[data-rule="PERSON_COUNT"]')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Complete' }));
    await screen.findByText(/Completed \(version 2\)/, undefined, LOAD);
    expect(await db.drafts.count()).toBe(0);
    expect((await registrationByListingId(db, listing.id))?.household.rooms).toBe(3);
  });

  it('discards restored input on request (asked first): the draft goes, the form shows what is stored', async () => {
    const { db, listing } = await setup();
    const reg = completeDraft(listing);
    await db.registrations.put(reg);
    await putDraft(db, { ...reg, household: { ...reg.household, rooms: 9 } });
    const page = await open(db, listing);
    expect(value(['household', 'rooms'])).toBe('9');
    const notice = screen.getByTestId('draft-restored');
    fireEvent.click(within(notice).getByRole('button', { name: /Discard this input/ }));
    expect(await db.drafts.count()).toBe(1); // not yet: asked first
    fireEvent.click(within(notice).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(value(['household', 'rooms'])).toBe('2'));
    expect(screen.queryByTestId('draft-restored')).toBeNull();
    await waitFor(async () => expect(await db.drafts.count()).toBe(0));
    await waitFor(() => expect(page.dirty()).toBe(false));
  });

  it('"leave without saving" discards the draft', async () => {
    const { db, listing } = await setup();
    let closed = 0;
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => closed++} draftDelayMs={20} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    type(['household', 'rooms'], '4');
    await waitFor(async () => expect(await db.drafts.count()).toBe(1));
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Leave without saving' }));
    expect(closed).toBe(1);
    await waitFor(async () => expect(await db.drafts.count()).toBe(0));
  });
});

describe('drafts store', () => {
  it('lists the households of a district with a draft', async () => {
    const { db, listing } = await setup();
    const other = { ...draftFor({ ...listing, id: 'L-x', districtCode: '130102003003009' }, 1), version: 1, updatedAt: '2020-11-05T08:00:00.000Z' };
    await putDraft(db, { ...draftFor(listing, 1), version: 1, updatedAt: '2020-11-05T08:00:00.000Z' });
    await putDraft(db, other);
    expect(await draftListingIds(db, listing.districtCode)).toEqual(new Set([listing.id]));
    expect(await draftListingIds(db, '130102003003009')).toEqual(new Set(['L-x']));
    expect(await db.outbox.count()).toBe(0);
  });

  it('a row this version cannot read counts as no draft', async () => {
    const { db, listing } = await setup();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await db.drafts.put({ listingId: listing.id, districtCode: listing.districtCode, data: { format: 99 }, updatedAt: 1 });
    expect(await readDraft(db, listing.id)).toBeUndefined();
  });

  it('handover: the previous user\'s drafts leave the phone with their records', async () => {
    const { db, listing } = await setup();
    await setMeta(db, 'owner', { userId: 'u-enum-1', username: 'demo-enumerator' });
    await putDraft(db, { ...draftFor(listing, 1), version: 1, updatedAt: '2020-11-05T08:00:00.000Z' });
    const claim = await claimPhone(db, {
      token: 't-b',
      expiresAt: '2020-12-31T00:00:00.000Z',
      user: { id: 'u-enum-2', username: 'demo-enumerator-2', name: '李四', role: 'enumerator', districts: ['130102003003002'] },
    });
    expect(claim).toEqual({ ok: true, wiped: true });
    expect(await db.drafts.count()).toBe(0);
    expect(await db.listing.count()).toBe(0);
  });

  it('handover: a phone with no known owner holding a draft of a district not assigned to the user is wiped', async () => {
    const { db, listing } = await setup();
    await db.listing.clear();
    await db.districts.clear();
    await putDraft(db, { ...draftFor(listing, 1), version: 1, updatedAt: '2020-11-05T08:00:00.000Z' });
    const claim = await claimPhone(db, {
      token: 't-b',
      expiresAt: '2020-12-31T00:00:00.000Z',
      user: { id: 'u-enum-2', username: 'demo-enumerator-2', name: '李四', role: 'enumerator', districts: ['130102003003002'] },
    });
    expect(claim).toEqual({ ok: true, wiped: true });
    expect(await db.drafts.count()).toBe(0);
  });
});
