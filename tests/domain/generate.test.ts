import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockingFindings, calibrationFigures, canComplete, checkCitizenId, duplicateCitizenIds, generateDistrict, INJECTIONS, ListingEntrySchema,
  RegistrationSchema, DistrictSchema, validateRegistration, type InjectionKind,
} from '../../src/domain/index.ts';

const code = (n: number) => `130102001001${String(n % 1000).padStart(3, '0')}`;

describe('generateDistrict', () => {
  it('is deterministic: same options, same output', () => {
    const opts = { seed: 42, code: code(1), enumerators: ['u1'], households: 60 };
    expect(generateDistrict(opts)).toEqual(generateDistrict(opts));
    expect(generateDistrict({ ...opts, seed: 43 }).registrations).not.toEqual(generateDistrict(opts).registrations);
  });

  it('every generated household is complete, schema-valid and has no error or unconfirmed warning (many seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const g = generateDistrict({ seed, code: code(seed), enumerators: ['u1'], households: 40 });
        expect(DistrictSchema.safeParse(g.district).success).toBe(true);
        expect(g.listing).toHaveLength(40);
        const byId = new Map(g.listing.map((e) => [e.id, e]));
        for (const e of g.listing) expect(ListingEntrySchema.safeParse(e).success).toBe(true);
        for (const reg of g.registrations) {
          expect(RegistrationSchema.safeParse(reg).success).toBe(true);
          expect(reg.status).toBe('complete');
          const listing = byId.get(reg.listingId);
          expect(listing).toBeDefined();
          const findings = validateRegistration(reg, listing ? { listing } : {});
          expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
          expect(blockingFindings(findings, reg.overrides)).toEqual([]);
          expect(canComplete(reg, listing ? { listing } : {})).toEqual({ ok: true });
        }
        expect(duplicateCitizenIds(g.registrations)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('listing counts match the forms, IDs are valid and match birth month and sex', () => {
    const g = generateDistrict({ seed: 7, code: code(7), enumerators: ['u1'], households: 200 });
    for (const reg of g.registrations) {
      const e = g.listing.find((x) => x.id === reg.listingId);
      expect(e?.expected).toEqual({
        residents: reg.household.residents,
        hukouHereAbsent: reg.household.hukouHereAbsent,
        births: reg.household.births.male + reg.household.births.female,
        deaths: reg.household.deaths.male + reg.household.deaths.female,
        overseas: reg.overseas.length,
      });
      expect(reg.form === 'long').toBe(e?.longForm);
      for (const p of reg.persons) {
        if (p.citizenId === undefined) continue;
        const r = checkCitizenId(p.citizenId);
        expect(r.ok && r.birth.slice(0, 7) === p.birth && r.sex === p.sex).toBe(true);
      }
    }
  });

  it('draws the long form systematically at 10 % of the sampling frame and leaves unregistered households pending', () => {
    for (const seed of [3, 4, 5, 6]) {
      const g = generateDistrict({ seed, code: code(seed), enumerators: ['u1'], households: 300, registeredShare: 0.5 });
      // The frame (§2) is the ordinary households: empty units, whole households away, 999 deaths,
      // overseas-only and mixed households are never drawn.
      const frame = g.listing.filter((e) => e.kind === 'ordinary').length;
      expect(frame).toBeLessThan(300);
      const drawn = g.listing.filter((e) => e.longForm);
      for (const e of drawn) expect(e.kind).toBe('ordinary');
      // Every 10th of the frame from a random start: floor or ceil of frame / 10, never more or less.
      expect(drawn.length).toBeGreaterThanOrEqual(Math.floor(frame / 10));
      expect(drawn.length).toBeLessThanOrEqual(Math.ceil(frame / 10));
      const pending = g.listing.filter((e) => e.visit.status === 'pending').length;
      const vacant = g.listing.filter((e) => e.visit.status === 'vacant').length;
      expect(vacant).toBe(g.listing.filter((e) => e.kind === 'empty').length);
      expect(pending + vacant + g.registrations.length).toBe(300);
      expect(pending).toBeGreaterThan(100);
      expect(pending).toBeLessThan(200);
    }
  });

  it('has the figures of Hebei\'s 7th-census bulletin over many districts (§7), within sampling bounds', () => {
    const districts = Array.from({ length: 60 }, (_, i) =>
      generateDistrict({ seed: 5000 + i, code: `130102${String(1 + Math.floor(i / 100)).padStart(3, '0')}001${String((i % 100) + 1).padStart(3, '0')}`, enumerators: ['u1'], households: 80 }),
    );
    const f = calibrationFigures(districts);
    // Published: 2.75 persons per family household, 6.35 % in collective households, sex ratio
    // 102.02, 0-14 20.22 %, 15-59 59.92 %, 60+ 19.85 %, 65+ 13.92 %, Han 95.68 %, urban 60.07 %,
    // per 100 000: college 12 418, senior 13 861, junior 39 950, primary 24 664; illiteracy 1.51 %.
    expect(f.meanFamilySize).toBeGreaterThan(2.6);
    expect(f.meanFamilySize).toBeLessThan(2.9);
    expect(f.collectiveShare).toBeGreaterThan(4);
    expect(f.collectiveShare).toBeLessThan(9);
    expect(f.sexRatio).toBeGreaterThan(97);
    expect(f.sexRatio).toBeLessThan(107);
    expect(f.age0to14).toBeGreaterThan(17);
    expect(f.age0to14).toBeLessThan(23.5);
    expect(f.age15to59).toBeGreaterThan(56);
    expect(f.age15to59).toBeLessThan(64);
    expect(f.age60plus).toBeGreaterThan(16.5);
    expect(f.age60plus).toBeLessThan(23);
    expect(f.age65plus).toBeGreaterThan(11);
    expect(f.age65plus).toBeLessThan(17);
    expect(f.hanShare).toBeGreaterThan(93);
    expect(f.hanShare).toBeLessThan(98);
    expect(f.urbanShare).toBeGreaterThan(52);
    expect(f.urbanShare).toBeLessThan(68);
    expect(f.per100k.college).toBeGreaterThan(10_000);
    expect(f.per100k.college).toBeLessThan(16_000);
    expect(f.per100k.senior).toBeGreaterThan(11_000);
    expect(f.per100k.senior).toBeLessThan(17_000);
    expect(f.per100k.junior).toBeGreaterThan(34_000);
    expect(f.per100k.junior).toBeLessThan(44_000);
    expect(f.per100k.primary).toBeGreaterThan(19_000);
    expect(f.per100k.primary).toBeLessThan(29_000);
    expect(f.illiteracy15).toBeGreaterThan(0.7);
    expect(f.illiteracy15).toBeLessThan(3);
    expect(f.leftHukouShare).toBeGreaterThan(15);
    expect(f.leftHukouShare).toBeLessThan(26);
    // Hebei sends people away: many records of members away with hukou here.
    expect(f.absentRecordShare).toBeGreaterThan(9);
    expect(f.absentRecordShare).toBeLessThan(20);
    expect(f.birthHouseholdShare).toBeGreaterThan(1);
    expect(f.birthHouseholdShare).toBeLessThan(4);
    expect(f.deathHouseholdShare).toBeGreaterThan(1);
    expect(f.deathHouseholdShare).toBeLessThan(3.5);
    expect(f.grandparentHouseholds).toBeGreaterThan(0);
    expect(f.threeGenerationHouseholds).toBeGreaterThan(f.registrations / 20);
    expect(f.overseasPersons).toBeGreaterThan(0);
  });

  it('produces every listing kind, each registered as its kind requires (fixed seeds)', () => {
    const seen = { ordinary: 0, empty: 0, allAway: 0, allDeceased: 0, allOverseas: 0, mixed: 0 };
    for (let i = 0; i < 40; i++) {
      const g = generateDistrict({ seed: 9000 + i, code: code(i), enumerators: ['u1'], households: 60 });
      const regByListing = new Map(g.registrations.map((r) => [r.listingId, r]));
      for (const e of g.listing) {
        seen[e.kind] += 1;
        const reg = regByListing.get(e.id);
        if (e.kind === 'empty') {
          expect(reg).toBeUndefined();
          expect(e.visit.status).toBe('vacant');
          continue;
        }
        expect(reg).toBeDefined();
        if (!reg) continue;
        const findings = validateRegistration(reg, { listing: e });
        expect(findings.filter((x) => x.severity === 'error')).toEqual([]);
        expect(blockingFindings(findings, reg.overrides)).toEqual([]);
        if (e.kind === 'allDeceased') {
          expect(e.householdNo).toBe('999');
          expect(reg.persons).toEqual([]);
          expect(reg.deaths.length).toBeGreaterThan(0);
        }
        if (e.kind === 'allAway') {
          expect(reg.persons.length).toBeGreaterThan(0);
          expect(reg.persons.every((p) => p.residence.code !== 1 && p.hukou.code === 1)).toBe(true);
        }
        if (e.kind === 'allOverseas') {
          expect(reg.persons).toEqual([]);
          expect(reg.overseas.length).toBeGreaterThan(0);
        }
        if (e.kind === 'mixed') {
          expect(reg.persons.length).toBeGreaterThan(0);
          expect(reg.overseas.length).toBeGreaterThan(0);
        }
      }
    }
    for (const [kind, n] of Object.entries(seen)) expect(n, kind).toBeGreaterThan(0);
  });

  it('rejects bad options as bugs', () => {
    expect(() => generateDistrict({ seed: 1, code: '123', enumerators: [], households: 1 })).toThrow(RangeError);
    expect(() => generateDistrict({ seed: 1, code: code(1), enumerators: [], households: 999 })).toThrow(RangeError);
  });
});

describe('INJECTIONS', () => {
  const kinds = Object.keys(INJECTIONS) as InjectionKind[];

  it('every injection is caught by its rule at its path (several seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const g = generateDistrict({ seed, code: code(seed), enumerators: ['u1'], households: 300, inject: kinds });
        // A kind lands only where the district has an eligible household (e.g. a foreign national).
        expect(g.injected.length).toBeGreaterThanOrEqual(kinds.length - 2);
        for (const inj of g.injected) {
          const reg = g.registrations.find((r) => r.id === inj.registrationId);
          const listing = g.listing.find((e) => e.id === reg?.listingId);
          expect(reg?.status).toBe('draft');
          const findings = reg ? validateRegistration(reg, listing ? { listing } : {}) : [];
          expect(findings.map((f) => `${f.rule}@${f.path.join('.')}`)).toContain(`${inj.rule}@${inj.path.join('.')}`);
          expect(INJECTIONS[inj.kind].rule).toBe(inj.rule);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('every kind lands somewhere in a large enough district', () => {
    const g = generateDistrict({ seed: 1, code: code(1), enumerators: ['u1'], households: 300, inject: kinds });
    expect(g.injected.map((x) => x.kind).sort()).toEqual([...kinds].sort());
    expect(new Set(g.injected.map((x) => x.registrationId)).size).toBe(kinds.length);
  });
});
