// Ordering of a node's children: by default those behind schedule first (the widest gap between
// expected and done first), else by the chosen column. Codes break ties, so the order is stable.
import type { ProgressChild, Totals } from './office-api.ts';

export const CHILD_COLUMNS = ['name', 'listing', 'complete', 'persons', 'done', 'expected', 'openReview', 'devicesWithQueue', 'withErrors'] as const;
export type ChildColumn = (typeof CHILD_COLUMNS)[number];
export type ChildSort = { by: 'behind' } | { by: ChildColumn; dir: 'asc' | 'desc' };

/** Share of listing entries with an outcome: the server's `schedule.done`, else from the visits. */
export function doneShare(t: Totals): number {
  if (t.schedule) return t.schedule.done;
  return t.listing === 0 ? 0 : (t.listing - t.visits.pending) / t.listing;
}

export function isBehind(t: Totals): boolean {
  return t.schedule?.behind ?? false;
}

function value(c: ProgressChild, col: Exclude<ChildColumn, 'name'>): number {
  const t = c.totals;
  switch (col) {
    case 'listing':
      return t.listing;
    case 'complete':
      return t.registrations.complete;
    case 'persons':
      return t.persons;
    case 'done':
      return doneShare(t);
    case 'expected':
      return t.schedule?.expected ?? 0;
    case 'openReview':
      return t.queries.open;
    case 'devicesWithQueue':
      return t.devicesWithQueue;
    case 'withErrors':
      return t.withErrors;
  }
}

export function sortChildren(children: readonly ProgressChild[], sort: ChildSort): ProgressChild[] {
  const byCode = (a: ProgressChild, b: ProgressChild) => a.area.localeCompare(b.area);
  const rows = [...children];
  if (sort.by === 'behind') {
    const gap = (c: ProgressChild) => (c.totals.schedule ? c.totals.schedule.expected - c.totals.schedule.done : 0);
    return rows.sort((a, b) => Number(isBehind(b.totals)) - Number(isBehind(a.totals)) || gap(b) - gap(a) || byCode(a, b));
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  if (sort.by === 'name') return rows.sort((a, b) => sign * byCode(a, b));
  const col = sort.by;
  return rows.sort((a, b) => sign * (value(a, col) - value(b, col)) || byCode(a, b));
}

/** The next sort when a column heading is chosen: numbers largest first, names by code; again reverses. */
export function nextSort(current: ChildSort, col: ChildColumn): ChildSort {
  if (current.by === col) return { by: col, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { by: col, dir: col === 'name' ? 'asc' : 'desc' };
}
