// Household structure and counts (§6B): the head, H2 vs the person records, H3 vs newborns, H4 vs
// death forms, dwelling size, collective-household relationships, the listing's counts (with
// ctx.listing) and whole-household deaths (户编号 999).
import * as C from '../codes.ts';
import { inReferenceYear } from '../age.ts';
import type { Finding, ListingEntry, RegistrationDraft } from '../schemas.ts';
import { finding, SEX_KEY, SEX_WORD } from './finding.ts';

type ListName = 'persons' | 'overseas';
/** Every household member on the person forms (short/long and overseas), with where it sits. */
export interface MemberRef {
  list: ListName;
  index: number;
  relationship: number | undefined;
  sex: number | undefined;
  birth: string | undefined;
}

export function membersOf(reg: RegistrationDraft): MemberRef[] {
  const out: MemberRef[] = [];
  reg.persons.forEach((x, index) => out.push({ list: 'persons', index, relationship: x.relationship, sex: x.sex, birth: x.birth }));
  reg.overseas.forEach((x, index) => out.push({ list: 'overseas', index, relationship: x.relationship, sex: x.sex, birth: x.birth }));
  return out;
}

function checkHead(reg: RegistrationDraft, members: MemberRef[]): Finding[] {
  if (members.length === 0) return [];
  const heads = members.filter((m) => m.relationship === C.REL.head);
  if (heads.length === 0) return [finding('HEAD_COUNT', [reg.persons.length > 0 ? 'persons' : 'overseas'], { count: 0 })];
  const out = heads.slice(1).map((m) => finding('HEAD_COUNT', [m.list, m.index, 'relationship'], { count: heads.length }));
  const head = heads[0];
  if (heads.length === 1 && head && head.index !== 0) out.push(finding('HEAD_FIRST', [head.list, head.index, 'relationship']));
  return out;
}

function checkCounts(reg: RegistrationDraft): Finding[] {
  const out: Finding[] = [];
  const h = reg.household;
  if (h.residents !== undefined && h.hukouHereAbsent !== undefined && reg.persons.length !== h.residents + h.hukouHereAbsent) {
    out.push(finding('PERSON_COUNT', ['persons'], { persons: reg.persons.length, expected: h.residents + h.hukouHereAbsent }));
  }
  if (reg.persons.every((p) => p.residence !== undefined)) {
    const here = reg.persons.filter((p) => p.residence?.code === C.RESIDENCE_HERE).length;
    const away = reg.persons.length - here;
    if (h.residents !== undefined && here !== h.residents) out.push(finding('RESIDENT_COUNT', ['household', 'residents'], { count: here, expected: h.residents }));
    if (h.hukouHereAbsent !== undefined && away !== h.hukouHereAbsent) out.push(finding('ABSENT_COUNT', ['household', 'hukouHereAbsent'], { count: away, expected: h.hukouHereAbsent }));
  }
  reg.persons.forEach((p, i) => {
    if (p.residence && p.residence.code !== C.RESIDENCE_HERE && p.hukou && p.hukou.code !== C.HUKOU_HERE) out.push(finding('ABSENT_HUKOU_HERE', ['persons', i, 'hukou']));
  });
  for (const sex of [C.MALE, C.FEMALE] as const) {
    const key = SEX_KEY[sex];
    const born = reg.persons.filter((p) => p.sex === sex && p.birth !== undefined && inReferenceYear(p.birth)).length;
    const h3 = h.births?.[key];
    if (h3 !== undefined && born > h3) out.push(finding('BIRTHS_COUNT', ['household', 'births', key], { sex: SEX_WORD[sex], count: born, expected: h3 }));
    const died = reg.deaths.filter((d) => d.sex === sex).length;
    const h4 = h.deaths?.[key];
    if (h4 !== undefined && died !== h4) out.push(finding('DEATHS_COUNT', ['household', 'deaths', key], { sex: SEX_WORD[sex], count: died, expected: h4 }));
  }
  return out;
}

function checkDwelling(reg: RegistrationDraft): Finding[] {
  const h = reg.household;
  if (h.dwellingType !== C.DWELLING_ORDINARY) return [];
  const out: Finding[] = [];
  if (h.floorArea !== undefined && !(h.floorArea > 0)) out.push(finding('DWELLING_SIZE', ['household', 'floorArea']));
  if (h.rooms !== undefined && h.rooms < 1) out.push(finding('DWELLING_SIZE', ['household', 'rooms']));
  const occupants = (h.residents ?? 0) + reg.overseas.length;
  if (h.floorArea !== undefined && h.floorArea > 0 && h.rooms !== undefined && occupants > 0) {
    const perPerson = h.floorArea / occupants;
    if (perPerson < 3 || perPerson > 300 || h.rooms > h.floorArea / 5) {
      out.push(finding('FLOOR_AREA_PLAUSIBLE', ['household', 'floorArea'], { perPerson: Math.round(perPerson * 10) / 10, rooms: h.rooms, area: h.floorArea }));
    }
  }
  return out;
}

