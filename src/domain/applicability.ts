// Which items of a form apply to a given household / person / death / overseas person, from the
// skip rules of census-forms.md §1-§4 and the age filters of §0. The UI shows only applicable
// questions; the edit checks flag applicable answers that are missing and answers the skip logic
// says must be absent. Age thresholds live in one table (AGE_FILTERS): several are unverified.
import * as C from './codes.ts';
import { ageAt, ageAtCensus } from './age.ts';
import type { DeathDraft, HouseholdDraft, OverseasPersonDraft, PersonDraft } from './schemas.ts';

/** `required`: must be answered; `optional`: may be answered (or undetermined yet); `absent`: must be left out. */
export type Applicability = 'required' | 'optional' | 'absent';
export type FormKind = 'short' | 'long';

export interface AgeFilter {
  /** Minimum completed age (inclusive). */
  readonly minAge: number;
  /** Maximum completed age (inclusive), if any. */
  readonly maxAge?: number;
  /** Asked of one sex only. */
  readonly sex?: 1 | 2;
  /** Confidence tag of census-forms.md (V verified, A app-derived, 6 from 2010, M memory). */
  readonly conf: 'V' | 'A' | '6' | 'M';
}

/**
 * Age filters of every age-dependent item, as data so a census office can correct the unverified
 * ones (tags A/6/M) in one place. Ages are completed years at 2020-11-01 (at death for the death form).
 */
export const AGE_FILTERS = {
  education: { minAge: 3, conf: 'V' }, // D11 / C15
  literate: { minAge: 15, conf: 'V' }, // D12 / C17
  ruralLandRights: { minAge: 0, conf: 'A' }, // C12 (possibly 16+ or hukou-based: M)
  residence5y: { minAge: 5, conf: 'A' }, // C14
  work: { minAge: 16, conf: 'M' }, // C18-C22
  livelihood: { minAge: 0, conf: 'M' }, // C23
  marital: { minAge: 15, conf: 'M' }, // C24-C25
  childrenBorn: { minAge: 15, maxAge: 64, sex: C.FEMALE, conf: 'A' }, // C26
  birthsLastYear: { minAge: 15, maxAge: 50, sex: C.FEMALE, conf: 'A' }, // C27
  livingArrangement: { minAge: 60, conf: 'A' }, // C28
  health: { minAge: 60, conf: '6' }, // C29
  deathEducation: { minAge: 3, conf: 'M' }, // death form S7 (6+ in 2010)
  deathMarital: { minAge: 15, conf: '6' }, // death form S8
  overseasEducation: { minAge: 3, conf: 'M' },
} as const satisfies Record<string, AgeFilter>;
export type AgeFilterName = keyof typeof AGE_FILTERS;

/** Whether a filter applies: true / false, or undefined while age or sex is still unknown. */
export function passesFilter(name: AgeFilterName, age: number | undefined, sex: number | undefined): boolean | undefined {
  const f: AgeFilter = AGE_FILTERS[name];
  if (f.sex !== undefined) {
    if (sex === undefined) return undefined;
    if (sex !== f.sex) return false;
  }
  if (f.minAge === 0 && f.maxAge === undefined) return true;
  if (age === undefined) return undefined;
  return age >= f.minAge && (f.maxAge === undefined || age <= f.maxAge);
}

const when = (cond: boolean | undefined, yes: Applicability = 'required'): Applicability =>
  cond === undefined ? 'optional' : cond ? yes : 'absent';

export const HOUSEHOLD_FIELDS = [
  'householdType', 'residents', 'hukouHereAbsent', 'births', 'deaths', 'dwellingType', 'floorArea', 'rooms',
  'storeys', 'structure', 'builtPeriod', 'elevator', 'cookingFuel', 'tapWater', 'kitchen', 'toilet', 'bathing',
  'tenure', 'monthlyRent', 'carValue',
] as const;
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];
const LONG_HOUSEHOLD_FIELDS: readonly HouseholdField[] = HOUSEHOLD_FIELDS.slice(8);

/**
 * Household items: H6-H7 only for an ordinary dwelling (H5=1); H8-H19 only on the long form and
 * H5=1; H18 only for rented dwellings (H17 in 1, 2). A whole-household death (户编号 999) fills only H4.
 */
