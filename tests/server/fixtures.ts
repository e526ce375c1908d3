// Builders of valid domain records and users for the server tests.
import { randomUUID } from 'node:crypto';
import type { District, ListingEntry, Mutation, Registration } from '../../src/domain/index.ts';

export const D1 = '130102001003001';
export const D2 = '130102001003002';
export const D3 = '130102001003003';

export function district(code: string, enumerators: string[], name = `第${code.slice(-3)}普查小区`): District {
  return { code, name, enumerators };
}

export function listingEntry(districtCode: string, n: number, over: Partial<ListingEntry> = {}): ListingEntry {
  return {
    id: `L-${districtCode}-${String(n).padStart(3, '0')}`,
    districtCode,
    buildingNo: String(100 + n),
    householdNo: String(n).padStart(3, '0'),
    address: `光华路${n}号`,
    headName: `户主${n}`,
    kind: 'ordinary',
    householdType: 1,
    selfEnumeration: false,
    longForm: false,
    origin: 'listing',
    visit: { status: 'pending', attempts: 0 },
    ...over,
  };
}

export function registration(districtCode: string, over: Partial<Registration> = {}, persons = 2): Registration {
  const id = over.id ?? randomUUID();
  return {
    id,
    listingId: `L-${districtCode}-001`,
    districtCode,
    householdNo: '001',
    form: 'short',
    source: 'enumerator',
    status: 'complete',
    household: { householdType: 1, residents: persons, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1, floorArea: 30 * persons, rooms: persons },
    persons: Array.from({ length: persons }, (_, i) => ({
      id: `${id.slice(0, 40)}-p${i}`,
      name: `成员${i}`,
      relationship: i === 0 ? 0 : 2,
      sex: 1 + (i % 2),
      birth: i === 0 ? '1960-05' : `19${85 + (i % 10)}-05`,
      ethnicity: '01',
      residence: { code: 1 },
      hukou: { code: 1 },
      leftHukouDuration: 1,
      education: 5,
      literate: 1,
    })),
    deaths: [],
    overseas: [],
    overrides: [],
    version: 1,
    updatedAt: '2020-11-02T10:00:00.000+08:00',
    ...over,
  };
}

export function householdMutation(reg: Registration, baseVersion = 0, over: Partial<Mutation> = {}): Mutation {
  return { id: randomUUID(), entity: 'household', entityId: reg.id, baseVersion, createdAt: '2020-11-02T10:00:00.000Z', data: { ...reg }, ...over };
}

export function listingMutation(entry: ListingEntry, baseVersion: number): Mutation {
  return { id: randomUUID(), entity: 'listing', entityId: entry.id, baseVersion, createdAt: '2020-11-02T10:00:00.000Z', data: { ...entry } };
}
