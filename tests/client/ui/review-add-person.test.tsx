// addedPerson through the household form (issue 12): the review item opens its household, one tap
// adds the register's person filled in, and the save writes the registration and the item's
// answer in one transaction, household mutation first. A refused or failed save writes neither;
// a draft restored after the tab was killed still knows which person answers the item.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Dexie, type DBCoreMutateRequest } from 'dexie';
import { PuchaDb, saveRegistration } from '../../../src/client/db/index.ts';
import { putDraft } from '../../../src/client/db/drafts.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { QueriesScreen } from '../../../src/client/ui/QueriesScreen.tsx';
import { parseRoute, hrefOf } from '../../../src/client/ui/router.ts';
import type { ListingEntry, ReviewQuery } from '../../../src/domain/index.ts';
import { DISTRICT, draftFor, fakeClock, freshIdb, idFactory, seedAssignment } from '../fixtures.ts';
import { renderIn, LOAD, completeDraft } from '../household/helpers.tsx';
import { fakeServices, renderWith } from './render.tsx';

const SUBJECT = { name: '李强', citizenId: '130102197503021334', sex: 1 as const, birth: '1975-03', address: '光华路9号' };
const item = (id: string, over: Partial<ReviewQuery> = {}): ReviewQuery => ({
  id,
  districtCode: DISTRICT,
  category: 'hukouMissing',
  origin: 'compare',
  message: '户籍登记有此人，普查未登记',
  subject: SUBJECT,
  status: 'open',
  createdBy: 'u-county',
  createdAt: '2020-11-20T08:00:00Z',
  version: 2,
  ...over,
});

/** A database whose writes to `table` fail (a bug or a full disk) while `armed.on`. */
async function openDb(failOn?: string) {
  const db = new PuchaDb(`review-add-${Math.random()}`, { ...freshIdb(), now: fakeClock().now, newId: idFactory() });
  const armed = { on: false };
  if (failOn !== undefined)
    db.use({
      stack: 'dbcore',
      name: 'fail',
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          return name !== failOn ? t : { ...t, mutate: (req: DBCoreMutateRequest) => (armed.on ? Promise.reject(new Dexie.AbortError('aborted', new TypeError('boom'))) : t.mutate(req)) };
        },
      }),
    });
  await db.open();
  const entries = await seedAssignment(db, 3);
  await db.queries.bulkPut([item('q-1'), item('q-death', { category: 'deathMissing', subject: { name: '赵老', sex: 2, birth: '1931-02', death: '2020-03' } })]);
  return { db, entries: entries as [ListingEntry, ListingEntry, ListingEntry], armed };
}

afterEach(() => cleanup());

