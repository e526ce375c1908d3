// Builds one generated household registration (short or long form, death forms, overseas form)
// from a composed member list. The returned registration is complete; the caller adds overrides.
import * as C from '../codes.ts';
import { ageAt } from '../age.ts';
import { DeathSchema, HouseholdSchema, OverseasPersonSchema, PersonSchema } from '../schemas.ts';
import type { Death, Household, OverseasPerson, Person } from '../schemas.ts';
import { absentChildren, composeCollective, composeFamily, composeMixed, FAMILY_SIZES, type Member } from './family.ts';
import { birthForAge, citizenIdFor, DURATION_WEIGHTS, educationFor, literacyFor, maxDurationForAge, reasonFor } from './answers.ts';
import { fillLongHousehold, fillLongPerson } from './long-form.ts';
import { chineseName, foreignName, NATIONALITIES, OTHER_COUNTIES, surnameOf, type HukouPlace } from './people.ts';
import type { Rng } from './rng.ts';

/**
 * What a listed unit holds: a family or collective household of residents (with members away),
 * a household of HK/Macao/Taiwan residents or foreigners only, a mixed household (a mainland
 * family with an overseas member), a whole household away (every member has hukou here and none
 * slept here), or a whole-household death (户编号 999, death forms only).
 */
export type HouseholdKind = 'family' | 'collective' | 'overseas' | 'mixed' | 'allAway' | 'allDeceased';

export interface HouseholdContext {
  rng: Rng;
  kind: HouseholdKind;
  form: 'short' | 'long';
  rural: boolean;
  /** C11 code of this district's township (乡 1, 镇 village 2, 镇 residents 3, 街道 4), for hukou in this township. */
  townshipType: number;
  /** Weights of 0, 1, 2 adult children away (hukou here) in a family whose parents are 40+. */
  absentChildren: readonly (readonly [number, number])[];
  /** GB/T 2260 county code of the district, the ID address code of people born here. */
  countyCode: string;
  /** Citizen IDs already used in the district. */
  usedIds: Set<string>;
  /** Chance that a family household records a death (§7: about 2 %). */
  deathShare: number;
  idPrefix: string;
}

/** What the generator learns about a person beyond the coded answers (used by the long form). */
export interface GenPerson {
  m: Member;
  birth: string;
  student: boolean;
  hukou: number;
  place?: HukouPlace;
  duration?: number;
  absent: boolean;
  /** D7 code, and the place for D7 = 5. */
  residence: number;
  residencePlace?: HukouPlace;
  out: Record<string, unknown>;
}

/** The listing's counts for a household (ListingEntry.expected). */
export interface ExpectedCounts {
  residents: number;
  hukouHereAbsent: number;
  births: number;
  deaths: number;
  overseas: number;
}

export interface BuiltHousehold {
  household: Household;
  persons: Person[];
  deaths: Death[];
  overseas: OverseasPerson[];
  expected: ExpectedCounts;
  headName: string;
}

/** Drop keys whose value is undefined, so optional answers are absent rather than undefined. */
export function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const placeOf = (p: HukouPlace) => ({ province: p.province, city: p.city, county: p.county });

/** D7 codes of members away that lie inside their hukou township (see checks/person.ts SAME_TOWNSHIP_RESIDENCES). */
const SAME_TOWNSHIP_AWAY: readonly number[] = [2, 3];
/** D9 bands of members away from their hukou township: half a year or more dominates (the 流动人口 definition). */
const ABSENT_DURATION_WEIGHTS: readonly (readonly [number, number])[] = [[2, 6], [3, 10], [4, 14], [5, 13], [6, 11], [7, 10], [8, 22], [9, 14]];

/** D10 of a member away: the mover works or studies; in a whole household away the others came along (3). */
function awayReason(m: Member, student: boolean, wholeHousehold: boolean): number {
  if (student) return 2;
  if (m.age < 15) return 3;
  if (wholeHousehold && m.rel !== C.REL.head) return 3;
  return C.REASON.work;
}

/** Where a whole household away lives (D7) and since when (D9); D7 = 2, 3 are inside the hukou township, so D9 = 1 there. */
export interface AwayPlan {
  residence: number;
  duration: number;
}

/** D7 of a member away: mostly another county (Beijing, Tianjin, other Hebei cities), some abroad. */
const ABSENT_RESIDENCE: readonly (readonly [number, number])[] = [[2, 3], [3, 6], [4, 18], [C.RESIDENCE_OTHER_COUNTY, 65], [6, 2], [7, 6]];
/** Places people away live: Beijing and Tianjin first (Hebei's main destinations), then Hebei cities. */
const AWAY_COUNTIES: readonly (readonly [HukouPlace, number])[] = [
  ...OTHER_COUNTIES.filter(([p]) => p.code === '110105' || p.code === '120101').map(([p]) => [p, 12] as const),
  ...OTHER_COUNTIES.filter(([p]) => p.code !== '110105' && p.code !== '120101'),
];

