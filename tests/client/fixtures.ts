// Small hand-made test data for the store and sync tests: a district, its listing and household
// drafts that pass the draft schema whatever the edit checks say (drafts are never blocked).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { District, ListingEntry, RegistrationDraft } from '../../src/domain/index.ts';
import { openDb, type PuchaDb } from '../../src/client/db/index.ts';
import { generateDataKey } from '../../src/client/db/vault.ts';

export const DISTRICT = '130102003003001';

/**
 * The data key test stores are opened with (already unlocked, as after a PIN), so every store test
 * reads and writes through the encryption layer. Tests of the lock itself open stores without it.
 */
export const TEST_KEY: CryptoKey = await generateDataKey();

/** A fresh fake IndexedDB per call, so tests never share state. */
export function freshIdb(): { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange; dataKey: CryptoKey } {
  return { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY };
}

let counter = 0;
/** Deterministic uuid-like ids (letters, digits, "-"). */
export function idFactory(prefix = 'id'): () => string {
  const tag = `${prefix}${++counter}`;
  let n = 0;
  return () => `${tag}-${(++n).toString(36).padStart(6, '0')}`;
}

export interface Clock {
  now: () => number;
  advance: (ms: number) => void;
}
export function fakeClock(start = Date.parse('2020-11-05T08:00:00Z')): Clock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export async function testDb(opts: { clock?: Clock; name?: string; idb?: ReturnType<typeof freshIdb> } = {}): Promise<PuchaDb> {
  const clock = opts.clock ?? fakeClock();
  return openDb(opts.name ?? 'pucha-test', { ...(opts.idb ?? freshIdb()), now: clock.now, newId: idFactory() });
}

export function district(code = DISTRICT): District {
  return { code, name: '长安区 建北街道 光华社区 第001普查小区', enumerators: ['u-enum-1'] };
}

export function listingEntry(i: number, districtCode = DISTRICT): ListingEntry {
  const no = String(i).padStart(3, '0');
  return {
    id: `L-${districtCode}-${no}`,
    districtCode,
    buildingNo: String(1 + Math.floor(i / 10)).padStart(3, '0'),
    householdNo: no,
    address: `光华路 ${i} 号`,
    headName: `户主${i}`,
    kind: 'ordinary',
    householdType: 1,
    selfEnumeration: false,
    longForm: false,
    origin: 'listing',
    visit: { status: 'pending', attempts: 0 },
  };
}

/** A household draft of `persons` people for a listing entry (version/updatedAt set by the save). */
export function draftFor(entry: ListingEntry, persons = 6, tag = 'a'): Omit<RegistrationDraft, 'version' | 'updatedAt'> {
  return {
    id: `R-${entry.id}`,
    listingId: entry.id,
    districtCode: entry.districtCode,
    householdNo: entry.householdNo,
    form: 'short',
    source: 'enumerator',
    status: 'draft',
    household: { householdType: 1, residents: persons, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1 },
    persons: Array.from({ length: persons }, (_, k) => ({
      id: `P-${entry.id}-${k}`,
      name: `${entry.headName}${tag}${k}`,
      relationship: k === 0 ? 0 : 2,
      sex: k % 2 === 0 ? 1 : 2,
      birth: `19${60 + k * 5}-0${1 + (k % 9)}`,
      ethnicity: '01',
    })),
    deaths: [],
    overseas: [],
    overrides: [],
  };
}

/** Puts a district and `n` listing entries straight into the tables (as a pull would). */
export async function seedAssignment(db: PuchaDb, n = 5, code = DISTRICT): Promise<ListingEntry[]> {
  const entries = Array.from({ length: n }, (_, i) => listingEntry(i + 1, code));
  await db.districts.put(district(code));
  await db.listing.bulkPut(entries);
  return entries;
}
