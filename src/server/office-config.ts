// The census office's desk (issue 14, docs/OFFICE.md): the calendar and the share of the current
// phase that should be done, the daily freeze's hour, and the quality signals with their expected
// ranges. Pure functions of counters and clock: the routes read maintained counters and call them.
import { z } from 'zod';
import { chinaDay } from './store/sql-progress.ts';
import type { Counts } from './store/sql-progress.ts';

const DaySchema = z.iso.date();
const DayRange = z.tuple([DaySchema, DaySchema]).refine(([a, b]) => a <= b, 'the first day must not be after the last');

export const PHASE_IDS = ['shortForm', 'longForm', 'review'] as const;
export type PhaseId = (typeof PHASE_IDS)[number];
export const CalendarSchema = z.strictObject({ shortForm: DayRange, longForm: DayRange, review: DayRange });
export type Calendar = z.infer<typeof CalendarSchema>;

/** The 2020 census: short form 1-15 November, long form 16-30 November, review 16 November - 10 December. */
export const DEFAULT_CALENDAR: Calendar = { shortForm: ['2020-11-01', '2020-11-15'], longForm: ['2020-11-16', '2020-11-30'], review: ['2020-11-16', '2020-12-10'] };

const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;
/** Midnight China time at the start of `day` (YYYY-MM-DD), as epoch ms. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`) - CHINA_MS;
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** A calendar around the demo's first start (no PUCHA_CALENDAR): the short form began three days ago. */
export function demoCalendar(now: Date): Calendar {
  const today = chinaDay(now);
  return { shortForm: [addDays(today, -3), addDays(today, 11)], longForm: [addDays(today, 12), addDays(today, 26)], review: [addDays(today, 12), addDays(today, 36)] };
}

export interface Schedule {
  phase: PhaseId | null;
  expected: number;
  done: number;
  behind: boolean;
}

/**
 * The phase in force at `now`: the short form's while it runs, else the long form's, else the
 * review's, else the last one that ended (null before the first begins); `expected` is the share
 * of its time elapsed in China time (0 before, 1 after).
 */
export function phaseAt(cal: Calendar, now: Date): { phase: PhaseId | null; expected: number } {
  const t = now.getTime();
  const span = (id: PhaseId) => ({ id, from: dayStart(cal[id][0]), to: dayStart(cal[id][1]) + DAY_MS });
  const spans = PHASE_IDS.map(span);
  const running = spans.find((s) => t >= s.from && t < s.to);
  const chosen = running ?? spans.filter((s) => t >= s.to).sort((a, b) => a.to - b.to).at(-1);
  if (!chosen) return { phase: null, expected: 0 };
  return { phase: chosen.id, expected: Math.min(1, Math.max(0, (t - chosen.from) / (chosen.to - chosen.from))) };
}

/** Done = listing entries with an outcome (accepted districts' entries all counted) over the listing. */
export function scheduleOf(c: Counts, cal: Calendar, now: Date): Schedule {
  const { phase, expected } = phaseAt(cal, now);
  const done = c.listing === 0 ? 0 : Math.min(1, (c.listing - c.v_pending + c.a_pending) / c.listing);
  return { phase, expected, done, behind: done < expected - 0.1 };
}

// Quality signals ------------------------------------------------------------------------------

export const SIGNAL_IDS = ['birthsPer1000', 'deathsPer1000', 'sexRatio', 'sexRatioAtBirth', 'familySize', 'under5Share', 'overrideShare', 'perEnumeratorDay'] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];
const Range = z.tuple([z.number().min(0).max(1_000), z.number().min(0).max(1_000)]).refine(([a, b]) => a <= b, 'the low end must not be above the high end');
export const RatesSchema = z.strictObject(Object.fromEntries(SIGNAL_IDS.map((id) => [id, Range.optional()])) as Record<SignalId, z.ZodOptional<typeof Range>>);
export type Rates = Record<SignalId, [number, number]>;

/**
 * Expected ranges (README "Quality signals"): births and deaths per 1,000 around Hebei's last
 * published rates (2019 statistical bulletin: birth rate 10.83 ‰, death rate 6.12 ‰), the usual
 * bounds of the sex ratio (97-108) and at birth (103-118), the family-household size of the 2010
 * census's provinces (2.4-3.6), the share aged 0-4 (4-8 %), at most one household in five with a
 * confirmed warning, at most 40 registrations by one enumerator in one day.
 */
