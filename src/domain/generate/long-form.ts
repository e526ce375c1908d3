// Long-form answers (H8-H19, C11-C29) for a generated household, filled exactly where
// applicability.ts says they apply, and consistent with the §6E/§6F checks (hours ≤ 84, first
// marriage at legal age, married heads have a listed spouse, C27 births match listed babies).
import * as C from '../codes.ts';
import { AGE_FILTERS, passesFilter } from '../applicability.ts';
import { addYears } from './answers.ts';
import type { GenPerson } from './household.ts';
import type { Rng } from './rng.ts';

const JOBS: readonly (readonly [string, string, string, number])[] = [
  ['石家庄市某商贸有限公司', '日用品批发零售', '销售人员', 1],
  ['河北省某医院', '医疗服务', '护士', 1],
  ['某建筑工程有限公司', '房屋建筑施工', '建筑工人', 1],
  ['某中学', '中学教育', '中学教师', 1],
  ['个体餐馆', '餐饮服务', '厨师', 2],
  ['某物流公司', '快递配送', '快递员', 4],
  ['某软件公司', '软件开发', '软件工程师', 1],
  ['个体商店', '食品零售', '店员', 2],
];

/** H8-H19 for an ordinary dwelling (H5=1); nothing otherwise. */
export function fillLongHousehold(rng: Rng, h: Record<string, unknown>, rural: boolean): void {
  if (h['dwellingType'] !== C.DWELLING_ORDINARY) return;
  const storeys = rural ? 1 : rng.weighted([[2, 55], [3, 40], [4, 5]]);
  const structure = rural ? rng.weighted([[2, 60], [3, 35], [1, 5]]) : rng.weighted([[1, 70], [2, 30]]);
  const tenure = rural ? rng.weighted([[7, 85], [8, 10], [2, 5]]) : rng.weighted([[3, 40], [4, 20], [5, 12], [2, 20], [1, 3], [6, 5]]);
  Object.assign(h, {
    storeys,
    structure,
    builtPeriod: rng.int(rural ? 4 : 5, 9),
    elevator: storeys >= 3 ? C.YES : C.NO,
    cookingFuel: rural ? rng.weighted([[1, 40], [2, 30], [3, 15], [4, 15]]) : rng.weighted([[1, 80], [2, 20]]),
    tapWater: rural && rng.chance(0.1) ? C.NO : C.YES,
    kitchen: rng.weighted([[1, 95], [2, 3], [3, 2]]),
    toilet: rural ? rng.weighted([[1, 40], [3, 30], [4, 30]]) : 1,
    bathing: rural ? rng.weighted([[2, 70], [4, 30]]) : rng.weighted([[2, 85], [1, 15]]),
    tenure,
    monthlyRent: C.RENTED_TENURES.includes(tenure) ? rng.int(3, 30) * 100 : undefined,
    carValue: rng.weighted([[1, 20], [2, 20], [3, 8], [4, 3], [5, 1], [7, 48]]),
  });
}

function livingArrangement(p: GenPerson, people: GenPerson[]): number {
  const others = people.filter((q) => q !== p && !q.absent);
  const rel = p.m.rel;
  if (rel === C.REL.parent || rel === C.REL.parentInLaw || rel === C.REL.grandparent) {
    return others.some((q) => q.m.rel === rel && q.m.sex !== p.m.sex) ? 1 : 3;
  }
  if (rel === C.REL.head || rel === C.REL.spouse) {
    const spouse = others.some((q) => q.m.rel === (rel === C.REL.head ? C.REL.spouse : C.REL.head));
    const kids = others.some((q) => q.m.rel === C.REL.child || q.m.rel === C.REL.grandchild);
    if (spouse) return kids ? 1 : 2;
    return kids ? 3 : others.length === 0 ? 5 : 7;
  }
  return 7;
}

