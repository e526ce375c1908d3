// Types shared by the register import (registers-csv.ts), the comparison (review-compare.ts) and
// the stores: plain values, no SQL, no I/O.
import type { ReviewCategory, ReviewMatch, ReviewSubject } from '../domain/index.ts';

export const REGISTER_KINDS = ['hukou', 'births', 'deaths'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

/** One row of a department register (部门资料) as imported, normalised. */
export interface RegisterRecord {
  kind: RegisterKind;
  /** Stable key within its kind: the same row imported twice has the same key (idempotency). */
  key: string;
  /** Where the office placed the record's address. */
  districtCode: string;
  /** Normalised (upper-case X, no spaces); hukou: the person; births: the child; deaths: the deceased. */
  citizenId?: string;
  /** hukou / deaths: the person; births: the child (may be absent). */
  name?: string;
  sex: 1 | 2;
  /** Birth month, YYYY-MM (the census records months). */
  birth: string;
  /** The full date when the register gave one, YYYY-MM-DD. */
  birthDate?: string;
  /** deaths: the month of death, YYYY-MM. */
  death?: string;
  deathDate?: string;
  address?: string;
  /** births only. */
  motherName?: string;
  motherCitizenId?: string;
}

/** One row of the national office's problem list (问题清单). */
export interface NationalProblem {
  /** Stable key (idempotent re-import). */
  key: string;
  districtCode: string;
  householdNo?: string;
  category: ReviewCategory;
  citizenId?: string;
  name?: string;
  message: string;
}

/** A registered person as the comparison sees them (read from the registrations). */
export interface ComparePerson {
  personId: string;
  name?: string;
  citizenId?: string;
  sex?: number;
  birth?: string;
  /** D2 relationship to the head. */
  relationship?: number;
}

export interface CompareDeath {
  deathId: string;
  name?: string;
  citizenId?: string;
  sex?: number;
  birth?: string;
  death?: string;
}

/** One registered household (its current version), with the address of its listing entry. */
export interface CompareHousehold {
  registrationId: string;
  districtCode: string;
  householdNo: string;
  status: 'draft' | 'complete';
  address?: string;
  persons: ComparePerson[];
  deaths: CompareDeath[];
  /** Rules whose warnings the enumerator confirmed (overrides), with the path of each. */
  overrides: { rule: string; path: (string | number)[] }[];
}

/** What the comparison proposes; the store inserts it unless an item with the same key exists. */
export interface ReviewCandidate {
  /** Idempotency key, e.g. `hukouMissing:<register key>`. */
  key: string;
  category: ReviewCategory;
  districtCode: string;
  householdId?: string;
  householdNo?: string;
  /** What to check, in Chinese, for the enumerator. */
  message: string;
  subject: ReviewSubject;
  match: ReviewMatch;
}
