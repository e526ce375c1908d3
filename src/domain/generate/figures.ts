// The headline figures of generated districts in the units Hebei's 7th-census bulletin publishes
// them (resident population, per 100 000, percentages), so the generator can be calibrated and
// benchmarked against it. Resident figures count persons who slept here (D7 = 1), as the bulletin's
// 常住人口 does; members away (hukou here, D7 ≠ 1) are counted separately.
import * as C from '../codes.ts';
import { ageAtCensus } from '../age.ts';
import type { District, ListingEntry, Registration } from '../schemas.ts';

export interface FiguresInput {
  district: District;
  listing: readonly ListingEntry[];
  registrations: readonly Registration[];
}

export interface CalibrationFigures {
  listed: number;
  registrations: number;
  /** Residents (D7 = 1) and all person records (residents + members away). */
  residents: number;
  personRecords: number;
  /** Residents per family household with residents. */
  meanFamilySize: number;
  /** Percent of residents: 0-14, 15-59, 60+, 65+. */
  age0to14: number;
  age15to59: number;
  age60plus: number;
  age65plus: number;
  /** Males per 100 females among residents. */
  sexRatio: number;
  /** Per 100 000 residents: attainment college+ (专科 and above), senior high (incl. 中专), junior high, primary. */
  per100k: { college: number; senior: number; junior: number; primary: number };
  /** Percent of residents 15+ who cannot read. */
  illiteracy15: number;
  /** Percent of residents in districts with an urban class (1xx). */
  urbanShare: number;
  /** Percent of residents in collective households. */
  collectiveShare: number;
  /** Percent of residents of Han ethnicity. */
  hanShare: number;
  /** Percent of person records who are away with hukou here (D7 ≠ 1). */
  absentRecordShare: number;
  /** Percent of residents who left their hukou township (D9 ≥ 2). */
  leftHukouShare: number;
  /** Listing entries of each kind. */
  kinds: Record<ListingEntry['kind'], number>;
  /** Registered family households with residents that hold three generations or more (grandparent, grandchild or parent with child). */
  threeGenerationHouseholds: number;
  /** Registered households with a grandparent (D2 = 5) listed. */
  grandparentHouseholds: number;
  /** Percent of registered family households with a birth / a death in the window. */
  birthHouseholdShare: number;
  deathHouseholdShare: number;
  longFormShare: number;
  overseasPersons: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Figures over a set of generated districts. */
export function calibrationFigures(districts: readonly FiguresInput[]): CalibrationFigures {
  let residents = 0, records = 0, male = 0, a0 = 0, a15 = 0, a60 = 0, a65 = 0, over15 = 0, illiterate = 0, urban = 0, collective = 0, han = 0, absent = 0, left = 0;
  let families = 0, familyResidents = 0, births = 0, deaths = 0, longForm = 0, overseas = 0, regs = 0, listed = 0, threeGen = 0, grandparents = 0;
  const edu = { college: 0, senior: 0, junior: 0, primary: 0 };
  const kinds: Record<ListingEntry['kind'], number> = { ordinary: 0, empty: 0, allAway: 0, allDeceased: 0, allOverseas: 0, mixed: 0 };
  for (const d of districts) {
    const isUrban = (d.district.urbanRural ?? '1').startsWith('1');
    listed += d.listing.length;
    for (const e of d.listing) kinds[e.kind] += 1;
    for (const r of d.registrations) {
      regs += 1;
      if (r.form === 'long') longForm += 1;
      overseas += r.overseas.length;
      const here = r.persons.filter((p) => p.residence.code === C.RESIDENCE_HERE);
      if (r.household.householdType === 1 && here.length > 0) {
        families += 1;
        familyResidents += here.length;
        if (r.household.births.male + r.household.births.female > 0) births += 1;
        if (r.deaths.length > 0) deaths += 1;
        const rels = new Set(here.map((p) => p.relationship));
        if (rels.has(C.REL.grandparent) || rels.has(C.REL.grandchild) || ((rels.has(C.REL.parent) || rels.has(C.REL.parentInLaw)) && rels.has(C.REL.child))) threeGen += 1;
      }
      if (r.persons.some((p) => p.relationship === C.REL.grandparent)) grandparents += 1;
      for (const p of r.persons) {
        records += 1;
        if (p.residence.code !== C.RESIDENCE_HERE) {
          absent += 1;
          continue;
        }
        residents += 1;
        if (isUrban) urban += 1;
        if (r.household.householdType === 2) collective += 1;
        if (p.ethnicity === C.ETHNICITY_HAN) han += 1;
        if (p.sex === C.MALE) male += 1;
        if (p.leftHukouDuration !== undefined && p.leftHukouDuration !== C.NEVER_LEFT) left += 1;
        const age = ageAtCensus(p.birth) ?? 0;
        if (age < 15) a0 += 1;
        else if (age < 60) a15 += 1;
        else a60 += 1;
        if (age >= 65) a65 += 1;
        if (age >= 15) {
          over15 += 1;
          if (p.literate === C.NO) illiterate += 1;
        }
        const e = p.education;
        if (e !== undefined && e >= C.EDU.college) edu.college += 1;
        else if (e === C.EDU.senior) edu.senior += 1;
        else if (e === C.EDU.junior) edu.junior += 1;
        else if (e === C.EDU.primary) edu.primary += 1;
      }
    }
  }
  const pct = (x: number, of: number) => (of === 0 ? 0 : round((x / of) * 100, 2));
  const per100k = (x: number) => (residents === 0 ? 0 : Math.round((x / residents) * 100_000));
  return {
    listed,
    registrations: regs,
    residents,
    personRecords: records,
    meanFamilySize: families === 0 ? 0 : round(familyResidents / families, 2),
    age0to14: pct(a0, residents),
    age15to59: pct(a15, residents),
    age60plus: pct(a60, residents),
    age65plus: pct(a65, residents),
    sexRatio: residents - male === 0 ? 0 : round((male / (residents - male)) * 100, 2),
    per100k: { college: per100k(edu.college), senior: per100k(edu.senior), junior: per100k(edu.junior), primary: per100k(edu.primary) },
    illiteracy15: pct(illiterate, over15),
    urbanShare: pct(urban, residents),
    collectiveShare: pct(collective, residents),
    hanShare: pct(han, residents),
    absentRecordShare: pct(absent, records),
    leftHukouShare: pct(left, residents),
    kinds,
    threeGenerationHouseholds: threeGen,
    grandparentHouseholds: grandparents,
    birthHouseholdShare: pct(births, families),
    deathHouseholdShare: pct(deaths, families),
    longFormShare: pct(longForm, regs),
    overseasPersons: overseas,
  };
}
