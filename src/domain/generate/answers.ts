// Coding the answers of one generated person: birth month from age, citizen ID, migration items
// (D7-D10), education and literacy. Everything is chosen to satisfy the edit checks: D9 never
// exceeds the age, D10 fits the age, education fits the age (EDUCATION_MIN_AGE).
import * as C from '../codes.ts';
import { makeCitizenId } from '../citizen-id.ts';
import type { Rng } from './rng.ts';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A birth "YYYY-MM" giving completed age `age` at 2020-11-01 (Nov/Dec births belong to the previous year). */
export function birthForAge(rng: Rng, age: number): string {
  const month = rng.int(1, 12);
  const year = month <= 10 ? 2020 - age : 2019 - age;
  return `${year}-${pad2(month)}`;
}

/** Add whole years to "YYYY-MM". */
export function addYears(ym: string, years: number): string {
  return `${Number(ym.slice(0, 4)) + years}${ym.slice(4)}`;
}

/** A valid citizen ID for this birth month and sex, unique within `used` (the district). */
export function citizenIdFor(rng: Rng, address: string, birth: string, sex: 1 | 2, used: Set<string>): string {
  const date = `${birth}-${pad2(rng.int(1, 28))}`;
  let seq = rng.int(0, 999);
  for (;;) {
    const id = makeCitizenId(address, date, seq, sex);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
    seq += 1;
  }
}

/** The largest D9 band whose lower bound does not exceed the age (§6D.7). */
export function maxDurationForAge(age: number): number {
  let best = 2;
  for (const [band, years] of Object.entries(C.LEFT_HUKOU_MIN_YEARS)) {
    const b = Number(band);
    if (b >= 2 && years <= age && b > best) best = b;
  }
  return age === 0 ? 2 : best;
}

/** Education by age, roughly Hebei's attainment mix (§7), never below the §6E.2 minimum ages. */
export function educationFor(rng: Rng, age: number, student: boolean): number | undefined {
  if (age < 3) return undefined;
  if (age <= 5) return C.EDU.preschool;
  if (age <= 11) return C.EDU.primary;
  if (age <= 14) return C.EDU.junior;
  if (age <= 17) return rng.chance(0.8) ? C.EDU.senior : C.EDU.junior;
  if (student) return rng.weighted([[C.EDU.university, 25], [C.EDU.college, 20], [C.EDU.senior, 35], [C.EDU.junior, 20]]);
  if (age <= 22) return rng.weighted([[C.EDU.university, 12], [C.EDU.college, 14], [C.EDU.senior, 38], [C.EDU.junior, 36]]);
  // Weights calibrated to Hebei's per-100 000 attainment (bulletin 2021-05-19): junior high dominates.
  if (age < 45) {
    return rng.weighted([
      [C.EDU.none, 0.3], [C.EDU.primary, 10], [C.EDU.junior, 53], [C.EDU.senior, 17], [C.EDU.college, 9.8], [C.EDU.university, 9.6],
      [C.EDU.master, 1.2], [age >= 27 ? C.EDU.doctor : C.EDU.master, 0.2],
    ]);
  }
  if (age < 60) return rng.weighted([[C.EDU.none, 1.5], [C.EDU.primary, 24], [C.EDU.junior, 52], [C.EDU.senior, 14], [C.EDU.college, 4.5], [C.EDU.university, 3.5], [C.EDU.master, 0.3]]);
  return rng.weighted([[C.EDU.none, 7.5], [C.EDU.primary, 46.5], [C.EDU.junior, 33], [C.EDU.senior, 10], [C.EDU.college, 2], [C.EDU.university, 1]]);
}

/** Literacy (asked at 15+): only people with little schooling are ever illiterate (§6E.4). */
export function literacyFor(rng: Rng, education: number | undefined): number {
  if (education === C.EDU.none) return rng.chance(0.6) ? C.NO : C.YES;
  if (education === C.EDU.primary) return rng.chance(0.01) ? C.NO : C.YES;
  return C.YES;
}

/** D10 reason for someone who left, plausible for the age and relationship (§6D.8). */
export function reasonFor(rng: Rng, age: number, rel: number, student: boolean): number {
  if (age < 15) return 3; // accompanying the family
  if (student) return 2;
  if (rel === C.REL.childInLaw) return C.REASON.marriage;
  if (rel === C.REL.parent || rel === C.REL.parentInLaw || rel === C.REL.grandparent) return age >= 45 && rng.chance(0.5) ? C.REASON.retirement : C.REASON.grandchildren;
  if (rel === C.REL.spouse) return rng.chance(0.5) ? C.REASON.work : 3;
  return rng.weighted([[C.REASON.work, 75], [4, 15], [10, 10]]);
}

/** D9 band weights for a family's move (the bulletins show long stays dominate). */
export const DURATION_WEIGHTS: readonly (readonly [number, number])[] = [[2, 5], [3, 8], [4, 12], [5, 12], [6, 10], [7, 10], [8, 23], [9, 20]];
