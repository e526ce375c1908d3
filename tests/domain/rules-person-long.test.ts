// Table-driven tests of the migration (§6D), education (§6E), long-form (§6F), death (§6G) and overseas rules.
import { describe, expect, it } from 'vitest';
import { validateRegistration } from '../../src/domain/index.ts';
import { baseLong, baseShort, death, foreigner, newborn, p, ruleTable } from './fixtures.ts';

// ---- §6D ----
ruleTable('SAME_TOWNSHIP_LEFT', [
  { name: 'hukou here, never left', at: null },
  { name: 'hukou here but "left"', edit: (r) => { p(r, 0).leftHukouDuration = 3; p(r, 0).leftHukouReason = 1; }, at: ['persons', 0, 'leftHukouDuration'] },
]);
ruleTable('OTHER_TOWNSHIP_NOT_LEFT', [
  { name: 'other township, left', edit: (r) => { p(r, 0).hukou = { code: 3 }; p(r, 0).leftHukouDuration = 8; p(r, 0).leftHukouReason = 1; }, at: null },
  { name: 'other township, never left', edit: (r) => (p(r, 0).hukou = { code: 3 }), at: ['persons', 0, 'leftHukouDuration'] },
]);
// D7 against D9 for a member away at the census moment (hukou here, D8=1): D7 2-3 is the same
// township (never left), D7 4-7 is outside it (left).
const away = (residence: number, duration: number) => (r: Parameters<typeof p>[0]) => {
  const x = p(r, 2);
  x.residence = residence === 5 ? { code: 5, place: { province: '北京市', city: '北京市', county: '朝阳区' } } : { code: residence };
  x.leftHukouDuration = duration;
  if (duration === 1) delete x.leftHukouReason;
  else x.leftHukouReason = 2;
  r.household.residents = 2;
  r.household.hukouHereAbsent = 1;
};
ruleTable('ABSENT_RESIDENCE_DURATION', [
  { name: 'present, hukou here, never left', at: null },
  { name: 'away in another district of this village committee, never left', edit: away(2, 1), at: null },
  { name: 'away in another village committee of this township, never left', edit: away(3, 1), at: null },
  { name: 'away in another township, left', edit: away(4, 4), at: null },
  { name: 'abroad, left', edit: away(7, 8), at: null },
  { name: 'away in another district of this village committee, "left"', edit: away(2, 3), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'away in another village committee of this township, "left"', edit: away(3, 4), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'away in another township, "never left"', edit: away(4, 1), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'away in another county, "never left"', edit: away(5, 1), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'in Hong Kong, "never left"', edit: away(6, 1), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'abroad, "never left"', edit: away(7, 1), at: ['persons', 2, 'leftHukouDuration'] },
  { name: 'away with hukou elsewhere (ABSENT_HUKOU_HERE, not this rule)', edit: (r) => { away(4, 1)(r); p(r, 2).hukou = { code: 3 }; }, at: null },
]);

describe('ABSENT_RESIDENCE_DURATION message', () => {
  it('names the residence and the expected answer', () => {
    const r = baseShort();
    away(7, 1)(r);
    const f = validateRegistration(r).find((x) => x.rule === 'ABSENT_RESIDENCE_DURATION');
    expect(f?.message.zh).toBe('普查时点居住在国外且户口在本户，离开户口登记地时间不应为"没有离开"。');
    expect(f?.message.en).toBe('Living in "Abroad" at the census moment with hukou here: D9 should not be "never left".');
  });
});

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
// Person i (0 the husband, 1 the wife) born `birth`, first married `married`.
const marriedAt = (i: number, birth: string, married: string) => (r: Parameters<typeof p>[0]) => {
  p(r, i).birth = birth;
  delete p(r, i).citizenId;
  p(r, i).firstMarriage = married;
};
ruleTable('FIRST_MARRIAGE_EARLY', [
  { name: 'woman married at 20', base: baseLong, edit: (r) => (p(r, 1).firstMarriage = '1998-03'), at: null },
  { name: 'man married at 20', base: baseLong, edit: (r) => (p(r, 0).firstMarriage = '1995-05'), at: ['persons', 0, 'firstMarriage'] },
  // The legal age is the one in force at the first marriage: 20 / 18 (1950 law), 22 / 20 from 1981-01-01.
  { name: 'woman married at 18 in 1967 (1950 law: 18)', base: baseLong, edit: marriedAt(1, '1949-03', '1967-05'), at: null },
  { name: 'woman married at 17 in 1966 (1950 law: 18)', base: baseLong, edit: marriedAt(1, '1949-03', '1966-05'), at: ['persons', 1, 'firstMarriage'] },
  { name: 'woman married at 18 in 1985 (1980 law: 20)', base: baseLong, edit: marriedAt(1, '1967-03', '1985-05'), at: ['persons', 1, 'firstMarriage'] },
  { name: 'woman married at 18 in 1980-12, the last month of the 1950 law', base: baseLong, edit: marriedAt(1, '1962-06', '1980-12'), at: null },
  { name: 'woman married at 18 in 1981-01, the first month of the 1980 law', base: baseLong, edit: marriedAt(1, '1962-06', '1981-01'), at: ['persons', 1, 'firstMarriage'] },
  { name: 'man married at 20 in 1975 (1950 law: 20)', base: baseLong, edit: marriedAt(0, '1955-01', '1975-05'), at: null },
  { name: 'man married at 19 in 1975 (1950 law: 20)', base: baseLong, edit: marriedAt(0, '1955-06', '1975-05'), at: ['persons', 0, 'firstMarriage'] },
  { name: 'man married at 21 in 1990 (1980 law: 22)', base: baseLong, edit: marriedAt(0, '1969-01', '1990-05'), at: ['persons', 0, 'firstMarriage'] },
  { name: 'woman married at 16 in 1948, before the 1950 law', base: baseLong, edit: marriedAt(1, '1932-01', '1948-03'), at: null },
]);

describe('FIRST_MARRIAGE_EARLY legal age', () => {
  it.each([
    ['1966-05', '1949-03', 17, 18],
    ['1985-05', '1967-03', 18, 20],
  ])('a woman married %s (born %s) at %i is measured against %i', (married, birth, age, legal) => {
    const r = baseLong();
    marriedAt(1, birth, married)(r);
    const f = validateRegistration(r).find((x) => x.rule === 'FIRST_MARRIAGE_EARLY');
    expect(f?.message.en).toBe(`First married at ${age}, below the legal age then in force (${legal}); please confirm.`);
  });
});
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
