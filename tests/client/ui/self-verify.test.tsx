// Self-enumeration on the enumerator's phone (issue 13): a code made at the door offline (only its
// hash kept and queued with the listing entry; never for a long-form or registered household),
// the 待核实 badge and filter, and the verification that walks each person and records who
// verified and when as a new version.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createHash } from 'node:crypto';
import { issueSelfCode, saveRegistration, type PuchaDb } from '../../../src/client/db/index.ts';
import { storeSession } from '../../../src/client/db/meta.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { DistrictScreen } from '../../../src/client/ui/district/DistrictScreen.tsx';
import { DistrictPanel } from '../../../src/client/ui/supervisor/DistrictPanel.tsx';
import { DistrictStatusSchema } from '../../../src/client/ui/supervisor/supervision-api.ts';
import { normalizeSelfCode, type ListingEntry, type RegistrationDraft } from '../../../src/domain/index.ts';
import { DISTRICT } from '../fixtures.ts';
import { completeDraft, renderIn, setup, LOAD } from '../household/helpers.tsx';
import { fakeServices, renderWith } from './render.tsx';

const USER = { id: 'u-enum-1', username: 'zhang', name: '张三', role: 'enumerator' as const, districts: [DISTRICT] };

afterEach(() => cleanup());

async function withSession(db: PuchaDb) {
  await storeSession(db, { token: 't', expiresAt: '2030-01-01T00:00:00Z', user: USER });
}

/** A self-enumerated household as pulled from the server: complete, source self, version 1. */
async function pulledSelf(db: PuchaDb, listing: ListingEntry): Promise<RegistrationDraft> {
  const base = completeDraft(listing);
  const reg: RegistrationDraft = {
    ...base,
    id: `self-${listing.id}`,
    source: 'self',
    status: 'complete',
    household: { ...base.household, residents: 2 },
    persons: [...base.persons, { id: 'p-wife', name: '王芳', relationship: 1, sex: 2, birth: '1982-07', ethnicity: '01', residence: { code: 1 }, hukou: { code: 1 }, leftHukouDuration: 1, education: 7, literate: 1 }],
  };
  await db.registrations.put(reg);
  await db.listing.put({ ...listing, selfEnumeration: true, visit: { status: 'selfReported', attempts: 0 } });
  return reg;
}

