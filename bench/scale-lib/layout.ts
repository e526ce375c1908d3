// The province of bench/scale.ts, derived from indexes so the loader, the users CSV and the
// 3-district store agree without sharing state: district i's code, name, enumerator, supervisor,
// households; the offices; the bench callers. District 0..2 are the same in both stores, so the
// requests measured on the 3-district store are literally the same requests on the province.
import { generateDistrict, validateRegistration, type ListingEntry, type Registration } from '../../src/domain/index.ts';
import { birthsDeaths } from '../../src/server/store/sql-progress.ts';
import { unconfirmedWarnings } from '../../src/server/push-prepare.ts';

export const PROVINCE = '13';
/** Districts per area, areas per township, townships per county, counties per city; 11 cities (the last one shorter). */
export const PER = { area: 12, township: 12, county: 15, city: 15 } as const;
export const CITIES = 11;
export const TARGET_USERS = 470_000;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export interface Place {
  city: number;
  county: number;
  township: number;
  area: number;
  district: number;
  /** Global index of the area (12 districts each). */
  areaIndex: number;
}

export function place(i: number): Place {
  const district = i % PER.area;
  const areaIndex = Math.floor(i / PER.area);
  const area = areaIndex % PER.township;
  const township = Math.floor(areaIndex / PER.township) % PER.county;
  const county = Math.floor(areaIndex / (PER.township * PER.county)) % PER.city;
  const city = Math.floor(areaIndex / (PER.township * PER.county * PER.city));
  return { city, county, township, area, district, areaIndex };
}

export function code(i: number): string {
  const p = place(i);
  return `${PROVINCE}${pad(p.city + 1, 2)}${pad(p.county + 1, 2)}${pad(p.township + 1, 3)}${pad(p.area + 1, 3)}${pad(p.district + 1, 3)}`;
}

/** Six words: province, city, county, township, area, district (the progress rows take their names from them). */
export function districtName(i: number): string {
  const p = place(i);
  return `河北省 第${p.city + 1}市 第${p.county + 1}县 第${p.township + 1}镇 第${p.area + 1}社区 第${pad(p.district + 1, 3)}普查小区`;
}

/** Households (listing entries, each with a registration) of district i: 3, 2, 4, ... (3 on average). */
export const householdsOf = (i: number) => [3, 2, 4][i % 3] ?? 3;
/** Households of districts 0..i-1. */
export const householdsBefore = (i: number) => Math.floor(i / 3) * 9 + ([0, 3, 5][i % 3] ?? 0);

export const enumUsername = (i: number) => `e${i}`;
export const enumId = (i: number) => `u-e${i}`;
export const deviceOf = (i: number) => `dev-e${i}`;

/**
 * Supervisors of an area: groups of 3 in most areas, of 4 in some, and in every 50th area one
 * supervisor of 10 (area 0 is one: the bench's supervisor of 10 districts).
 */
export function areaGroups(areaIndex: number, n: number): number[] {
  if (areaIndex % 50 === 0 && n > 10) return [10, n - 10];
  const size = areaIndex % 16 < 13 ? 3 : 4;
  const out: number[] = [];
  for (let left = n; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}
export const supUsername = (areaIndex: number, g: number) => `s${areaIndex}-${g}`;
export const supId = (areaIndex: number, g: number) => `u-s${areaIndex}-${g}`;
export const officeUsername = (node: string) => `o${node}`;
export const officeId = (node: string) => `u-o${node}`;

export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: 'admin' | 'office' | 'supervisor' | 'enumerator';
  supervisorId?: string;
  supervisorUsername?: string;
  scope?: string;
  /** District index (enumerators). */
  district?: number;
}

/**
 * Every account of a province of `districts` districts, in an order where a supervisor comes
 * before its enumerators: the admin; offices of the province, each city, county and township and
 * of as many areas as make the total TARGET_USERS (area 0 among them); per area its supervisors
 * then its enumerators. A generator, so the 470,000 rows never sit in memory at once.
 */
