// The catalogue of edit-check rules (census-forms.md §6): stable id, severity, section reference
// and the zh/en message template a field worker reads. Data only: the checks in ./checks/ emit
// findings by id, so a census office can reword a message or re-grade a rule here in one place.
// Templates use {name} placeholders filled by the check (see formatMessage in ./checks/finding.ts).

export type Severity = 'error' | 'warning';

export interface RuleDef {
  readonly severity: Severity;
  /** census-forms.md sections this rule implements; "D" marks a rule derived from the form's logic or data-model.md. */
  readonly ref: readonly string[];
  readonly zh: string;
  readonly en: string;
}

const E = 'error' as const;
const W = 'warning' as const;
const r = (severity: Severity, ref: readonly string[], zh: string, en: string): RuleDef => ({ severity, ref, zh, en });

export const RULES = {
  // ---- applicability (skip rules and age filters of §1-§4) ----
  ANSWER_MISSING: r(E, ['§1-§4', '6B.8', '6D.1', '6D.4', '6E.1', '6F.1', '6F.5', '6F.14', '6G.3', 'overseas'], '{item} {label}未填写，此题需要回答。', '{item} ({label}) is missing; this question applies.'),
  ANSWER_NOT_APPLICABLE: r(E, ['§1-§4', '6B.8', '6D.2', '6D.3', '6E.1', '6E.6', '6F.1', '6F.5', '6F.13', '6F.14', '6G.3', 'overseas'], '{item} {label}按跳答规则不应填写，请删除。', '{item} ({label}) must be left blank here (skip rule); remove the answer.'),
  BIRTH_AFTER_CENSUS: r(E, ['§0', 'D'], '出生年月{birth}晚于普查标准时点(2020年11月1日)。', 'Birth {birth} is after the census moment (1 Nov 2020).'),
  EMPTY_HOUSEHOLD: r(E, ['D'], '本户没有登记任何人(普查表、死亡表或港澳台和外籍人员表)。', 'No one is registered in this household (no person, death or overseas record).'),
  LONG_FORM_NOT_SAMPLED: r(E, ['§2', 'D'], '本户不是长表抽中户，不能填长表。', 'This household is not in the long-form sample; use the short form.'),

  // ---- 6A citizen ID ----
  ID_FORMAT: r(E, ['6A.1'], '公民身份号码应为18位：前17位数字，最后一位数字或大写X。', 'The citizen ID must be 18 characters: 17 digits, then a digit or capital X.'),
  ID_CHECK_DIGIT: r(E, ['6A.2'], '公民身份号码校验位错误，请核对证件。', 'The citizen ID check character is wrong; check the document.'),
  ID_DATE: r(E, ['6A.3'], '公民身份号码中的出生日期无效或晚于2020年10月31日。', 'The birth date in the citizen ID is not a real date or is after 31 Oct 2020.'),
  ID_BEFORE_1900: r(W, ['6A.3'], '公民身份号码中的出生日期早于1900年，请核实。', 'The birth date in the citizen ID is before 1900; please confirm.'),
  ID_BIRTH_MISMATCH: r(E, ['6A.4'], '公民身份号码中的出生年月{idBirth}与填报的出生年月{birth}不一致。', 'The citizen ID says born {idBirth} but the form says {birth}.'),
  ID_SEX_MISMATCH: r(E, ['6A.5'], '公民身份号码第17位与性别不符(奇数为男，偶数为女)。', 'The 17th digit of the citizen ID does not match the sex (odd = male, even = female).'),
  ID_DUPLICATE: r(E, ['6A.6'], '公民身份号码与{other}重复。', 'The citizen ID is the same as {other}.'),
  ID_ADDRESS_CODE: r(W, ['6A.7'], '公民身份号码前6位{code}不是有效的行政区划代码，请核实。', 'The first 6 digits {code} of the citizen ID are not a valid area code; please confirm.'),
  ID_LEGACY_15: r(W, ['6A.8'], '填写的是15位旧身份证号码，18位号码应为{upgraded}。', 'This is an old 15-digit ID; the 18-character number is {upgraded}.'),

  // ---- 6B household structure and counts ----
  HEAD_COUNT: r(E, ['6B.1'], '本户应有且只有一名户主，现有{count}名。', 'A household has exactly one head; this one has {count}.'),
  HEAD_FIRST: r(E, ['6B.1'], '户主应登记在第一位。', 'The head of household must be the first person listed.'),
  PERSON_COUNT: r(E, ['6B.2'], '登记人数{persons}与本户应登记人数{expected}(H2两项之和)不符。', '{persons} persons are listed but H2 says {expected}.'),
  RESIDENT_COUNT: r(E, ['6B.3'], '普查时点住在本普查小区的人数{count}与H2(居住在本户){expected}不符。', '{count} persons live here (D7=1) but H2 says {expected} slept here.'),
  ABSENT_COUNT: r(E, ['6B.3'], '户口在本户但不住本户的人数{count}与H2{expected}不符。', '{count} persons are away (D7≠1) but H2 says {expected}.'),
  ABSENT_HUKOU_HERE: r(E, ['6B.4', '6D.9'], '不住本户(含港澳台和国外)的人户口必须在本户(户口登记地应为本村(居)委会)。', 'A person not living here (incl. HK/Macao/Taiwan or abroad) must have hukou here (D8=1).'),
  BIRTHS_COUNT: r(W, ['6B.5'], '本户2019.11-2020.10出生的{sex}性有{count}人，多于H3填报的{expected}人。', '{count} {sex} persons born 2019-11..2020-10 are listed, more than H3 ({expected}).'),
  DEATHS_COUNT: r(E, ['6B.6', '6G.4'], '{sex}性死亡人数H4为{expected}，但死亡人口调查表有{count}份。', 'H4 reports {expected} {sex} death(s) but there are {count} {sex} death form(s).'),
  DEAD_PERSON_LISTED: r(E, ['6B.7'], '死亡人口的公民身份号码与在世人员{other}相同。', 'This deceased person has the same citizen ID as the living person {other}.'),
  DWELLING_SIZE: r(E, ['6B.8'], '普通住宅的建筑面积应大于0，间数至少为1。', 'An ordinary dwelling needs a floor area above 0 and at least 1 room.'),
  FLOOR_AREA_PLAUSIBLE: r(W, ['6B.9'], '人均建筑面积{perPerson}平方米或间数{rooms}与面积{area}平方米不太合理，请核实。', 'Floor area per person {perPerson} m² or {rooms} rooms in {area} m² looks implausible; please confirm.'),
  COLLECTIVE_RELATIONSHIP: r(W, ['6B.10'], '集体户中除户主外，与户主关系应填"其他"。', 'In a collective household everyone except the nominal head is "other" (D2=9).'),
  SUGGEST_COLLECTIVE: r(W, ['6B.10'], '除户主外所有人与户主关系都是"其他"，是否应为集体户？', 'Everyone except the head is "other": should this be a collective household?'),
  LISTING_COUNTS: r(W, ['6B.11'], '底册登记的{what}为{expected}，普查表为{count}。', 'The listing says {what} = {expected}; the form says {count}.'),
  ALL_DECEASED_NUMBER: r(E, ['6B.12'], '全户死亡户应使用户编号999。', 'A household whose members all died must use household number 999.'),
  ALL_DECEASED_CONTENT: r(E, ['6B.12'], '户编号999(全户死亡户)只填H4和死亡人口调查表，不能登记在世人员。', 'Household number 999 (all died) has only H4 and death forms; no living persons.'),

  // ---- 6C relationship and age ----
  HEAD_AGE: r(W, ['6C.1'], '户主不满15周岁，请核实。', 'The head of household is under 15; please confirm.'),
  SPOUSE_COUNT: r(E, ['6C.2'], '本户有{count}名配偶，最多一名。', 'There are {count} spouses; at most one.'),
  SPOUSE_SAME_SEX: r(W, ['6C.3'], '配偶与户主性别相同，请核实性别或关系。', 'The spouse has the same sex as the head; check sex and relationship.'),
  SPOUSE_TOO_YOUNG: r(E, ['6C.4', 'D'], '配偶{age}岁，不满15周岁，不可能已婚，请核对出生年月或关系。', 'The spouse is {age}, under 15, too young to be married; check birth date or relationship.'),
  SPOUSE_AGE: r(W, ['6C.4'], '配偶不满20周岁，请核实。', 'The spouse is under 20; please confirm.'),
  SPOUSE_AGE_GAP: r(W, ['6C.5'], '户主与配偶年龄相差{gap}岁，请核实。', 'The head and spouse are {gap} years apart; please confirm.'),
  CHILD_AGE_GAP: r(W, ['6C.6'], '户主只比子女大{gap}岁，请核实。', 'The head is only {gap} years older than this child; please confirm.'),
  CHILD_OLDER_THAN_HEAD: r(E, ['6C.6'], '子女的年龄不小于户主，请核对出生年月或关系。', 'This child is not younger than the head; check birth dates or relationship.'),
  PARENT_AGE_GAP: r(W, ['6C.7'], '父母(或岳父母/公婆)只比户主大{gap}岁，请核实。', 'This parent (or parent-in-law) is only {gap} years older than the head; please confirm.'),
  PARENT_YOUNGER_THAN_HEAD: r(E, ['6C.7'], '父母(或岳父母/公婆)不比户主年长，请核对出生年月或关系。', 'This parent (or parent-in-law) is not older than the head; check birth dates or relationship.'),
  GRANDPARENT_AGE_GAP: r(W, ['6C.8'], '祖父母只比户主大{gap}岁，请核实。', 'This grandparent is only {gap} years older than the head; please confirm.'),
  GRANDCHILD_AGE_GAP: r(W, ['6C.9'], '户主只比孙子女大{gap}岁，请核实。', 'The head is only {gap} years older than this grandchild; please confirm.'),
  CHILD_IN_LAW_NO_CHILD: r(W, ['6C.10'], '登记了媳婿，但没有登记子女，且该媳婿婚姻状况为"未婚"，请核实关系或婚姻状况。', 'A child-in-law is listed with no child, and is "never married"; check the relationship or marital status.'),
  PARENT_IN_LAW_NO_SPOUSE: r(W, ['6C.11'], '登记了岳父母或公婆，但没有登记配偶，且户主婚姻状况为"未婚"，请核实关系或婚姻状况。', 'A parent-in-law is listed with no spouse, and the head is "never married"; check the relationship or marital status.'),
  SIBLING_AGE_GAP: r(W, ['6C.12'], '兄弟姐妹与户主年龄相差{gap}岁，请核实。', 'This sibling and the head are {gap} years apart; please confirm.'),

  // ---- 6D migration ----
  PLACE_INCOMPLETE: r(E, ['6D.1'], '请填写完整的省、市、县。', 'Enter the province, city and county.'),
  SAME_TOWNSHIP_LEFT: r(W, ['6D.5'], '住在本普查小区且户口在本乡镇，离开户口登记地时间一般应为"没有离开"。', 'Living here with hukou in this township: D9 is normally "never left".'),
  OTHER_TOWNSHIP_NOT_LEFT: r(W, ['6D.6'], '住在本普查小区但户口在其他乡镇，离开户口登记地时间不应为"没有离开"。', 'Living here with hukou in another township: D9 should not be "never left".'),
  ABSENT_RESIDENCE_DURATION: r(W, ['6D.5', '6D.6', 'D'], '普查时点居住在{where}且户口在本户，离开户口登记地时间{expected}。', 'Living in "{where}" at the census moment with hukou here: D9 should {expected}.'),
  DURATION_EXCEEDS_AGE: r(E, ['6D.7'], '离开户口登记地时间({years}年以上)超过了年龄({age}岁)。', 'Time away from the hukou place ({years}+ years) exceeds the age ({age}).'),
  REASON_AGE: r(W, ['6D.8'], '{age}岁的人离开户口登记地原因为"{reason}"，请核实。', 'Reason "{reason}" for leaving the hukou place at age {age}; please confirm.'),

  // ---- 6E education ----
  EDU_MIN_AGE: r(W, ['6E.2'], '{age}岁的受教育程度为"{level}"，偏早，请核实。', 'Education "{level}" at age {age} is early; please confirm.'),
  PRESCHOOL_AGE: r(W, ['6E.3'], '{age}岁的受教育程度为"学前教育"，请核实。', 'Pre-school as the education of a {age}-year-old; please confirm.'),
  ILLITERATE_EDUCATED: r(W, ['6E.4'], '受教育程度为初中及以上却填"不识字"，请核实。', 'Junior secondary or above but "not literate"; please confirm.'),
  IN_SCHOOL_AGE: r(W, ['6E.5'], '{age}岁仍"在校"，请核实。', 'Still "in school" at age {age}; please confirm.'),
  NOT_WORKING_STUDENT: r(W, ['6E.7'], '未工作原因为"在校学习"，但学业完成情况不是"在校"。', 'Not working because "in school", but C16 is not "in school".'),

  // ---- 6F long form ----
  WORK_HOURS_RANGE: r(E, ['6F.2'], '上周工作时间应在1至168小时之间。', 'Hours worked last week must be 1 to 168.'),
  WORK_HOURS_LONG: r(W, ['6F.3'], '上周工作{hours}小时，超过84小时，请核实。', '{hours} hours last week is more than 84; please confirm.'),
  RETIRED_YOUNG: r(W, ['6F.4'], '{age}岁即"离退休"，请核实。', 'Retired at age {age}; please confirm.'),
  FIRST_MARRIAGE_RANGE: r(E, ['6F.6'], '初婚年月应不早于出生后15年，且不晚于2020年10月。', 'First marriage must be at least 15 years after birth and not after Oct 2020.'),
  FIRST_MARRIAGE_EARLY: r(W, ['6F.7'], '初婚时{age}岁，早于当时的法定婚龄({legal}岁)，请核实。', 'First married at {age}, below the legal age then in force ({legal}); please confirm.'),
  HEAD_MARITAL_SPOUSE: r(W, ['6F.8'], '婚姻状况"有配偶"与本户是否登记了配偶不一致，请核实。', 'Marital status "married" does not match whether a spouse is listed; please confirm.'),
  CHILDREN_SURVIVING: r(E, ['6F.9'], '现存活子女数不能多于生育子女数。', 'Surviving children cannot exceed children born.'),
  CHILDREN_MANY: r(W, ['6F.10'], '生育子女数{count}超过15，请核实。', '{count} children born is more than 15; please confirm.'),
  MOTHER_AGE_GAP: r(W, ['6F.11'], '母亲只比子女大{gap}岁，请核实。', 'The mother is only {gap} years older than this child; please confirm.'),
  BIRTH_LAST_YEAR_MONTH: r(E, ['6F.12'], '过去一年生育的出生年月应在2019年11月至2020年10月之间。', 'A birth in the last year must be in 2019-11..2020-10.'),
  BIRTH_LAST_YEAR_H3: r(E, ['6F.12'], '妇女填报过去一年生育{sex}孩{count}个，多于H3出生人口{expected}。', 'Women report {count} {sex} births in the last year, more than H3 ({expected}).'),
  BIRTH_LAST_YEAR_PERSON: r(W, ['6F.12'], '过去一年生育的{sex}孩({month})在本户没有对应的人员或死亡记录，请核实。', 'No person or death record of a {sex} baby born {month} is in this household; please confirm.'),
  ELEVATOR_BUNGALOW: r(W, ['6F.15'], '平房却填"有电梯"，请核实。', 'A single-storey building with an elevator; please confirm.'),
  NEW_MUD_HOUSE: r(W, ['6F.16'], '2015年以后建成的竹草土坯结构住房，请核实。', 'A bamboo/thatch/mud structure built 2015 or later; please confirm.'),

  // ---- 6G death form ----
  DEATH_MONTH: r(E, ['6G.1'], '死亡年月应在2019年11月至2020年10月之间。', 'The month of death must be in 2019-11..2020-10.'),
  DEATH_BEFORE_BIRTH: r(E, ['6G.2'], '死亡年月早于出生年月。', 'The month of death is before the month of birth.'),

  // ---- overseas form (§4) ----
  OVERSEAS_DOCUMENT: r(W, ['§4', 'D'], '证件类型与身份({status})不符，请核实。', 'The document type does not fit the status ({status}); please confirm.'),
} as const satisfies Record<string, RuleDef>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