describe('saveRegistration with a review link', () => {
  it('stores the household and answers the item in one transaction, household mutation first', async () => {
    const { db, entries } = await openDb();
    const reg = draftFor(entries[0], 2);
    const personId = reg.persons[1]?.id ?? '';
    const r = await saveRegistration(db, reg, { queryId: 'q-1', personId, text: '已补登' });
    expect(r.ok).toBe(true);
    const q = await db.queries.get('q-1');
    expect(q).toMatchObject({ status: 'answered', answer: { kind: 'addedPerson', householdId: reg.id, personId, text: '已补登' } });
    const queued = (await db.outbox.orderBy('seq').toArray()).map((m) => [m.entity, m.entityId]);
    expect(queued).toEqual([
      ['household', reg.id],
      ['queryAnswer', 'q-1'],
    ]);
    // Its base is the item's version, as a separate answer's would be.
    expect((await db.outbox.orderBy('seq').toArray())[1]?.baseVersion).toBe(2);
  });

  it('writes nothing when the person is not in the household, the item is unknown, or a write fails', async () => {
    const { db, entries } = await openDb();
    const reg = draftFor(entries[0], 2);
    expect(await saveRegistration(db, reg, { queryId: 'q-1', personId: 'nobody' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await saveRegistration(db, reg, { queryId: 'q-unknown', personId: reg.persons[0]?.id ?? '' })).toMatchObject({ ok: false, reason: 'notFound' });
    expect(await db.registrations.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.queries.get('q-1'))?.status).toBe('open');

    const failing = await openDb('queries');
    failing.armed.on = true;
    const reg2 = draftFor(failing.entries[0], 2);
    await expect(saveRegistration(failing.db, reg2, { queryId: 'q-1', personId: reg2.persons[1]?.id ?? '' })).rejects.toThrow();
    expect(await failing.db.registrations.count()).toBe(0);
    expect(await failing.db.outbox.count()).toBe(0);
  });
});

describe('the household form opened for a review item', () => {
  it('adds the register person filled in with one tap and answers the item with the save', async () => {
    const { db, entries } = await openDb();
    renderIn(<HouseholdPage db={db} listingId={entries[0].id} reviewQueryId="q-1" onClose={() => {}} />, 'en');
    await screen.findByTestId('review-banner', undefined, LOAD);
    expect(screen.getByTestId('review-banner').textContent).toContain('130102197503021334');
    fireEvent.click(screen.getByTestId('review-add'));
    expect((document.getElementById('f-persons-1-name') as HTMLInputElement).value).toBe('李强');
    expect((document.getElementById('f-persons-1-citizenId') as HTMLInputElement).value).toBe('130102197503021334');
    expect(screen.getByTestId('review-will-link').textContent).toContain('李强');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByTestId('review-linked');
    const q = await db.queries.get('q-1');
    const stored = await db.registrations.toArray();
    expect(stored).toHaveLength(1);
    const added = stored[0]?.persons.find((p) => p.citizenId === SUBJECT.citizenId);
    expect(added).toMatchObject({ name: '李强', sex: 1, birth: '1975-03' });
    expect(q?.answer).toMatchObject({ kind: 'addedPerson', householdId: stored[0]?.id, personId: added?.id });
    // A second save is an ordinary save: the item is answered once.
    fireEvent.change(document.getElementById('f-persons-1-name') as HTMLInputElement, { target: { value: '李强强' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await db.registrations.toArray())[0]?.version).toBe(2));
    expect((await db.outbox.toArray()).filter((m) => m.entity === 'queryAnswer')).toHaveLength(1);
  });

  it('adds a missed death to the death records, and finds the person again in a restored draft', async () => {
    const { db, entries } = await openDb();
    renderIn(<HouseholdPage db={db} listingId={entries[1].id} reviewQueryId="q-death" onClose={() => {}} />, 'en');
    await screen.findByTestId('review-banner', undefined, LOAD);
    fireEvent.click(screen.getByTestId('review-add'));
    expect((document.getElementById('f-deaths-0-death') as HTMLInputElement).value).toBe('2020-03');
    cleanup();

    // The tab was killed after the tap: the kept draft holds the person, the link is found again.
    const reg = { ...completeDraft(entries[2]), persons: [...completeDraft(entries[2]).persons, { id: 'p-li', name: '李强', citizenId: SUBJECT.citizenId }] };
    await putDraft(db, reg);
    renderIn(<HouseholdPage db={db} listingId={entries[2].id} reviewQueryId="q-1" onClose={() => {}} />, 'en');
    await screen.findByTestId('review-will-link', undefined, LOAD);
    expect(screen.queryByTestId('review-add')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByTestId('review-linked');
    expect((await db.queries.get('q-1'))?.answer).toMatchObject({ kind: 'addedPerson', personId: 'p-li' });
  });

  it('ignores an item of another district and offers nothing for an answered one', async () => {
    const { db, entries } = await openDb();
    await db.queries.bulkPut([item('q-far', { districtCode: '130102003003009' }), item('q-old', { status: 'answered', answer: { text: '', kind: 'notFound', answeredAt: '2020-11-21T08:00:00Z' } })]);
    renderIn(<HouseholdPage db={db} listingId={entries[0].id} reviewQueryId="q-far" onClose={() => {}} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    expect(screen.queryByTestId('review-banner')).toBeNull();
    cleanup();
    renderIn(<HouseholdPage db={db} listingId={entries[0].id} reviewQueryId="q-old" onClose={() => {}} />, 'en');
    await screen.findByTestId('review-banner', undefined, LOAD);
    expect(screen.queryByTestId('review-add')).toBeNull();
  });
});

describe('the 复查 list leads to the household', () => {
  it('routes a household with its review item, and a district item asks which household first', async () => {
    expect(parseRoute(hrefOf({ name: 'household', listingId: 'L 1', review: 'q-1' }))).toEqual({ name: 'household', listingId: 'L 1', review: 'q-1' });
    expect(parseRoute('#/h/L1')).toEqual({ name: 'household', listingId: 'L1' });
    const { db, entries } = await openDb();
    renderWith(<QueriesScreen />, fakeServices(db), { lang: 'en' });
    const link = await screen.findAllByTestId('review-add-through');
    expect(link.length).toBe(2);
    expect(screen.queryByTestId('review-go-add')).toBeNull();
    const card = screen.getAllByTestId('query').find((c) => c.getAttribute('data-category') === 'hukouMissing');
    if (!card) throw new Error('no hukouMissing card');
    const select = within(card).getByLabelText<HTMLSelectElement>('Household the person lives in');
    // The district's households, by number, with the head's name.
    await waitFor(() => expect(select.options.length).toBe(4));
    expect(select.options[2]?.textContent).toContain(entries[1].headName);
    fireEvent.change(select, { target: { value: entries[1].id } });
    const go = await within(card).findByTestId('review-go-add');
    expect(go.getAttribute('href')).toBe(`#/h/${entries[1].id}/r/q-1`);
  });
});
