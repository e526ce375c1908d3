// Table-driven tests of the migration (§6D), education (§6E), long-form (§6F), death (§6G) and overseas rules.
import { baseLong, death, foreigner, newborn, p, ruleTable } from './fixtures.ts';

// ---- §6D ----
ruleTable('SAME_TOWNSHIP_LEFT', [
  { name: 'hukou here, never left', at: null },
  { name: 'hukou here but "left"', edit: (r) => { p(r, 0).leftHukouDuration = 3; p(r, 0).leftHukouReason = 1; }, at: ['persons', 0, 'leftHukouDuration'] },
]);
ruleTable('OTHER_TOWNSHIP_NOT_LEFT', [
  { name: 'other township, left', edit: (r) => { p(r, 0).hukou = { code: 3 }; p(r, 0).leftHukouDuration = 8; p(r, 0).leftHukouReason = 1; }, at: null },
  { name: 'other township, never left', edit: (r) => (p(r, 0).hukou = { code: 3 }), at: ['persons', 0, 'leftHukouDuration'] },
]);
const childLeft = (duration: number, reason: number) => (r: Parameters<typeof p>[0]) => {
  p(r, 2).hukou = { code: 3 };
  p(r, 2).leftHukouDuration = duration;
  p(r, 2).leftHukouReason = reason;
};
ruleTable('DURATION_EXCEEDS_AGE', [
  { name: '10-year-old away 5-10 years', edit: childLeft(8, 3), at: null },
  { name: '10-year-old away 10+ years... boundary ok at 10', edit: childLeft(9, 3), at: null },
  { name: '5-year-old away 10+ years', edit: (r) => { childLeft(9, 3)(r); p(r, 2).birth = '2015-01'; delete p(r, 2).citizenId; }, at: ['persons', 2, 'leftHukouDuration'] },
]);
ruleTable('REASON_AGE', [
  { name: 'child accompanying family', edit: childLeft(4, 3), at: null },
  { name: 'child left for work', edit: childLeft(4, 1), at: ['persons', 2, 'leftHukouReason'] },
  { name: 'child left for retirement', edit: childLeft(4, 9), at: ['persons', 2, 'leftHukouReason'] },
]);

// ---- §6E ----
ruleTable('EDU_MIN_AGE', [
  { name: 'primary at 10', at: null },
  { name: 'senior secondary at 10', edit: (r) => (p(r, 2).education = 5), at: ['persons', 2, 'education'] },
]);
ruleTable('PRESCHOOL_AGE', [
  { name: 'pre-school at 5', edit: (r) => { p(r, 2).birth = '2015-01'; delete p(r, 2).citizenId; p(r, 2).education = 2; }, at: null },
  { name: 'pre-school at 10', edit: (r) => (p(r, 2).education = 2), at: ['persons', 2, 'education'] },
]);
ruleTable('ILLITERATE_EDUCATED', [
  { name: 'primary, illiterate', edit: (r) => { p(r, 0).education = 3; p(r, 0).literate = 2; }, at: null },
  { name: 'senior secondary, illiterate', edit: (r) => (p(r, 0).literate = 2), at: ['persons', 0, 'literate'] },
]);
ruleTable('IN_SCHOOL_AGE', [
  { name: 'in school at 10', base: baseLong, at: null },
  { name: 'in school at 45', base: baseLong, edit: (r) => (p(r, 0).schooling = 1), at: ['persons', 0, 'schooling'] },
]);
ruleTable('NOT_WORKING_STUDENT', [
  { name: 'student not working, in school', base: baseLong, edit: (r) => { const x = p(r, 0); x.work = { status: 3 }; x.notWorkingReason = 1; x.schooling = 1; delete x.employerType; delete x.industry; delete x.occupation; }, at: null },
  { name: 'not working "in school" but graduated', base: baseLong, edit: (r) => { const x = p(r, 0); x.work = { status: 3 }; x.notWorkingReason = 1; delete x.employerType; delete x.industry; delete x.occupation; }, at: ['persons', 0, 'notWorkingReason'] },
]);

