// Supervisor dashboard logic: who is at risk (no contact for a day, many queued) sorts first;
// the status answer is parsed leniently but typed; warnings count until confirmed.
import { describe, expect, it } from 'vitest';
import { districtCounts, riskOf, sortByRisk, DistrictStatusSchema, SupervisionStatusSchema, RISK_QUEUED, type EnumeratorStatus } from '../../../src/client/ui/supervisor/supervision-api.ts';
import { unconfirmedWarnings } from '../../../src/client/ui/supervisor/DistrictPanel.tsx';
import { validateRegistration, type RegistrationDraft } from '../../../src/domain/index.ts';
import { draftFor, listingEntry } from '../fixtures.ts';

const NOW = Date.parse('2020-11-05T20:00:00Z');
const e = (username: string, over: Partial<EnumeratorStatus> = {}): EnumeratorStatus => ({
  userId: `u-${username}`, username, name: username, districts: [], rejected: 0, conflicts: 0, lastSeenAt: '2020-11-05T19:00:00Z', pendingOnDevice: 0, ...over,
});

describe('supervision', () => {
  it('flags no contact for a day and a long queue', () => {
    expect(riskOf(e('a'), NOW)).toEqual([]);
    expect(riskOf(e('b', { lastSeenAt: '2020-11-04T18:00:00Z' }), NOW)).toEqual(['stale']);
    expect(riskOf(e('c', { lastSeenAt: null }), NOW)).toEqual(['stale']);
    expect(riskOf(e('d', { pendingOnDevice: RISK_QUEUED }), NOW)).toEqual(['queued']);
  });

  it('puts enumerators at risk first, then the most queued', () => {
    const list = [e('ok'), e('queued', { pendingOnDevice: 80 }), e('some', { pendingOnDevice: 3 }), e('stale', { lastSeenAt: '2020-11-01T00:00:00Z', pendingOnDevice: 90 })];
    expect(sortByRisk(list, NOW).map((x) => x.username)).toEqual(['stale', 'queued', 'some', 'ok']);
  });

  it('parses the status answer of api.md with defaults for missing counts', () => {
    const s = SupervisionStatusSchema.parse({ enumerators: [{ userId: 'u1', username: 'x', rejected: 1, conflicts: 0 }], districts: [{ code: '130102003003001', listingSize: 80, byVisitStatus: { registered: 3 } }], serverTime: 'x' });
    expect(s.enumerators[0]?.districts).toEqual([]);
    expect(s.districts[0]?.openQueries).toBe(0);
    expect(() => SupervisionStatusSchema.parse({ enumerators: [{ username: 'no id' }], districts: [] })).toThrow();
  });

  it('counts complete registrations whose listing entry still says pending as registered', () => {
    const d = DistrictStatusSchema.parse({ code: '130102003003001', listingSize: 10, byVisitStatus: { pending: 6, registered: 2, selfReported: 1, refused: 1 }, completeRegistrations: 5 });
    expect(districtCounts(d)).toMatchObject({ pending: 4, registered: 4, selfReported: 1, refused: 1 });
    expect(districtCounts({ ...d, completeRegistrations: 1 })).toMatchObject({ pending: 6, registered: 2 });
    expect(districtCounts({ ...d, completeRegistrations: 50 })).toMatchObject({ pending: 0, registered: 8 });
  });

  it('counts warnings until each is confirmed by an override', () => {
    const entry = listingEntry(1);
    const base: RegistrationDraft = { ...draftFor(entry, 1), version: 1, updatedAt: '2020-11-05T08:00:00Z' };
    const reg: RegistrationDraft = { ...base, household: { ...base.household, residents: 1, floorArea: 900, rooms: 3 } };
    const warnings = validateRegistration(reg).filter((f) => f.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(unconfirmedWarnings(reg)).toBe(warnings.length);
    const confirmed = { ...reg, overrides: warnings.map((w) => ({ rule: w.rule, path: w.path, reason: 'documentSeen' as const, note: 'seen' })) };
    expect(unconfirmedWarnings(confirmed)).toBe(0);
  });
});
