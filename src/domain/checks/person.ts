// Migration (§6D.5-6D.8, and D7 against D9 for members away) and education (§6E.2-6E.5, 6E.7)
// checks on each person. Presence and skip rules (§6D.1-6D.4, 6E.1, 6E.6) are in presence.ts.
import * as C from '../codes.ts';
import { ageAtCensus } from '../age.ts';
import type { Finding, RegistrationDraft } from '../schemas.ts';
import { finding } from './finding.ts';

/** §6D.8: the youngest plausible age for a D10 reason (W below it). */
export const REASON_MIN_AGE: Readonly<Record<number, number>> = {
  [C.REASON.work]: 15,
  [C.REASON.marriage]: 15,
  [C.REASON.grandchildren]: 35,
  [C.REASON.childSchooling]: 20,
  [C.REASON.retirement]: 45,
};
/** §6E.3 and §6E.5 thresholds. */
export const PRESCHOOL_MAX_AGE = 9;
export const IN_SCHOOL_MAX_AGE = 40;

/**
 * D7 codes inside the township of a hukou registered in this village committee: 2 (another
 * district of this village committee) and 3 (another village committee of this township). "Leaving"
 * is measured at township level (census-forms.md §1b note on D9), so these imply D9 = 1 and every
 * other away code (4 other township, 5 other county, 6 HK/Macao/Taiwan, 7 abroad) implies D9 ≠ 1.
 */
export const SAME_TOWNSHIP_RESIDENCES: readonly number[] = [2, 3];
const EXPECT_NEVER_LEFT = { zh: '应为"没有离开"', en: 'be "never left"' } as const;
const EXPECT_LEFT = { zh: '不应为"没有离开"', en: 'not be "never left"' } as const;

const labelOf = (list: C.CodeList, code: number) => {
  const c = C.labelOf(list, code);
  return { zh: c?.zh ?? String(code), en: c?.en ?? String(code) };
};

/** The path of person i's field (a module function: no closure per person). */
const fieldOf = (i: number, field: string) => ['persons', i, field];

export function checkPersons(reg: RegistrationDraft): Finding[] {
  const out: Finding[] = [];
  reg.persons.forEach((p, i) => {
    const age = p.birth === undefined ? undefined : ageAtCensus(p.birth);
    const here = p.residence?.code === C.RESIDENCE_HERE;
    const hukou = p.hukou?.code;
    const d9 = p.leftHukouDuration;
    if (here && (hukou === 1 || hukou === 2) && d9 !== undefined && d9 !== C.NEVER_LEFT) out.push(finding('SAME_TOWNSHIP_LEFT', fieldOf(i, 'leftHukouDuration')));
    if (here && (hukou === 3 || hukou === 4) && d9 === C.NEVER_LEFT) out.push(finding('OTHER_TOWNSHIP_NOT_LEFT', fieldOf(i, 'leftHukouDuration')));
    // §6D.5/6D.6 for members away at the census moment: with hukou here (D8=1, which §6B.4 requires
    // of them), D7 itself says whether they live in their hukou township.
    const residence = p.residence?.code;
    if (residence !== undefined && residence !== C.RESIDENCE_HERE && hukou === C.HUKOU_HERE && d9 !== undefined) {
      const sameTownship = SAME_TOWNSHIP_RESIDENCES.includes(residence);
      if (sameTownship === (d9 !== C.NEVER_LEFT)) {
        out.push(finding('ABSENT_RESIDENCE_DURATION', fieldOf(i, 'leftHukouDuration'), { where: labelOf(C.RESIDENCE, residence), expected: sameTownship ? EXPECT_NEVER_LEFT : EXPECT_LEFT }));
      }
    }
    if (age === undefined || age < 0) return;
    const minYears = d9 === undefined ? undefined : C.LEFT_HUKOU_MIN_YEARS[d9];
    if (minYears !== undefined && minYears > age) out.push(finding('DURATION_EXCEEDS_AGE', fieldOf(i, 'leftHukouDuration'), { years: minYears, age }));
    const reason = p.leftHukouReason;
    const reasonMin = reason === undefined ? undefined : REASON_MIN_AGE[reason];
    if (reason !== undefined && reasonMin !== undefined && age < reasonMin) out.push(finding('REASON_AGE', fieldOf(i, 'leftHukouReason'), { age, reason: labelOf(C.LEFT_HUKOU_REASON, reason) }));
    const edu = p.education;
    const eduMin = edu === undefined ? undefined : C.EDUCATION_MIN_AGE[edu];
    if (edu !== undefined && eduMin !== undefined && age < eduMin) out.push(finding('EDU_MIN_AGE', fieldOf(i, 'education'), { age, level: labelOf(C.EDUCATION, edu) }));
    if (edu === C.EDU.preschool && age > PRESCHOOL_MAX_AGE) out.push(finding('PRESCHOOL_AGE', fieldOf(i, 'education'), { age }));
    if (p.literate === C.NO && edu !== undefined && edu >= C.EDU.junior) out.push(finding('ILLITERATE_EDUCATED', fieldOf(i, 'literate')));
    if (p.schooling === C.IN_SCHOOL && age > IN_SCHOOL_MAX_AGE) out.push(finding('IN_SCHOOL_AGE', fieldOf(i, 'schooling'), { age }));
    if (p.notWorkingReason === C.NOT_WORKING_STUDYING && p.schooling !== C.IN_SCHOOL) out.push(finding('NOT_WORKING_STUDENT', fieldOf(i, 'notWorkingReason')));
  });
  return out;
}
