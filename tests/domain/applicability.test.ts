import { describe, expect, it } from 'vitest';
import {
  AGE_FILTERS, deathApplicability, householdApplicability, overseasApplicability, passesFilter, personApplicability, type PersonDraft,
} from '../../src/domain/index.ts';

const person = (x: Partial<PersonDraft>): PersonDraft => ({ id: 'p', ...x });

describe('personApplicability', () => {
  it('asks D11 from age 3 and D12 from 15 (2017-10 / 2005-10 birth cut-offs)', () => {
    expect(personApplicability(person({ birth: '2017-10' }), 'short').education).toBe('required');
    expect(personApplicability(person({ birth: '2017-11' }), 'short').education).toBe('absent');
    expect(personApplicability(person({ birth: '2005-10' }), 'short').literate).toBe('required');
    expect(personApplicability(person({ birth: '2005-11' }), 'short').literate).toBe('absent');
  });
  it('is undetermined (optional) while the birth is unknown', () => {
    const a = personApplicability(person({}), 'long');
    expect(a.education).toBe('optional');
    expect(a.work).toBe('optional');
    expect(a.leftHukouDuration).toBe('optional');
  });
  it('follows the D8/D9 skips', () => {
    expect(personApplicability(person({ hukou: { code: 5 } }), 'short').leftHukouDuration).toBe('absent');
    expect(personApplicability(person({ hukou: { code: 5 } }), 'short').leftHukouReason).toBe('absent');
    expect(personApplicability(person({ hukou: { code: 1 }, leftHukouDuration: 1 }), 'short').leftHukouReason).toBe('absent');
    expect(personApplicability(person({ hukou: { code: 4 }, leftHukouDuration: 3 }), 'long')).toMatchObject({ leftHukouReason: 'required', hukouPlaceType: 'required', 'hukou.place': 'required' });
  });
  it('asks C11 of everyone with a hukou place (D8 1..4), movers and non-movers, never with hukou pending', () => {
    const c11 = (x: Partial<PersonDraft>, form: 'short' | 'long' = 'long') => personApplicability(person(x), form).hukouPlaceType;
    expect(c11({ hukou: { code: 1 }, leftHukouDuration: 1 })).toBe('required');
    expect(c11({ hukou: { code: 2 }, leftHukouDuration: 1 })).toBe('required');
    expect(c11({ hukou: { code: 3 }, leftHukouDuration: 5 })).toBe('required');
    expect(c11({ hukou: { code: 4 } })).toBe('required');
    expect(c11({ hukou: { code: 5 } })).toBe('absent');
    expect(c11({})).toBe('optional');
    expect(c11({ hukou: { code: 1 }, leftHukouDuration: 1 }, 'short')).toBe('absent');
  });
  it('hides every long-form item on the short form', () => {
    const a = personApplicability(person({ birth: '1970-01', sex: 2 }), 'short');
    expect([a.marital, a.work, a.childrenBorn, a.birthsLastYear, a.ruralLandRights]).toEqual(['absent', 'absent', 'absent', 'absent', 'absent']);
  });
  it('applies the long-form work branch and the women-only fertility windows', () => {
    const w = personApplicability(person({ birth: '1965-01', sex: 2, work: { status: 3 }, marital: 1 }), 'long');
    expect(w).toMatchObject({ notWorkingReason: 'required', employerType: 'absent', 'work.hours': 'absent', firstMarriage: 'absent', childrenBorn: 'optional', birthsLastYear: 'absent' });
    const m = personApplicability(person({ birth: '1990-01', sex: 1, work: { status: 1 }, marital: 2 }), 'long');
    expect(m).toMatchObject({ employerType: 'required', 'work.hours': 'required', firstMarriage: 'required', childrenBorn: 'absent', birthsLastYear: 'absent', health: 'absent' });
    const old = personApplicability(person({ birth: '1950-01', sex: 1 }), 'long');
    expect(old).toMatchObject({ livingArrangement: 'required', health: 'required' });
  });
  it('keeps the age filters as data', () => {
    expect(AGE_FILTERS.birthsLastYear).toMatchObject({ minAge: 15, maxAge: 50, sex: 2 });
    expect(passesFilter('childrenBorn', 64, 2)).toBe(true);
    expect(passesFilter('childrenBorn', 65, 2)).toBe(false);
    expect(passesFilter('childrenBorn', 30, undefined)).toBeUndefined();
    expect(passesFilter('livelihood', undefined, undefined)).toBe(true);
  });
});

describe('householdApplicability', () => {
  it('asks H6-H7 only for an ordinary dwelling and H8-H19 only on the long form', () => {
    expect(householdApplicability({ dwellingType: 1 }, 'short')).toMatchObject({ floorArea: 'required', storeys: 'absent' });
    expect(householdApplicability({ dwellingType: 2 }, 'long')).toMatchObject({ floorArea: 'absent', storeys: 'absent' });
    expect(householdApplicability({ dwellingType: 1, tenure: 1 }, 'long')).toMatchObject({ storeys: 'required', monthlyRent: 'required' });
    expect(householdApplicability({ dwellingType: 1, tenure: 3 }, 'long').monthlyRent).toBe('absent');
    expect(householdApplicability({ dwellingType: 1 }, 'long').monthlyRent).toBe('optional');
    expect(householdApplicability({ dwellingType: 1 }, 'short', { wholeHouseholdDeceased: true }).floorArea).toBe('absent');
  });
});

describe('death and overseas applicability', () => {
  it('asks death education from 3 and marital status from 15 at death', () => {
    expect(deathApplicability({ id: 'd', birth: '2005-03', death: '2020-03' })).toMatchObject({ education: 'required', marital: 'required' });
    expect(deathApplicability({ id: 'd', birth: '2005-03', death: '2020-02' })).toMatchObject({ education: 'required', marital: 'absent' });
    expect(deathApplicability({ id: 'd', birth: '2017-03', death: '2020-02' })).toMatchObject({ education: 'absent', marital: 'absent' });
    expect(deathApplicability({ id: 'd' })).toMatchObject({ education: 'optional', marital: 'optional' });
  });
  it('asks nationality only of foreign nationals', () => {
    expect(overseasApplicability({ id: 'o', status: 4 }).nationality).toBe('required');
    expect(overseasApplicability({ id: 'o', status: 3 }).nationality).toBe('absent');
    expect(overseasApplicability({ id: 'o', birth: '2019-01' }).education).toBe('absent');
  });
});
