// Error injection for generated districts: each kind edits one registration (or its listing
// entry) so that the named rule must fire at the returned path. Tests use it to prove every
// injected error is caught where it was made; demos use it to show findings.
import * as C from '../codes.ts';
import { ageAtCensus } from '../age.ts';
import { checkCitizenId, makeCitizenId } from '../citizen-id.ts';
import type { FindingPath, ListingEntry, Registration } from '../schemas.ts';
import type { RuleId } from '../rules.ts';

type Target = { reg: Registration; entry: ListingEntry | undefined };
/** Applies the edit and returns the path the finding must point at, or undefined if this household is not eligible (nothing changed). */
type Apply = (t: Target) => FindingPath | undefined;

export interface Injection {
  readonly rule: RuleId;
  readonly description: string;
  readonly apply: Apply;
}

const idx = <T>(list: readonly T[], pred: (x: T, i: number) => boolean): number => list.findIndex(pred);

function rebuildId(id: string, change: { birthDate?: string; sex?: 1 | 2 }): string | undefined {
  const r = checkCitizenId(id);
  if (!r.ok) return undefined;
  return makeCitizenId(id.slice(0, 6), change.birthDate ?? r.birth, Number(id.slice(14, 16)), change.sex ?? r.sex);
}

const withId: (reg: Registration) => number = (reg) => idx(reg.persons, (p) => p.citizenId !== undefined);

