// The district search rule (pure, filter-listing.ts): what kind of query a text is, and that a
// bare number never reaches building numbers or IDs. Literal table: the rule as the user reads it.
import { describe, expect, it } from 'vitest';
import { filterRows, parseQuery, toRows } from '../../../src/client/ui/district/filter-listing.ts';
import { callbacksDueToday, fromLocalInput, toLocalInput } from '../../../src/client/ui/district/callbacks.ts';
import { listingEntry } from '../fixtures.ts';

describe('parseQuery', () => {
  it.each([
    ['', { kind: 'all' }],
    ['   ', { kind: 'all' }],
    ['2', { kind: 'householdNo', no: '002' }],
    ['02', { kind: 'householdNo', no: '002' }],
    [' 002 ', { kind: 'householdNo', no: '002' }],
    ['0011', { kind: 'tooShort' }],
    ['12345', { kind: 'tooShort' }],
    ['070011', { kind: 'citizenId', suffix: '070011' }],
    ['15002x', { kind: 'citizenId', suffix: '15002X' }],
    ['1301 0219 9003 0700 11', { kind: 'citizenId', suffix: '130102199003070011' }],
    ['栋2', { kind: 'building', no: '2' }],
    ['楼 002', { kind: 'building', no: '002' }],
    ['Bldg 3A', { kind: 'building', no: '3A' }],
    ['楼下', { kind: 'text', words: ['楼下'] }],
    ['b 座', { kind: 'text', words: ['b', '座'] }],
    ['光华路 3', { kind: 'text', words: ['光华路', '3'] }],
    ['1234567890123456789', { kind: 'text', words: ['1234567890123456789'] }],
  ])('%j is %j', (q, expected) => expect(parseQuery(q)).toEqual(expected));
});

describe('filterRows', () => {
  // listingEntry(i): building 001 for 1-9, 002 for 10-19.
  const entries = Array.from({ length: 19 }, (_, i) => listingEntry(i + 1));
  const rows = toRows(entries, new Set(), { citizenIds: new Map([[listingEntry(12).id, ['130102199003070011']]]) });
  const nos = (q: string) => filterRows(rows, q, 'all').map((r) => r.entry.householdNo);

  it('"002" is household 002, not the ten households of building 002', () => {
    expect(nos('002')).toEqual(['002']);
    expect(nos('栋002')).toHaveLength(10);
  });
  it('an ID ending finds its household, not a household whose number it contains', () => {
    expect(nos('070011')).toEqual(['012']);
    expect(nos('0011')).toEqual([]);
  });
});

describe('callbacks', () => {
  const now = new Date(2020, 10, 5, 8).getTime();
  const at = (d: number, h: number) => new Date(2020, 10, d, h).toISOString();
  const row = (i: number, callbackAt: string, status: 'notAtHome' | 'refused' | 'pending' | 'vacant' | 'registered') => ({ entry: { ...listingEntry(i), visit: { status: 'notAtHome' as const, attempts: 1, callbackAt } }, status });

  it('are due today when open, earliest first', () => {
    const due = callbacksDueToday([row(1, at(5, 19), 'notAtHome'), row(2, at(5, 9), 'pending'), row(3, at(6, 9), 'notAtHome'), row(4, at(5, 7), 'registered'), row(5, at(5, 8), 'vacant'), row(6, at(5, 12), 'refused')], now);
    expect(due.map((r) => r.entry.householdNo)).toEqual(['002', '006', '001']);
  });
  it('round-trip through the datetime-local input in local time', () => {
    expect(toLocalInput(at(5, 19))).toBe('2020-11-05T19:00');
    expect(fromLocalInput('2020-11-05T19:00')).toBe(at(5, 19));
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('garbage')).toBeUndefined();
  });
});
