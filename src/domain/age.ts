// Ages at the census moment (2020-11-01 00:00) from "YYYY-MM" answers, and the reference windows.
/** The census moment's year and month: ages are completed years at 2020-11-01 00:00. */
export const CENSUS_YEAR = 2020;
export const CENSUS_MONTH = 11;
/** The births and deaths window: 2019-11 .. 2020-10 inclusive. */
export const WINDOW_START = '2019-11';
export const WINDOW_END = '2020-10';

/** Split "YYYY-MM" into numbers; undefined if malformed. */
export function parseYearMonth(ym: string): { year: number; month: number } | undefined {
  // By character codes rather than a regular expression: the server runs this for every age
  // filter of every pushed person, and the match arrays were a measurable share of a push.
  if (ym.length !== 7 || ym.charCodeAt(4) !== 45) return undefined; // "YYYY-MM"
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = ym.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    year = year * 10 + d;
  }
  const m1 = ym.charCodeAt(5) - 48;
  const m2 = ym.charCodeAt(6) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9) return undefined;
  const month = m1 * 10 + m2;
  if (month < 1 || month > 12) return undefined;
  return { year, month };
}

/**
 * Completed age at 2020-11-01 00:00 for someone born in "YYYY-MM". Only the month is known, so a
 * person born in November 2005 is not yet 15 (born 2005-11 -> 14), matching the form's
 * "2005年10月31日以前出生" filters. Undefined for a malformed value; negative if born after the moment.
 */
export function ageAtCensus(birth: string): number | undefined {
  // Completed by the end of 2020-10, i.e. at 2020-11-01 00:00 (parsed once, not per person).
  const b = parseYearMonth(birth);
  return b ? completedAge(b, CENSUS_LAST_MONTH) : undefined;
}

type YearMonth = { year: number; month: number };
const CENSUS_LAST_MONTH: YearMonth = { year: CENSUS_YEAR, month: CENSUS_MONTH - 1 };

/** The birthday month counts as reached. */
const completedAge = (b: YearMonth, a: YearMonth): number => a.year - b.year - (a.month < b.month ? 1 : 0);

/** Completed age in the month `at` ("YYYY-MM") for someone born in `birth`: the birthday month counts as reached. */
export function ageAt(birth: string, at: string): number | undefined {
  const b = parseYearMonth(birth);
  const a = parseYearMonth(at);
  if (!b || !a) return undefined;
  return completedAge(b, a);
}

/** Whether "YYYY-MM" lies in the births/deaths window 2019-11 .. 2020-10. */
export function inReferenceYear(ym: string): boolean {
  return parseYearMonth(ym) !== undefined && ym >= WINDOW_START && ym <= WINDOW_END;
}

/** Whether "YYYY-MM" is at or before the census moment's last full month (2020-10). */
export function beforeCensus(ym: string): boolean {
  return parseYearMonth(ym) !== undefined && ym <= WINDOW_END;
}
