// The desk's pure rules (docs/OFFICE.md): the phase in force and the share expected, the "enough"
// rule at its boundary, the signals' direction, the due days of the freeze around the hour.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, DEFAULT_RATES, dueDays, phaseAt, scheduleOf, signalsOf } from '../../src/server/office-config.ts';
import { readConfig, officeOptions } from '../../src/server/config.ts';
import { zeroCounts, type Counts } from '../../src/server/store/sql-progress.ts';

const counts = (over: Partial<Counts>): Counts => ({ ...zeroCounts(), ...over });
const at = (iso: string) => new Date(iso);

describe('calendar and schedule', () => {
  it('[OC1] the phase: none before, the short form while it runs, then the long form, the review alone, the last ended after', () => {
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-10-31T15:59:59.000Z'))).toEqual({ phase: null, expected: 0 });
    // 1 November 00:00 China time is 31 October 16:00 UTC
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-10-31T16:00:00.000Z'))).toEqual({ phase: 'shortForm', expected: 0 });
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-11-08T04:00:00.000Z')).expected).toBeCloseTo(7.5 / 15, 9);
    // 16 November: long form and review both run; the long form's share counts
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-11-15T16:00:00.000Z'))).toEqual({ phase: 'longForm', expected: 0 });
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-12-01T16:00:00.000Z')).phase).toBe('review');
    expect(phaseAt(DEFAULT_CALENDAR, at('2020-12-01T16:00:00.000Z')).expected).toBeCloseTo(16 / 25, 9);
    expect(phaseAt(DEFAULT_CALENDAR, at('2021-03-01T00:00:00.000Z'))).toEqual({ phase: 'review', expected: 1 });
  });

  it('[OC2] done counts accepted districts pending entries as done; behind is more than 10 points short', () => {
    const now = at('2020-11-08T04:00:00.000Z'); // half the short form
    expect(scheduleOf(counts({ listing: 100, v_pending: 61 }), DEFAULT_CALENDAR, now)).toMatchObject({ done: 0.39, behind: true });
    expect(scheduleOf(counts({ listing: 100, v_pending: 60 }), DEFAULT_CALENDAR, now)).toMatchObject({ done: 0.4, behind: false });
    expect(scheduleOf(counts({ listing: 100, v_pending: 61, a_pending: 5 }), DEFAULT_CALENDAR, now)).toMatchObject({ done: 0.44, behind: false });
    expect(scheduleOf(counts({ listing: 0 }), DEFAULT_CALENDAR, now)).toMatchObject({ done: 0, behind: true });
  });

  it('[OC3] configuration: a calendar and ranges from the environment, checked; the demo gets a calendar around today', () => {
    const c = readConfig({ PUCHA_CALENDAR: JSON.stringify({ shortForm: ['2030-11-01', '2030-11-15'], longForm: ['2030-11-16', '2030-11-30'], review: ['2030-11-16', '2030-12-10'] }), PUCHA_REPORT_HOUR: '22', PUCHA_EXPECTED_RATES: '{"birthsPer1000":[6,12]}', PUCHA_DEMO: '0' });
    const o = officeOptions(c, at('2026-01-01T00:00:00.000Z'));
    expect(o.calendar.shortForm).toEqual(['2030-11-01', '2030-11-15']);
    expect(o.reportHour).toBe(22);
    expect(o.rates).toEqual({ ...DEFAULT_RATES, birthsPer1000: [6, 12] });
    expect(officeOptions(readConfig({ PUCHA_DEMO: '0' }), at('2026-01-01T00:00:00.000Z')).calendar).toEqual(DEFAULT_CALENDAR);
    expect(officeOptions(readConfig({ PUCHA_DEMO: '1' }), at('2026-12-07T04:00:00.000Z')).calendar.shortForm).toEqual(['2026-12-04', '2026-12-18']);
    for (const env of [{ PUCHA_CALENDAR: '{' }, { PUCHA_CALENDAR: '{"shortForm":["2020-11-15","2020-11-01"],"longForm":["2020-11-16","2020-11-30"],"review":["2020-11-16","2020-12-10"]}' }, { PUCHA_REPORT_HOUR: '0' }, { PUCHA_REPORT_HOUR: '25' }, { PUCHA_EXPECTED_RATES: '{"births":[1,2]}' }, { PUCHA_EXPECTED_RATES: '{"sexRatio":[110,100]}' }]) {
      expect(() => readConfig(env)).toThrow();
    }
  });
});