function codePeople(ctx: HouseholdContext, members: Member[], collective: boolean, away?: AwayPlan): GenPerson[] {
  const { rng } = ctx;
  const migrantFamily = !collective && away === undefined && rng.chance(0.15);
  const familyHukou = rng.weighted([[3, 35], [4, 65]]);
  const familyPlace = rng.weighted(OTHER_COUNTIES);
  const familyBand = rng.weighted(DURATION_WEIGHTS);
  const nativeCode = rng.chance(0.05) ? 2 : C.HUKOU_HERE;
  const ethnicity = rng.chance(0.957) ? C.ETHNICITY_HAN : rng.weighted([['11', 5], ['03', 3], ['02', 2]] as const);
  const headSurname = surnameOf(chineseName(rng, 1));

  return members.map((m, i) => {
    const birth = birthForAge(rng, m.age);
    const student = (m.age >= 6 && m.age <= 17) || (collective && m.age <= 24 && members.every((x) => x.age <= 24)) || (m.age >= 18 && m.age <= 22 && rng.chance(0.4));
    const ownName = collective || m.rel === C.REL.spouse || m.rel === C.REL.childInLaw || m.rel === C.REL.parentInLaw || (m.rel === C.REL.parent && m.sex === 2);
    const name = chineseName(rng, m.sex, ownName ? undefined : headSurname);
    // Members away (a child working elsewhere, or the whole household) keep their hukou here:
    // §6B.4 requires D8 = 1 of everyone not living here.
    const absent = away !== undefined || m.absent === true;
    const migrant = !absent && (collective ? rng.chance(0.9) : migrantFamily);
    const hasId = absent || m.age > 0 || rng.chance(0.6);
    // Some newborns without an ID number are still 户口待定 (hukou pending): D9 and D10 are skipped.
    const pending = !hasId && !migrant && rng.chance(0.5);
    const hukou = pending ? C.HUKOU_PENDING : absent ? C.HUKOU_HERE : migrant ? (collective ? rng.weighted([[3, 30], [4, 70]]) : familyHukou) : nativeCode;
    const place = hukou === C.HUKOU_OTHER_COUNTY ? (collective ? rng.weighted(OTHER_COUNTIES) : familyPlace) : undefined;
    const residenceCode = away?.residence ?? (absent ? rng.weighted(ABSENT_RESIDENCE) : C.RESIDENCE_HERE);
    const residencePlace = residenceCode === C.RESIDENCE_OTHER_COUNTY ? rng.weighted(AWAY_COUNTIES) : undefined;
    let duration: number | undefined = pending ? undefined : C.NEVER_LEFT;
    if (migrant) duration = Math.min(collective ? rng.weighted(DURATION_WEIGHTS) : familyBand, maxDurationForAge(m.age));
    // D7 against D9 for members away (ABSENT_RESIDENCE_DURATION): inside the hukou township
    // (D7 = 2, 3) they have not left it; anywhere else (D7 = 4..7) they have.
    if (absent && !SAME_TOWNSHIP_AWAY.includes(residenceCode)) duration = Math.min(away?.duration ?? rng.weighted(ABSENT_DURATION_WEIGHTS), maxDurationForAge(m.age));
    const education = educationFor(rng, m.age, student);
    const address = place?.code ?? ctx.countyCode;
    const out: Record<string, unknown> = {
      id: `${ctx.idPrefix}-P${i + 1}`,
      name,
      relationship: m.rel,
      citizenId: hasId ? citizenIdFor(rng, address, birth, m.sex, ctx.usedIds) : undefined,
      sex: m.sex,
      birth,
      ethnicity,
      residence: { code: residenceCode, ...(residencePlace && { place: placeOf(residencePlace) }) },
      hukou: { code: hukou, ...(place && { place: placeOf(place) }) },
      leftHukouDuration: duration,
      leftHukouReason: duration === undefined || duration === C.NEVER_LEFT ? undefined : absent ? awayReason(m, student, away !== undefined) : reasonFor(rng, m.age, m.rel, student),
      education,
      literate: m.age >= 15 ? literacyFor(rng, education) : undefined,
    };
    return { m, birth, student, hukou, ...(place && { place }), ...(duration !== undefined && { duration }), absent, residence: residenceCode, ...(residencePlace && { residencePlace }), out };
  });
}

