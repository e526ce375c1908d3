// The daily report's freeze (issue 14, docs/OFFICE.md "Daily report"): at the report hour China
// time each day's counters are copied into daily rows, once across every API node (the store's
// `daily_runs` key decides); days missed while no node ran are frozen when one next runs, marked
// late, with the counts of that moment.
import type { OfficeOptions } from './office-config.ts';
import { PHASE_IDS, dueDays } from './office-config.ts';
import { chinaDay } from './store/sql-progress.ts';
import type { Store } from './store/store.ts';

export interface Frozen {
  day: string;
  late: boolean;
  nodes: number;
}

/**
 * Freezes every due day without a row, from the first day the store holds data (its first
 * revision; the first day already frozen; else today) or the calendar's first day, whichever
 * is later. Returns the days this call froze (another node's freezes are not among them).
 */
export async function freezeDue(store: Store, office: OfficeOptions, now: Date): Promise<Frozen[]> {
  const firstAt = await store.office.firstDataAt();
  if (firstAt === undefined) return [];
  const all = await store.office.frozenDays('');
  const earliestFrozen = [...all].sort()[0];
  const dataDay = firstAt !== null ? chinaDay(firstAt) : (earliestFrozen ?? chinaDay(now));
  const calendarFirst = PHASE_IDS.map((id) => office.calendar[id][0]).sort()[0] ?? dataDay;
  const first = dataDay > calendarFirst ? dataDay : calendarFirst;
  const out: Frozen[] = [];
  for (const d of dueDays(now, first, office.reportHour, all)) {
    const r = await store.office.freezeDay(d.day, { late: d.late, at: now.toISOString() });
    if (r.frozen) out.push({ ...d, nodes: r.nodes });
  }
  return out;
}

/** Runs freezeDue now and every minute (one at a time) until the returned stop is called. */
export function startDailyFreeze(store: Store, office: OfficeOptions, now: () => Date, onError: (e: unknown) => void, everyMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await freezeDue(store, office, now());
    } catch (e) {
      onError(e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
