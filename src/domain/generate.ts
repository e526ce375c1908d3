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
export { calibrationFigures, type CalibrationFigures, type FiguresInput } from './generate/figures.ts';

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

/**
 * Shares used by the generator, calibrated to Hebei's 7th-census bulletin (2021-05-19; §7) where it
 * publishes a figure, and set by judgement (M) for listing kinds the bulletin does not count.
 */
export const GENERATOR_SHARES = {
  collectiveHouseholds: 0.035, // 926 025 of 26.36 M households; ≈ 6 % of persons
  overseasHouseholds: 0.006,
  deathHouseholds: 0.02,
  selfEnumeration: 0.1,
  /** Listed units found empty (空户), no registration (M). */
  emptyUnits: 0.04,
  /** Whole households away with hukou here (全户外出), rural / urban districts (M: Hebei is an out-migration province). */
  allAwayRural: 0.05,
  allAwayUrban: 0.015,
  /** Mixed households (混合户): a mainland family with an overseas spouse (M). */
  mixedHouseholds: 0.003,
  /** Districts whose listing has a whole-household death (户编号 999; at most one per district) (M). */
  allDeceasedDistricts: 0.15,
} as const;

/**
 * Urban-rural classes of districts (城乡分类代码) with weights: 1xx urban 60 %, 2xx rural 40 %
 * (Hebei 60.07 % urban). Drawn from the seed by a low-discrepancy sequence, so consecutive seeds
 * cover the classes in proportion instead of by chance.
 */
const URBAN_RURAL_WEIGHTS: readonly (readonly [string, number])[] = [['111', 32], ['112', 10], ['121', 18], ['210', 6], ['220', 34]];

function urbanRuralOf(seed: number): string {
  const u = (Math.abs(seed) * 0.6180339887498949) % 1;
  const total = URBAN_RURAL_WEIGHTS.reduce((t, [, w]) => t + w, 0);
  let x = u * total;
  for (const [code, w] of URBAN_RURAL_WEIGHTS) {
    x -= w;
    if (x < 0) return code;
  }
  return '220';
}

/** C11 type of the district's own township: 街道 in a city, a 镇 residents committee in a town, 乡 or 镇 village committee in the country. */
function townshipTypeOf(urbanRural: string, rng: Rng): number {
  if (urbanRural.startsWith('11')) return 4;
  if (urbanRural.startsWith('12')) return 3;
  if (urbanRural === '210') return 1;
  return rng.weighted([[1, 30], [2, 70]]);
}

/** A listed unit: a household kind, or an empty unit with nobody to register. */
type SlotKind = HouseholdKind | 'empty';
const LISTING_KIND: Readonly<Record<SlotKind, ListingEntry['kind']>> = {
  family: 'ordinary',
  collective: 'ordinary',
  overseas: 'allOverseas',
  mixed: 'mixed',
  allAway: 'allAway',
  allDeceased: 'allDeceased',
  empty: 'empty',
};
/**
 * Kinds in the long-form sampling frame (§2): not overseas-only, whole households away, whole-household
 * deaths or empty units; mixed households are left out too (their overseas member has no long form).
 */
const LONG_FORM_FRAME: readonly SlotKind[] = ['family', 'collective'];

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
  const urbanRural = urbanRuralOf(opts.seed);
  const rural = urbanRural.startsWith('2');
  const townshipType = townshipTypeOf(urbanRural, rng);
  // Adult children away with hukou here: more in the country, where work is scarce.
  const absentChildren: readonly (readonly [number, number])[] = rural ? [[0, 35], [1, 38], [2, 27]] : [[0, 58], [1, 30], [2, 12]];
  const community = rural ? `${rng.pick(VILLAGES)}村` : rng.pick(COMMUNITIES);
  const street = rng.pick(STREETS);
  const district = DistrictSchema.parse({
    code: opts.code,
    name: opts.name ?? `${community} 第${opts.code.slice(12)}普查小区`,
    urbanRural,
    enumerators: opts.enumerators,
  });
  const n = opts.households;
  const S = GENERATOR_SHARES;
  const kinds: SlotKind[] = Array.from({ length: n }, () =>
    rng.weighted<SlotKind>([
      ['collective', S.collectiveHouseholds],
      ['empty', S.emptyUnits],
      ['allAway', rural ? S.allAwayRural : S.allAwayUrban],
      ['mixed', S.mixedHouseholds],
      ['family', 1 - S.collectiveHouseholds - S.emptyUnits - (rural ? S.allAwayRural : S.allAwayUrban) - S.mixedHouseholds],
    ]),
  );
  const overseasCount = n >= 30 ? Math.max(1, Math.round(n * S.overseasHouseholds)) : 0;
  for (let k = 0; k < overseasCount; k++) kinds[rng.int(0, n - 1)] = 'overseas';
  // A whole-household death takes the last slot and the reserved number 999 (§5a), so the listing
  // still has `households` entries.
  const wholeDeath = n >= 30 && rng.chance(S.allDeceasedDistricts);
  if (wholeDeath) kinds[n - 1] = 'allDeceased';
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
    const householdNo = kind === 'allDeceased' ? '999' : pad3(i + 1);
    let longForm = false;
    if (LONG_FORM_FRAME.includes(kind) && interval > 0) {
      if (eligible === next) {
        longForm = true;
        next += interval;
      }
      eligible += 1;
    }
    const hrng = new Rng(mixSeed(opts.seed, i + 1));
    const built = kind === 'empty' ? undefined : buildHousehold({ rng: hrng, kind, form: longForm ? 'long' : 'short', rural, townshipType, absentChildren, countyCode, usedIds, deathShare: S.deathHouseholds, idPrefix: `${opts.code}-${householdNo}` });
    const registered = built !== undefined && hrng.float() < (opts.registeredShare ?? 1);
    // Self-enumeration needs someone at home to ask for it at listing time.
    const self = !longForm && (kind === 'family' || kind === 'mixed' || kind === 'overseas') && hrng.chance(S.selfEnumeration);
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
      headName: built?.headName ?? '空户',
      kind: LISTING_KIND[kind],
      householdType: kind === 'collective' ? 2 : 1,
      expected: built?.expected ?? { residents: 0, hukouHereAbsent: 0, births: 0, deaths: 0, overseas: 0 },
      ...(built && kind !== 'allDeceased' && { phone: `13${hrng.digits(9)}` }),
      selfEnumeration: self,
      longForm,
      origin: 'listing',
      visit: !built ? { status: 'vacant', attempts: 1, lastAt: STAMP } : registered ? { status: self ? 'selfReported' : 'registered', attempts: 1, lastAt: STAMP } : { status: 'pending', attempts: 0 },
    });
    listing.push(entry);
    if (!registered || !built) continue;
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
