// Ages from "YYYY-MM" answers (src/domain/age.ts). parseYearMonth is written with character codes
// for speed; it must accept exactly what the written format says: four digits, a hyphen, two
// digits, a month 1-12.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageAt, ageAtCensus, beforeCensus, parseYearMonth } from '../../src/domain/age.ts';

describe('age', () => {
  it('[AG1] parseYearMonth accepts "YYYY-MM" with a month 1-12 and nothing else', () => {
    expect(parseYearMonth('2005-11')).toEqual({ year: 2005, month: 11 });
    expect(parseYearMonth('0000-01')).toEqual({ year: 0, month: 1 });
    expect(parseYearMonth('1999-12')).toEqual({ year: 1999, month: 12 });
    for (const bad of ['2005-13', '2005-00', '2005-1', '205-11', '2005/11', '2005-11 ', ' 2005-11', '2005-11\n', '２００５-11', '2005-1a', 'a005-11', '2005--1', '', '20051-1', '2005-111']) {
      expect(parseYearMonth(bad), bad).toBeUndefined();
    }
    // against the format as a regular expression, on strings near the format
    const near = fc.stringMatching(/^[0-9a/:\- ]{0,3}[0-9]{0,4}[-/:]?[0-9/:]{0,3}$/);
    fc.assert(
      fc.property(fc.oneof(near, fc.string({ maxLength: 8 })), (s) => {
        const m = /^(\d{4})-(\d{2})$/.exec(s);
        const month = m ? Number(m[2]) : 0;
        const want = m && month >= 1 && month <= 12 ? { year: Number(m[1]), month } : undefined;
        expect(parseYearMonth(s)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('[AG2] completed age at 2020-11-01: the birthday month counts as reached', () => {
    expect(ageAtCensus('2005-10')).toBe(15);
    expect(ageAtCensus('2005-11')).toBe(14); // not yet 15: "2005年10月31日以前出生" excludes November
    expect(ageAtCensus('2020-10')).toBe(0);
    expect(ageAtCensus('2020-11')).toBe(-1);
    expect(ageAtCensus('1940-01')).toBe(80);
    expect(ageAtCensus('1940-13')).toBeUndefined();
    expect(ageAt('1990-05', '2020-05')).toBe(30);
    expect(ageAt('1990-06', '2020-05')).toBe(29);
    expect(beforeCensus('2020-10')).toBe(true);
    expect(beforeCensus('2020-11')).toBe(false);
  });
});
