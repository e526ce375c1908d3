import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCitizenId, citizenIdCheckChar, makeCitizenId, normalizeCitizenId, upgradeLegacyCitizenId } from '../../src/domain/index.ts';

// An independent computation of the check character: 2^(18-i) mod 11 weights, (12 - S mod 11) mod 11.
function referenceCheck(first17: string): string {
  let s = 0;
  for (let i = 1; i <= 17; i++) s += Number(first17[i - 1]) * (2 ** (18 - i) % 11);
  const v = (12 - (s % 11)) % 11;
  return v === 10 ? 'X' : String(v);
}

describe('checkCitizenId (GB 11643-1999)', () => {
  it('accepts the worked examples of census-forms.md §6A', () => {
    expect(checkCitizenId('130102199003070011')).toEqual({ ok: true, birth: '1990-03-07', sex: 1 });
    expect(checkCitizenId('13010220170815002X')).toEqual({ ok: true, birth: '2017-08-15', sex: 2 });
  });

  it.each([
    ['13010219900307001', 'format'],
    ['1301021990030700111', 'format'],
    ['13010219900307001x', 'format'],
    ['130102199003070012', 'checkDigit'],
    ['130102199002300016', 'date'],
    ['130102202101010012', 'future'],
  ])('rejects %s with reason %s', (id, reason) => {
    // Rows about the date get a correct check character, so only the date is wrong.
    const fixed = reason === 'date' || reason === 'future' ? id.slice(0, 17) + citizenIdCheckChar(id.slice(0, 17)) : id;
    expect(checkCitizenId(fixed)).toEqual({ ok: false, reason });
  });

  // Dates at their edges (§6A.3: a real calendar date on or before 2020-10-31). Each row gets a
  // correct check character, so only the date decides.
  const dated = (ymd: string) => {
    const first17 = `130102${ymd}011`;
    return first17 + citizenIdCheckChar(first17);
  };
  it.each([
    ['19000229', { ok: false, reason: 'date' }], // century year not divisible by 400: not leap
    ['20000229', { ok: true, birth: '2000-02-29', sex: 1 }], // divisible by 400: leap
    ['20200229', { ok: true, birth: '2020-02-29', sex: 1 }],
    ['19960229', { ok: true, birth: '1996-02-29', sex: 1 }],
    ['20190229', { ok: false, reason: 'date' }],
    ['20190228', { ok: true, birth: '2019-02-28', sex: 1 }],
    ['19750431', { ok: false, reason: 'date' }],
    ['19751231', { ok: true, birth: '1975-12-31', sex: 1 }],
    ['19751301', { ok: false, reason: 'date' }],
    ['19750100', { ok: false, reason: 'date' }],
  ])('leap years and month lengths: %s', (ymd, expected) => {
    expect(checkCitizenId(dated(ymd))).toEqual(expected);
  });

  it('accepts a birth on 2020-10-31 and rejects one on 2020-11-01 (the census moment is 2020-11-01 00:00)', () => {
    expect(checkCitizenId(dated('20201031'))).toEqual({ ok: true, birth: '2020-10-31', sex: 1 });
    expect(checkCitizenId(dated('20201101'))).toEqual({ ok: false, reason: 'future' });
    expect(checkCitizenId(dated('20201102'))).toEqual({ ok: false, reason: 'future' });
  });

  it('normalises spaces and a lower-case x', () => {
    expect(normalizeCitizenId(' 1301 0220 1708 1500 2x ')).toBe('13010220170815002X');
  });

  it('upgrades a 15-digit legacy number', () => {
    expect(upgradeLegacyCitizenId('130102900307001')).toBe('130102199003070011');
    expect(upgradeLegacyCitizenId('13010290030700')).toBeUndefined();
  });

  it('agrees with an independent check-character computation on random inputs', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(citizenIdCheckChar(first17)).toBe(referenceCheck(first17));
        const id = first17 + referenceCheck(first17);
        const r = checkCitizenId(id);
        if (r.ok) expect(Number(id[16]) % 2 === 1 ? 1 : 2).toBe(r.sex);
        else expect(r.reason).not.toBe('checkDigit');
      }),
      { numRuns: 2000 },
    );
  });

  it('makeCitizenId builds numbers that check, with the right sex', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2020-10-31'), noInvalidDate: true }), fc.nat(999), fc.constantFrom(1 as const, 2 as const), (d, seq, sex) => {
        const date = d.toISOString().slice(0, 10);
        expect(checkCitizenId(makeCitizenId('130102', date, seq, sex))).toEqual({ ok: true, birth: date, sex });
      }),
    );
  });
});
