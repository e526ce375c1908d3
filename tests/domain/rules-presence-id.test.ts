// Table-driven tests of the presence (skip rule / age filter) rules and the citizen-ID rules (§6A).
import { describe, expect, it } from 'vitest';
import { citizenIdCheckChar, makeCitizenId, RegistrationSchema, upgradeLegacyCitizenId, validateRegistration } from '../../src/domain/index.ts';
import { baseLong, baseShort, death, foreigner, HEAD_ID, listingFor, p, ruleTable } from './fixtures.ts';

describe('fixtures', () => {
  it('the base short and long registrations are schema-valid and have no findings', () => {
    for (const r of [baseShort(), baseLong()]) {
      expect(RegistrationSchema.safeParse(r).success).toBe(true);
      expect(validateRegistration(r, { listing: listingFor(r) })).toEqual([]);
    }
  });
});

ruleTable('ANSWER_MISSING', [
  { name: 'clean short form', at: null },
  { name: 'clean long form', base: baseLong, at: null },
  { name: 'D11 missing at 3+', edit: (r) => delete p(r, 0).education, at: ['persons', 0, 'education'] },
  { name: 'H6 missing for an ordinary dwelling', edit: (r) => delete r.household.floorArea, at: ['household', 'floorArea'] },
  { name: 'D8=4 without the place', edit: (r) => (p(r, 1).hukou = { code: 4 }), at: ['persons', 1, 'hukou', 'place'] },
  { name: 'D10 missing after D9≥2 (§6D.4)', edit: (r) => (p(r, 0).leftHukouDuration = 3), at: ['persons', 0, 'leftHukouReason'] },
  { name: 'long form: C18 missing at 16+', base: baseLong, edit: (r) => delete p(r, 0).work, at: ['persons', 0, 'work'] },
  { name: 'long form: C19 missing when working (§6F.1)', base: baseLong, edit: (r) => delete p(r, 0).employerType, at: ['persons', 0, 'employerType'] },
  { name: 'long form: C25 missing when married (§6F.5)', base: baseLong, edit: (r) => delete p(r, 0).firstMarriage, at: ['persons', 0, 'firstMarriage'] },
  { name: 'long form: H18 missing when rented (§6F.14)', base: baseLong, edit: (r) => (r.household.tenure = 2), at: ['household', 'monthlyRent'] },
  { name: 'long form: C27 missing for a woman 15-50', base: baseLong, edit: (r) => delete p(r, 1).birthsLastYear, at: ['persons', 1, 'birthsLastYear'] },
  { name: 'long form: C11 missing for a non-mover (D9=1, "→C11" on the 2020 form)', base: baseLong, edit: (r) => delete p(r, 0).hukouPlaceType, at: ['persons', 0, 'hukouPlaceType'] },
  { name: 'long form: C11 missing for a mover (D9≥2)', base: baseLong, edit: (r) => { delete p(r, 0).hukouPlaceType; p(r, 0).hukou = { code: 3 }; p(r, 0).leftHukouDuration = 8; p(r, 0).leftHukouReason = 1; }, at: ['persons', 0, 'hukouPlaceType'] },
  { name: 'death form: marital status at 15+ (§6G.3)', edit: (r) => { r.deaths = [death({ marital: undefined as never })]; delete r.deaths[0]?.marital; r.household.deaths.male = 1; }, at: ['deaths', 0, 'marital'] },
  { name: 'overseas: nationality for a foreign national', edit: (r) => { const o = foreigner(); delete o.nationality; r.overseas = [o]; }, at: ['overseas', 0, 'nationality'] },
]);

