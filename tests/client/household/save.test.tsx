// Save writes the registration and exactly one outbox entry per save (read back from the db);
// a full disk shows a blocking "NOT saved" and keeps everything typed (reliability R10), and so
// does a save that never finishes (issue 10: Chromium hangs on a full disk).
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PuchaDb, registrationByListingId } from '../../../src/client/db/index.ts';
import { HouseholdForm, HouseholdPage, type SaveResult } from '../../../src/client/ui/household/HouseholdPage.tsx';
import type { RegistrationDraft } from '../../../src/domain/index.ts';
import { freshIdb, seedAssignment } from '../fixtures.ts';
import { completeDraft, field, renderIn, setup, type, LOAD } from './helpers.tsx';

afterEach(cleanup);

function dirtyLog() {
  const calls: boolean[] = [];
  return { calls, onDirtyChange: (d: boolean) => calls.push(d), last: () => calls[calls.length - 1] };
}

describe('household form: save', () => {
  it('saves a draft with its outbox entry, version by version', async () => {
    const { db, listing } = await setup();
    const dirty = dirtyLog();
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} onDirtyChange={dirty.onDirtyChange} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    await waitFor(() => expect(dirty.last()).toBe(false));
    // A new draft starts with the head from the listing.
    expect((field(['persons', 0, 'name']) as HTMLInputElement).value).toBe(listing.headName);
    type(['household', 'residents'], '3');
    expect(dirty.last()).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    await waitFor(() => expect(dirty.last()).toBe(false));
    const reg = await registrationByListingId(db, listing.id);
    expect(reg).toMatchObject({ status: 'draft', version: 1, form: 'short', source: 'enumerator', household: { householdType: 1, residents: 3 } });
    expect(reg?.persons[0]?.name).toBe(listing.headName);
    expect(await db.outbox.where('[entity+entityId]').equals(['household', reg?.id ?? '']).count()).toBe(1);

    type(['household', 'residents'], '');
    expect(dirty.last()).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 2).', undefined, LOAD);
    const again = await registrationByListingId(db, listing.id);
    // Empty input is an absent answer, not 0 and not null.
    expect(again?.household).not.toHaveProperty('residents');
    expect(again?.version).toBe(2);
    expect(await db.outbox.count()).toBe(2);
    type(['household', 'rooms'], '3');
    expect(dirty.last()).toBe(true);
    cleanup();
    expect(dirty.last()).toBe(false);
  });

  it('opens an existing registration and uses the long form the listing asks for', async () => {
    const { db, listing } = await setup({ longForm: true });
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    await screen.findByText('Long form', undefined, LOAD);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    cleanup();
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    await screen.findByText('Long form', undefined, LOAD);
    expect(await db.registrations.count()).toBe(1);
  });

  it('marks a self-enumerated household for the enumerator to verify', async () => {
    const { db, listing } = await setup({ selfEnumeration: true, visit: { status: 'selfReported', attempts: 1 } });
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    expect((await screen.findByRole('note')).textContent).toMatch(/Self-enumerated/);
  });

  it('shows NOT saved on a full disk, keeps the form, and saves once space is back', async () => {
    const db = new PuchaDb(`hh-full-${crypto.randomUUID()}`, freshIdb());
    let full = false;
    // A Dexie middleware fails every write to registrations as a full disk would.
    db.use({
      stack: 'dbcore',
      name: 'disk-full',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) => (full && name === 'registrations' ? Promise.reject(new DOMException('disk full', 'QuotaExceededError')) : table.mutate(req)),
          };
        },
      }),
    });
    const [listing] = await seedAssignment(db, 1);
    if (!listing) throw new Error('no listing');
    const dirty = dirtyLog();
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} onDirtyChange={dirty.onDirtyChange} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    type(['persons', 0, 'birth'], '1975-04');
    type(['household', 'rooms'], '4');
    full = true;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toMatch(/NOT saved/);
    expect(await db.registrations.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(dirty.last()).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'I understand' }));
    expect((field(['persons', 0, 'birth']) as HTMLInputElement).value).toBe('1975-04');
    expect((field(['household', 'rooms']) as HTMLInputElement).value).toBe('4');

    full = false;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    await waitFor(() => expect(dirty.last()).toBe(false));
    expect((await registrationByListingId(db, listing.id))?.persons[0]?.birth).toBe('1975-04');
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('household form: a save that never finishes (full disk in Chromium)', () => {
  it('says "not saved" after the timeout, keeps the form and the draft, and saves once the store answers again', async () => {
    const db = new PuchaDb(`hh-hang-${crypto.randomUUID()}`, freshIdb());
    let hang = false;
    // Chromium's IndexedDB hangs on a full disk instead of failing: the registration's write never
    // completes, so its transaction stays open (busy with requests that do not finish) and none of
    // the save's other writes commit. Once the disk answers, the write fails and the whole
    // transaction aborts.
    db.use({
      stack: 'dbcore',
      name: 'hung-disk',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) => {
              if (!hang || name !== 'registrations') return table.mutate(req);
              const idb = req.trans as unknown as IDBTransaction;
              return new Promise<never>((_, reject) => {
                const spin = () => {
                  if (!hang) return reject(new DOMException('the disk did not write', 'UnknownError'));
                  idb.objectStore(name).count().onsuccess = spin;
                };
                spin();
              });
            },
          };
        },
      }),
    });
    const [listing] = await seedAssignment(db, 1);
    if (!listing) throw new Error('no listing');
    const dirty = dirtyLog();
    const late = vi.spyOn(console, 'error').mockImplementation(() => {});
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} onDirtyChange={dirty.onDirtyChange} saveTimeoutMs={300} draftDelayMs={20} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    type(['household', 'rooms'], '4');
    await waitFor(async () => expect((await db.drafts.get(listing.id))?.listingId).toBe(listing.id));
    hang = true;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByText(/^Not saved: the device storage did not answer/, undefined, LOAD);
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.closest('.hh-savebar')).not.toBeNull();
    expect((field(['household', 'rooms']) as HTMLInputElement).value).toBe('4');
    expect(dirty.last()).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save' }).disabled).toBe(false);
    // Still said after another edit: it is not saved until a save succeeds.
    type(['household', 'rooms'], '5');
    expect(screen.getByRole('alert').textContent).toMatch(/Not saved/);

    // The disk answers: the hung save fails as a whole. Its draft deletion and its outbox entry,
    // issued alongside the registration's write, are rolled back with it.
    hang = false;
    await waitFor(() => expect(late).toHaveBeenCalledWith('save failed late', expect.anything()));
    expect(await db.outbox.count()).toBe(0);
    expect(await db.recordState.count()).toBe(0);
    expect(await registrationByListingId(db, listing.id)).toBeUndefined();
    expect(await db.drafts.count()).toBe(1);
    expect(screen.getByRole('alert').textContent).toMatch(/Not saved/);

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    expect(screen.queryByText(/^Not saved/)).toBeNull();
    expect((await registrationByListingId(db, listing.id))?.household.rooms).toBe(5);
    expect(await db.drafts.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    late.mockRestore();
  });
});

