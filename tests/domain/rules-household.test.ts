// Table-driven tests of the household structure and count rules (§6B) and relationship rules (§6C).
import { makeCitizenId, type Person } from '../../src/domain/index.ts';
import { baseLong, death, foreigner, HEAD_ID, listingFor, newborn, p, ruleTable } from './fixtures.ts';

const relative = (rel: number, sex: 1 | 2, birth: string): Person => ({
  id: `x${rel}`, name: '张伟', relationship: rel, sex, birth, ethnicity: '01', residence: { code: 1 }, hukou: { code: 1 }, leftHukouDuration: 1,
  education: 3, ...(Number(birth.slice(0, 4)) <= 2005 && { literate: 1 }),
});
const add = (r: { persons: Person[]; household: { residents: number } }, x: Person) => {
  r.persons.push(x);
  r.household.residents += 1;
};

ruleTable('HEAD_COUNT', [
  { name: 'one head', at: null },
  { name: 'two heads', edit: (r) => (p(r, 1).relationship = 0), at: ['persons', 1, 'relationship'] },
  { name: 'no head', edit: (r) => (p(r, 0).relationship = 9), at: ['persons'] },
  { name: 'head on the overseas form', edit: (r) => { r.persons = []; r.household.residents = 0; r.overseas = [foreigner({ relationship: 0 })]; }, at: null },
]);
ruleTable('HEAD_FIRST', [
  { name: 'head first', at: null },
  { name: 'head second', edit: (r) => r.persons.reverse(), at: ['persons', 2, 'relationship'] },
]);
ruleTable('PERSON_COUNT', [
  { name: 'H2 = records', at: null },
  { name: 'H2 one too many', edit: (r) => (r.household.hukouHereAbsent = 1), at: ['persons'] },
]);
ruleTable('RESIDENT_COUNT', [
  { name: 'matches', at: null },
  { name: 'H2a one too many', edit: (r) => (r.household.residents = 4), at: ['household', 'residents'] },
]);
ruleTable('ABSENT_COUNT', [
  { name: 'absent person counted', edit: (r) => { p(r, 2).residence = { code: 4 }; r.household.residents = 2; r.household.hukouHereAbsent = 1; }, at: null },
  { name: 'absent person not counted', edit: (r) => (p(r, 2).residence = { code: 4 }), at: ['household', 'hukouHereAbsent'] },
]);
ruleTable('ABSENT_HUKOU_HERE', [
  { name: 'absent with hukou here', edit: (r) => (p(r, 2).residence = { code: 7 }), at: null },
  { name: 'absent with hukou in another village (§6B.4)', edit: (r) => { p(r, 2).residence = { code: 4 }; p(r, 2).hukou = { code: 2 }; }, at: ['persons', 2, 'hukou'] },
  { name: 'abroad with hukou elsewhere (§6D.9)', edit: (r) => { p(r, 2).residence = { code: 7 }; p(r, 2).hukou = { code: 3 }; }, at: ['persons', 2, 'hukou'] },
]);
ruleTable('BIRTHS_COUNT', [
  { name: 'newborn counted in H3', edit: (r) => { add(r, newborn('short')); r.household.births.female = 1; }, at: null },
  { name: 'newborn missing from H3', edit: (r) => add(r, newborn('short')), at: ['household', 'births', 'female'] },
]);
ruleTable('DEATHS_COUNT', [
  { name: 'H4 = death forms', edit: (r) => { r.deaths = [death()]; r.household.deaths.male = 1; }, at: null },
  { name: 'H4 without a death form', edit: (r) => (r.household.deaths.female = 1), at: ['household', 'deaths', 'female'] },
  { name: 'death form not in H4 (§6G.4)', edit: (r) => (r.deaths = [death()]), at: ['household', 'deaths', 'male'] },
]);
ruleTable('DEAD_PERSON_LISTED', [
  { name: 'death with its own ID', edit: (r) => { r.deaths = [death({ citizenId: makeCitizenId('130102', '1940-02-03', 5, 1) })]; r.household.deaths.male = 1; }, at: null },
  { name: "death with a living person's ID", edit: (r) => { r.deaths = [death({ citizenId: HEAD_ID })]; r.household.deaths.male = 1; }, at: ['deaths', 0, 'citizenId'] },
]);
ruleTable('DWELLING_SIZE', [
  { name: '90 m², 3 rooms', at: null },
  { name: 'no rooms', edit: (r) => (r.household.rooms = 0), at: ['household', 'rooms'] },
]);
ruleTable('FLOOR_AREA_PLAUSIBLE', [
  { name: '30 m² per person', at: null },
  { name: '1.7 m² per person', edit: (r) => (r.household.floorArea = 5), at: ['household', 'floorArea'] },
  { name: '400 m² per person', edit: (r) => (r.household.floorArea = 1200), at: ['household', 'floorArea'] },
  { name: '30 rooms in 90 m²', edit: (r) => (r.household.rooms = 30), at: ['household', 'floorArea'] },
]);
ruleTable('COLLECTIVE_RELATIONSHIP', [
  { name: 'collective, others are D2=9', edit: (r) => { r.household.householdType = 2; p(r, 1).relationship = 9; p(r, 2).relationship = 9; }, at: null },
  { name: 'collective with a spouse', edit: (r) => { r.household.householdType = 2; p(r, 2).relationship = 9; }, at: ['persons', 1, 'relationship'] },
]);
ruleTable('SUGGEST_COLLECTIVE', [
  { name: 'family relations', at: null },
  { name: 'family household of unrelated people', edit: (r) => { p(r, 1).relationship = 9; p(r, 2).relationship = 9; }, at: ['household', 'householdType'] },
]);
ruleTable('LISTING_COUNTS', [
  { name: 'listing agrees', ctx: (r) => ({ listing: listingFor(r) }), at: null },
  { name: 'no listing given', at: null },
  { name: 'listing expected 2 residents', ctx: (r) => ({ listing: listingFor(r, { expected: { residents: 2, hukouHereAbsent: 0, births: 0, deaths: 0, overseas: 0 } }) }), at: ['household', 'residents'] },
  { name: 'listing expected an overseas resident', ctx: (r) => ({ listing: listingFor(r, { expected: { residents: 3, hukouHereAbsent: 0, births: 0, deaths: 0, overseas: 1 } }) }), at: ['overseas'] },
]);
const wholeDeath = (r: { persons: Person[]; household: { residents: number; deaths: { male: number } }; deaths: unknown[] }) => {
  r.persons = [];
  r.household.residents = 0;
  r.deaths = [death()];
  r.household.deaths.male = 1;
};
ruleTable('ALL_DECEASED_NUMBER', [
  { name: 'whole-household death numbered 999', edit: (r) => { wholeDeath(r); r.householdNo = '999'; }, at: null },
  { name: 'whole-household death with an ordinary number', edit: (r) => wholeDeath(r), at: ['householdNo'] },
  { name: 'listing says all deceased', ctx: (r) => ({ listing: listingFor(r, { kind: 'allDeceased' }) }), at: ['householdNo'] },
]);
ruleTable('ALL_DECEASED_CONTENT', [
  { name: '999 with only deaths', edit: (r) => { wholeDeath(r); r.householdNo = '999'; }, at: null },
  { name: '999 with living persons', edit: (r) => (r.householdNo = '999'), at: ['persons'] },
]);

