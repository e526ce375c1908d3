// The office desk's pure parts (issue 14, screens in progress): the children's order and the
// desk's own routes. Inputs are written out by hand, never produced by the functions under test.
import { describe, expect, it } from 'vitest';
import { ProgressChildSchema, type ProgressChild } from '../../src/client/ui/office/office-api.ts';
import { nextSort, sortChildren } from '../../src/client/ui/office/children-sort.ts';
import { ancestors, officeHref, parseOffice } from '../../src/client/ui/office/office-route.ts';

function child(area: string, listing: number, pending: number, persons: number, schedule?: { expected: number; done: number; behind: boolean }): ProgressChild {
  return ProgressChildSchema.parse({ area, name: null, totals: { listing, persons, visits: { pending }, ...(schedule ? { schedule: { phase: 'shortForm', ...schedule } } : {}) } });
}

describe('office: children order', () => {
  const a = child('130102001', 100, 10, 300, { expected: 0.5, done: 0.9, behind: false });
  const b = child('130102002', 100, 80, 50, { expected: 0.5, done: 0.2, behind: true });
  const c = child('130102003', 100, 70, 900, { expected: 0.5, done: 0.3, behind: true });
  const d = child('130102004', 100, 50, 300, { expected: 0.5, done: 0.5, behind: false });

  it('behind schedule first, then by the gap between expected and done (widest first), then by code', () => {
    expect(sortChildren([a, d, c, b], { by: 'behind' }).map((x) => x.area)).toEqual(['130102002', '130102003', '130102004', '130102001']);
  });

  it('by a column, largest first on the first choice, reversed on the second, ties by code', () => {
    const first = nextSort({ by: 'behind' }, 'persons');
    expect(first).toEqual({ by: 'persons', dir: 'desc' });
    expect(sortChildren([a, b, c, d], first).map((x) => x.area)).toEqual(['130102003', '130102001', '130102004', '130102002']);
    const again = nextSort(first, 'persons');
    expect(sortChildren([a, b, c, d], again).map((x) => x.area)).toEqual(['130102002', '130102001', '130102004', '130102003']);
  });

  it('done share without a schedule: listing entries with an outcome over the listing', () => {
    const x = child('1301', 4, 1, 0);
    const y = child('1302', 4, 3, 0);
    expect(sortChildren([y, x], { by: 'done', dir: 'desc' }).map((r) => r.area)).toEqual(['1301', '1302']);
  });
});

describe('office: routes', () => {
  it('reads every view of the desk from its path', () => {
    expect(parseOffice([])).toEqual({ kind: 'node', area: undefined, tab: 'progress' });
    expect(parseOffice(['130102', 'quality'])).toEqual({ kind: 'node', area: '130102', tab: 'quality' });
    expect(parseOffice(['130102001003001', 'e', 'demo-enumerator'])).toEqual({ kind: 'enumerator', area: '130102001003001', username: 'demo-enumerator' });
    expect(parseOffice(['130102', 'hh', 'rule:LISTING_COUNT', '-', '2020-11-03'])).toEqual({ kind: 'households', area: '130102', signal: 'rule:LISTING_COUNT', day: '2020-11-03' });
    expect(parseOffice(['h', 'abc'])).toEqual({ kind: 'household', id: 'abc' });
  });

  it('writes the links the parser reads back', () => {
    expect(officeHref({ kind: 'node', area: '130102', tab: 'report' })).toBe('#/office/130102/report');
    expect(officeHref({ kind: 'households', area: '130102', signal: 'birthsPer1000', day: '2020-11-03' })).toBe('#/office/130102/hh/birthsPer1000/-/2020-11-03');
    expect(officeHref({ kind: 'household', id: 'a/b' })).toBe('#/office/h/a%2Fb');
  });

  it('breadcrumbs run from the caller scope down, the node itself left out', () => {
    expect(ancestors('130102001003001', '1301')).toEqual(['1301', '130102', '130102001', '130102001003']);
    expect(ancestors('130102', '')).toEqual(['13', '1301']);
  });
});
