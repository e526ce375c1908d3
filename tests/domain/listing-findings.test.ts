// listingFindings is what the server adds, inside its push transaction, to the context-free
// checks it ran before: together they must equal the phone's validateRegistration(reg, { listing }).
import { describe, expect, it } from 'vitest';
import { generateDistrict, listingFindings, validateRegistration, type Finding } from '../../src/domain/index.ts';
import { baseLong, baseShort, death, listingFor } from './fixtures.ts';

const key = (f: Finding) => `${f.rule} ${JSON.stringify(f.path)}`;
const sorted = (fs: Finding[]) => fs.map(key).sort();

describe('listingFindings', () => {
  it('adds exactly the findings the listing entry brings, on generated households and edge cases', () => {
    const g = generateDistrict({ seed: 7, code: '130102001003001', enumerators: ['u'], households: 200, registeredShare: 1 });
    const byId = new Map(g.listing.map((l) => [l.id, l]));
    const cases = g.registrations.map((r) => {
      const listing = byId.get(r.listingId);
      if (!listing) throw new Error('fixture');
      return { reg: r, listing };
    });
    // long form outside the sample, counts that differ, a whole-household death listed as such
    const long = baseLong();
    cases.push({ reg: long, listing: listingFor(long, { longForm: false }) });
    const short = baseShort();
    cases.push({ reg: short, listing: listingFor(short, { expected: { residents: 5, hukouHereAbsent: 1, births: 1, deaths: 0, overseas: 2 } }) });
    const dead = { ...baseShort(), persons: [], deaths: [death()], household: { ...baseShort().household, residents: 0 } };
    cases.push({ reg: dead, listing: listingFor(dead, { kind: 'allDeceased' }) });
    cases.push({ reg: short, listing: listingFor(short, { kind: 'allDeceased' }) });
    // listingFindings is computed directly (no second run of the household checks): the cases
    // where the listing's kind could matter, and an empty household, against the full runs.
    const dead999 = { ...dead, householdNo: '999' };
    cases.push({ reg: dead999, listing: listingFor(dead999, { kind: 'allDeceased' }) });
    const living999 = { ...short, householdNo: '999' };
    cases.push({ reg: living999, listing: listingFor(living999, { kind: 'allDeceased', longForm: false }) });
    const empty = { ...baseShort(), persons: [], deaths: [], overseas: [] };
    cases.push({ reg: empty, listing: listingFor(empty, { kind: 'allDeceased', expected: { residents: 5, hukouHereAbsent: 1, births: 1, deaths: 0, overseas: 2 } }) });
    for (const kind of ['ordinary', 'empty', 'allAway', 'allOverseas', 'mixed'] as const) cases.push({ reg: dead, listing: listingFor(dead, { kind }) });
    let added = 0;
    for (const { reg, listing } of cases) {
      const extra = listingFindings(reg, listing);
      added += extra.length;
      expect(sorted([...validateRegistration(reg), ...extra])).toEqual(sorted(validateRegistration(reg, { listing })));
    }
    // the cases above really exercise the listing-dependent rules
    expect(added).toBeGreaterThanOrEqual(4);
    expect(listingFindings(long, listingFor(long, { longForm: false })).map((f) => f.rule)).toEqual(['LONG_FORM_NOT_SAMPLED']);
    expect(listingFindings(short, listingFor(short, { kind: 'allDeceased' })).map((f) => f.rule)).toEqual(['ALL_DECEASED_NUMBER']);
    expect(listingFindings(long, listingFor(long))).toEqual([]);
  });
});
