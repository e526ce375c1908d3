// Seeded, deterministic synthetic districts (listing + registrations) with Hebei's published
// shapes (census-forms.md §7), for the demo server, tests and benchmarks. Same options, same
// output, on every platform. Generated registrations are complete, pass RegistrationSchema and
// have no error findings; any warning they raise is covered by an override. Optional injected
// errors (INJECTIONS) each promise a finding of a given rule at a given path.
import * as C from './codes.ts';
import { ageAtCensus } from './age.ts';
import { DistrictSchema, ListingEntrySchema, RegistrationSchema } from './schemas.ts';
import type { District, Finding, ListingEntry, Override, Registration } from './schemas.ts';
import { validateRegistration } from './validate.ts';
import { buildHousehold, type HouseholdKind } from './generate/household.ts';
import { applyInjections, type InjectedError, type InjectionKind } from './generate/injections.ts';
import { COMMUNITIES, STREETS, VILLAGES } from './generate/people.ts';
import { mixSeed, Rng } from './generate/rng.ts';

export { INJECTIONS, type InjectedError, type InjectionKind } from './generate/injections.ts';
export { mulberry32 } from './generate/rng.ts';

export interface GenerateOptions {
  seed: number;
  /** 15 digits: 12-digit statistical area code + 3-digit district number. */
  code: string;
  name?: string;
  enumerators: string[];
  households: number;
  /** Share of listed households that already have a registration (default 1). */
  registeredShare?: number;
  /** Long-form sample share, drawn systematically (default 0.1). */
  longFormShare?: number;
  inject?: InjectionKind[];
}

export interface GeneratedDistrict {
  district: District;
  listing: ListingEntry[];
  registrations: Registration[];
  /** Where each requested injection landed (kinds with no eligible household are left out). */
  injected: InjectedError[];
}

/** Shares from §7 (Hebei) used by the generator. */
export const GENERATOR_SHARES = {
  collectiveHouseholds: 0.035, // 926 025 of 26.36 M households; ≈ 6 % of persons
  overseasHouseholds: 0.006,
  deathHouseholds: 0.02,
  selfEnumeration: 0.1,
} as const;

const STAMP = '2020-11-03T02:00:00.000Z';
const pad3 = (n: number) => String(n).padStart(3, '0');

/** Overrides for every warning, as an enumerator would confirm them with the respondent. */
function confirmWarnings(findings: Finding[]): Override[] {
  return findings
    .filter((f) => f.severity === 'warning')
    .map((f) => ({ rule: f.rule, path: f.path, reason: 'confirmedWithRespondent' as const, note: '已与被访者核实 (generated)' }));
}

function countyCodeOf(code: string): string {
  return /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])\d{4}/.test(code) ? code.slice(0, 6) : '130102';
}