function dwelling(ctx: HouseholdContext, collective: boolean, residents: number): Record<string, unknown> {
  const { rng } = ctx;
  if (collective) return { dwellingType: 2 };
  const type = rng.weighted([[C.DWELLING_ORDINARY, 96], [3, 2], [4, 2]]);
  if (type !== C.DWELLING_ORDINARY) return { dwellingType: type };
  const area = ctx.rural ? rng.int(80, 200) : rng.int(Math.max(40, residents * 15), 140);
  return { dwellingType: type, floorArea: area, rooms: rng.int(1, Math.max(1, Math.min(6, Math.floor(area / 20)))) };
}

function makeDeath(ctx: HouseholdContext, surname: string, ethnicity: string, i: number): Death {
  const { rng } = ctx;
  const sex: 1 | 2 = rng.chance(0.55) ? 1 : 2;
  const death = rng.pick(['2019-11', '2019-12', '2020-01', '2020-02', '2020-03', '2020-04', '2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10']);
  const ageAtDeath = rng.int(55, 95);
  const month = rng.int(1, 12);
  const deathMonth = Number(death.slice(5));
  const year = Number(death.slice(0, 4)) - ageAtDeath - (month > deathMonth ? 1 : 0);
  const birth = `${year}-${String(month).padStart(2, '0')}`;
  const education = educationFor(rng, 65, false);
  return DeathSchema.parse(
    defined({
      id: `${ctx.idPrefix}-D${i + 1}`,
      name: chineseName(rng, sex, sex === 1 ? surname : undefined),
      sex,
      birth,
      death,
      ethnicity,
      citizenId: rng.chance(0.9) ? citizenIdFor(rng, ctx.countyCode, birth, sex, ctx.usedIds) : undefined,
      education: (ageAt(birth, death) ?? 0) >= 3 ? education : undefined,
      marital: rng.weighted([[4, 6], [C.MARRIED, 4]]),
    }),
  );
}

interface OverseasMember {
  rel: number;
  sex: 1 | 2;
  age: number;
}

/** Overseas-form persons sharing one status, nationality, purpose and stay. */
function overseasPersons(ctx: HouseholdContext, roster: readonly OverseasMember[], status: number, purpose: number, firstIndex = 0): OverseasPerson[] {
  const { rng } = ctx;
  const nationality = status === C.FOREIGN_NATIONAL ? rng.weighted(NATIONALITIES) : undefined;
  const stay = rng.weighted([[1, 4], [2, 6], [3, 17], [4, 25], [5, 31], [6, 60]]);
  return roster.map((r, k) => {
    const documentType = status === C.FOREIGN_NATIONAL ? (rng.chance(0.85) ? 4 : 5) : status === 3 ? 3 : 1;
    const docPrefix = documentType === 1 ? (status === 1 ? 'H' : 'M') : documentType === 3 ? '' : 'E';
    return OverseasPersonSchema.parse(
      defined({
        id: `${ctx.idPrefix}-O${firstIndex + k + 1}`,
        name: status === C.FOREIGN_NATIONAL ? foreignName(rng) : chineseName(rng, r.sex),
        foreignName: status === C.FOREIGN_NATIONAL ? foreignName(rng) : undefined,
        relationship: r.rel,
        sex: r.sex,
        birth: birthForAge(rng, r.age),
        status,
        nationality,
        documentType,
        documentNumber: docPrefix + rng.digits(8),
        purpose: r.rel === C.REL.head ? purpose : 5,
        stay,
        education: r.age >= 18 ? rng.weighted([[5, 2], [6, 2], [7, 5], [8, 2]]) : undefined,
      }),
    );
  });
}

function makeOverseas(ctx: HouseholdContext): OverseasPerson[] {
  const { rng } = ctx;
  const status = rng.weighted([[1, 20], [2, 5], [3, 15], [C.FOREIGN_NATIONAL, 60]]);
  const headSex: 1 | 2 = rng.chance(0.6) ? 1 : 2;
  const headAge = rng.int(24, 60);
  const roster: OverseasMember[] = [{ rel: C.REL.head, sex: headSex, age: headAge }];
  if (rng.chance(0.4)) roster.push({ rel: C.REL.spouse, sex: headSex === 1 ? 2 : 1, age: Math.max(22, headAge + rng.int(-4, 4)) });
  if (roster.length === 2 && rng.chance(0.5)) roster.push({ rel: C.REL.child, sex: rng.chance(0.5) ? 1 : 2, age: Math.max(0, Math.min(headAge, roster[1]?.age ?? headAge) - rng.int(24, 34)) });
  const purpose = rng.weighted([[1, 8], [2, 44], [3, 22], [4, 42], [5, 7], [6, 19]]);
  return overseasPersons(ctx, roster, status, purpose);
}

