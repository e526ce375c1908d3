// Long-form checks (§6F): work hours, retirement age, first marriage, marital status vs spouse,
// children born / surviving, births in the last year against H3 and the listed babies, and the
// dwelling plausibility checks. Presence rules (§6F.1, 6F.5, 6F.13, 6F.14) are in presence.ts.
import * as C from '../codes.ts';
import { ageAt, ageAtCensus, inReferenceYear, WINDOW_END } from '../age.ts';
import type { Finding, RegistrationDraft } from '../schemas.ts';
import { finding, SEX_KEY, SEX_WORD } from './finding.ts';

/** §6F thresholds. */
export const LONG_FORM_LIMITS = {
  maxHours: 168,
  longHours: 84,
  retiredMinAge: 40,
  marriageMinAge: 15,
  /**
   * Legal marriage ages by the law in force at the first marriage (§6F.7), latest first: the 1980
   * Marriage Law (22 men / 20 women) from 1981-01-01, the 1950 Marriage Law (20 / 18) from
   * 1950-05-01. Earlier marriages get no legal-age warning (no PRC marriage law was in force);
   * FIRST_MARRIAGE_RANGE's 15-year floor still applies to them.
   */
  legalMarriageAge: [
    { from: '1981-01', male: 22, female: 20 },
    { from: '1950-05', male: 20, female: 18 },
  ],
  maxChildren: 15,
  motherMinGap: 15,
} as const;

/** The legal marriage age for `sex` under the law in force in the month `married` ("YYYY-MM"), or undefined before 1950-05. */
export function legalMarriageAge(married: string, sex: number): number | undefined {
  const law = LONG_FORM_LIMITS.legalMarriageAge.find((l) => married >= l.from);
  return law === undefined ? undefined : sex === C.MALE ? law.male : law.female;
}

function checkWorkAndMarriage(reg: RegistrationDraft): Finding[] {
  const L = LONG_FORM_LIMITS;
  const out: Finding[] = [];
  reg.persons.forEach((p, i) => {
    const age = p.birth === undefined ? undefined : ageAtCensus(p.birth);
    const hours = p.work?.status === C.WORKED ? p.work.hours : undefined;
    if (hours !== undefined && (hours < 1 || hours > L.maxHours)) out.push(finding('WORK_HOURS_RANGE', ['persons', i, 'work', 'hours']));
    else if (hours !== undefined && hours > L.longHours) out.push(finding('WORK_HOURS_LONG', ['persons', i, 'work', 'hours'], { hours }));
    if (p.notWorkingReason === C.NOT_WORKING_RETIRED && age !== undefined && age < L.retiredMinAge) out.push(finding('RETIRED_YOUNG', ['persons', i, 'notWorkingReason'], { age }));
    if (p.firstMarriage !== undefined && p.birth !== undefined) {
      const married = ageAt(p.birth, p.firstMarriage);
      if (married === undefined || married < L.marriageMinAge || p.firstMarriage > WINDOW_END) out.push(finding('FIRST_MARRIAGE_RANGE', ['persons', i, 'firstMarriage']));
      else if (p.sex !== undefined) {
        const legal = legalMarriageAge(p.firstMarriage, p.sex);
        if (legal !== undefined && married < legal) out.push(finding('FIRST_MARRIAGE_EARLY', ['persons', i, 'firstMarriage'], { age: married, legal }));
      }
    }
  });
  // §6F.8: in a family household, the head is "married" exactly when a spouse is listed; a listed spouse is married.
  if (reg.household.householdType !== 2) {
    const hasSpouse = reg.persons.some((p) => p.relationship === C.REL.spouse) || reg.overseas.some((o) => o.relationship === C.REL.spouse);
    reg.persons.forEach((p, i) => {
      if (p.marital === undefined) return;
      const mismatch = p.relationship === C.REL.head ? (p.marital === C.MARRIED) !== hasSpouse : p.relationship === C.REL.spouse && p.marital !== C.MARRIED;
      if (mismatch) out.push(finding('HEAD_MARITAL_SPOUSE', ['persons', i, 'marital']));
    });
  }
  return out;
}

function checkFertility(reg: RegistrationDraft): Finding[] {
  const L = LONG_FORM_LIMITS;
  const out: Finding[] = [];
  const reported = { male: 0, female: 0 };
  reg.persons.forEach((p, i) => {
    const cb = p.childrenBorn;
    if (cb) {
      if (cb.survivingMale > cb.male || cb.survivingFemale > cb.female) out.push(finding('CHILDREN_SURVIVING', ['persons', i, 'childrenBorn']));
      if (cb.male + cb.female > L.maxChildren) out.push(finding('CHILDREN_MANY', ['persons', i, 'childrenBorn'], { count: cb.male + cb.female }));
    }
    if (p.sex === C.FEMALE && p.birth !== undefined && (cb || p.birthsLastYear?.length)) {
      // Her children in the household: D2=2 for the head or spouse, the head (and siblings) for a mother of the head.
      const childRels: number[] = p.relationship === C.REL.head || p.relationship === C.REL.spouse ? [C.REL.child] : p.relationship === C.REL.parent ? [C.REL.head, C.REL.sibling] : [];
      const mine = ageAtCensus(p.birth) ?? 0;
      const gaps = reg.persons.filter((q) => q !== p && q.relationship !== undefined && childRels.includes(q.relationship) && q.birth !== undefined).map((q) => mine - (ageAtCensus(q.birth ?? '') ?? 0));
      const gap = Math.min(...gaps);
      if (gaps.length > 0 && gap < L.motherMinGap) out.push(finding('MOTHER_AGE_GAP', ['persons', i, 'childrenBorn'], { gap }));
    }
    (p.birthsLastYear ?? []).forEach((b, k) => {
      if (!inReferenceYear(b.month)) {
        out.push(finding('BIRTH_LAST_YEAR_MONTH', ['persons', i, 'birthsLastYear', k, 'month']));
        return;
      }
      reported[SEX_KEY[b.sex === 1 ? 1 : 2]] += 1;
      const listed = reg.persons.some((q) => q.birth === b.month && q.sex === b.sex) || reg.deaths.some((d) => d.birth === b.month && d.sex === b.sex);
      if (!listed) out.push(finding('BIRTH_LAST_YEAR_PERSON', ['persons', i, 'birthsLastYear', k], { sex: SEX_WORD[b.sex === 1 ? 1 : 2], month: b.month }));
    });
  });
  for (const sex of [C.MALE, C.FEMALE] as const) {
    const key = SEX_KEY[sex];
    const h3 = reg.household.births?.[key];
    if (h3 !== undefined && reported[key] > h3) out.push(finding('BIRTH_LAST_YEAR_H3', ['household', 'births', key], { sex: SEX_WORD[sex], count: reported[key], expected: h3 }));
  }
  return out;
}

function checkDwellingItems(reg: RegistrationDraft): Finding[] {
  const h = reg.household;
  const out: Finding[] = [];
  if (h.storeys === 1 && h.elevator === C.YES) out.push(finding('ELEVATOR_BUNGALOW', ['household', 'elevator']));
  if (h.builtPeriod === 9 && h.structure === 4) out.push(finding('NEW_MUD_HOUSE', ['household', 'structure']));
  return out;
}

/** Every §6F check (they only find something on long-form answers). */
export function checkLongForm(reg: RegistrationDraft): Finding[] {
  return [...checkWorkAndMarriage(reg), ...checkFertility(reg), ...checkDwellingItems(reg)];
}