export function householdApplicability(h: HouseholdDraft, form: FormKind, opts: { wholeHouseholdDeceased?: boolean } = {}): Record<HouseholdField, Applicability> {
  const out = {} as Record<HouseholdField, Applicability>;
  for (const f of HOUSEHOLD_FIELDS.slice(0, 6)) out[f] = 'required';
  const ordinary = opts.wholeHouseholdDeceased ? false : h.dwellingType === undefined ? undefined : h.dwellingType === C.DWELLING_ORDINARY;
  out.floorArea = when(ordinary);
  out.rooms = when(ordinary);
  for (const f of LONG_HOUSEHOLD_FIELDS) out[f] = form === 'long' ? when(ordinary) : 'absent';
  if (out.monthlyRent !== 'absent') {
    out.monthlyRent = h.tenure === undefined ? 'optional' : when(C.RENTED_TENURES.includes(h.tenure));
  }
  return out;
}

export const PERSON_FIELDS = [
  'name', 'relationship', 'citizenId', 'sex', 'birth', 'ethnicity', 'residence', 'residence.place', 'hukou', 'hukou.place',
  'leftHukouDuration', 'leftHukouReason', 'education', 'literate',
  'hukouPlaceType', 'ruralLandRights', 'birthPlace', 'birthPlace.province', 'residence5y', 'residence5y.place', 'schooling',
  'work', 'work.hours', 'employerType', 'industry', 'occupation', 'notWorkingReason', 'livelihood', 'marital',
  'firstMarriage', 'childrenBorn', 'birthsLastYear', 'livingArrangement', 'health',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

// The helpers of personApplicability are module functions, not closures made per person: the
// server runs it for every pushed person, and a closure per call (named, under the tsx loader's
// keepNames) was a measurable share of a push.
const onLongForm = (long: boolean, a: Applicability): Applicability => (long ? a : 'absent');
const workBranch = (workAsked: boolean | undefined, cond: boolean | undefined): Applicability => (workAsked === false ? 'absent' : when(cond));

/** Person items (D1-D12 on the short form, C1-C29 on the long form) for one person. */
export function personApplicability(p: PersonDraft, form: FormKind): Record<PersonField, Applicability> {
  const age = p.birth === undefined ? undefined : ageAtCensus(p.birth);
  const sex = p.sex;
  const hukou = p.hukou?.code;
  const duration = p.leftHukouDuration;
  // D9 is asked unless hukou is pending (D8=5); D10 only when the person left (D9 in 2..9).
  const askDuration = hukou === undefined ? undefined : hukou !== C.HUKOU_PENDING;
  const left = askDuration === false ? false : duration === undefined ? undefined : duration !== C.NEVER_LEFT;
  const long = form === 'long';
  const working = p.work === undefined ? undefined : p.work.status !== C.NOT_WORKING;
  const workAsked = passesFilter('work', age, sex);
  const maritalAsked = passesFilter('marital', age, sex);
  const educationAsked = passesFilter('education', age, sex);
  return {
    name: 'required',
    relationship: 'required',
    citizenId: 'optional', // D3: everyone who has one
    sex: 'required',
    birth: 'required',
    ethnicity: 'required',
    residence: 'required',
    'residence.place': p.residence === undefined ? 'optional' : when(p.residence.code === C.RESIDENCE_OTHER_COUNTY),
    hukou: 'required',
    'hukou.place': hukou === undefined ? 'optional' : when(hukou === C.HUKOU_OTHER_COUNTY),
    leftHukouDuration: when(askDuration),
    leftHukouReason: when(left),
    education: when(educationAsked),
    literate: when(passesFilter('literate', age, sex)),
    // C11 (type of the hukou place) is asked of everyone with a hukou place (D8 in 1..4), movers
    // and non-movers alike: the 2020 long form prints "1. 没有离开户口登记地 →C11" under D9, and
    // the 2010 form sent non-movers on to R10 as well. Hukou pending (D8=5) has no place to type.
    hukouPlaceType: onLongForm(long, when(askDuration)),
    ruralLandRights: onLongForm(long, when(passesFilter('ruralLandRights', age, sex))),
    birthPlace: onLongForm(long, 'required'),
    'birthPlace.province': onLongForm(long, p.birthPlace === undefined ? 'optional' : when(p.birthPlace.code === C.BIRTH_PLACE_OTHER_PROVINCE)),
    residence5y: onLongForm(long, when(passesFilter('residence5y', age, sex))),
    'residence5y.place': onLongForm(long, p.residence5y === undefined ? 'optional' : when(p.residence5y.code === C.RESIDENCE_5Y_ELSEWHERE)),
    // C16 is asked of people 3+ with primary school or above.
    schooling: onLongForm(long, educationAsked === false ? 'absent' : p.education === undefined ? 'optional' : when(p.education >= C.EDU.primary)),
    work: onLongForm(long, when(workAsked)),
    'work.hours': onLongForm(long, p.work === undefined ? 'optional' : when(p.work.status === C.WORKED)),
    employerType: onLongForm(long, workBranch(workAsked, working)),
    industry: onLongForm(long, workBranch(workAsked, working)),
    occupation: onLongForm(long, workBranch(workAsked, working)),
    notWorkingReason: onLongForm(long, workBranch(workAsked, working === undefined ? undefined : !working)),
    livelihood: onLongForm(long, when(passesFilter('livelihood', age, sex))),
    marital: onLongForm(long, when(maritalAsked)),
    firstMarriage: onLongForm(long, maritalAsked === false ? 'absent' : p.marital === undefined ? 'optional' : when(p.marital !== C.NEVER_MARRIED)),
    // C26 absent means "no children": never required, but only women 15-64 may have it.
    childrenBorn: onLongForm(long, when(passesFilter('childrenBorn', age, sex), 'optional')),
    birthsLastYear: onLongForm(long, when(passesFilter('birthsLastYear', age, sex))),
    livingArrangement: onLongForm(long, when(passesFilter('livingArrangement', age, sex))),
    health: onLongForm(long, when(passesFilter('health', age, sex))),
  };
}

export const DEATH_FIELDS = ['name', 'sex', 'birth', 'death', 'ethnicity', 'citizenId', 'education', 'marital'] as const;
export type DeathField = (typeof DEATH_FIELDS)[number];

/** Completed age at death from "YYYY-MM" birth and death (census-forms.md §3). */
export function ageAtDeath(d: Pick<DeathDraft, 'birth' | 'death'>): number | undefined {
  return d.birth === undefined || d.death === undefined ? undefined : ageAt(d.birth, d.death);
}

/** Death-form items: education and marital status only above the age thresholds at death. */
export function deathApplicability(d: DeathDraft): Record<DeathField, Applicability> {
  const age = ageAtDeath(d);
  return {
    name: 'required',
    sex: 'required',
    birth: 'required',
    death: 'required',
    ethnicity: 'required',
    citizenId: 'optional',
    education: when(passesFilter('deathEducation', age, d.sex)),
    marital: when(passesFilter('deathMarital', age, d.sex)),
  };
}

export const OVERSEAS_FIELDS = [
  'name', 'foreignName', 'relationship', 'sex', 'birth', 'status', 'nationality', 'documentType', 'documentNumber', 'purpose', 'stay', 'education',
] as const;
export type OverseasField = (typeof OVERSEAS_FIELDS)[number];

/** Overseas-form items: nationality if and only if a foreign national (status 4). */
export function overseasApplicability(o: OverseasPersonDraft): Record<OverseasField, Applicability> {
  const age = o.birth === undefined ? undefined : ageAtCensus(o.birth);
  return {
    name: 'required',
    foreignName: 'optional',
    relationship: 'required',
    sex: 'required',
    birth: 'required',
    status: 'required',
    nationality: o.status === undefined ? 'optional' : when(o.status === C.FOREIGN_NATIONAL),
    documentType: 'required',
    documentNumber: 'required',
    purpose: 'required',
    stay: 'required',
    education: when(passesFilter('overseasEducation', age, o.sex), 'optional'),
  };
}

/** Item ids and labels, for messages that name the question (census-forms.md numbering). */
export const ITEM_LABELS: Readonly<Record<string, { item: string; zh: string; en: string }>> = {
  householdType: { item: 'H1', zh: '户别', en: 'household type' },
  residents: { item: 'H2', zh: '10月31日晚居住在本户的人数', en: 'persons who slept here on 31 October' },
  hukouHereAbsent: { item: 'H2', zh: '户口在本户、10月31日晚未住本户的人数', en: 'persons with hukou here who were away' },
  births: { item: 'H3', zh: '出生人口', en: 'births' },
  deaths: { item: 'H4', zh: '死亡人口', en: 'deaths' },
  dwellingType: { item: 'H5', zh: '住所类型', en: 'type of dwelling' },
  floorArea: { item: 'H6', zh: '现住房建筑面积', en: 'floor area' },
  rooms: { item: 'H7', zh: '现住房间数', en: 'number of rooms' },
  storeys: { item: 'H8', zh: '建筑总层数', en: 'storeys of the building' },
  structure: { item: 'H9', zh: '承重类型', en: 'load-bearing structure' },
  builtPeriod: { item: 'H10', zh: '住房建成年代', en: 'year built' },
  elevator: { item: 'H11', zh: '有无电梯', en: 'elevator' },
  cookingFuel: { item: 'H12', zh: '主要炊事燃料', en: 'cooking fuel' },
  tapWater: { item: 'H13', zh: '有无管道自来水', en: 'tap water' },
  kitchen: { item: 'H14', zh: '有无厨房', en: 'kitchen' },
  toilet: { item: 'H15', zh: '有无厕所', en: 'toilet' },
  bathing: { item: 'H16', zh: '有无洗澡设施', en: 'bathing facility' },
  tenure: { item: 'H17', zh: '住房来源', en: 'how the dwelling was obtained' },
  monthlyRent: { item: 'H18', zh: '月租房费用', en: 'monthly rent' },
  carValue: { item: 'H19', zh: '家用汽车总价', en: 'value of household cars' },
  name: { item: 'D1', zh: '姓名', en: 'name' },
  foreignName: { item: 'R1', zh: '外文姓名', en: 'name in foreign script' },
  relationship: { item: 'D2', zh: '与户主关系', en: 'relationship to the head' },
  citizenId: { item: 'D3', zh: '公民身份号码', en: 'citizen ID number' },
  sex: { item: 'D4', zh: '性别', en: 'sex' },
  birth: { item: 'D5', zh: '出生年月', en: 'year and month of birth' },
  ethnicity: { item: 'D6', zh: '民族', en: 'ethnic group' },
  residence: { item: 'D7', zh: '普查时点居住地', en: 'residence at the census moment' },
  'residence.place': { item: 'D7', zh: '居住地的省、市、县', en: 'province, city and county of residence' },
  hukou: { item: 'D8', zh: '户口登记地', en: 'hukou place' },
  'hukou.place': { item: 'D8', zh: '户口登记地的省、市、县', en: 'province, city and county of the hukou place' },
  leftHukouDuration: { item: 'D9', zh: '离开户口登记地时间', en: 'time since leaving the hukou place' },
  leftHukouReason: { item: 'D10', zh: '离开户口登记地原因', en: 'reason for leaving the hukou place' },
  education: { item: 'D11', zh: '受教育程度', en: 'education' },
  literate: { item: 'D12', zh: '是否识字', en: 'literacy' },
  hukouPlaceType: { item: 'C11', zh: '户口登记地类型', en: 'type of the hukou place' },
  ruralLandRights: { item: 'C12', zh: '是否有农村土地承包经营权', en: 'rural land-contract rights' },
  birthPlace: { item: 'C13', zh: '出生地', en: 'place of birth' },
  'birthPlace.province': { item: 'C13', zh: '出生地省份', en: 'province of birth' },
  residence5y: { item: 'C14', zh: '五年前常住地', en: 'residence five years ago' },
  'residence5y.place': { item: 'C14', zh: '五年前常住地的省、市、县', en: 'province, city and county five years ago' },
  schooling: { item: 'C16', zh: '学业完成情况', en: 'completion of schooling' },
  work: { item: 'C18', zh: '工作情况', en: 'work last week' },
  'work.hours': { item: 'C18', zh: '上周工作时间', en: 'hours worked last week' },
  employerType: { item: 'C19', zh: '工作单位类型', en: 'type of employer' },
  industry: { item: 'C20', zh: '行业', en: 'industry' },
  occupation: { item: 'C21', zh: '职业', en: 'occupation' },
  notWorkingReason: { item: 'C22', zh: '未工作原因', en: 'reason for not working' },
  livelihood: { item: 'C23', zh: '主要生活来源', en: 'main source of livelihood' },
  marital: { item: 'C24', zh: '婚姻状况', en: 'marital status' },
  firstMarriage: { item: 'C25', zh: '初婚年月', en: 'first marriage' },
  childrenBorn: { item: 'C26', zh: '生育子女数', en: 'children ever born' },
  birthsLastYear: { item: 'C27', zh: '过去一年的生育状况', en: 'births in the last year' },
  livingArrangement: { item: 'C28', zh: '居住状况', en: 'living arrangement' },
  health: { item: 'C29', zh: '身体健康状况', en: 'health' },
  death: { item: 'S5', zh: '死亡年月', en: 'month of death' },
  status: { item: '身份', zh: '身份或国籍', en: 'status' },
  nationality: { item: '国籍', zh: '国籍', en: 'nationality' },
  documentType: { item: '证件', zh: '证件类型', en: 'document type' },
  documentNumber: { item: '证件', zh: '证件号码', en: 'document number' },
  purpose: { item: '目的', zh: '来内地(大陆)或来华目的', en: 'purpose of coming' },
  stay: { item: '时间', zh: '居住时间', en: 'length of stay' },
};
