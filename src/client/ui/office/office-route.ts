// The office desk's own routes under `#/office` (router.ts hands over the path segments):
//   #/office[/<area>][/report|/quality|/acceptance]   a node (no area = the caller's own scope)
//   #/office/<district>/e/<username>                 an enumerator's households
//   #/office/<area>/hh/<signal|rule:X>[/<enum>[/<day>]] the households behind a signal or rule
//   #/office/h/<householdId>                          one household, read-only

export const TABS = ['progress', 'report', 'quality', 'acceptance'] as const;
export type Tab = (typeof TABS)[number];

export type OfficeView =
  | { kind: 'node'; area: string | undefined; tab: Tab }
  | { kind: 'enumerator'; area: string; username: string }
  | { kind: 'households'; area: string | undefined; signal: string; enumerator?: string; day?: string }
  | { kind: 'household'; id: string };

const isTab = (s: string | undefined): s is Tab => s !== undefined && (TABS as readonly string[]).includes(s);

export function parseOffice(path: readonly string[]): OfficeView {
  const [first, ...others] = path;
  if (first === 'h' && others[0]) return { kind: 'household', id: others[0] };
  const area = first !== undefined && /^\d+$/.test(first) ? first : undefined;
  const rest = area === undefined ? path : others;
  const [head, a, b, c] = rest;
  if (head === 'e' && area !== undefined && a) return { kind: 'enumerator', area, username: a };
  if (head === 'hh' && a) return { kind: 'households', area, signal: a, ...(b && b !== '-' ? { enumerator: b } : {}), ...(c ? { day: c } : {}) };
  return { kind: 'node', area, tab: isTab(head) && head !== 'progress' ? head : 'progress' };
}

export function officePath(v: OfficeView): string[] {
  switch (v.kind) {
    case 'household':
      return ['h', v.id];
    case 'enumerator':
      return [v.area, 'e', v.username];
    case 'households':
      return [...(v.area !== undefined ? [v.area] : []), 'hh', v.signal, ...(v.enumerator !== undefined ? [v.enumerator] : v.day !== undefined ? ['-'] : []), ...(v.day !== undefined ? [v.day] : [])];
    case 'node':
      return [...(v.area !== undefined ? [v.area] : []), ...(v.tab === 'progress' ? [] : [v.tab])];
  }
}

export function officeHref(v: OfficeView): string {
  return `#/office${officePath(v).map((p) => `/${encodeURIComponent(p)}`).join('')}`;
}

/** The level of an area code by its length (api.md "Offices and progress"). */
export function levelOf(area: string | null | undefined): 'all' | 'province' | 'city' | 'county' | 'township' | 'area' | 'district' | 'supervisor' {
  if (area === null || area === undefined) return 'supervisor';
  switch (area.length) {
    case 0:
      return 'all';
    case 2:
      return 'province';
    case 4:
      return 'city';
    case 6:
      return 'county';
    case 9:
      return 'township';
    case 12:
      return 'area';
    default:
      return 'district';
  }
}

/** The ancestors of a node, top first (not the node itself), down from the caller's scope. */
export function ancestors(area: string, scope: string): string[] {
  const out: string[] = [];
  for (const len of [2, 4, 6, 9, 12]) if (len < area.length && len >= scope.length && area.slice(0, len).startsWith(scope)) out.push(area.slice(0, len));
  return out;
}