ruleTable('ANSWER_NOT_APPLICABLE', [
  { name: 'clean', at: null },
  { name: 'D12 under 15 (§6E.1)', edit: (r) => (p(r, 2).literate = 1), at: ['persons', 2, 'literate'] },
  { name: 'D10 with D9=1 (§6D.3)', edit: (r) => (p(r, 0).leftHukouReason = 1), at: ['persons', 0, 'leftHukouReason'] },
  { name: 'D9 with hukou pending (§6D.2)', edit: (r) => (p(r, 0).hukou = { code: 5 }), at: ['persons', 0, 'leftHukouDuration'] },
  { name: 'H6 when H5≠1 (§6B.8)', edit: (r) => (r.household.dwellingType = 3), at: ['household', 'floorArea'] },
  { name: 'long-form item on the short form', edit: (r) => (p(r, 0).marital = 2), at: ['persons', 0, 'marital'] },
  { name: 'long form: C11 answered by a non-mover (D9=1)', base: baseLong, at: null },
  { name: 'long form: C11 with hukou pending (D8=5)', base: baseLong, edit: (r) => { p(r, 0).hukou = { code: 5 }; delete p(r, 0).leftHukouDuration; }, at: ['persons', 0, 'hukouPlaceType'] },
  { name: 'C11 on the short form', edit: (r) => (p(r, 0).hukouPlaceType = 4), at: ['persons', 0, 'hukouPlaceType'] },
  { name: 'long form: C16 with C15 pre-school (§6E.6)', base: baseLong, edit: (r) => { p(r, 2).birth = '2016-01'; delete p(r, 2).citizenId; p(r, 2).education = 2; }, at: ['persons', 2, 'schooling'] },
  { name: 'long form: C22 while working (§6F.1)', base: baseLong, edit: (r) => (p(r, 0).notWorkingReason = 5), at: ['persons', 0, 'notWorkingReason'] },
  { name: 'long form: C26 for a man (§6F.13)', base: baseLong, edit: (r) => (p(r, 0).childrenBorn = { male: 1, female: 0, survivingMale: 1, survivingFemale: 0 }), at: ['persons', 0, 'childrenBorn'] },
  { name: 'long form: H18 when owned (§6F.14)', base: baseLong, edit: (r) => (r.household.monthlyRent = 800), at: ['household', 'monthlyRent'] },
  { name: 'death form: education under 3 at death', edit: (r) => { r.deaths = [death({ birth: '2019-12', death: '2020-02', marital: undefined as never })]; delete r.deaths[0]?.marital; r.household.deaths.male = 1; }, at: ['deaths', 0, 'education'] },
  { name: 'overseas: nationality for a Hong Kong resident', edit: (r) => (r.overseas = [foreigner({ status: 1, documentType: 1 })]), at: ['overseas', 0, 'nationality'] },
]);

ruleTable('BIRTH_AFTER_CENSUS', [
  { name: 'born 2020-10', edit: (r) => { p(r, 2).birth = '2020-10'; delete p(r, 2).citizenId; }, at: null },
  { name: 'born 2020-11', edit: (r) => (p(r, 2).birth = '2020-11'), at: ['persons', 2, 'birth'] },
  { name: 'overseas person born 2021-01', edit: (r) => (r.overseas = [foreigner({ birth: '2021-01' })]), at: ['overseas', 0, 'birth'] },
]);

ruleTable('EMPTY_HOUSEHOLD', [
  { name: 'persons listed', at: null },
  { name: 'only an overseas person', edit: (r) => { r.persons = []; r.household.residents = 0; r.overseas = [foreigner({ relationship: 0 })]; }, at: null },
  { name: 'nobody at all', edit: (r) => { r.persons = []; r.household.residents = 0; }, at: ['persons'] },
]);

ruleTable('LONG_FORM_NOT_SAMPLED', [
  { name: 'long form on a sampled household', base: baseLong, ctx: (r) => ({ listing: listingFor(r) }), at: null },
  { name: 'long form on a household not sampled', base: baseLong, ctx: (r) => ({ listing: listingFor(r, { longForm: false }) }), at: ['form'] },
]);

const withCheck = (first17: string) => first17 + citizenIdCheckChar(first17);

