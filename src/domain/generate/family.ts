// Household composition for the generator: who lives together (relationship, sex, age, marital
// status, mother links), before any answer is coded. The shapes are chosen so that every relation
// passes the §6C plausibility checks (age gaps of 22+ years between generations, spouses within a
// few years, parents-in-law only with a spouse, grandparents 30+ years older than the head), and
// resident sizes average about 2.75 (Hebei, §7). Members away on census night are added by
// `absentChildren` on top of the resident composition, so they do not change the resident mix.
import * as C from '../codes.ts';
import type { Rng } from './rng.ts';

export interface Member {
  rel: number;
  sex: 1 | 2;
  age: number;
  /** C24 code; meaningful from 15. */
  marital: number;
  /** Index of the mother in the member list, when she lives here. */
  mother?: number;
  /** Away on census night with hukou here (H2b); residents otherwise. */
  absent?: boolean;
}

type Sex = 1 | 2;
const other = (s: Sex): Sex => (s === 1 ? 2 : 1);

/** Family household sizes and weights: mean ≈ 2.76 persons. */
export const FAMILY_SIZES: readonly (readonly [number, number])[] = [[1, 19], [2, 31], [3, 22], [4, 15], [5, 9], [6, 4]];

function singleMarital(rng: Rng, age: number): number {
  if (age < 30) return C.NEVER_MARRIED;
  if (age < 60) return rng.weighted([[C.NEVER_MARRIED, 5], [3, 4], [4, 1]]);
  return rng.weighted([[4, 8], [3, 1], [C.NEVER_MARRIED, 1]]);
}

function couple(rng: Rng, lo: number, hi: number): Member[] {
  const headSex: Sex = rng.chance(0.78) ? 1 : 2;
  const age = rng.int(lo, hi);
  const spouseAge = Math.max(22, age + (headSex === 1 ? -rng.int(0, 4) : rng.int(0, 4)));
  return [
    { rel: C.REL.head, sex: headSex, age, marital: C.MARRIED },
    { rel: C.REL.spouse, sex: other(headSex), age: spouseAge, marital: C.MARRIED },
  ];
}

function single(rng: Rng, lo: number, hi: number, marital?: number): Member[] {
  const age = rng.int(lo, hi);
  // Women outlive men: older people living alone are mostly widows (Hebei's 60+ sex ratio is below 100).
  const female = age >= 60 ? 0.62 : 0.45;
  return [{ rel: C.REL.head, sex: rng.chance(female) ? 2 : 1, age, marital: marital ?? singleMarital(rng, age) }];
}

/** The index of the woman among the given parents, if one is listed. */
function motherOf(members: Member[], parents: number[]): number | undefined {
  return parents.find((i) => members[i]?.sex === 2);
}

/** Children of `parents` (indices): 22-38 years younger than the younger parent; newborns rarer than other ages. */
function addChildren(rng: Rng, members: Member[], parents: number[], n: number, rel: number = C.REL.child): void {
  const youngest = Math.min(...parents.map((i) => members[i]?.age ?? 99));
  const mother = motherOf(members, parents);
  for (let k = 0; k < n; k++) {
    let age = youngest - rng.int(22, Math.max(22, Math.min(38, youngest)));
    // Age 0 (born in the reference year) is about 2.4 % of households in Hebei: thin it out.
    if (age === 0 && rng.chance(0.55)) age = rng.int(1, Math.max(1, youngest - 22));
    age = Math.max(0, age);
    const sex: Sex = rng.chance(0.52) ? 1 : 2;
    const marital = age < 15 ? C.NEVER_MARRIED : age < 28 ? C.NEVER_MARRIED : rng.weighted([[C.NEVER_MARRIED, 7], [3, 3]]);
    members.push({ rel, sex, age, marital, ...(mother !== undefined && { mother }) });
  }
}

/** One or two parents (D2=3) of the head, or parents-in-law (D2=4) of the spouse. */
function addParents(rng: Rng, members: Member[], of: number, both: boolean, rel: number = C.REL.parent): void {
  const base = members[of]?.age ?? 40;
  const fatherAge = Math.min(98, base + rng.int(24, 34));
  if (both) {
    members.push({ rel, sex: 1, age: fatherAge, marital: C.MARRIED });
    members.push({ rel, sex: 2, age: Math.max(base + 20, fatherAge - rng.int(0, 4)), marital: C.MARRIED });
  } else {
    members.push({ rel, sex: rng.chance(0.6) ? 2 : 1, age: Math.min(98, base + rng.int(22, 34)), marital: 4 });
  }
}