// ---- §6C ----
ruleTable('HEAD_AGE', [
  { name: 'head 45', at: null },
  { name: 'head 12', edit: (r) => { r.persons = [p(r, 0)]; r.household.residents = 1; p(r, 0).birth = '2008-01'; delete p(r, 0).citizenId; delete p(r, 0).literate; p(r, 0).education = 3; }, at: ['persons', 0, 'birth'] },
]);
ruleTable('SPOUSE_COUNT', [
  { name: 'one spouse', at: null },
  { name: 'two spouses', edit: (r) => (p(r, 2).relationship = 1), at: ['persons', 2, 'relationship'] },
]);
ruleTable('SPOUSE_SAME_SEX', [
  { name: 'opposite sex', at: null },
  { name: 'same sex', edit: (r) => { p(r, 1).sex = 1; delete p(r, 1).citizenId; }, at: ['persons', 1, 'relationship'] },
]);
const spouseBorn = (birth: string) => (r: Parameters<typeof p>[0]) => {
  p(r, 1).birth = birth;
  delete p(r, 1).citizenId;
};
ruleTable('SPOUSE_TOO_YOUNG', [
  { name: 'spouse 42', at: null },
  { name: 'spouse 15 (born 2005-10)', edit: spouseBorn('2005-10'), at: null },
  { name: 'spouse 14 (born 2005-11)', edit: spouseBorn('2005-11'), at: ['persons', 1, 'birth'] },
  { name: 'spouse 12', edit: spouseBorn('2008-01'), at: ['persons', 1, 'birth'] },
]);
ruleTable('SPOUSE_AGE', [
  { name: 'spouse 42', at: null },
  { name: 'spouse 20', edit: spouseBorn('2000-10'), at: null },
  { name: 'spouse 12: SPOUSE_TOO_YOUNG instead', edit: spouseBorn('2008-01'), at: null },
  { name: 'spouse 18', edit: spouseBorn('2002-01'), at: ['persons', 1, 'birth'] },
  { name: 'spouse 15', edit: spouseBorn('2005-10'), at: ['persons', 1, 'birth'] },
  { name: 'spouse 19', edit: spouseBorn('2000-11'), at: ['persons', 1, 'birth'] },
]);
ruleTable('SPOUSE_AGE_GAP', [
  { name: '3 years apart', at: null },
  { name: '25 years apart', edit: (r) => { p(r, 1).birth = '1950-01'; delete p(r, 1).citizenId; }, at: ['persons', 1, 'birth'] },
]);
ruleTable('CHILD_AGE_GAP', [
  { name: '35 years', at: null },
  { name: '10 years', edit: (r) => { p(r, 2).birth = '1985-01'; delete p(r, 2).citizenId; p(r, 2).literate = 1; }, at: ['persons', 2, 'relationship'] },
]);
ruleTable('CHILD_OLDER_THAN_HEAD', [
  { name: 'younger child', at: null },
  { name: 'child older than head', edit: (r) => { p(r, 2).birth = '1970-01'; delete p(r, 2).citizenId; p(r, 2).literate = 1; }, at: ['persons', 2, 'relationship'] },
]);
ruleTable('PARENT_AGE_GAP', [
  { name: 'parent 30 years older', edit: (r) => add(r, relative(3, 2, '1945-01')), at: null },
  { name: 'parent 10 years older', edit: (r) => add(r, relative(3, 2, '1965-01')), at: ['persons', 3, 'relationship'] },
]);
ruleTable('PARENT_YOUNGER_THAN_HEAD', [
  { name: 'parent older', edit: (r) => add(r, relative(3, 2, '1945-01')), at: null },
  { name: 'parent younger than head', edit: (r) => add(r, relative(4, 2, '1980-01')), at: ['persons', 3, 'relationship'] },
]);
ruleTable('GRANDPARENT_AGE_GAP', [
  { name: 'grandparent 50 years older', edit: (r) => add(r, relative(5, 2, '1925-01')), at: null },
  { name: 'grandparent 20 years older', edit: (r) => add(r, relative(5, 2, '1955-01')), at: ['persons', 3, 'relationship'] },
]);
ruleTable('GRANDCHILD_AGE_GAP', [
  { name: 'grandchild 40 years younger', edit: (r) => add(r, relative(7, 1, '2015-01')), at: null },
  { name: 'grandchild 20 years younger', edit: (r) => add(r, relative(7, 1, '1995-01')), at: ['persons', 3, 'relationship'] },
]);
// A relative on the long form, with the C items an adult not working answers.
const longRelative = (rel: number, sex: 1 | 2, birth: string, marital: number, extra: Partial<Person> = {}): Person => ({
  ...relative(rel, sex, birth), hukouPlaceType: 4, ruralLandRights: 2, birthPlace: { code: 1 }, residence5y: { code: 1 }, schooling: 2,
  work: { status: 3 }, notWorkingReason: 3, livelihood: 6, marital, ...(marital !== 1 && { firstMarriage: '2018-05' }), ...extra,
});
// The head and spouse with a daughter-in-law (born 1996) instead of their child: the son died or lives elsewhere.
const daughterInLawOnly = (x: Person) => (r: Parameters<typeof p>[0]) => {
  r.persons = [p(r, 0), p(r, 1)];
  r.household.residents = 2;
  add(r, x);
};
ruleTable('CHILD_IN_LAW_NO_CHILD', [
  { name: 'child-in-law with a child', edit: (r) => add(r, relative(6, 2, '2000-01')), at: null },
  { name: 'widowed daughter-in-law, no child listed (short form: no C24)', edit: daughterInLawOnly(relative(6, 2, '1996-01')), at: null },
  { name: 'widowed daughter-in-law, no child listed (long form)', base: baseLong, edit: daughterInLawOnly(longRelative(6, 2, '1996-01', 4)), at: null },
  { name: 'married daughter-in-law, husband elsewhere (long form)', base: baseLong, edit: daughterInLawOnly(longRelative(6, 2, '1996-01', 2)), at: null },
  { name: 'never-married child-in-law with a child listed', base: baseLong, edit: (r) => add(r, longRelative(6, 2, '1996-01', 1)), at: null },
  { name: 'never-married child-in-law, no child (long form)', base: baseLong, edit: daughterInLawOnly(longRelative(6, 2, '1996-01', 1)), at: ['persons', 2, 'relationship'] },
]);
// The head and child only, then a mother-in-law (born 1950).
const motherInLawNoSpouse = (x: Person) => (r: Parameters<typeof p>[0]) => {
  r.persons = [p(r, 0), p(r, 2)];
  r.household.residents = 2;
  add(r, x);
};
const headMarital = (marital: number) => (r: Parameters<typeof p>[0]) => {
  p(r, 0).marital = marital;
  if (marital === 1) delete p(r, 0).firstMarriage;
};
ruleTable('PARENT_IN_LAW_NO_SPOUSE', [
  { name: 'parent-in-law with a spouse', edit: (r) => add(r, relative(4, 2, '1950-01')), at: null },
  { name: 'widow(er) with a mother-in-law (short form: no C24)', edit: motherInLawNoSpouse(relative(4, 2, '1950-01')), at: null },
  { name: 'widowed head (long form)', base: baseLong, edit: (r) => { headMarital(4)(r); motherInLawNoSpouse(longRelative(4, 2, '1950-01', 4, { firstMarriage: '1972-01', livingArrangement: 3, health: 2 }))(r); }, at: null },
  { name: 'married head, spouse living elsewhere (long form)', base: baseLong, edit: motherInLawNoSpouse(longRelative(4, 2, '1950-01', 4, { firstMarriage: '1972-01', livingArrangement: 3, health: 2 })), at: null },
  { name: 'never-married head with a mother-in-law (long form)', base: baseLong, edit: (r) => { headMarital(1)(r); motherInLawNoSpouse(longRelative(4, 2, '1950-01', 4, { firstMarriage: '1972-01', livingArrangement: 3, health: 2 }))(r); }, at: ['persons', 2, 'relationship'] },
]);
ruleTable('SIBLING_AGE_GAP', [
  { name: 'sibling 3 years apart', edit: (r) => add(r, relative(8, 1, '1978-01')), at: null },
  { name: 'sibling 35 years apart', edit: (r) => add(r, relative(8, 1, '2010-01')), at: ['persons', 3, 'relationship'] },
]);