export function* users(districts: number): Generator<UserRow> {
  yield { id: 'u-admin', username: 'admin', name: '管理员', role: 'admin' };
  const areas = Math.ceil(districts / PER.area);
  // Count first (cheap): the area offices fill the total up to the target.
  let fixed = 1;
  const seen = new Set<string>();
  for (let i = 0; i < districts; i += PER.area) {
    const c = code(i);
    for (const len of [2, 4, 6, 9]) {
      if (seen.has(c.slice(0, len))) continue;
      seen.add(c.slice(0, len));
      fixed++;
    }
  }
  for (let a = 0; a < areas; a++) fixed += areaGroups(a, Math.min(PER.area, districts - a * PER.area)).length;
  fixed += districts;
  const areaOffices = Math.max(1, Math.min(areas, TARGET_USERS - fixed));
  const step = areas / areaOffices;
  const officeAreas = new Set<number>();
  for (let k = 0; k < areaOffices; k++) officeAreas.add(Math.floor(k * step));
  seen.clear();
  for (let a = 0; a < areas; a++) {
    const first = a * PER.area;
    const n = Math.min(PER.area, districts - first);
    const c = code(first);
    for (const len of [2, 4, 6, 9]) {
      const node = c.slice(0, len);
      if (seen.has(node)) continue;
      seen.add(node);
      yield { id: officeId(node), username: officeUsername(node), name: `人普办 ${node}`, role: 'office', scope: node };
    }
    if (officeAreas.has(a)) yield { id: officeId(c.slice(0, 12)), username: officeUsername(c.slice(0, 12)), name: `普查区 ${c.slice(0, 12)}`, role: 'office', scope: c.slice(0, 12) };
    const groups = areaGroups(a, n);
    for (const [g] of groups.entries()) yield { id: supId(a, g), username: supUsername(a, g), name: `普查指导员 ${a}-${g}`, role: 'supervisor' };
    let k = first;
    for (const [g, size] of groups.entries()) {
      for (let j = 0; j < size; j++, k++) {
        yield { id: enumId(k), username: enumUsername(k), name: `普查员 ${k}`, role: 'enumerator', supervisorId: supId(a, g), supervisorUsername: supUsername(a, g), district: k };
      }
    }
  }
}

/** The callers the bench signs in as (a real scrypt password each). */
export const BENCH = {
  admin: 'admin',
  enumerator: enumUsername(0),
  /** Supervisor of districts 0..9 in the province (of 0..2 in the 3-district store). */
  sup10: supUsername(0, 0),
  /** Supervisor of 3 districts in the province (area 1), to compare like with like. */
  sup3: supUsername(1, 0),
  offices: { province: '13', city: code(0).slice(0, 4), county: code(0).slice(0, 6), township: code(0).slice(0, 9), area: code(0).slice(0, 12) },
} as const;
export const BENCH_PASSWORD = 'bench-Password-2020!';

// ---- households: ~500 generated once, cloned by string substitution ----

const TEMPLATE_CODE = '130101001001001';
export interface Template {
  /** JSON text with \u0001 for "<code>-<no>", \u0002 for the code, \u0003 for the household number. */
  regParts: string;
  listParts: string;
  form: string;
  status: string;
  persons: number;
  errors: number;
  warnings: number;
  births: number;
  deaths: number;
}

export function makeTemplates(n = 500): Template[] {
  const g = generateDistrict({ seed: 2020, code: TEMPLATE_CODE, enumerators: ['x'], households: n, registeredShare: 1 });
  const byListing = new Map(g.listing.map((l) => [l.id, l]));
  return g.registrations.map((r: Registration) => {
    const l = byListing.get(r.listingId) as ListingEntry;
    const no = r.householdNo;
    const sub = (s: string) => s.replaceAll(`${TEMPLATE_CODE}-${no}`, '\u0001').replaceAll(TEMPLATE_CODE, '\u0002').replaceAll(`"householdNo":"${no}"`, '"householdNo":"\u0003"');
    const findings = validateRegistration(r);
    const bd = birthsDeaths(r);
    return {
      regParts: sub(JSON.stringify(r)),
      listParts: sub(JSON.stringify(l)),
      form: r.form,
      status: r.status,
      persons: r.persons.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: unconfirmedWarnings(findings, r.overrides).length,
      births: bd.births,
      deaths: bd.deaths,
    };
  });
}

export const fill = (parts: string, districtCode: string, no: string) => parts.replaceAll('\u0001', `${districtCode}-${no}`).replaceAll('\u0002', districtCode).replaceAll('\u0003', no);
export const templateOf = (templates: readonly Template[], i: number, k: number): Template => templates[(i * 4 + k) % templates.length] as Template;
export const householdNo = (k: number) => pad(k + 1, 3);
export const regId = (districtCode: string, no: string) => `R-${districtCode}-${no}`;
export const listingId = (districtCode: string, no: string) => `L-${districtCode}-${no}`;