/** One or two grandparents (D2=5) of the head: 48-62 years older, so the §6C.8 30-year gap always holds. */
function addGrandparents(rng: Rng, members: Member[], both: boolean): void {
  const base = members[0]?.age ?? 30;
  const age = Math.min(98, base + rng.int(48, 62));
  if (both && age <= 88) {
    members.push({ rel: C.REL.grandparent, sex: 1, age, marital: C.MARRIED });
    members.push({ rel: C.REL.grandparent, sex: 2, age: Math.max(base + 46, age - rng.int(0, 4)), marital: C.MARRIED });
  } else {
    members.push({ rel: C.REL.grandparent, sex: rng.chance(0.7) ? 2 : 1, age, marital: 4 });
  }
}

/** Head couple, a married child with partner, and grandchildren (three generations). */
function threeGenerations(rng: Rng, grandchildren: number): Member[] {
  const m = couple(rng, 50, 68);
  const youngest = Math.min(m[0]?.age ?? 50, m[1]?.age ?? 50);
  const childAge = youngest - rng.int(22, Math.max(22, Math.min(30, youngest - 25)));
  const childSex: Sex = rng.chance(0.7) ? 1 : 2;
  const mother = motherOf(m, [0, 1]);
  m.push({ rel: C.REL.child, sex: childSex, age: childAge, marital: C.MARRIED, ...(mother !== undefined && { mother }) });
  m.push({ rel: C.REL.childInLaw, sex: other(childSex), age: Math.max(23, childAge + rng.int(-3, 3)), marital: C.MARRIED });
  addChildren(rng, m, [2, 3], grandchildren, C.REL.grandchild);
  return m;
}

/** Compose a family household of about `size` members. */
export function composeFamily(rng: Rng, size: number): Member[] {
  switch (size) {
    case 1:
      return single(rng, ...rng.weighted<[number, number]>([[[18, 34], 2.5], [[35, 59], 2.5], [[60, 69], 3.4], [[70, 92], 2.6]]));
    case 2: {
      const shape = rng.weighted([['couple', 65], ['parentChild', 20], ['withParent', 15]] as const);
      if (shape === 'couple') return couple(rng, ...rng.weighted<[number, number]>([[[22, 34], 2], [[35, 59], 2.5], [[60, 69], 3.8], [[70, 88], 2.7]]));
      if (shape === 'parentChild') {
        const m = single(rng, 38, 75, rng.chance(0.6) ? 4 : 3);
        addChildren(rng, m, [0], 1);
        return m;
      }
      if (rng.chance(0.15)) {
        // A young adult living with a grandparent (D2=5): three generations with the middle one away.
        const m = single(rng, 18, 30, C.NEVER_MARRIED);
        addGrandparents(rng, m, false);
        return m;
      }
      const m = single(rng, 22, 45, C.NEVER_MARRIED);
      if (rng.chance(0.25)) {
        // Two unmarried siblings sharing a home.
        const age = Math.max(18, (m[0]?.age ?? 30) + rng.int(-8, 8));
        m.push({ rel: C.REL.sibling, sex: rng.chance(0.5) ? 1 : 2, age, marital: C.NEVER_MARRIED });
      } else addParents(rng, m, 0, false);
      return m;
    }
    case 3: {
      const shape = rng.weighted([['child', 66], ['parent', 14], ['lone', 14], ['grand', 6]] as const);
      if (shape === 'grand') {
        const m = couple(rng, 24, 40);
        addGrandparents(rng, m, false);
        return m;
      }
      if (shape === 'lone') {
        const m = single(rng, 32, 55, rng.chance(0.5) ? 4 : 3);
        addChildren(rng, m, [0], 2);
        return m;
      }
      const m = couple(rng, shape === 'child' ? 24 : 28, shape === 'child' ? 46 : 52);
      if (shape === 'child') addChildren(rng, m, [0, 1], 1);
      else addParents(rng, m, 0, false);
      return m;
    }
    case 4: {
      const shape = rng.weighted([['children', 52], ['parent', 28], ['inLaw', 13], ['grand', 7]] as const);
      const m = couple(rng, 26, shape === 'grand' ? 38 : 48);
      addChildren(rng, m, [0, 1], shape === 'children' ? 2 : 1);
      if (shape === 'parent') addParents(rng, m, 0, false);
      if (shape === 'inLaw') addParents(rng, m, 1, false, C.REL.parentInLaw);
      if (shape === 'grand') addGrandparents(rng, m, false);
      return m;
    }
    case 5: {
      const shape = rng.weighted([['parent', 40], ['threeGen', 35], ['children', 25]] as const);
      if (shape === 'threeGen') return threeGenerations(rng, 1);
      const m = couple(rng, 28, 46);
      addChildren(rng, m, [0, 1], shape === 'children' ? 3 : 2);
      if (shape === 'parent') addParents(rng, m, 0, false);
      return m;
    }
    default: {
      if (rng.chance(0.45)) return threeGenerations(rng, 2);
      if (rng.chance(0.2)) {
        // Four generations: the head's child, the head, one parent and one grandparent.
        const m = couple(rng, 26, 34);
        addChildren(rng, m, [0, 1], 1);
        const base = m[0]?.age ?? 30;
        m.push({ rel: C.REL.parent, sex: 2, age: base + rng.int(22, 26), marital: 4 });
        addGrandparents(rng, m, false);
        return m;
      }
      const m = couple(rng, 28, 45);
      addChildren(rng, m, [0, 1], 2);
      addParents(rng, m, 0, true);
      return m;
    }
  }
}