function bySex(items: readonly { sex?: number }[]): { male: number; female: number } {
  return { male: items.filter((x) => x.sex === C.MALE).length, female: items.filter((x) => x.sex === C.FEMALE).length };
}

const WHOLE_AWAY_RESIDENCE: readonly (readonly [number, number])[] = [[3, 8], [4, 22], [C.RESIDENCE_OTHER_COUNTY, 64], [6, 1], [7, 5]];
const WHOLE_AWAY_DURATION: readonly (readonly [number, number])[] = [[3, 8], [4, 14], [5, 14], [6, 12], [7, 12], [8, 22], [9, 18]];

/** A whole-household death (户编号 999): one or two decedents, only H4 and the death forms (§1b, §6B.12). */
function buildAllDeceased(ctx: HouseholdContext): BuiltHousehold {
  const { rng } = ctx;
  const surname = surnameOf(chineseName(rng, 1));
  const ethnicity = rng.chance(0.957) ? C.ETHNICITY_HAN : '03';
  const deaths = Array.from({ length: rng.chance(0.25) ? 2 : 1 }, (_, i) => makeDeath(ctx, surname, ethnicity, i));
  const household = HouseholdSchema.parse({ householdType: 1, residents: 0, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: bySex(deaths), dwellingType: C.DWELLING_ORDINARY });
  return { household, persons: [], deaths, overseas: [], expected: { residents: 0, hukouHereAbsent: 0, births: 0, deaths: deaths.length, overseas: 0 }, headName: deaths[0]?.name ?? '未知' };
}

/** Build the answers of one household of the given kind. */
export function buildHousehold(ctx: HouseholdContext): BuiltHousehold {
  const { rng } = ctx;
  if (ctx.kind === 'allDeceased') return buildAllDeceased(ctx);
  if (ctx.kind === 'overseas') {
    const overseas = makeOverseas(ctx);
    const area = rng.int(50, 160);
    const household = HouseholdSchema.parse({ householdType: 1, residents: 0, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1, floorArea: area, rooms: rng.int(1, 4) });
    return { household, persons: [], deaths: [], overseas, expected: { residents: 0, hukouHereAbsent: 0, births: 0, deaths: 0, overseas: overseas.length }, headName: overseas[0]?.name ?? '未知' };
  }
  const collective = ctx.kind === 'collective';
  let members: Member[];
  let overseas: OverseasPerson[] = [];
  if (ctx.kind === 'mixed') {
    const mixed = composeMixed(rng);
    members = mixed.members;
    const status = rng.weighted([[1, 25], [2, 5], [3, 30], [C.FOREIGN_NATIONAL, 40]]);
    overseas = overseasPersons(ctx, [{ rel: C.REL.spouse, ...mixed.spouse }], status, 4);
  } else {
    members = collective ? composeCollective(rng) : composeFamily(rng, rng.weighted(FAMILY_SIZES));
  }
  const wholeAway = ctx.kind === 'allAway';
  const away: AwayPlan | undefined = wholeAway ? { residence: rng.weighted(WHOLE_AWAY_RESIDENCE), duration: rng.weighted(WHOLE_AWAY_DURATION) } : undefined;
  if (ctx.kind === 'family') absentChildren(rng, members, ctx.absentChildren);
  const people = codePeople(ctx, members, collective, away);
  const residents = people.filter((p) => !p.absent).length;
  const newborns = people.filter((p) => p.m.age === 0).map((p) => p.m);
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const ethnicity = text(people[0]?.out['ethnicity'], C.ETHNICITY_HAN);
  const deaths = !collective && !wholeAway && rng.chance(ctx.deathShare) ? [makeDeath(ctx, surnameOf(text(people[0]?.out['name'], '王')), ethnicity, 0)] : [];
  const h: Record<string, unknown> = {
    householdType: collective ? 2 : 1,
    residents,
    hukouHereAbsent: people.length - residents,
    births: bySex(newborns),
    deaths: bySex(deaths),
    ...dwelling(ctx, collective, residents + overseas.length),
  };
  if (ctx.form === 'long') {
    fillLongHousehold(rng, h, ctx.rural);
    for (const p of people) fillLongPerson(rng, p, people, ctx.rural, ctx.townshipType);
  }
  const persons = people.map((p) => PersonSchema.parse(defined(p.out)));
  const expected = { residents, hukouHereAbsent: people.length - residents, births: newborns.length, deaths: deaths.length, overseas: overseas.length };
  return { household: HouseholdSchema.parse(defined(h)), persons, deaths, overseas, expected, headName: persons[0]?.name ?? '未知' };
}
