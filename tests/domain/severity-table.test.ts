// The severity of every rule, written by hand from census-forms.md §6 (E = error, W = warning) and
// the choices recorded in docs/EDIT-CHECKS.md ("Severity choices"). The rule tests compare a
// finding's severity with RULES itself, so only this independent table catches a rule re-graded
// by mistake (SPOUSE_COUNT as a warning, HEAD_AGE as an error, ...). Re-grading a rule on purpose
// means changing this table and EDIT-CHECKS.md together.
import { describe, expect, it } from 'vitest';
import { RULE_IDS, RULES } from '../../src/domain/index.ts';

const E = 'error';
const W = 'warning';

const SEVERITIES: Readonly<Record<string, 'error' | 'warning'>> = {
  // skip rules, age filters and derived checks (§1-§4, data-model.md): the form cannot be filled otherwise
  ANSWER_MISSING: E,
  ANSWER_NOT_APPLICABLE: E,
  BIRTH_AFTER_CENSUS: E,
  EMPTY_HOUSEHOLD: E,
  LONG_FORM_NOT_SAMPLED: E,
  // §6A
  ID_FORMAT: E, // 6A.1
  ID_CHECK_DIGIT: E, // 6A.2
  ID_DATE: E, // 6A.3
  ID_BEFORE_1900: W, // 6A.3
  ID_BIRTH_MISMATCH: E, // 6A.4
  ID_SEX_MISMATCH: E, // 6A.5
  ID_DUPLICATE: E, // 6A.6
  ID_ADDRESS_CODE: W, // 6A.7
  ID_LEGACY_15: W, // 6A.8
  // §6B
  HEAD_COUNT: E, // 6B.1
  HEAD_FIRST: E, // 6B.1
  PERSON_COUNT: E, // 6B.2
  RESIDENT_COUNT: E, // 6B.3
  ABSENT_COUNT: E, // 6B.3
  ABSENT_HUKOU_HERE: E, // 6B.4, 6D.9
  BIRTHS_COUNT: W, // 6B.5
  DEATHS_COUNT: E, // 6B.6
  DEAD_PERSON_LISTED: E, // 6B.7
  DWELLING_SIZE: E, // 6B.8
  FLOOR_AREA_PLAUSIBLE: W, // 6B.9
  COLLECTIVE_RELATIONSHIP: W, // 6B.10
  SUGGEST_COLLECTIVE: W, // 6B.10
  LISTING_COUNTS: W, // 6B.11
  ALL_DECEASED_NUMBER: E, // 6B.12 (EDIT-CHECKS.md)
  ALL_DECEASED_CONTENT: E, // 6B.12 (EDIT-CHECKS.md)
  // §6C
  HEAD_AGE: W, // 6C.1
  SPOUSE_COUNT: E, // 6C.2
  SPOUSE_SAME_SEX: W, // 6C.3 E/W (EDIT-CHECKS.md)
  SPOUSE_TOO_YOUNG: E, // 6C.4 below the minimum possible age (EDIT-CHECKS.md)
  SPOUSE_AGE: W, // 6C.4
  SPOUSE_AGE_GAP: W, // 6C.5
  CHILD_AGE_GAP: W, // 6C.6
  CHILD_OLDER_THAN_HEAD: E, // 6C.6
  PARENT_AGE_GAP: W, // 6C.7
  PARENT_YOUNGER_THAN_HEAD: E, // 6C.7
  GRANDPARENT_AGE_GAP: W, // 6C.8
  GRANDCHILD_AGE_GAP: W, // 6C.9
  CHILD_IN_LAW_NO_CHILD: W, // 6C.10
  PARENT_IN_LAW_NO_SPOUSE: W, // 6C.11
  SIBLING_AGE_GAP: W, // 6C.12
  // §6D
  PLACE_INCOMPLETE: E, // 6D.1
  SAME_TOWNSHIP_LEFT: W, // 6D.5
  OTHER_TOWNSHIP_NOT_LEFT: W, // 6D.6
  ABSENT_RESIDENCE_DURATION: W, // 6D.5/6D.6 for members away (EDIT-CHECKS.md)
  DURATION_EXCEEDS_AGE: E, // 6D.7
  REASON_AGE: W, // 6D.8
  // §6E
  EDU_MIN_AGE: W, // 6E.2
  PRESCHOOL_AGE: W, // 6E.3
  ILLITERATE_EDUCATED: W, // 6E.4 E/W (EDIT-CHECKS.md)
  IN_SCHOOL_AGE: W, // 6E.5
  NOT_WORKING_STUDENT: W, // 6E.7
  // §6F
  WORK_HOURS_RANGE: E, // 6F.2
  WORK_HOURS_LONG: W, // 6F.3
  RETIRED_YOUNG: W, // 6F.4
  FIRST_MARRIAGE_RANGE: E, // 6F.6
  FIRST_MARRIAGE_EARLY: W, // 6F.7
  HEAD_MARITAL_SPOUSE: W, // 6F.8
  CHILDREN_SURVIVING: E, // 6F.9
  CHILDREN_MANY: W, // 6F.10
  MOTHER_AGE_GAP: W, // 6F.11
  BIRTH_LAST_YEAR_MONTH: E, // 6F.12
  BIRTH_LAST_YEAR_H3: E, // 6F.12
  BIRTH_LAST_YEAR_PERSON: W, // 6F.12 (EDIT-CHECKS.md)
  ELEVATOR_BUNGALOW: W, // 6F.15 W/E (EDIT-CHECKS.md)
  NEW_MUD_HOUSE: W, // 6F.16
  // §6G and the overseas form
  DEATH_MONTH: E, // 6G.1
  DEATH_BEFORE_BIRTH: E, // 6G.2
  OVERSEAS_DOCUMENT: W, // §4 (EDIT-CHECKS.md)
};

describe('rule severities', () => {
  it('the catalogue has exactly the ids of the table, each with the severity of the table', () => {
    const actual = Object.fromEntries(RULE_IDS.map((id) => [id, RULES[id].severity]));
    expect(actual).toEqual(SEVERITIES);
  });
});