ruleTable('ID_FORMAT', [
  { name: 'valid ID', at: null },
  { name: 'too short', edit: (r) => (p(r, 0).citizenId = '13010219750512'), at: ['persons', 0, 'citizenId'] },
  { name: 'lower-case x', edit: (r) => (p(r, 0).citizenId = '13010220170815002x'), at: ['persons', 0, 'citizenId'] },
]);
ruleTable('ID_CHECK_DIGIT', [
  { name: 'valid ID', at: null },
  { name: 'wrong check character', edit: (r) => (p(r, 0).citizenId = HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '0' ? '1' : '0')), at: ['persons', 0, 'citizenId'] },
]);
ruleTable('ID_DATE', [
  { name: 'real date', at: null },
  { name: 'February 30th', edit: (r) => (p(r, 0).citizenId = withCheck('13010219750230011')), at: ['persons', 0, 'citizenId'] },
  { name: 'after the census', edit: (r) => (p(r, 0).citizenId = withCheck('13010220201105011')), at: ['persons', 0, 'citizenId'] },
  { name: '2000-02-29 (leap: divisible by 400)', edit: (r) => (p(r, 0).citizenId = withCheck('13010220000229011')), at: null },
  { name: '1900-02-29 (not leap: divisible by 100)', edit: (r) => (p(r, 0).citizenId = withCheck('13010219000229011')), at: ['persons', 0, 'citizenId'] },
  { name: '2020-10-31, the last day before the census moment', edit: (r) => (p(r, 2).citizenId = withCheck('13010220201031011')), at: null },
  { name: '2020-11-01, the census day itself', edit: (r) => (p(r, 2).citizenId = withCheck('13010220201101011')), at: ['persons', 2, 'citizenId'] },
]);
ruleTable('ID_BEFORE_1900', [
  { name: 'born 1975', at: null },
  { name: 'born 1899', edit: (r) => { p(r, 0).birth = '1899-12'; p(r, 0).citizenId = makeCitizenId('130102', '1899-12-15', 11, 1); }, at: ['persons', 0, 'citizenId'] },
]);
ruleTable('ID_BIRTH_MISMATCH', [
  { name: 'same month', at: null },
  { name: 'D5 one month later', edit: (r) => (p(r, 0).birth = '1975-06'), at: ['persons', 0, 'citizenId'] },
  { name: 'death form too', edit: (r) => { r.deaths = [death({ citizenId: makeCitizenId('130102', '1941-02-01', 3, 1) })]; r.household.deaths.male = 1; }, at: ['deaths', 0, 'citizenId'] },
]);
ruleTable('ID_SEX_MISMATCH', [
  { name: 'odd digit for a man', at: null },
  { name: 'even digit for a man', edit: (r) => (p(r, 0).citizenId = makeCitizenId('130102', '1975-05-12', 11, 2)), at: ['persons', 0, 'citizenId'] },
]);
ruleTable('ID_DUPLICATE', [
  { name: 'distinct IDs', at: null },
  { name: "child has the head's ID", edit: (r) => (p(r, 2).citizenId = HEAD_ID), at: ['persons', 2, 'citizenId'] },
  { name: 'two death forms with one ID', edit: (r) => { const id = makeCitizenId('130102', '1940-02-03', 5, 1); r.deaths = [death({ citizenId: id }), death({ id: 'd2', citizenId: id })]; r.household.deaths.male = 2; }, at: ['deaths', 1, 'citizenId'] },
]);
ruleTable('ID_ADDRESS_CODE', [
  { name: 'Hebei code', at: null },
  { name: 'province 99 does not exist', edit: (r) => (p(r, 0).citizenId = makeCitizenId('990102', '1975-05-12', 11, 1)), at: ['persons', 0, 'citizenId'] },
]);
ruleTable('ID_LEGACY_15', [
  { name: '18 characters', at: null },
  { name: '15-digit legacy number', edit: (r) => (p(r, 0).citizenId = '130102750512111'), at: ['persons', 0, 'citizenId'] },
]);

describe('ID_LEGACY_15 details', () => {
  it('offers the upgraded number and checks it instead of reporting a format error', () => {
    const r = baseShort();
    p(r, 0).citizenId = '130102750512111';
    const f = validateRegistration(r).filter((x) => x.path.join('.') === 'persons.0.citizenId');
    expect(f.map((x) => x.rule)).toEqual(['ID_LEGACY_15']);
    expect(f[0]?.message.en).toContain(upgradeLegacyCitizenId('130102750512111') ?? 'missing');
  });
});

ruleTable('PLACE_INCOMPLETE', [
  { name: 'province, city and county', edit: (r) => { p(r, 1).hukou = { code: 4, place: { province: '河南省', city: '郑州市', county: '中原区' } }; p(r, 1).leftHukouDuration = 8; p(r, 1).leftHukouReason = 6; }, at: null },
  { name: 'province only', edit: (r) => (p(r, 1).hukou = { code: 4, place: { province: '河南省' } }), at: ['persons', 1, 'hukou', 'place'] },
  { name: 'D7=5 with province only', edit: (r) => { p(r, 2).residence = { code: 5, place: { province: '北京市' } }; }, at: ['persons', 2, 'residence', 'place'] },
]);
