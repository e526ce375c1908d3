// Steps that drive the household form (src/client/ui/household) by its field ids `f-<path>`,
// so the e2e suite reads like the enumerator's work at the door.
import type { Page } from 'playwright-core';
import { makeCitizenId } from '../../src/domain/index.ts';
import { serverScope } from './harness.ts';

const f = (page: Page, ...path: (string | number)[]) => page.locator(`#${['f', ...path].join('-')}`);

/** Picks the radio whose label starts with `code ` in the item at `path`. */
export async function choose(page: Page, path: (string | number)[], code: number): Promise<void> {
  await f(page, ...path).getByRole('radio', { name: new RegExp(`^${code} `) }).check();
}

export async function type(page: Page, path: (string | number)[], value: string): Promise<void> {
  const input = f(page, ...path);
  await input.fill(value);
  await input.blur();
}

export interface PersonAnswers {
  name: string;
  relationship: number;
  birth: string; // YYYY-MM-DD, for the ID number
  sex: 1 | 2;
  seq: number;
}

export function idOf(p: PersonAnswers): string {
  return makeCitizenId('130102', p.birth, p.seq, p.sex);
}

/** A wrong check character for `id` (the first one that differs). */
export function wrongCheck(id: string): string {
  const c = id.at(-1) === '0' ? '1' : '0';
  return id.slice(0, 17) + c;
}

export async function fillHouseholdItems(page: Page, h: { residents: number; floorArea: number; rooms: number }): Promise<void> {
  await choose(page, ['household', 'householdType'], 1);
  await type(page, ['household', 'residents'], String(h.residents));
  await type(page, ['household', 'hukouHereAbsent'], '0');
  await type(page, ['household', 'births', 'input'], '0');
  await type(page, ['household', 'births', 'input', 'female'], '0');
  await type(page, ['household', 'deaths', 'input'], '0');
  await type(page, ['household', 'deaths', 'input', 'female'], '0');
  await choose(page, ['household', 'dwellingType'], 1);
  await type(page, ['household', 'floorArea'], String(h.floorArea));
  await type(page, ['household', 'rooms'], String(h.rooms));
}

/** Fills person `i` (its card must exist); the ID number fills birth and sex by itself. */
export async function fillPerson(page: Page, i: number, p: PersonAnswers, citizenId = idOf(p)): Promise<void> {
  await type(page, ['persons', i, 'name'], p.name);
  await choose(page, ['persons', i, 'relationship'], p.relationship);
  await type(page, ['persons', i, 'citizenId'], citizenId);
  await f(page, 'persons', i, 'ethnicity').selectOption('01');
  await choose(page, ['persons', i, 'residence'], 1);
  await choose(page, ['persons', i, 'hukou'], 1);
  await choose(page, ['persons', i, 'leftHukouDuration'], 1);
  await choose(page, ['persons', i, 'education'], 5);
  await choose(page, ['persons', i, 'literate'], 1);
}

export const field = f;

/**
 * A short-form, ordinary, unvisited household of the user's listing whose listed counts, if any,
 * fit a 3-person household with no births, deaths or overseas persons. Read from the server: the
 * phone's rows are encrypted at rest, and at this point the phone holds exactly the server's listing.
 */
export async function pickPendingHousehold(page: Page, username = 'demo-enumerator'): Promise<string> {
  type Row = { id: string; kind: string; longForm: boolean; selfEnumeration: boolean; householdNo: string; visit: { status: string }; expected?: Record<string, number> };
  const rows = (await serverScope(new URL(page.url()).origin, username)).filter((c) => c.entity === 'listing' && c.data).map((c) => c.data as unknown as Row);
  const agrees = (e: Row['expected']) => !e || (e.residents === 3 && e.hukouHereAbsent === 0 && e.births === 0 && e.deaths === 0 && e.overseas === 0);
  const hit = rows.find((r) => r.kind === 'ordinary' && !r.longForm && !r.selfEnumeration && r.householdNo !== '999' && r.visit.status === 'pending' && agrees(r.expected));
  if (!hit) throw new Error('no pending short-form household in the listing');
  return hit.id;
}