function checkCollective(reg: RegistrationDraft, members: MemberRef[]): Finding[] {
  const others = members.filter((m) => m.relationship !== C.REL.head);
  if (reg.household.householdType === 2) {
    return others.filter((m) => m.relationship !== undefined && m.relationship !== C.REL.other).map((m) => finding('COLLECTIVE_RELATIONSHIP', [m.list, m.index, 'relationship']));
  }
  if (reg.household.householdType === 1 && others.length > 0 && others.every((m) => m.relationship === C.REL.other)) {
    return [finding('SUGGEST_COLLECTIVE', ['household', 'householdType'])];
  }
  return [];
}

const LISTING_ITEMS = {
  residents: { zh: '居住在本户人数', en: 'residents' },
  hukouHereAbsent: { zh: '户口在本户但未居住人数', en: 'hukou here but away' },
  births: { zh: '出生人数', en: 'births' },
  deaths: { zh: '死亡人数', en: 'deaths' },
  overseas: { zh: '港澳台居民和外籍人员数', en: 'HK/Macao/Taiwan and foreign residents' },
} as const;

/** §6B.11: the listing's counts against the form (warning); also the long-form sample flag. */
export function checkListing(reg: RegistrationDraft, listing: ListingEntry): Finding[] {
  const out: Finding[] = [];
  if (reg.form === 'long' && !listing.longForm) out.push(finding('LONG_FORM_NOT_SAMPLED', ['form']));
  const e = listing.expected;
  if (!e) return out;
  const h = reg.household;
  const sum = (b: { male: number; female: number } | undefined) => (b === undefined ? undefined : b.male + b.female);
  const actual: Record<keyof typeof LISTING_ITEMS, number | undefined> = {
    residents: h.residents,
    hukouHereAbsent: h.hukouHereAbsent,
    births: sum(h.births),
    deaths: sum(h.deaths),
    overseas: reg.overseas.length,
  };
  for (const key of Object.keys(LISTING_ITEMS) as (keyof typeof LISTING_ITEMS)[]) {
    const count = actual[key];
    if (count !== undefined && count !== e[key]) {
      out.push(finding('LISTING_COUNTS', key === 'overseas' ? ['overseas'] : ['household', key], { what: LISTING_ITEMS[key], expected: e[key], count }));
    }
  }
  return out;
}

const onlyDeathsOf = (reg: RegistrationDraft) => reg.persons.length === 0 && reg.overseas.length === 0 && reg.deaths.length > 0;

function checkWholeDeath(reg: RegistrationDraft, listing: ListingEntry | undefined): Finding[] {
  const onlyDeaths = onlyDeathsOf(reg);
  if (reg.householdNo !== '999') {
    return onlyDeaths || listing?.kind === 'allDeceased' ? [finding('ALL_DECEASED_NUMBER', ['householdNo'])] : [];
  }
  const h = reg.household;
  if (reg.persons.length > 0) return [finding('ALL_DECEASED_CONTENT', ['persons'])];
  if (reg.overseas.length > 0) return [finding('ALL_DECEASED_CONTENT', ['overseas'])];
  if ((h.residents ?? 0) > 0) return [finding('ALL_DECEASED_CONTENT', ['household', 'residents'])];
  if ((h.hukouHereAbsent ?? 0) > 0) return [finding('ALL_DECEASED_CONTENT', ['household', 'hukouHereAbsent'])];
  if ((h.births?.male ?? 0) + (h.births?.female ?? 0) > 0) return [finding('ALL_DECEASED_CONTENT', ['household', 'births'])];
  return [];
}

/** Every §6B check. */
export function checkHousehold(reg: RegistrationDraft, listing: ListingEntry | undefined): Finding[] {
  const members = membersOf(reg);
  if (members.length === 0 && reg.deaths.length === 0) return [finding('EMPTY_HOUSEHOLD', ['persons'])];
  return [
    ...checkHead(reg, members),
    ...checkCounts(reg),
    ...checkDwelling(reg),
    ...checkCollective(reg, members),
    ...checkWholeDeath(reg, listing),
    ...(listing ? checkListing(reg, listing) : []),
  ];
}

/**
 * The findings `checkHousehold(reg, listing)` has beyond `checkHousehold(reg, undefined)`, computed
 * directly rather than by running both and comparing: the listing entry only adds §6B.11
 * (checkListing) and, for a household not numbered 999 that is not deaths only, the
 * ALL_DECEASED_NUMBER of a listing entry of kind allDeceased. An empty household stops at
 * EMPTY_HOUSEHOLD either way.
 */
export function listingOnlyFindings(reg: RegistrationDraft, listing: ListingEntry): Finding[] {
  if (reg.persons.length === 0 && reg.overseas.length === 0 && reg.deaths.length === 0) return [];
  const out: Finding[] = [];
  if (reg.householdNo !== '999' && !onlyDeathsOf(reg) && listing.kind === 'allDeceased') out.push(finding('ALL_DECEASED_NUMBER', ['householdNo']));
  out.push(...checkListing(reg, listing));
  return out;
}
