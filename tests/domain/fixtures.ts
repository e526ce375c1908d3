// Hand-built registrations that pass every edit check, for the table-driven rule tests: a short
// form (head 1975, spouse 1978, child 2010) and the same household on the long form.
import { describe, expect, it } from 'vitest';
import {
  makeCitizenId, RULES, validateRegistration, type Death, type FindingPath, type ListingEntry, type OverseasPerson, type Person, type Registration,
  type RuleId, type ValidationContext,
} from '../../src/domain/index.ts';

export const HEAD_ID = makeCitizenId('130102', '1975-05-12', 10, 1);

function person(i: number, rel: number, sex: 1 | 2, birth: string, extra: Partial<Person> = {}): Person {
  return {
    id: `p${i}`,
    name: ['王强', '李芳', '王浩', '王秀英', '张伟'][i] ?? `人${i}`,
    relationship: rel,
    citizenId: makeCitizenId('130102', `${birth}-12`, 10 + i, sex),
    sex,
    birth,
    ethnicity: '01',
    residence: { code: 1 },
    hukou: { code: 1 },
    leftHukouDuration: 1,
    ...extra,
  };
}

export function baseShort(): Registration {
  return {
    id: 'r1',
    listingId: 'l1',
    districtCode: '130102001001003',
    householdNo: '001',
    form: 'short',
    source: 'enumerator',
    status: 'complete',
    household: { householdType: 1, residents: 3, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1, floorArea: 90, rooms: 3 },
    persons: [
      person(0, 0, 1, '1975-05', { education: 5, literate: 1 }),
      person(1, 1, 2, '1978-03', { education: 4, literate: 1 }),
      person(2, 2, 1, '2010-06', { education: 3 }),
    ],
    deaths: [],
    overseas: [],
    overrides: [],
    version: 1,
    updatedAt: '2020-11-03T02:00:00.000Z',
  };
}

const JOB = { employerType: 1, industry: { employer: '某公司', business: '批发零售' }, occupation: '销售员', livelihood: 1 } as const;

export function baseLong(): Registration {
  const r = baseShort();
  r.form = 'long';
  Object.assign(r.household, { storeys: 2, structure: 1, builtPeriod: 7, elevator: 2, cookingFuel: 1, tapWater: 1, kitchen: 1, toilet: 1, bathing: 2, tenure: 3, carValue: 2 });
  // C11 is asked of non-movers too; the fixture district (130102, an urban district) is a 街道 (4).
  const common = { hukouPlaceType: 4, ruralLandRights: 2, birthPlace: { code: 1 }, residence5y: { code: 1 } };
  const [head, spouse, child] = r.persons;
  if (!head || !spouse || !child) throw new Error('fixture');
  Object.assign(head, common, { schooling: 2, work: { status: 1, hours: 40 }, ...JOB, marital: 2, firstMarriage: '2000-05' });
  Object.assign(spouse, common, { schooling: 2, work: { status: 1, hours: 40 }, ...JOB, marital: 2, firstMarriage: '2002-03', childrenBorn: { male: 1, female: 0, survivingMale: 1, survivingFemale: 0 }, birthsLastYear: [] });
  Object.assign(child, common, { schooling: 1, livelihood: 6 });
  return r;
}

/** A newborn girl (born 2020-03) for birth-related rows; the caller adjusts H2/H3. */
export function newborn(form: 'short' | 'long'): Person {
  const p = person(3, 2, 2, '2020-03');
  delete p.citizenId;
  return form === 'long' ? { ...p, hukouPlaceType: 4, ruralLandRights: 2, birthPlace: { code: 1 }, livelihood: 6 } : p;
}

export function death(extra: Partial<Death> = {}): Death {
  return { id: 'd1', name: '王德', sex: 1, birth: '1940-02', death: '2020-03', ethnicity: '01', education: 3, marital: 4, ...extra };
}

export function foreigner(extra: Partial<OverseasPerson> = {}): OverseasPerson {
  return { id: 'o1', name: '金民俊', relationship: 9, sex: 1, birth: '1990-04', status: 4, nationality: 'KOR', documentType: 4, documentNumber: 'M12345678', purpose: 2, stay: 4, ...extra };
}

export function listingFor(r: Registration, extra: Partial<ListingEntry> = {}): ListingEntry {
  return {
    id: r.listingId, districtCode: r.districtCode, buildingNo: '0001', householdNo: r.householdNo, address: '光华路1号', headName: '王强', kind: 'ordinary',
    householdType: 1, expected: { residents: r.household.residents, hukouHereAbsent: r.household.hukouHereAbsent, births: 0, deaths: 0, overseas: 0 },
    selfEnumeration: false, longForm: r.form === 'long', origin: 'listing', visit: { status: 'registered', attempts: 1 }, ...extra,
  };
}

export interface Row {
  name: string;
  base?: () => Registration;
  edit?: (r: Registration) => void;
  ctx?: (r: Registration) => ValidationContext;
  /** Where the rule must fire, or null where it must not. */
  at: FindingPath | null;
}

export const p = (r: Registration, i: number): Person => {
  const x = r.persons[i];
  if (!x) throw new Error(`no person ${i}`);
  return x;
};

/** A table-driven test of one rule: each row edits a clean registration and expects the rule at a path, or not at all. */
export function ruleTable(rule: RuleId, rows: Row[]): void {
  describe(rule, () => {
    it('has a passing and a failing row', () => {
      expect(rows.some((r) => r.at === null)).toBe(true);
      expect(rows.some((r) => r.at !== null)).toBe(true);
    });
    it.each(rows)('$name', (row) => {
      const reg = (row.base ?? baseShort)();
      row.edit?.(reg);
      const found = validateRegistration(reg, row.ctx?.(reg)).filter((f) => f.rule === rule);
      if (row.at === null) {
        expect(found).toEqual([]);
      } else {
        expect(found.map((f) => f.path)).toContainEqual(row.at);
        for (const f of found) {
          expect(f.severity).toBe(RULES[rule].severity);
          expect(f.message.zh).not.toMatch(/\{\w+\}/);
          expect(f.message.en).not.toMatch(/\{\w+\}/);
        }
      }
    });
  });
}