/** A collective household (dormitory): a nominal head and members with D2=9, working age. */
export function composeCollective(rng: Rng): Member[] {
  const n = rng.weighted([[3, 2], [4, 3], [5, 3], [6, 2], [8, 1], [10, 1]]);
  const students = rng.chance(0.3);
  const members: Member[] = [];
  for (let k = 0; k < n; k++) {
    const age = students ? rng.int(18, 24) : rng.int(18, 55);
    const marital = age < 25 ? C.NEVER_MARRIED : rng.chance(0.5) ? C.MARRIED : C.NEVER_MARRIED;
    members.push({ rel: k === 0 ? C.REL.head : C.REL.other, sex: rng.chance(0.65) ? 1 : 2, age, marital });
  }
  return members;
}

/**
 * Adult children of the head (D2=2) who are away on census night with their hukou still here
 * (H2b): Hebei sends workers and students out. `weights` gives how many (0, 1, 2). They are
 * appended after the residents; their ages keep the 22+ year gap to the younger parent.
 */
export function absentChildren(rng: Rng, members: Member[], weights: readonly (readonly [number, number])[]): void {
  const head = members[0];
  if (!head || head.rel !== C.REL.head) return;
  const spouse = members.findIndex((m) => m.rel === C.REL.spouse);
  const parents = spouse >= 0 ? [0, spouse] : [0];
  const youngest = Math.min(...parents.map((i) => members[i]?.age ?? 0));
  if (youngest < 40) return;
  const n = rng.weighted(weights);
  const mother = parents.find((i) => members[i]?.sex === 2);
  for (let k = 0; k < n; k++) {
    const age = youngest - rng.int(22, Math.max(22, Math.min(34, youngest - 18)));
    if (age < 18) continue;
    const marital = age < 26 ? C.NEVER_MARRIED : age < 32 ? rng.weighted([[C.NEVER_MARRIED, 5], [C.MARRIED, 5]]) : rng.weighted([[C.NEVER_MARRIED, 1], [C.MARRIED, 8], [3, 1]]);
    members.push({ rel: C.REL.child, sex: rng.chance(0.55) ? 1 : 2, age, marital, ...(mother !== undefined && { mother }), absent: true });
  }
}

/** A mixed household (混合户): a mainland head, maybe children, and a spouse on the overseas form. */
export function composeMixed(rng: Rng): { members: Member[]; spouse: { sex: Sex; age: number } } {
  const head = couple(rng, 26, 60);
  const [h, sp] = head;
  const members: Member[] = h ? [h] : [];
  if (h?.sex === 2 && h.age >= 24 && rng.chance(0.6)) {
    addChildren(rng, members, [0], rng.int(1, 2));
  }
  return { members, spouse: { sex: sp?.sex ?? 2, age: sp?.age ?? 30 } };
}
