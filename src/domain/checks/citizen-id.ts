// Citizen-ID checks (§6A) for persons and deaths, uniqueness within a household, and
// duplicateCitizenIds() for uniqueness across households (a district-wide store concern).
import { checkCitizenId, upgradeLegacyCitizenId } from '../citizen-id.ts';
import type { Finding, FindingPath, RegistrationDraft } from '../schemas.ts';
import { finding } from './finding.ts';

/** GB/T 2260 province-level prefixes. The full county list is not bundled, so §6A.7 checks the province and a non-zero remainder only. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

export function plausibleAreaCode(code: string): boolean {
  return PROVINCES.has(code.slice(0, 2)) && code.slice(2, 6) !== '0000';
}

/** §6A.1-6A.5, 6A.7, 6A.8 for one ID against the record's birth month and sex. */
export function idFindings(raw: string, birth: string | undefined, sex: number | undefined, path: FindingPath): Finding[] {
  const out: Finding[] = [];
  let id = raw;
  if (/^\d{15}$/.test(raw)) {
    const upgraded = upgradeLegacyCitizenId(raw) ?? raw;
    out.push(finding('ID_LEGACY_15', path, { upgraded }));
    id = upgraded;
  }
  const r = checkCitizenId(id);
  if (!r.ok) {
    const rule = r.reason === 'format' ? 'ID_FORMAT' : r.reason === 'checkDigit' ? 'ID_CHECK_DIGIT' : 'ID_DATE';
    return [...out, finding(rule, path)];
  }
  if (r.birth < '1900') out.push(finding('ID_BEFORE_1900', path));
  const idBirth = r.birth.slice(0, 7);
  if (birth !== undefined && idBirth !== birth) out.push(finding('ID_BIRTH_MISMATCH', path, { idBirth, birth }));
  if (sex !== undefined && r.sex !== sex) out.push(finding('ID_SEX_MISMATCH', path));
  if (!plausibleAreaCode(id)) out.push(finding('ID_ADDRESS_CODE', path, { code: id.slice(0, 6) }));
  return out;
}

const who = (name: string | undefined, i: number) => ({ zh: `第${i + 1}人${name ? ` ${name}` : ''}`, en: `person ${i + 1}${name ? ` (${name})` : ''}` });

/** §6A for every ID in the registration, §6A.6 within the household and §6B.7 (a death listed as living). */
export function checkCitizenIds(reg: RegistrationDraft): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  reg.persons.forEach((p, i) => {
    if (p.citizenId === undefined) return;
    const path: FindingPath = ['persons', i, 'citizenId'];
    out.push(...idFindings(p.citizenId, p.birth, p.sex, path));
    const first = seen.get(p.citizenId);
    if (first === undefined) seen.set(p.citizenId, i);
    else out.push(finding('ID_DUPLICATE', path, { other: who(reg.persons[first]?.name, first) }));
  });
  const seenDeaths = new Map<string, number>();
  reg.deaths.forEach((d, i) => {
    if (d.citizenId === undefined) return;
    const path: FindingPath = ['deaths', i, 'citizenId'];
    out.push(...idFindings(d.citizenId, d.birth, d.sex, path));
    const living = seen.get(d.citizenId);
    if (living !== undefined) out.push(finding('DEAD_PERSON_LISTED', path, { other: who(reg.persons[living]?.name, living) }));
    const earlier = seenDeaths.get(d.citizenId);
    if (earlier === undefined) seenDeaths.set(d.citizenId, i);
    else out.push(finding('ID_DUPLICATE', path, { other: { zh: `第${earlier + 1}份死亡表`, en: `death form ${earlier + 1}` } }));
  });
  return out;
}

export interface DuplicateCitizenId {
  citizenId: string;
  occurrences: { registrationId: string; householdNo: string; path: FindingPath }[];
}

/**
 * Citizen IDs that occur more than once among the living persons of several registrations (a
 * district, or any set the caller holds): §6A.6 beyond one household. Deaths are not included.
 */
export function duplicateCitizenIds(registrations: readonly RegistrationDraft[]): DuplicateCitizenId[] {
  const byId = new Map<string, DuplicateCitizenId['occurrences']>();
  for (const reg of registrations) {
    reg.persons.forEach((p, i) => {
      if (p.citizenId === undefined) return;
      const list = byId.get(p.citizenId) ?? [];
      list.push({ registrationId: reg.id, householdNo: reg.householdNo, path: ['persons', i, 'citizenId'] });
      byId.set(p.citizenId, list);
    });
  }
  return [...byId].filter(([, occ]) => occ.length > 1).map(([citizenId, occurrences]) => ({ citizenId, occurrences }));
}