export const INJECTIONS = {
  idCheckDigit: {
    rule: 'ID_CHECK_DIGIT',
    description: 'the last character of a citizen ID is changed',
    apply: ({ reg }) => {
      const i = withId(reg);
      const p = reg.persons[i];
      if (!p?.citizenId) return undefined;
      const last = p.citizenId[17] === '0' ? '1' : '0';
      p.citizenId = p.citizenId.slice(0, 17) + last;
      return ['persons', i, 'citizenId'];
    },
  },
  idBirthMismatch: {
    rule: 'ID_BIRTH_MISMATCH',
    description: 'a citizen ID encodes a birth date one year before D5',
    apply: ({ reg }) => {
      const i = withId(reg);
      const p = reg.persons[i];
      if (!p?.citizenId) return undefined;
      const year = Number(p.birth.slice(0, 4)) - 1;
      const id = rebuildId(p.citizenId, { birthDate: `${year}${p.birth.slice(4)}-15` });
      if (!id) return undefined;
      p.citizenId = id;
      return ['persons', i, 'citizenId'];
    },
  },
  idSexMismatch: {
    rule: 'ID_SEX_MISMATCH',
    description: 'the 17th digit of a citizen ID has the other sex',
    apply: ({ reg }) => {
      const i = withId(reg);
      const p = reg.persons[i];
      if (!p?.citizenId) return undefined;
      const id = rebuildId(p.citizenId, { sex: p.sex === 1 ? 2 : 1 });
      if (!id) return undefined;
      p.citizenId = id;
      return ['persons', i, 'citizenId'];
    },
  },
  idDuplicate: {
    rule: 'ID_DUPLICATE',
    description: "a second person gets the head's citizen ID",
    apply: ({ reg }) => {
      const head = reg.persons[0];
      const j = idx(reg.persons, (p, k) => k > 0 && p.citizenId !== undefined);
      const p = reg.persons[j];
      if (!head?.citizenId || !p) return undefined;
      p.citizenId = head.citizenId;
      return ['persons', j, 'citizenId'];
    },
  },
  secondHead: {
    rule: 'HEAD_COUNT',
    description: 'a second person is marked as head',
    apply: ({ reg }) => {
      if (reg.persons.length < 2 || !reg.persons[1]) return undefined;
      reg.persons[1].relationship = C.REL.head;
      return ['persons', 1, 'relationship'];
    },
  },
  headNotFirst: {
    rule: 'HEAD_FIRST',
    description: 'the head is moved to second place',
    apply: ({ reg }) => {
      const [a, b] = reg.persons;
      if (!a || !b) return undefined;
      reg.persons[0] = b;
      reg.persons[1] = a;
      return ['persons', 1, 'relationship'];
    },
  },
  residentCount: {
    rule: 'RESIDENT_COUNT',
    description: 'H2 (slept here) is one too many',
    apply: ({ reg }) => {
      if (reg.persons.length === 0) return undefined;
      reg.household.residents += 1;
      return ['household', 'residents'];
    },
  },
  deathsCount: {
    rule: 'DEATHS_COUNT',
    description: 'H4 reports a male death without a death form',
    apply: ({ reg }) => {
      reg.household.deaths.male += 1;
      return ['household', 'deaths', 'male'];
    },
  },
  absentHukouElsewhere: {
    rule: 'ABSENT_HUKOU_HERE',
    description: 'a person living elsewhere gets hukou outside this household',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.residence.code !== C.RESIDENCE_HERE);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.hukou = { code: 2 };
      return ['persons', i, 'hukou'];
    },
  },
  dwellingSkip: {
    rule: 'ANSWER_NOT_APPLICABLE',
    description: 'H5 is changed to "living at the workplace" but the floor area stays',
    apply: ({ reg }) => {
      if (reg.household.dwellingType !== C.DWELLING_ORDINARY || reg.household.floorArea === undefined) return undefined;
      reg.household.dwellingType = 3;
      return ['household', 'floorArea'];
    },
  },
  floorAreaMissing: {
    rule: 'ANSWER_MISSING',
    description: 'H6 is left out for an ordinary dwelling',
    apply: ({ reg }) => {
      if (reg.household.floorArea === undefined) return undefined;
      delete reg.household.floorArea;
      return ['household', 'floorArea'];
    },
  },
  reasonMissing: {
    rule: 'ANSWER_MISSING',
    description: 'D10 is left out for a person who left the hukou place',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.leftHukouReason !== undefined);
      const p = reg.persons[i];
      if (!p) return undefined;
      delete p.leftHukouReason;
      return ['persons', i, 'leftHukouReason'];
    },
  },
  reasonWhenNeverLeft: {
    rule: 'ANSWER_NOT_APPLICABLE',
    description: 'D10 is answered although D9 is "never left"',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.leftHukouDuration === C.NEVER_LEFT);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.leftHukouReason = 1;
      return ['persons', i, 'leftHukouReason'];
    },
  },
  literacyUnder15: {
    rule: 'ANSWER_NOT_APPLICABLE',
    description: 'D12 is answered for a child under 15',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => (ageAtCensus(p.birth) ?? 99) < 15);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.literate = C.YES;
      return ['persons', i, 'literate'];
    },
  },
  spouseCount: {
    rule: 'SPOUSE_COUNT',
    description: 'a second person is marked as spouse',
    apply: ({ reg }) => {
      if (!reg.persons.some((p) => p.relationship === C.REL.spouse)) return undefined;
      const i = idx(reg.persons, (p) => p.relationship !== C.REL.spouse && p.relationship !== C.REL.head);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.relationship = C.REL.spouse;
      return ['persons', i, 'relationship'];
    },
  },
  childOlderThanHead: {
    rule: 'CHILD_OLDER_THAN_HEAD',
    description: "a child's birth is set before the head's",
    apply: ({ reg }) => {
      const head = reg.persons[0];
      const i = idx(reg.persons, (p) => p.relationship === C.REL.child);
      const p = reg.persons[i];
      if (!head || !p || head.relationship !== C.REL.head) return undefined;
      p.birth = `${Number(head.birth.slice(0, 4)) - 1}${head.birth.slice(4)}`;
      delete p.citizenId;
      return ['persons', i, 'relationship'];
    },
  },
  durationExceedsAge: {
    rule: 'DURATION_EXCEEDS_AGE',
    description: 'a child under 10 is said to have left the hukou place 10+ years ago',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => (ageAtCensus(p.birth) ?? 99) < 10 && (p.leftHukouDuration ?? 1) >= 2);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.leftHukouDuration = 9;
      return ['persons', i, 'leftHukouDuration'];
    },
  },
  birthAfterCensus: {
    rule: 'BIRTH_AFTER_CENSUS',
    description: 'D5 is set to December 2020',
    apply: ({ reg }) => {
      const i = reg.persons.length - 1;
      const p = reg.persons[i];
      if (!p) return undefined;
      p.birth = '2020-12';
      return ['persons', i, 'birth'];
    },
  },
  workHoursRange: {
    rule: 'WORK_HOURS_RANGE',
    description: 'a long-form worker reports 200 hours last week',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.work?.status === C.WORKED);
      const p = reg.persons[i];
      if (!p?.work) return undefined;
      p.work.hours = 200;
      return ['persons', i, 'work', 'hours'];
    },
  },
  firstMarriageNeverMarried: {
    rule: 'ANSWER_NOT_APPLICABLE',
    description: 'a married person on the long form is changed to never married, first marriage kept',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.firstMarriage !== undefined);
      const p = reg.persons[i];
      if (!p) return undefined;
      p.marital = C.NEVER_MARRIED;
      return ['persons', i, 'firstMarriage'];
    },
  },
  childrenSurviving: {
    rule: 'CHILDREN_SURVIVING',
    description: 'more surviving sons than sons born',
    apply: ({ reg }) => {
      const i = idx(reg.persons, (p) => p.childrenBorn !== undefined);
      const p = reg.persons[i];
      if (!p?.childrenBorn) return undefined;
      p.childrenBorn.survivingMale = p.childrenBorn.male + 1;
      return ['persons', i, 'childrenBorn'];
    },
  },
  rentMissing: {
    rule: 'ANSWER_MISSING',
    description: 'a long-form dwelling is changed to rented without a rent',
    apply: ({ reg }) => {
      if (reg.form !== 'long' || reg.household.tenure === undefined) return undefined;
      reg.household.tenure = 2;
      delete reg.household.monthlyRent;
      return ['household', 'monthlyRent'];
    },
  },
  deathMonth: {
    rule: 'DEATH_MONTH',
    description: 'a death is dated May 2019, before the reference year',
    apply: ({ reg }) => {
      const d = reg.deaths[0];
      if (!d) return undefined;
      d.death = '2019-05';
      return ['deaths', 0, 'death'];
    },
  },
  nationalityMissing: {
    rule: 'ANSWER_MISSING',
    description: 'a foreign national without nationality',
    apply: ({ reg }) => {
      const i = idx(reg.overseas, (o) => o.status === C.FOREIGN_NATIONAL);
      const o = reg.overseas[i];
      if (!o) return undefined;
      delete o.nationality;
      return ['overseas', i, 'nationality'];
    },
  },
  listingCounts: {
    rule: 'LISTING_COUNTS',
    description: 'the listing expects one more resident than the form has',
    apply: ({ reg, entry }) => {
      if (!entry?.expected) return undefined;
      entry.expected.residents = reg.household.residents + 1;
      return ['household', 'residents'];
    },
  },
} as const satisfies Record<string, Injection>;

