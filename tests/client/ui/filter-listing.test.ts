// Search and filter of the district list (pure): every word must match the number, building,
// address or head's name; Latin letters match in either case; the outcome filter uses the
// effective status (a complete registration counts as registered).
import { describe, expect, it } from 'vitest';
import { filterRows, toRows } from '../../../src/client/ui/district/filter-listing.ts';
import { listingEntry } from '../fixtures.ts';

const entries = [
  { ...listingEntry(3), address: '光华路 3 号 B 座', headName: '王芳' },
  { ...listingEntry(1), address: '光华路 1 号', headName: 'Smith John' },
  { ...listingEntry(2), address: '建设路 2 号', headName: '李雷', visit: { status: 'refused' as const, attempts: 1 } },
];

describe('filter-listing', () => {
  const rows = toRows(entries, new Set([listingEntry(3).id]));
  const nos = (q: string, s: Parameters<typeof filterRows>[2] = 'all') => filterRows(rows, q, s).map((r) => r.entry.householdNo);

  it('sorts by household number', () => expect(rows.map((r) => r.entry.householdNo)).toEqual(['001', '002', '003']));
  it('matches every word, in any field', () => {
    expect(nos('光华路')).toEqual(['001', '003']);
    expect(nos('光华路 王')).toEqual(['003']);
    expect(nos('002')).toEqual(['002']);
    expect(nos('  ')).toEqual(['001', '002', '003']);
  });
  it('ignores the case of Latin letters', () => {
    expect(nos('smith')).toEqual(['001']);
    expect(nos('b 座')).toEqual(['003']);
  });
  it('filters by effective outcome', () => {
    expect(nos('', 'registered')).toEqual(['003']);
    expect(nos('', 'refused')).toEqual(['002']);
    expect(nos('', 'pending')).toEqual(['001']);
  });
});