// ---- §6F ----
ruleTable('WORK_HOURS_RANGE', [
  { name: '40 hours', base: baseLong, at: null },
  { name: '0 hours', base: baseLong, edit: (r) => (p(r, 0).work = { status: 1, hours: 0 }), at: ['persons', 0, 'work', 'hours'] },
  { name: '200 hours', base: baseLong, edit: (r) => (p(r, 0).work = { status: 1, hours: 200 }), at: ['persons', 0, 'work', 'hours'] },
]);
ruleTable('WORK_HOURS_LONG', [
  { name: '84 hours', base: baseLong, edit: (r) => (p(r, 0).work = { status: 1, hours: 84 }), at: null },
  { name: '90 hours', base: baseLong, edit: (r) => (p(r, 0).work = { status: 1, hours: 90 }), at: ['persons', 0, 'work', 'hours'] },
]);
const retired = (r: Parameters<typeof p>[0]) => {
  const x = p(r, 0);
  x.work = { status: 3 };
  x.notWorkingReason = 2;
  delete x.employerType;
  delete x.industry;
  delete x.occupation;
};
ruleTable('RETIRED_YOUNG', [
  { name: 'retired at 45', base: baseLong, edit: retired, at: null },
  { name: 'retired at 35', base: baseLong, edit: (r) => { retired(r); p(r, 0).birth = '1985-05'; delete p(r, 0).citizenId; p(r, 0).firstMarriage = '2010-05'; }, at: ['persons', 0, 'notWorkingReason'] },
]);
ruleTable('FIRST_MARRIAGE_RANGE', [
  { name: 'married at 25', base: baseLong, at: null },
  { name: 'married at 9', base: baseLong, edit: (r) => (p(r, 0).firstMarriage = '1984-06'), at: ['persons', 0, 'firstMarriage'] },
  { name: 'married after the census', base: baseLong, edit: (r) => (p(r, 0).firstMarriage = '2020-12'), at: ['persons', 0, 'firstMarriage'] },
]);
ruleTable('FIRST_MARRIAGE_EARLY', [
  { name: 'woman married at 20', base: baseLong, edit: (r) => (p(r, 1).firstMarriage = '1998-03'), at: null },
  { name: 'man married at 20', base: baseLong, edit: (r) => (p(r, 0).firstMarriage = '1995-05'), at: ['persons', 0, 'firstMarriage'] },
]);
ruleTable('HEAD_MARITAL_SPOUSE', [
  { name: 'married head with spouse', base: baseLong, at: null },
  { name: 'widowed head with spouse listed', base: baseLong, edit: (r) => (p(r, 0).marital = 4), at: ['persons', 0, 'marital'] },
  { name: 'spouse not married', base: baseLong, edit: (r) => (p(r, 1).marital = 3), at: ['persons', 1, 'marital'] },
]);
ruleTable('CHILDREN_SURVIVING', [
  { name: 'one born, one surviving', base: baseLong, at: null },
  { name: 'two surviving of one', base: baseLong, edit: (r) => (p(r, 1).childrenBorn = { male: 1, female: 0, survivingMale: 2, survivingFemale: 0 }), at: ['persons', 1, 'childrenBorn'] },
]);
ruleTable('CHILDREN_MANY', [
  { name: 'one child', base: baseLong, at: null },
  { name: '16 children', base: baseLong, edit: (r) => (p(r, 1).childrenBorn = { male: 10, female: 6, survivingMale: 10, survivingFemale: 6 }), at: ['persons', 1, 'childrenBorn'] },
]);
ruleTable('MOTHER_AGE_GAP', [
  { name: '32 years older than her child', base: baseLong, at: null },
  { name: '12 years older than her child', base: baseLong, edit: (r) => { p(r, 2).birth = '1990-01'; delete p(r, 2).citizenId; }, at: ['persons', 1, 'childrenBorn'] },
]);
const babyIn = (r: Parameters<typeof p>[0], h3: boolean, listed: boolean) => {
  p(r, 1).birthsLastYear = [{ month: '2020-03', sex: 2 }];
  if (h3) r.household.births.female = 1;
  if (listed) {
    r.persons.push(newborn('long'));
    r.household.residents += 1;
  }
};
ruleTable('BIRTH_LAST_YEAR_MONTH', [
  { name: 'born 2020-03', base: baseLong, edit: (r) => babyIn(r, true, true), at: null },
  { name: 'born 2019-01', base: baseLong, edit: (r) => (p(r, 1).birthsLastYear = [{ month: '2019-01', sex: 2 }]), at: ['persons', 1, 'birthsLastYear', 0, 'month'] },
]);
ruleTable('BIRTH_LAST_YEAR_H3', [
  { name: 'birth in H3', base: baseLong, edit: (r) => babyIn(r, true, true), at: null },
  { name: 'birth missing from H3', base: baseLong, edit: (r) => babyIn(r, false, true), at: ['household', 'births', 'female'] },
]);
ruleTable('BIRTH_LAST_YEAR_PERSON', [
  { name: 'baby listed', base: baseLong, edit: (r) => babyIn(r, true, true), at: null },
  { name: 'baby listed as a death', base: baseLong, edit: (r) => { babyIn(r, true, false); r.deaths = [death({ sex: 2, birth: '2020-03', death: '2020-04', name: '王婴' })]; delete r.deaths[0]?.education; delete r.deaths[0]?.marital; r.household.deaths.female = 1; }, at: null },
  { name: 'baby not listed', base: baseLong, edit: (r) => babyIn(r, true, false), at: ['persons', 1, 'birthsLastYear', 0] },
]);
ruleTable('ELEVATOR_BUNGALOW', [
  { name: 'low-rise with elevator', base: baseLong, edit: (r) => (r.household.elevator = 1), at: null },
  { name: 'single storey with elevator', base: baseLong, edit: (r) => { r.household.storeys = 1; r.household.elevator = 1; }, at: ['household', 'elevator'] },
]);
ruleTable('NEW_MUD_HOUSE', [
  { name: 'mud structure built 2000s', base: baseLong, edit: (r) => (r.household.structure = 4), at: null },
  { name: 'mud structure built 2015+', base: baseLong, edit: (r) => { r.household.structure = 4; r.household.builtPeriod = 9; }, at: ['household', 'structure'] },
]);

// ---- §6G and overseas ----
const withDeath = (extra: Parameters<typeof death>[0]) => (r: Parameters<typeof p>[0]) => {
  r.deaths = [death(extra)];
  r.household.deaths.male = 1;
};
ruleTable('DEATH_MONTH', [
  { name: 'died 2019-11', edit: withDeath({ death: '2019-11' }), at: null },
  { name: 'died 2019-10', edit: withDeath({ death: '2019-10' }), at: ['deaths', 0, 'death'] },
  { name: 'died 2020-11', edit: withDeath({ death: '2020-11' }), at: ['deaths', 0, 'death'] },
]);
ruleTable('DEATH_BEFORE_BIRTH', [
  { name: 'birth before death', edit: withDeath({}), at: null },
  { name: 'death before birth', edit: withDeath({ birth: '2020-05', death: '2020-01' }), at: ['deaths', 0, 'death'] },
]);
ruleTable('OVERSEAS_DOCUMENT', [
  { name: 'foreigner with a passport', edit: (r) => (r.overseas = [foreigner()]), at: null },
  { name: 'foreigner with a HK/Macao permit', edit: (r) => (r.overseas = [foreigner({ documentType: 1 })]), at: ['overseas', 0, 'documentType'] },
]);
