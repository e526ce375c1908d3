// Relationship and age logic (§6C): ages of relatives against the head's age. The thresholds are
// common practice, not quoted official values, so they sit in one table (RELATION_LIMITS).
import * as C from '../codes.ts';
import { ageAtCensus } from '../age.ts';
import type { Finding, RegistrationDraft } from '../schemas.ts';
import { finding } from './finding.ts';
import { membersOf, type MemberRef } from './household.ts';

/** §6C thresholds in completed years. */
export const RELATION_LIMITS = {
  headMinAge: 15,
  /** Below this a spouse is impossible (error): the same 15-year floor as FIRST_MARRIAGE_RANGE and the C24 age filter. */
  spouseMinPossibleAge: 15,
  /** Below this a spouse is under the legal age (warning; 20 is the lower of today's 22 / 20). */
  spouseMinAge: 20,
  spouseMaxGap: 20,
  childMinGap: 15,
  parentMinGap: 15,
  grandparentMinGap: 30,
  grandchildMinGap: 30,
  siblingMaxGap: 30,
} as const;

const ageOf = (m: MemberRef) => (m.birth === undefined ? undefined : ageAtCensus(m.birth));
const at = (m: MemberRef, field: string) => [m.list, m.index, field];
const has = (members: readonly MemberRef[], rel: number) => members.some((m) => m.relationship === rel);
// §6C.10/6C.11 fire only when the data proves the relationship wrong: a missing child or spouse
// is ordinary (widowed, divorced, or living elsewhere with hukou elsewhere), so only a
// never-married C24 (long form) contradicts the in-law. The short form has no C24: never fires.
const neverMarried = (reg: RegistrationDraft, m: MemberRef) => m.list === 'persons' && reg.persons[m.index]?.marital === C.NEVER_MARRIED;

export function checkRelationships(reg: RegistrationDraft): Finding[] {
  const members = membersOf(reg);
  const head = members.find((m) => m.relationship === C.REL.head);
  if (!head) return [];
  const L = RELATION_LIMITS;
  const out: Finding[] = [];
  const headAge = ageOf(head);
  if (headAge !== undefined && headAge >= 0 && headAge < L.headMinAge) out.push(finding('HEAD_AGE', at(head, 'birth')));
  const spouses = members.filter((m) => m.relationship === C.REL.spouse);
  spouses.slice(1).forEach((m) => out.push(finding('SPOUSE_COUNT', at(m, 'relationship'), { count: spouses.length })));
  const headNeverMarried = neverMarried(reg, head);

  for (const m of members) {
    if (m === head) continue;
    const age = ageOf(m);
    const rel = m.relationship;
    if (rel === C.REL.spouse && m.sex !== undefined && m.sex === head.sex) out.push(finding('SPOUSE_SAME_SEX', at(m, 'relationship')));
    if (rel === C.REL.childInLaw && !has(members, C.REL.child) && neverMarried(reg, m)) out.push(finding('CHILD_IN_LAW_NO_CHILD', at(m, 'relationship')));
    if (rel === C.REL.parentInLaw && !has(members, C.REL.spouse) && headNeverMarried) out.push(finding('PARENT_IN_LAW_NO_SPOUSE', at(m, 'relationship')));
    if (age === undefined || headAge === undefined) continue;
    const older = headAge - age; // how much older the head is
    switch (rel) {
      case C.REL.spouse:
        if (age >= 0 && age < L.spouseMinPossibleAge) out.push(finding('SPOUSE_TOO_YOUNG', at(m, 'birth'), { age }));
        else if (age >= 0 && age < L.spouseMinAge) out.push(finding('SPOUSE_AGE', at(m, 'birth')));
        if (Math.abs(older) > L.spouseMaxGap) out.push(finding('SPOUSE_AGE_GAP', at(m, 'birth'), { gap: Math.abs(older) }));
        break;
      case C.REL.child:
        if (older <= 0) out.push(finding('CHILD_OLDER_THAN_HEAD', at(m, 'relationship')));
        else if (older < L.childMinGap) out.push(finding('CHILD_AGE_GAP', at(m, 'relationship'), { gap: older }));
        break;
      case C.REL.parent:
      case C.REL.parentInLaw:
        if (-older <= 0) out.push(finding('PARENT_YOUNGER_THAN_HEAD', at(m, 'relationship')));
        else if (-older < L.parentMinGap) out.push(finding('PARENT_AGE_GAP', at(m, 'relationship'), { gap: -older }));
        break;
      case C.REL.grandparent:
        if (-older < L.grandparentMinGap) out.push(finding('GRANDPARENT_AGE_GAP', at(m, 'relationship'), { gap: -older }));
        break;
      case C.REL.grandchild:
        if (older < L.grandchildMinGap) out.push(finding('GRANDCHILD_AGE_GAP', at(m, 'relationship'), { gap: older }));
        break;
      case C.REL.sibling:
        if (Math.abs(older) > L.siblingMaxGap) out.push(finding('SIBLING_AGE_GAP', at(m, 'relationship'), { gap: Math.abs(older) }));
        break;
      default:
        break;
    }
  }
  return out;
}