describe('household form: overrides on save', () => {
  it('does not send confirmations of warnings that are gone', async () => {
    const { db, listing } = await setup();
    const reg = completeDraft(listing);
    const stale = { rule: 'FLOOR_AREA_PLAUSIBLE', path: ['household', 'floorArea'], reason: 'documentSeen' as const, note: 'old' };
    await db.registrations.put({ ...reg, overrides: [stale] });
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    await screen.findByText(/Household 001/, undefined, LOAD);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 2).', undefined, LOAD);
    expect((await registrationByListingId(db, listing.id))?.overrides).toEqual([]);
  });
});

describe('household form: unknown household', () => {
  it('says so and offers to close', async () => {
    const { db } = await setup();
    let closed = 0;
    renderIn(<HouseholdPage db={db} listingId="no-such-entry" onClose={() => closed++} />, 'en');
    await screen.findByText('This household is not in the listing.', undefined, LOAD);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(closed).toBe(1);
  });
});

const pause = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

/**
 * The household form open, "4" typed into rooms, and the draft write it starts held halfway:
 * putDraft first looks up whether the registration is stored, in a transaction of its own, and
 * that lookup answers only 250 ms later. A save or a discard that starts meanwhile must not be
 * overtaken by the write (the household would open next time with older or discarded input).
 */
async function typedWithDraftWriteHeld(onClose: () => void = () => {}) {
  const db = new PuchaDb(`hh-slow-draft-${crypto.randomUUID()}`, freshIdb());
  let slow = false;
  db.use({
    stack: 'dbcore',
    name: 'slow-draft-lookup',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'registrations') return table;
        return {
          ...table,
          count: async (req) => {
            const n = await table.count(req);
            if (slow) await new Promise((r) => setTimeout(r, 250));
            return n;
          },
        };
      },
    }),
  });
  const [listing] = await seedAssignment(db, 1);
  if (!listing) throw new Error('no listing');
  renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={onClose} draftDelayMs={20} />, 'en');
  await screen.findByText(/Household 001/, undefined, LOAD);
  slow = true;
  type(['household', 'rooms'], '4');
  await pause(80); // the draft write has started; its lookup is held
  return { db, listing };
}

describe('household form: saves that overlap', () => {
  it('a draft write still on its way when 保存 is tapped lands before the save, never after it', async () => {
    const { db, listing } = await typedWithDraftWriteHeld();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved (version 1).', undefined, LOAD);
    await pause(400); // well past the held lookup
    expect(await db.drafts.count()).toBe(0);
    expect((await registrationByListingId(db, listing.id))?.household.rooms).toBe(4);
  });

  it('"leave without saving" while a draft write is on its way leaves no draft behind', async () => {
    let closed = 0;
    const { db } = await typedWithDraftWriteHeld(() => closed++);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Leave without saving' }));
    expect(closed).toBe(1);
    await pause(400); // well past the held lookup
    expect(await db.drafts.count()).toBe(0);
  });

  it('an earlier save that answers late says nothing over a later one', async () => {
    const { listing } = await setup();
    const answers: ((r: SaveResult) => void)[] = [];
    const calls: RegistrationDraft[] = [];
    const save = (reg: RegistrationDraft) => {
      calls.push(reg);
      return new Promise<SaveResult>((resolve) => answers.push(resolve));
    };
    renderIn(
      <HouseholdForm listing={listing} initial={completeDraft(listing)} validate={() => []} save={save} newId={() => crypto.randomUUID()} onClose={() => {}} saveTimeoutMs={100} />,
      'en',
    );
    type(['household', 'rooms'], '4');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/^Not saved: the device storage did not answer/, undefined, LOAD);
    type(['household', 'rooms'], '5');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    answers[1]?.({ ok: true, registration: { ...calls[1]!, version: 2 } });
    await screen.findByText('Saved (version 2).', undefined, LOAD);
    // The first save finishes after all, with a failure: the later save's answer stands.
    answers[0]?.({ ok: false, reason: 'notFound', what: 'listing' });
    await pause(50);
    expect(screen.getByText('Saved (version 2).')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