describe('quality signals', () => {
  const signal = (c: Counts, id: string, max = 0) => signalsOf(c, max, DEFAULT_RATES).find((s) => s.id === id);

  it('[OC4] births: 10 expected events at 8 per 1,000 need 1,250 persons; below that no alarm, at it a low rate is flagged', () => {
    expect(signal(counts({ persons: 1249, births: 0 }), 'birthsPer1000')).toMatchObject({ value: 0, enough: false, outside: null });
    expect(signal(counts({ persons: 1250, births: 0 }), 'birthsPer1000')).toMatchObject({ value: 0, enough: true, outside: 'low', basis: 1250 });
    expect(signal(counts({ persons: 1250, births: 13 }), 'birthsPer1000')).toMatchObject({ value: 10.4, outside: null });
    expect(signal(counts({ persons: 1250, births: 20 }), 'birthsPer1000')).toMatchObject({ value: 16, outside: 'high' });
    expect(signal(counts({ persons: 0 }), 'birthsPer1000')).toMatchObject({ value: null, enough: false });
    // deaths: 10 at 4.6 per 1,000 need 2,174 persons
    expect(signal(counts({ persons: 2173, deaths: 1 }), 'deathsPer1000')).toMatchObject({ enough: false, outside: null });
    expect(signal(counts({ persons: 2174, deaths: 1 }), 'deathsPer1000')).toMatchObject({ enough: true, outside: 'low' });
  });

  it('[OC5] the ratios and shares: their direction and minimum bases', () => {
    expect(signal(counts({ persons: 999, males: 600, females: 399 }), 'sexRatio')).toMatchObject({ enough: false, outside: null });
    expect(signal(counts({ persons: 1000, males: 600, females: 400 }), 'sexRatio')).toMatchObject({ value: 150, enough: true, outside: 'high' });
    expect(signal(counts({ persons: 1000, males: 480, females: 520 }), 'sexRatio')).toMatchObject({ value: 92.31, outside: 'low' });
    expect(signal(counts({ births_m: 120, births_f: 80 }), 'sexRatioAtBirth')).toMatchObject({ value: 150, enough: true, outside: 'high' });
    expect(signal(counts({ births_m: 119, births_f: 80 }), 'sexRatioAtBirth')).toMatchObject({ enough: false });
    expect(signal(counts({ fam_households: 30, fam_persons: 60 }), 'familySize')).toMatchObject({ value: 2, enough: true, outside: 'low' });
    expect(signal(counts({ fam_households: 29, fam_persons: 58 }), 'familySize')).toMatchObject({ enough: false });
    expect(signal(counts({ persons: 1000, under5: 20 }), 'under5Share')).toMatchObject({ value: 2, enough: true, outside: 'low' });
    expect(signal(counts({ r_complete: 20, r_overridden: 5 }), 'overrideShare')).toMatchObject({ value: 25, enough: true, outside: 'high' });
    expect(signal(counts({ r_complete: 19, r_overridden: 19 }), 'overrideShare')).toMatchObject({ enough: false, outside: null });
    expect(signal(counts({ r_complete: 60 }), 'perEnumeratorDay', 41)).toMatchObject({ value: 41, outside: 'high' });
    expect(signal(counts({ r_complete: 60 }), 'perEnumeratorDay', 40)).toMatchObject({ value: 40, outside: null });
  });
});

describe('the freeze schedule', () => {
  it('[OC6] a day is due at its hour China time, on time within 15 minutes, late after; frozen days are skipped', () => {
    // 3 November 24:00 China time = 3 November 16:00 UTC
    expect(dueDays(at('2020-11-03T15:59:59.999Z'), '2020-11-03', 24, new Set())).toEqual([]);
    expect(dueDays(at('2020-11-03T16:00:00.000Z'), '2020-11-03', 24, new Set())).toEqual([{ day: '2020-11-03', late: false }]);
    expect(dueDays(at('2020-11-03T16:15:00.000Z'), '2020-11-03', 24, new Set())).toEqual([{ day: '2020-11-03', late: false }]);
    expect(dueDays(at('2020-11-03T16:15:00.001Z'), '2020-11-03', 24, new Set())).toEqual([{ day: '2020-11-03', late: true }]);
    // At 22:00 China time (14:00 UTC) instead
    expect(dueDays(at('2020-11-03T14:00:00.000Z'), '2020-11-03', 22, new Set())).toEqual([{ day: '2020-11-03', late: false }]);
    expect(dueDays(at('2020-11-06T03:00:00.000Z'), '2020-11-02', 24, new Set(['2020-11-03']))).toEqual([
      { day: '2020-11-02', late: true },
      { day: '2020-11-04', late: true },
      { day: '2020-11-05', late: true },
    ]);
  });
});