/** Generate one district: its listing and (a share of) registrations. */
export function generateDistrict(opts: GenerateOptions): GeneratedDistrict {
  if (!/^\d{15}$/.test(opts.code)) throw new RangeError('district code must have 15 digits');
  if (!Number.isInteger(opts.households) || opts.households < 0 || opts.households > 998) throw new RangeError('households must be 0..998 (999 is reserved)');
  const rng = new Rng(mixSeed(opts.seed, 0));
  const urbanRural = rng.weighted([['111', 45], ['112', 15], ['121', 15], ['220', 25]] as const);
  const rural = urbanRural.startsWith('2');
  const community = rural ? `${rng.pick(VILLAGES)}村` : rng.pick(COMMUNITIES);
  const street = rng.pick(STREETS);
  const district = DistrictSchema.parse({
    code: opts.code,
    name: opts.name ?? `${community} 第${opts.code.slice(12)}普查小区`,
    urbanRural,
    enumerators: opts.enumerators,
  });
  const n = opts.households;
  const kinds: HouseholdKind[] = Array.from({ length: n }, () => (rng.chance(GENERATOR_SHARES.collectiveHouseholds) ? 'collective' : 'family'));
  const overseasCount = n >= 30 ? Math.max(1, Math.round(n * GENERATOR_SHARES.overseasHouseholds)) : 0;
  for (let k = 0; k < overseasCount; k++) kinds[rng.int(0, n - 1)] = 'overseas';
  // Long form: systematic sampling (随机等距) over households eligible for the sample (§2).
  const share = opts.longFormShare ?? 0.1;
  const interval = share > 0 ? Math.max(1, Math.round(1 / share)) : 0;
  let next = interval > 0 ? rng.int(0, interval - 1) : -1;
  let eligible = 0;
  const usedIds = new Set<string>();
  const countyCode = countyCodeOf(opts.code);
  const listing: ListingEntry[] = [];
  const registrations: Registration[] = [];
  const perBuilding = rural ? 1 : rng.int(12, 24);

  for (let i = 0; i < n; i++) {
    const kind = kinds[i] ?? 'family';
    const householdNo = pad3(i + 1);
    let longForm = false;
    if (kind !== 'overseas' && interval > 0) {
      if (eligible === next) {
        longForm = true;
        next += interval;
      }
      eligible += 1;
    }
    const hrng = new Rng(mixSeed(opts.seed, i + 1));
    const built = buildHousehold({ rng: hrng, kind, form: longForm ? 'long' : 'short', rural, countyCode, usedIds, deathShare: GENERATOR_SHARES.deathHouseholds, idPrefix: `${opts.code}-${householdNo}` });
    const registered = hrng.float() < (opts.registeredShare ?? 1);
    const self = !longForm && kind !== 'collective' && hrng.chance(GENERATOR_SHARES.selfEnumeration);
    const building = Math.floor(i / perBuilding) + 1;
    const inBuilding = i % perBuilding;
    const address = rural ? `${community}${building}号` : `${street}${building}号楼${Math.floor(inBuilding / 6) + 1}单元${Math.floor((inBuilding % 6) / 2) + 1}0${(inBuilding % 2) + 1}室`;
    const entry = ListingEntrySchema.parse({
      id: `L-${opts.code}-${householdNo}`,
      districtCode: opts.code,
      buildingNo: String(building).padStart(4, '0'),
      ...(!rural && { unitNo: `${Math.floor(inBuilding / 6) + 1}单元` }),
      householdNo,
      address,
      headName: built.headName,
      kind: kind === 'overseas' ? 'allOverseas' : 'ordinary',
      householdType: kind === 'collective' ? 2 : 1,
      expected: built.expected,
      phone: `13${hrng.digits(9)}`,
      selfEnumeration: self,
      longForm,
      origin: 'listing',
      visit: registered ? { status: self ? 'selfReported' : 'registered', attempts: 1, lastAt: STAMP } : { status: 'pending', attempts: 0 },
    });
    listing.push(entry);
    if (!registered) continue;
    const reg = RegistrationSchema.parse({
      id: `R-${opts.code}-${householdNo}`,
      listingId: entry.id,
      districtCode: opts.code,
      householdNo,
      form: longForm ? 'long' : 'short',
      source: self ? 'self' : 'enumerator',
      status: 'complete',
      household: built.household,
      persons: built.persons,
      deaths: built.deaths,
      overseas: built.overseas,
      overrides: [],
      version: 1,
      updatedAt: STAMP,
    });
    const findings = validateRegistration(reg, { listing: entry });
    const error = findings.find((f) => f.severity === 'error');
    if (error) throw new Error(`generator bug: ${reg.id} has ${error.rule} at ${error.path.join('.')}`);
    reg.overrides = confirmWarnings(findings);
    registrations.push(reg);
  }
  const injected = applyInjections(opts.inject ?? [], registrations, listing);
  return { district, listing, registrations, injected };
}

/** The completed age shares and other headline figures of a generated district, for benchmarks and tests. */
export function districtFigures(regs: readonly Registration[]): { persons: number; households: number; meanFamilySize: number; ageShares: [number, number, number]; sexRatio: number; collectiveShare: number; awayFromHukouShare: number; birthHouseholds: number; deathHouseholds: number; longForm: number; overseas: number } {
  let persons = 0, male = 0, young = 0, working = 0, old = 0, collective = 0, away = 0, familyPersons = 0, families = 0, births = 0, deaths = 0, longForm = 0, overseas = 0;
  for (const r of regs) {
    const family = r.household.householdType === 1 && r.persons.length > 0;
    if (family) {
      families += 1;
      familyPersons += r.persons.length;
    }
    if (r.household.births.male + r.household.births.female > 0) births += 1;
    if (r.deaths.length > 0) deaths += 1;
    if (r.form === 'long') longForm += 1;
    overseas += r.overseas.length;
    for (const p of r.persons) {
      persons += 1;
      if (p.sex === C.MALE) male += 1;
      const age = ageAtCensus(p.birth) ?? 0;
      if (age < 15) young += 1;
      else if (age < 60) working += 1;
      else old += 1;
      if (r.household.householdType === 2) collective += 1;
      if (p.leftHukouDuration !== undefined && p.leftHukouDuration !== C.NEVER_LEFT && p.residence.code === C.RESIDENCE_HERE) away += 1;
    }
  }
  const pct = (x: number) => (persons === 0 ? 0 : Math.round((x / persons) * 10000) / 100);
  return {
    persons,
    households: regs.length,
    meanFamilySize: families === 0 ? 0 : Math.round((familyPersons / families) * 100) / 100,
    ageShares: [pct(young), pct(working), pct(old)],
    sexRatio: persons - male === 0 ? 0 : Math.round((male / (persons - male)) * 10000) / 100,
    collectiveShare: pct(collective),
    awayFromHukouShare: pct(away),
    birthHouseholds: births,
    deathHouseholds: deaths,
    longForm,
    overseas,
  };
}
