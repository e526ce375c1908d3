// The respondent's short form (self-enumeration, issue 13) as data: what is saved in the
// respondent's browser, which items apply, what the edit checks find and what is sent. No DOM here,
// and no zod: the page must stay small (≤ 60 KB gzip), and the server parses every submission with
// the domain schemas anyway; a saved state that does not look right is simply dropped.
import { deathApplicability, householdApplicability, personApplicability, type Applicability } from '../../domain/applicability.ts';
import { checkCitizenId, normalizeCitizenId } from '../../domain/citizen-id.ts';
import { blockingFindings, isOverridden, staleOverrides } from '../../domain/findings.ts';
import type { DeathDraft, Finding, FindingPath, HouseholdDraft, Override, PersonDraft, RegistrationDraft } from '../../domain/schemas.ts';
import { validateRegistration } from '../../domain/validate.ts';

export const STATE_KEY = 'pucha.self';

export interface SelfState {
  v: 1;
  /** The canonical code (normalizeSelfCode): the respondent's own capability, kept only in this browser. */
  code: string;
  address?: string;
  deadline?: string;
  /** Made once per household form: a retried submit is recognised by the server as the same one. */
  submissionId: string;
  household: HouseholdDraft;
  persons: PersonDraft[];
  deaths: DeathDraft[];
  overrides: Override[];
  submittedAt?: string;
}

/** Ids for persons, deaths and the submission: random, URL-safe. */
export function newId(prefix: string, random: (b: Uint8Array<ArrayBuffer>) => void): string {
  const b = new Uint8Array(12);
  random(b);
  return `${prefix}-${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export function newState(code: string, random: (b: Uint8Array<ArrayBuffer>) => void): SelfState {
  return {
    v: 1,
    code,
    submissionId: newId('s', random),
    household: { householdType: 1 },
    // The form lists the head first.
    persons: [{ id: newId('p', random), relationship: 0 }],
    deaths: [],
    overrides: [],
  };
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The saved form, or undefined when there is none or it is not one this page wrote. */
export function parseState(text: string | null): SelfState | undefined {
  if (!text) return undefined;
  try {
    const x: unknown = JSON.parse(text);
    if (!isObj(x) || x.v !== 1 || typeof x.code !== 'string' || typeof x.submissionId !== 'string') return undefined;
    if (!isObj(x.household) || !Array.isArray(x.persons) || !Array.isArray(x.deaths) || !Array.isArray(x.overrides)) return undefined;
    if (!x.persons.every(isObj) || !x.deaths.every(isObj) || !x.overrides.every(isObj)) return undefined;
    return x as unknown as SelfState;
  } catch {
    return undefined;
  }
}

/** The registration the edit checks see: what the server builds around the same answers. */
export function toRegistration(s: SelfState): RegistrationDraft {
  return {
    id: 'self',
    listingId: 'self',
    districtCode: '000000000000000',
    householdNo: '001',
    form: 'short',
    source: 'self',
    status: 'complete',
    household: s.household,
    persons: s.persons,
    deaths: s.deaths,
    overseas: [],
    overrides: s.overrides,
    version: 1,
    updatedAt: '2020-11-01T00:00:00.000Z',
  };
}

export const findingsOf = (s: SelfState): Finding[] => validateRegistration(toRegistration(s));
export const blockingOf = (s: SelfState, findings = findingsOf(s)): Finding[] => blockingFindings(findings, s.overrides);

/** `["persons", 0, "hukou", "place"]` -> `"persons.0.hukou.place"`: the key of a field and its messages. */
export const pathKey = (path: FindingPath | readonly (string | number)[]): string => path.join('.');

function dropKey(obj: Record<string, unknown>, key: string): void {
  const [head, ...rest] = key.split('.');
  if (head === undefined) return;
  if (rest.length === 0) {
    delete obj[head];
    return;
  }
  const inner = obj[head];
  if (isObj(inner)) dropKey(inner, rest.join('.'));
}

function dropAbsent(obj: Record<string, unknown>, app: Readonly<Record<string, Applicability>>): void {
  for (const [key, a] of Object.entries(app)) if (a === 'absent') dropKey(obj, key);
}

/**
 * After an answer changes: forget the answers the form no longer asks (an item hidden by a skip
 * rule must not stay behind as an answer the respondent cannot see), fill birth and sex from a
 * valid ID number, and keep one death form per death reported in H4.
 */
export function settle(s: SelfState, changedCitizenId?: { kind: 'persons' | 'deaths'; index: number }): void {
  if (changedCitizenId) {
    const target = changedCitizenId.kind === 'persons' ? s.persons[changedCitizenId.index] : s.deaths[changedCitizenId.index];
    if (target?.citizenId !== undefined) {
      const id = normalizeCitizenId(target.citizenId);
      const r = checkCitizenId(id);
      if (r.ok) {
        target.citizenId = id;
        target.birth = r.birth.slice(0, 7);
        target.sex = r.sex;
      }
    }
  }
  dropAbsent(s.household, householdApplicability(s.household, 'short'));
  for (const p of s.persons) dropAbsent(p, personApplicability(p, 'short'));
  for (const d of s.deaths) dropAbsent(d, deathApplicability(d));
}

/** How many death forms H4 calls for. */
export const deathsReported = (h: HouseholdDraft): number => (h.deaths ? h.deaths.male + h.deaths.female : 0);

/** Whether a death entry holds no answer yet (so it may be dropped when H4 goes down). */
export const emptyDeath = (d: DeathDraft): boolean => Object.keys(d).every((k) => k === 'id');

/** One death form per death reported: adds blank ones, drops blank surplus ones (never a filled one). */
export function matchDeaths(s: SelfState, random: (b: Uint8Array<ArrayBuffer>) => void): void {
  const want = deathsReported(s.household);
  while (s.deaths.length < want) s.deaths.push({ id: newId('d', random) });
  for (let i = s.deaths.length - 1; i >= 0 && s.deaths.length > want; i--) if (emptyDeath(s.deaths[i] ?? { id: '' })) s.deaths.splice(i, 1);
}

/** The respondent confirms (or takes back) that a warning's answer is correct. */
export function setConfirmed(s: SelfState, f: Finding, on: boolean): void {
  s.overrides = s.overrides.filter((o) => !isOverridden(f, [o]));
  if (on) s.overrides.push({ rule: f.rule, path: [...f.path], reason: 'confirmedWithRespondent', note: '住户自主填报时确认' });
}

/** What POST /self/submit receives (overrides of warnings that no longer exist are dropped). */
export function submitBody(s: SelfState) {
  const stale = new Set(staleOverrides(findingsOf(s), s.overrides));
  return { code: s.code, submissionId: s.submissionId, household: s.household, persons: s.persons, deaths: s.deaths, overrides: s.overrides.filter((o) => !stale.has(o)) };
}
