import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockingFindings, canComplete, checkCitizenId, districtFigures, duplicateCitizenIds, generateDistrict, INJECTIONS, ListingEntrySchema,
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

  it('draws the long form systematically at about 10 % and leaves unregistered households pending', () => {
    const g = generateDistrict({ seed: 3, code: code(3), enumerators: ['u1'], households: 300, registeredShare: 0.5 });
    const long = g.listing.filter((e) => e.longForm).length;
    expect(long).toBeGreaterThanOrEqual(28);
    expect(long).toBeLessThanOrEqual(31);
    const pending = g.listing.filter((e) => e.visit.status === 'pending').length;
    expect(pending + g.registrations.length).toBe(300);
    expect(pending).toBeGreaterThan(100);
    expect(pending).toBeLessThan(200);
  });

  it('has Hebei shapes over many households (§7), within loose bounds', () => {
    const regs = Array.from({ length: 20 }, (_, s) => generateDistrict({ seed: 1000 + s, code: code(s), enumerators: ['u1'], households: 100 }).registrations).flat();
    const f = districtFigures(regs);
    expect(f.meanFamilySize).toBeGreaterThan(2.55);
    expect(f.meanFamilySize).toBeLessThan(2.95);
    const [young, working, old] = f.ageShares;
    expect(young).toBeGreaterThan(16);
    expect(young).toBeLessThan(24);
    expect(working).toBeGreaterThan(55);
    expect(working).toBeLessThan(66);
    expect(old).toBeGreaterThan(15);
    expect(old).toBeLessThan(24);
    expect(f.sexRatio).toBeGreaterThan(95);
    expect(f.sexRatio).toBeLessThan(110);
    expect(f.collectiveShare).toBeGreaterThan(3);
    expect(f.collectiveShare).toBeLessThan(10);
    expect(f.awayFromHukouShare).toBeGreaterThan(14);
    expect(f.awayFromHukouShare).toBeLessThan(27);
    expect(f.birthHouseholds / f.households).toBeGreaterThan(0.01);
    expect(f.birthHouseholds / f.households).toBeLessThan(0.04);
    expect(f.deathHouseholds / f.households).toBeGreaterThan(0.01);
    expect(f.deathHouseholds / f.households).toBeLessThan(0.035);
    expect(f.overseas).toBeGreaterThan(0);
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
