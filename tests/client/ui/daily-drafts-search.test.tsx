// Drafts and search in the district list: a household with unfinished input (a local draft, or a
// registration saved as a draft) shows 草稿, not 未登记, and has its own filter; search finds a
// household by any member's citizen ID number (exact, or its last 6+ characters, in memory), and a
// bare number is a household number only: "002" never matches building 002 ("栋2" does).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DistrictScreen } from '../../../src/client/ui/district/DistrictScreen.tsx';
import type { PuchaDb } from '../../../src/client/db/index.ts';
import { putDraft } from '../../../src/client/db/drafts.ts';
import type { RegistrationDraft } from '../../../src/domain/index.ts';
import { DISTRICT, district, draftFor, listingEntry, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const saved = (i: number, status: RegistrationDraft['status'], ids: (string | undefined)[] = []): RegistrationDraft => {
  const base = draftFor(listingEntry(i), Math.max(1, ids.length));
  return {
    ...base,
    status,
    persons: base.persons.map((p, k) => (ids[k] ? { ...p, citizenId: ids[k] } : p)),
    version: 1,
    updatedAt: '2020-11-05T08:00:00Z',
  };
};

let db: PuchaDb;
beforeEach(async () => {
  db = await testDb();
  await db.districts.put(district());
  // Households 001-030: building 001 for 001-009, 002 for 010-019, 003 for 020-029, 004 for 030.
  await db.listing.bulkPut(Array.from({ length: 30 }, (_, i) => listingEntry(i + 1)));
  await putDraft(db, { ...draftFor(listingEntry(9), 1), version: 0, updatedAt: '2020-11-05T08:00:00Z' }); // typed, never saved
  await db.registrations.bulkPut([
    saved(10, 'draft'),
    saved(7, 'complete', ['130102199003070011', '13010220170815002X']),
    saved(20, 'complete', ['130102198512120011']),
  ]);
  // A local draft on another district's household is not this list's business.
  await db.drafts.put({ listingId: 'L-other', districtCode: '130102003003002', data: {}, updatedAt: 0 });
});
afterEach(() => {
  cleanup();
  db.close();
});

const nos = () => screen.queryAllByTestId('hh-row').map((r) => r.dataset.no);
const row = (no: string) => screen.getAllByTestId('hh-row').find((r) => r.dataset.no === no)!;
async function ready() {
  renderWith(<DistrictScreen code={DISTRICT} />, fakeServices(db));
  await waitFor(() => expect(screen.getByTestId('district-count').textContent).toBe('共 30 户'));
}
async function search(q: string, expected: string[]) {
  fireEvent.change(screen.getByLabelText('搜索：地址、户主、户编号或身份证号'), { target: { value: q } });
  await waitFor(() => expect(screen.getByTestId('district-count').dataset.query).toBe(q));
  expect(nos()).toEqual(expected);
}

describe('drafts in the list', () => {
  it('shows a local draft and a saved incomplete registration as 草稿, not 未登记', async () => {
    await ready();
    for (const no of ['009', '010']) {
      expect(within(row(no)).getByRole('button', { name: `标记结果: ${no}, 草稿` }).textContent).toBe('草稿');
    }
    expect(within(row('008')).getByRole('button', { name: /标记结果/ }).textContent).toBe('未登记');
    expect(within(row('007')).getByRole('button', { name: /标记结果/ }).textContent).toBe('已登记');
  });

  it('filters on 草稿, and 未登记 no longer lists them', async () => {
    await ready();
    const filter = screen.getByLabelText('按走访结果筛选');
    expect(within(filter).getByRole('option', { name: '草稿' })).toBeTruthy();
    fireEvent.change(filter, { target: { value: 'draft' } });
    await waitFor(() => expect(nos()).toEqual(['009', '010']));
    fireEvent.change(filter, { target: { value: 'pending' } });
    await waitFor(() => expect(screen.getByTestId('district-count').dataset.status).toBe('pending'));
    expect(nos()).toContain('008');
    expect(nos()).not.toContain('009');
    expect(nos()).not.toContain('010');
  });

  it('keeps the outcome of a visited household with a draft, with a 草稿 badge', async () => {
    await db.listing.put({ ...listingEntry(9), visit: { status: 'notAtHome', attempts: 1 } });
    await ready();
    expect(within(row('009')).getByRole('button', { name: /标记结果/ }).textContent).toBe('无人在家');
    expect(within(row('009')).getByText('草稿')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('按走访结果筛选'), { target: { value: 'draft' } });
    await waitFor(() => expect(nos()).toEqual(['009', '010']));
  });
});

describe('search', () => {
  it('finds a household by a member\'s citizen ID number: all 18 characters or the last 6 or more', async () => {
    await ready();
    await search('130102199003070011', ['007']);
    await search('070011', ['007']);
    await search('120011', ['020']);
    await search('815002x', ['007']); // the child's ID, lower-case x
    await search('1301 0220 1708 1500 2X', ['007']); // typed in groups
    await search('999999', []);
    // Fewer than 6 characters would match too many people: refused with a hint.
    await search('0011', []);
    expect(screen.getByText('身份证号请至少输入后 6 位；户编号是 1–3 位数字。')).toBeTruthy();
  });

  it('matches a bare number against the household number only, exactly', async () => {
    await ready();
    await search('002', ['002']);
    await search('2', ['002']);
    await search('12', ['012']);
    await search('030', ['030']);
  });

  it('finds buildings when asked with 栋 / bldg', async () => {
    await ready();
    const building2 = ['010', '011', '012', '013', '014', '015', '016', '017', '018', '019'];
    await search('栋2', building2);
    await search('栋 002', building2);
    await search('bldg 2', building2);
  });

  it('still finds words in the address and the head\'s name', async () => {
    await ready();
    await search('户主12', ['012']);
    await search('光华路 30 号', ['030']);
  });
});