export type InjectionKind = keyof typeof INJECTIONS;

export interface InjectedError {
  kind: InjectionKind;
  rule: RuleId;
  registrationId: string;
  path: FindingPath;
}

/**
 * Apply each injection to a different registration (the first eligible one from a spread-out
 * start), marking it a draft since it no longer passes the checks. Mutates its arguments.
 */
export function applyInjections(kinds: readonly InjectionKind[], regs: Registration[], listing: ListingEntry[]): InjectedError[] {
  const used = new Set<number>();
  const out: InjectedError[] = [];
  const byId = new Map(listing.map((e) => [e.id, e]));
  // Kinds that need a rare household shape go first, so common kinds do not use up those households.
  const rare: readonly InjectionKind[] = ['absentHukouElsewhere', 'durationExceedsAge', 'nationalityMissing', 'deathMonth', 'childrenSurviving', 'workHoursRange', 'firstMarriageNeverMarried', 'rentMissing', 'listingCounts'];
  const order = [...kinds.entries()].sort(([a, x], [b, y]) => (rare.includes(y) ? 1 : 0) - (rare.includes(x) ? 1 : 0) || a - b);
  for (const [k, kind] of order) {
    const inj: Injection = INJECTIONS[kind];
    for (let step = 0; step < regs.length; step++) {
      const i = (k * 7 + step) % regs.length;
      const reg = regs[i];
      if (!reg || used.has(i)) continue;
      const path = inj.apply({ reg, entry: byId.get(reg.listingId) });
      if (path === undefined) continue;
      used.add(i);
      reg.status = 'draft';
      out.push({ kind, rule: inj.rule, registrationId: reg.id, path });
      break;
    }
  }
  return out;
}