export const DEFAULT_RATES: Rates = {
  birthsPer1000: [8, 14],
  deathsPer1000: [4.6, 8],
  sexRatio: [97, 108],
  sexRatioAtBirth: [103, 118],
  familySize: [2.4, 3.6],
  under5Share: [4, 8],
  overrideShare: [0, 20],
  perEnumeratorDay: [0, 40],
};

export interface Signal {
  id: SignalId;
  value: number | null;
  range: [number, number];
  basis: number;
  enough: boolean;
  outside: 'low' | 'high' | null;
}

/** Smallest bases that give a signal weight when the range's low end cannot (README "Quality signals"). */
export const MIN_BASIS = { sexRatio: 1_000, sexRatioAtBirth: 200, familySize: 30, overrideShare: 20, perEnumeratorDay: 10 } as const;

/**
 * A rate signal has enough behind it when its basis would show at least 10 events at the low end
 * of the expected range (births: 10 / 8 ‰ = 1,250 persons); a ratio or a share whose low end is 0
 * uses MIN_BASIS. Below that a node gets no alarm.
 */
function rateEnough(basis: number, lowPer: number, scale: number): boolean {
  return lowPer > 0 && (basis * lowPer) / scale >= 10;
}

const round = (v: number) => Math.round(v * 100) / 100;

export function signalsOf(c: Counts, maxPerDay: number, rates: Rates): Signal[] {
  const ratio = (a: number, b: number, k: number) => (b > 0 ? round((a / b) * k) : null);
  const make = (id: SignalId, value: number | null, basis: number, enough: boolean): Signal => {
    const range = rates[id];
    const ok = enough && value !== null;
    return { id, value, range, basis, enough: ok, outside: !ok ? null : value < range[0] ? 'low' : value > range[1] ? 'high' : null };
  };
  const births = c.births_m + c.births_f;
  return [
    make('birthsPer1000', ratio(c.births, c.persons, 1000), c.persons, rateEnough(c.persons, rates.birthsPer1000[0], 1000)),
    make('deathsPer1000', ratio(c.deaths, c.persons, 1000), c.persons, rateEnough(c.persons, rates.deathsPer1000[0], 1000)),
    make('sexRatio', ratio(c.males, c.females, 100), c.persons, c.persons >= MIN_BASIS.sexRatio),
    make('sexRatioAtBirth', ratio(c.births_m, c.births_f, 100), births, births >= MIN_BASIS.sexRatioAtBirth),
    make('familySize', ratio(c.fam_persons, c.fam_households, 1), c.fam_households, c.fam_households >= MIN_BASIS.familySize),
    make('under5Share', ratio(c.under5, c.persons, 100), c.persons, rateEnough(c.persons, rates.under5Share[0], 100) || c.persons >= 1_000),
    make('overrideShare', ratio(c.r_overridden, c.r_complete, 100), c.r_complete, c.r_complete >= MIN_BASIS.overrideShare),
    make('perEnumeratorDay', c.r_complete > 0 ? maxPerDay : null, c.r_complete, c.r_complete >= MIN_BASIS.perEnumeratorDay),
  ];
}

export interface OfficeOptions {
  calendar: Calendar;
  /** 1..24: the China-time hour at which a day is frozen (24 = midnight at the day's end). */
  reportHour: number;
  rates: Rates;
}

export const DEFAULT_OFFICE: OfficeOptions = { calendar: DEFAULT_CALENDAR, reportHour: 24, rates: DEFAULT_RATES };

/** When the daily row of `day` is due: `reportHour` o'clock China time on that day. */
export const freezeTime = (day: string, reportHour: number): number => dayStart(day) + reportHour * 3_600_000;

/** Within this long after its hour a day's freeze is on time; later it is marked late. */
export const ON_TIME_MS = 15 * 60_000;

/**
 * The days to freeze now: every day from `first` whose hour has passed and that has no frozen
 * row, each marked late when its hour is more than ON_TIME_MS ago.
 */
export function dueDays(now: Date, first: string, reportHour: number, frozen: ReadonlySet<string>): { day: string; late: boolean }[] {
  const out: { day: string; late: boolean }[] = [];
  const t = now.getTime();
  // Ten years of days at most: a clock or a first day gone wrong cannot spin the loop.
  for (let day = first, i = 0; i < 3_660 && freezeTime(day, reportHour) <= t; day = addDays(day, 1), i++) {
    if (!frozen.has(day)) out.push({ day, late: t - freezeTime(day, reportHour) > ON_TIME_MS });
  }
  return out;
}