describe('a self-enumeration code made at the door', () => {
  it('is 80 random bits shown once; the entry keeps only its hash, queued as a listing mutation', async () => {
    const { db, listing } = await setup();
    const r = await issueSelfCode(db, listing.id);
    if (!r.ok) throw new Error(r.reason);
    expect(normalizeSelfCode(r.code)).toBe(r.code);
    const hash = createHash('sha256').update(r.code).digest('hex');
    const stored = await db.listing.get(listing.id);
    expect(stored?.selfCode?.hash).toBe(hash);
    expect(JSON.stringify(stored)).not.toContain(r.code);
    const queued = await db.outbox.toArray();
    expect(queued.map((m) => m.entity)).toEqual(['listing']);
    expect((queued[0]?.data as ListingEntry).selfCode?.hash).toBe(hash);
    // Another code for the same household is another code (the newest hash is the entry's).
    const again = await issueSelfCode(db, listing.id);
    if (!again.ok) throw new Error(again.reason);
    expect(again.code).not.toBe(r.code);
    expect((await db.listing.get(listing.id))?.selfCode?.hash).toBe(createHash('sha256').update(again.code).digest('hex'));
  });

  it('is refused for a long-form household and one an enumerator registered, leaving nothing queued', async () => {
    const long = await setup({ longForm: true });
    expect(await issueSelfCode(long.db, long.listing.id)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await long.db.outbox.count()).toBe(0);
    expect((await long.db.listing.get(long.listing.id))?.selfCode).toBeUndefined();

    const { db, listing } = await setup();
    const saved = await saveRegistration(db, { ...completeDraft(listing), status: 'complete' });
    expect(saved.ok).toBe(true);
    const before = await db.outbox.count();
    expect(await issueSelfCode(db, listing.id)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await db.outbox.count()).toBe(before);
  });

  it('is offered in the outcome sheet for a short-form household, shown with its QR code, and not for the long form', async () => {
    const { db, listing } = await setup();
    await db.listing.put({ ...listing, householdNo: '002', id: 'L-long', longForm: true });
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db), { lang: 'en' });
    const rows = await screen.findAllByTestId('hh-row', undefined, LOAD);
    const longRow = rows.find((r) => r.getAttribute('data-form') === 'long');
    if (!longRow) throw new Error('no long-form row');
    fireEvent.click(within(longRow).getByRole('button', { name: /Set outcome/ }));
    expect(screen.queryByTestId('make-self-code')).toBeNull();
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const shortRow = screen.getAllByTestId('hh-row').find((r) => r.getAttribute('data-no') === listing.householdNo);
    if (!shortRow) throw new Error('no short-form row');
    fireEvent.click(within(shortRow).getByRole('button', { name: /Set outcome/ }));
    fireEvent.click(screen.getByTestId('make-self-code'));
    const shown = await screen.findByTestId('self-code', undefined, LOAD);
    const code = normalizeSelfCode(shown.textContent ?? '');
    expect(code).toBeDefined();
    expect(screen.getByTestId('self-code-sheet').querySelector('svg')).not.toBeNull();
    expect((await db.listing.get(listing.id))?.selfCode?.hash).toBe(createHash('sha256').update(code ?? '').digest('hex'));
    // One code per opening of the sheet.
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('verification of a self-enumerated household', () => {
  it('lists it as 待核实 and filters it', async () => {
    const { db, listing } = await setup();
    await pulledSelf(db, listing);
    renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db), { lang: 'zh-CN' });
    await screen.findAllByTestId('to-verify', undefined, LOAD);
    fireEvent.change(screen.getByLabelText('按走访结果筛选'), { target: { value: 'toVerify' } });
    await waitFor(() => expect(screen.getAllByTestId('hh-row')).toHaveLength(1));
    expect(screen.getByTestId('hh-row').getAttribute('data-no')).toBe(listing.householdNo);
  });

  it('needs every person gone through, then saves a new version confirmed by the signed-in user', async () => {
    const { db, listing } = await setup();
    await withSession(db);
    const reg = await pulledSelf(db, listing);
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    const panel = await screen.findByTestId('verify-panel', undefined, LOAD);
    const finish = within(panel).getByTestId<HTMLButtonElement>('verify-finish');
    expect(finish.disabled).toBe(true);
    const people = within(panel).getAllByTestId('verify-person');
    expect(people).toHaveLength(2);
    fireEvent.click(within(people[0] as HTMLElement).getByRole('button', { name: 'Correct as filled' }));
    expect(finish.disabled).toBe(true);
    fireEvent.click(within(people[1] as HTMLElement).getByRole('button', { name: 'Correct as filled' }));
    expect(finish.disabled).toBe(false);
    fireEvent.click(finish);
    await screen.findByTestId('verified', undefined, LOAD);
    const stored = await db.registrations.get(reg.id);
    expect(stored?.version).toBe(2);
    expect(stored?.source).toBe('self');
    expect(stored?.verification).toMatchObject({ by: USER.id, outcome: 'confirmed' });
    const queued = (await db.outbox.toArray()).filter((m) => m.entity === 'household');
    expect(queued).toHaveLength(1);
    expect((queued[0]?.data as RegistrationDraft).verification?.by).toBe(USER.id);
    expect(queued[0]?.baseVersion).toBe(1);
  });

  it('records a correction as corrected', async () => {
    const { db, listing } = await setup();
    await withSession(db);
    const reg = await pulledSelf(db, listing);
    renderIn(<HouseholdPage db={db} listingId={listing.id} onClose={() => {}} />, 'en');
    const panel = await screen.findByTestId('verify-panel', undefined, LOAD);
    const people = within(panel).getAllByTestId('verify-person');
    fireEvent.click(within(people[0] as HTMLElement).getByRole('button', { name: 'Correct as filled' }));
    fireEvent.click(within(people[1] as HTMLElement).getByRole('button', { name: 'Correct it' }));
    const name = await waitFor(() => {
      const el = document.getElementById('f-persons-1-name');
      if (!(el instanceof HTMLInputElement)) throw new Error('card not open');
      return el;
    });
    fireEvent.change(name, { target: { value: '王芳芳' } });
    await waitFor(() => expect(within(panel).getAllByTestId('verify-person')[1]?.getAttribute('data-state')).toBe('changed'));
    fireEvent.click(within(panel).getByTestId('verify-finish'));
    await screen.findByTestId('verified', undefined, LOAD);
    const stored = await db.registrations.get(reg.id);
    expect(stored?.verification?.outcome).toBe('corrected');
    expect(stored?.persons[1]?.name).toBe('王芳芳');
  });
});

describe("the supervisor's district panel", () => {
  const api = {
    get: () => Promise.resolve({ ok: false as const, status: 404, message: 'no' }),
    getBlob: () => Promise.resolve({ ok: false as const, status: 0, message: 'offline' }),
    send: () => Promise.resolve({ ok: true as const, value: {} }),
  };
  it('shows self-reported, verified and awaiting counts from the status, and nothing when there are none', async () => {
    const { db } = await setup();
    const with3 = DistrictStatusSchema.parse({ code: DISTRICT, name: '第001普查小区', listingSize: 10, selfReported: 3, selfVerified: 1, selfAwaiting: 2 });
    renderWith(<DistrictPanel api={api} district={with3} queries={[]} onChanged={() => undefined} />, fakeServices(db), { lang: 'zh-CN' });
    expect((await screen.findByTestId('self-counts')).textContent).toBe('自主填报 3 户 · 已核实 1 · 待核实 2');
    cleanup();
    const none = DistrictStatusSchema.parse({ code: DISTRICT, name: '第001普查小区', listingSize: 10 });
    renderWith(<DistrictPanel api={api} district={none} queries={[]} onChanged={() => undefined} />, fakeServices(db), { lang: 'zh-CN' });
    await screen.findByTestId('district-counts');
    expect(screen.queryByTestId('self-counts')).toBeNull();
  });
});
