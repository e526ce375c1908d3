// Shared set-up of the household form tests: a fresh fake IndexedDB per test with one district and
// its listing, the page rendered in English (or Chinese) through the app's own i18n set-up.
import { configure, render, within, fireEvent, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createI18n, I18nProvider, preloadNamespace, type Language } from '../../../src/client/i18n/index.ts';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import type { ListingEntry, RegistrationDraft } from '../../../src/domain/index.ts';
import { seedAssignment, testDb } from '../fixtures.ts';

// The form's strings are a lazy chunk in the app (issue 10): imported once here, so every
// instance createI18n makes below has them at once and the form renders without suspending.
await preloadNamespace('household');

// The form re-checks after a debounce and jsdom renders a long form slowly on a busy machine.
configure({ asyncUtilTimeout: 5000 });

export async function setup(patch: Partial<ListingEntry> = {}): Promise<{ db: PuchaDb; listing: ListingEntry }> {
  const db = await testDb();
  const [first] = await seedAssignment(db, 2);
  if (!first) throw new Error('no listing seeded');
  const listing = { ...first, ...patch };
  await db.listing.put(listing);
  return { db, listing };
}

/** Render with the app's i18n; without `lang`, the app's default language (Simplified Chinese). */
export function renderIn(ui: ReactElement, lang?: Language): RenderResult {
  return render(<I18nProvider i18n={createI18n(lang)}>{ui}</I18nProvider>);
}

/** The card of person `i` (0-based). */
export function personCard(i: number, list = 'persons'): HTMLElement {
  const el = document.getElementById(`f-${list}-${i}`);
  if (!el) throw new Error(`no card f-${list}-${i}`);
  return el;
}

export function field(path: (string | number)[]): HTMLElement {
  const el = document.getElementById(['f', ...path].join('-'));
  if (!el) throw new Error(`no field ${path.join('.')}`);
  return el;
}

export function type(path: (string | number)[], value: string): void {
  fireEvent.change(field(path), { target: { value } });
}

/** Choose a code in the radio group of the item at `path` by the start of its label ("2 Collective"). */
export function choose(path: (string | number)[], name: RegExp): void {
  fireEvent.click(within(field(path)).getByRole('radio', { name }));
}

/** Whether the question with this item number ("D12") is shown in `scope`. */
export function shows(scope: HTMLElement, item: string): boolean {
  const re = new RegExp(`^${item} `);
  const labels = [...scope.querySelectorAll('legend, label.hh-label, .field > label')].filter((l) => !l.closest('[hidden]'));
  return labels.some((l) => re.test(l.textContent ?? ''));
}

/** A complete, consistent one-person short-form household (passes the strict schema). */
export function completeDraft(listing: ListingEntry): RegistrationDraft {
  return {
    id: `R-${listing.id}`,
    listingId: listing.id,
    districtCode: listing.districtCode,
    householdNo: listing.householdNo,
    form: 'short',
    source: 'enumerator',
    status: 'draft',
    household: { householdType: 1, residents: 1, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1, floorArea: 60, rooms: 2 },
    persons: [
      { id: 'p-head', name: listing.headName, relationship: 0, sex: 1, birth: '1980-05', ethnicity: '01', residence: { code: 1 }, hukou: { code: 1 }, leftHukouDuration: 1, education: 7, literate: 1 },
    ],
    deaths: [],
    overseas: [],
    overrides: [],
    version: 1,
    updatedAt: '2020-11-05T08:00:00.000Z',
  };
}

/** Waiting options for the first render of a page (a long form is slow in jsdom on a busy machine). */
export const LOAD = { timeout: 5000 } as const;