function work(rng: Rng, p: GenPerson, rural: boolean): Record<string, unknown> {
  const age = p.m.age;
  if (p.student) return { work: { status: C.NOT_WORKING }, notWorkingReason: C.NOT_WORKING_STUDYING, livelihood: 6 };
  const job = () => {
    const [employer, business, occupation, employerType] = rng.pick(JOBS);
    return { employerType, industry: { employer, business }, occupation };
  };
  if (age < 60 && rng.chance(0.8)) {
    if (rural && rng.chance(0.4)) return { work: { status: C.WORKED, hours: rng.int(20, 50) }, employerType: 3, industry: { employer: '家庭承包地', business: '种植小麦玉米' }, occupation: '农业生产人员', livelihood: 1 };
    return { work: { status: C.WORKED, hours: rng.int(35, 60) }, ...job(), livelihood: 1 };
  }
  if (age < 60 && rng.chance(0.1)) return { work: { status: 2 }, ...job(), livelihood: 1 };
  if (age < 60) return { work: { status: C.NOT_WORKING }, notWorkingReason: rng.weighted([[3, 70], [5, 30]]), livelihood: 6 };
  if (age < 70 && rural && rng.chance(0.5)) return { work: { status: C.WORKED, hours: rng.int(10, 40) }, employerType: 3, industry: { employer: '家庭承包地', business: '种植小麦玉米' }, occupation: '农业生产人员', livelihood: 1 };
  return { work: { status: C.NOT_WORKING }, notWorkingReason: age >= 80 && rng.chance(0.3) ? 4 : C.NOT_WORKING_RETIRED, livelihood: rng.chance(0.7) ? 2 : 6 };
}

/** C11 of a hukou place outside this township: 乡, 镇 village committee, 镇 residents committee, 街道. */
const OTHER_PLACE_TYPES: readonly (readonly [number, number])[] = [[1, 15], [2, 35], [3, 15], [4, 35]];

/** C11-C29 for one person, in place on `p.out`. */
export function fillLongPerson(rng: Rng, p: GenPerson, people: GenPerson[], rural: boolean, townshipType: number): void {
  const { m, out } = p;
  const age = m.age;
  const left = p.duration !== undefined && p.duration !== C.NEVER_LEFT;
  const hebeiPlace = p.place === undefined || p.place.hebei;
  // C11 is asked of everyone with a hukou place (D8 1..4), movers or not: a hukou in this
  // township (D8 1, 2) has this township's type; one elsewhere any type.
  out['hukouPlaceType'] = p.hukou === C.HUKOU_PENDING ? undefined : p.hukou === C.HUKOU_HERE || p.hukou === 2 ? townshipType : rng.weighted(OTHER_PLACE_TYPES);
  out['ruralLandRights'] = rural ? (rng.chance(0.8) ? C.YES : C.NO) : rng.chance(0.1) ? C.YES : C.NO;
  out['birthPlace'] = hebeiPlace ? { code: p.place ? 2 : 1 } : { code: C.BIRTH_PLACE_OTHER_PROVINCE, province: p.place?.province };
  if (age >= AGE_FILTERS.residence5y.minAge) {
    const movedRecently = left && !p.absent && (p.duration ?? 9) <= 7 && p.place !== undefined;
    // A member away in another county for 5+ years (D9 8, 9) already lived there on 2015-11-01.
    const awayLong = p.absent && p.residencePlace !== undefined && (p.duration ?? 0) >= 8;
    const then = movedRecently ? p.place : awayLong ? p.residencePlace : undefined;
    out['residence5y'] = then ? { code: C.RESIDENCE_5Y_ELSEWHERE, place: { province: then.province, city: then.city, county: then.county } } : { code: 1 };
  }
  const education = out['education'];
  if (typeof education === 'number' && education >= C.EDU.primary) out['schooling'] = p.student ? C.IN_SCHOOL : rng.weighted([[2, 90], [3, 5], [4, 5]]);
  if (age >= AGE_FILTERS.work.minAge) Object.assign(out, work(rng, p, rural));
  else out['livelihood'] = 6;
  if (age >= AGE_FILTERS.marital.minAge) {
    out['marital'] = m.marital;
    if (m.marital !== C.NEVER_MARRIED) out['firstMarriage'] = addYears(p.birth, Math.min(age, rng.int(22, 28)));
  }
  const children = people.filter((q) => q.m.mother !== undefined && people[q.m.mother] === p);
  if (passesFilter('childrenBorn', age, m.sex) && (children.length > 0 || m.marital !== C.NEVER_MARRIED)) {
    const male = children.filter((q) => q.m.sex === C.MALE).length + (age >= 35 && rng.chance(0.2) ? 1 : 0);
    const female = children.filter((q) => q.m.sex === C.FEMALE).length;
    if (male + female > 0) out['childrenBorn'] = { male, female, survivingMale: male, survivingFemale: female };
  }
  if (passesFilter('birthsLastYear', age, m.sex)) {
    out['birthsLastYear'] = children.filter((q) => q.m.age === 0).map((q) => ({ month: q.birth, sex: q.m.sex }));
  }
  if (passesFilter('livingArrangement', age, m.sex)) out['livingArrangement'] = livingArrangement(p, people);
  if (passesFilter('health', age, m.sex)) out['health'] = rng.weighted([[1, 45], [2, 35], [3, 15], [4, 5]]);
}
