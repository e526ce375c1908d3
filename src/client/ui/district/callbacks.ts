// Callbacks (约定回访): the time agreed with a household for the next visit, kept on its listing
// entry's visit. Pure helpers for the row, the 今日回访 list and the outcome sheet's time field.
import type { VisitStatus } from '../../../domain/index.ts';
import type { ListRow } from './filter-listing.ts';

/** Outcomes that expect another visit, so a callback time entered in the sheet is kept with them. */
export const CALLBACK_OUTCOMES: readonly VisitStatus[] = ['notAtHome', 'refused', 'pending'];

/** The callback still to be made: the household is not done (registered, vacant, ...). */
export function openCallback(row: Pick<ListRow, 'entry' | 'status'>): string | undefined {
  const at = row.entry.visit.callbackAt;
  return at && CALLBACK_OUTCOMES.includes(row.status) ? at : undefined;
}

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function isSameLocalDay(iso: string, now: number): boolean {
  const t = Date.parse(iso);
  return !Number.isNaN(t) && localDay(t) === localDay(now);
}

/** Open callbacks due on the phone's today (local time), earliest first. */
export function callbacksDueToday<R extends Pick<ListRow, 'entry' | 'status'>>(rows: readonly R[], now: number): R[] {
  return rows
    .flatMap((r) => {
      const at = openCallback(r);
      return at && isSameLocalDay(at, now) ? [{ r, t: Date.parse(at) }] : [];
    })
    .sort((a, b) => a.t - b.t || (a.r.entry.householdNo < b.r.entry.householdNo ? -1 : 1))
    .map((x) => x.r);
}

/** "18:30" today, else "11/6 18:30" (zh) / "6 Nov 18:30" (en): short enough for a 360 px row. */
export function shortCallbackTime(iso: string, lng: string, now: number, today: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const zh = lng.startsWith('zh');
  const time = d.toLocaleTimeString(zh ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
  if (isSameLocalDay(iso, now)) return `${today} ${time}`;
  const day = zh ? `${d.getMonth() + 1}/${d.getDate()}` : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return `${day} ${time}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO time; undefined when empty or not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
