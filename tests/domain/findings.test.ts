import { describe, expect, it } from 'vitest';
import { blockingFindings, canComplete, duplicateCitizenIds, formatMessage, isOverridden, staleOverrides, type Finding } from '../../src/domain/index.ts';
import { baseShort, HEAD_ID, p } from './fixtures.ts';

const warn: Finding = { rule: 'SPOUSE_AGE', severity: 'warning', path: ['persons', 1, 'birth'], message: { zh: 'x', en: 'x' } };
const err: Finding = { rule: 'HEAD_COUNT', severity: 'error', path: ['persons'], message: { zh: 'x', en: 'x' } };
const ov = (rule: string, path: (string | number)[]) => ({ rule, path, reason: 'confirmedWithRespondent' as const, note: '' });

describe('blockingFindings', () => {
  it('blocks on any error, even with an override', () => {
    expect(blockingFindings([err], [ov('HEAD_COUNT', ['persons'])])).toEqual([err]);
  });
  it('blocks on a warning without an override of the same rule and path', () => {
    expect(blockingFindings([warn], [])).toEqual([warn]);
    expect(blockingFindings([warn], [ov('SPOUSE_AGE', ['persons', 2, 'birth'])])).toEqual([warn]);
    expect(blockingFindings([warn], [ov('SPOUSE_AGE_GAP', ['persons', 1, 'birth'])])).toEqual([warn]);
  });
  it('lets a confirmed warning through', () => {
    expect(blockingFindings([warn], [ov('SPOUSE_AGE', ['persons', 1, 'birth'])])).toEqual([]);
    expect(isOverridden(warn, [ov('SPOUSE_AGE', ['persons', 1, 'birth'])])).toBe(true);
  });
  it('reports overrides that no longer match a warning', () => {
    const stale = ov('SPOUSE_AGE', ['persons', 0, 'birth']);
    expect(staleOverrides([warn], [stale, ov('SPOUSE_AGE', ['persons', 1, 'birth'])])).toEqual([stale]);
  });
});

describe('canComplete', () => {
  it('is ok for a clean registration', () => {
    expect(canComplete(baseShort())).toEqual({ ok: true });
  });
  it('lists the blocking findings otherwise, and accepts an override for a warning', () => {
    const r = baseShort();
    p(r, 1).birth = '2002-01';
    delete p(r, 1).citizenId;
    const res = canComplete(r);
    expect(res.ok).toBe(false);
    const blocking = res.ok ? [] : res.blocking;
    expect(blocking.map((f) => f.rule)).toEqual(['SPOUSE_AGE', 'SPOUSE_AGE_GAP']);
    r.overrides = [ov('SPOUSE_AGE', ['persons', 1, 'birth'])];
    expect(canComplete(r)).toMatchObject({ ok: false });
    r.overrides = blocking.map((f) => ov(f.rule, f.path));
    expect(canComplete(r)).toEqual({ ok: true });
  });
});

describe('duplicateCitizenIds', () => {
  it('finds an ID used in two households and nothing in distinct ones', () => {
    const a = baseShort();
    const b = baseShort();
    b.id = 'r2';
    b.householdNo = '002';
    for (const x of b.persons) delete x.citizenId;
    expect(duplicateCitizenIds([a, b])).toEqual([]);
    p(b, 2).citizenId = HEAD_ID;
    expect(duplicateCitizenIds([a, b])).toEqual([
      { citizenId: HEAD_ID, occurrences: [{ registrationId: 'r1', householdNo: '001', path: ['persons', 0, 'citizenId'] }, { registrationId: 'r2', householdNo: '002', path: ['persons', 2, 'citizenId'] }] },
    ]);
  });
});

describe('formatMessage', () => {
  it('fills plain and bilingual parameters, leaves unknown ones visible', () => {
    expect(formatMessage('{a} {b} {c}', { a: 1, b: { zh: '男', en: 'male' } }, 'en')).toBe('1 male {c}');
    expect(formatMessage('{a} {b}', { a: 1, b: { zh: '男', en: 'male' } }, 'zh')).toBe('1 男');
  });
});
