// Typed input -> answers: empty is absent (never null, never 0), numbers are parsed, partial
// groups are refused; list moves keep every record (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersonDraftSchema } from '../../../src/domain/index.ts';
import { moveBy } from '../../../src/client/ui/household/draft-ops.ts';
import { parseCounts, parseDecimal, parseInteger, parsePlace, parseText, parseYearMonth, withAnswer } from '../../../src/client/ui/household/parse.ts';

describe('parse', () => {
  it.each([
    ['2010-05', '2010-05'],
    ['201005', '2010-05'],
    ['2010.5', '2010-05'],
    ['2010/12', '2010-12'],
    ['2010年5月', '2010-05'],
  ])('reads year-month %s as %s', (raw, ym) => {
    expect(parseYearMonth(raw)).toEqual({ ok: true, value: ym });
  });

  it.each(['2010', '20105', '2010-13', '2010-00', 'abcd-05'])('refuses year-month %s', (raw) => {
    expect(parseYearMonth(raw)).toEqual({ ok: false, error: 'yearMonth' });
  });

  it('turns empty input into an absent answer', () => {
    for (const p of [parseText, parseInteger, parseDecimal, parseYearMonth]) expect(p('  ')).toEqual({ ok: true, value: undefined });
    expect(parseCounts(['male', 'female'], ['', ''])).toEqual({ ok: true, value: undefined });
    expect(parsePlace(['', '', ''])).toEqual({ ok: true, value: undefined });
  });

  it('parses numbers and refuses the rest', () => {
    expect(parseInteger('007')).toEqual({ ok: true, value: 7 });
    expect(parseInteger('0')).toEqual({ ok: true, value: 0 });
    expect(parseInteger('1.5').ok).toBe(false);
    expect(parseInteger('-1').ok).toBe(false);
    expect(parseDecimal('60,5')).toEqual({ ok: true, value: 60.5 });
    expect(parseDecimal('12.')).toEqual({ ok: true, value: 12 });
    expect(parseDecimal('1e3').ok).toBe(false);
  });

  it('takes groups whole or not at all', () => {
    expect(parseCounts(['male', 'female'], ['1', ''])).toEqual({ ok: false, error: 'bothCounts' });
    expect(parseCounts(['male', 'female'], ['1', '0'])).toEqual({ ok: true, value: { male: 1, female: 0 } });
    expect(parsePlace(['', '石家庄市', ''])).toEqual({ ok: false, error: 'province' });
    expect(parsePlace([' 河北省 ', '', '长安区'])).toEqual({ ok: true, value: { province: '河北省', county: '长安区' } });
  });

  it('puts an answer in a record only if the draft schema accepts it', () => {
    const p = { id: 'p1', name: '张三' };
    expect(withAnswer(PersonDraftSchema, p, 'relationship', 2)).toEqual({ id: 'p1', name: '张三', relationship: 2 });
    expect(withAnswer(PersonDraftSchema, p, 'relationship', 12)).toBeUndefined();
    expect(withAnswer(PersonDraftSchema, p, 'birth', '2010-5')).toBeUndefined();
    const removed = withAnswer(PersonDraftSchema, p, 'name', undefined);
    expect(removed).toEqual({ id: 'p1' });
    expect(removed).not.toHaveProperty('name');
  });

  it('moves keep every record exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { maxLength: 12 }), fc.nat(15), fc.constantFrom(-1 as const, 1 as const), (ids, i, by) => {
        const moved = moveBy(ids, i, by);
        expect([...moved].sort()).toEqual([...ids].sort());
        if (i < ids.length && i + by >= 0 && i + by < ids.length) expect(moved[i + by]).toBe(ids[i]);
        else expect(moved).toEqual(ids);
      }),
    );
  });
});
