// Skip rules and age filters as findings: an applicable answer that is missing (ANSWER_MISSING),
// an answer the skip logic says must be absent (ANSWER_NOT_APPLICABLE), incomplete places
// (§6D.1) and births after the census moment. Driven entirely by applicability.ts.
import { beforeCensus } from '../age.ts';
import {
  deathApplicability, householdApplicability, ITEM_LABELS, overseasApplicability, personApplicability, type Applicability, type FormKind,
} from '../applicability.ts';
import type { Finding, FindingPath, RegistrationDraft } from '../schemas.ts';
import { finding, type Param } from './finding.ts';

/** Own property of a parsed (plain data) object, without casting it. */
function prop(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null || !Object.hasOwn(o, key)) return undefined;
  return Reflect.get(o, key) as unknown;
}

/** Item keys split at their dots once, not for every person (`residence.place` -> two parts). */
const KEY_PARTS = new Map<string, readonly string[]>();
function partsOf(key: string): readonly string[] {
  let parts = KEY_PARTS.get(key);
  if (!parts) {
    parts = key.split('.');
    KEY_PARTS.set(key, parts);
  }
  return parts;
}

type Numbering = 'household' | 'short' | 'long' | 'death' | 'overseas';
const DEATH_ITEMS: Readonly<Record<string, string>> = { name: 'S2', sex: 'S3', birth: 'S4', death: 'S5', ethnicity: 'S6', education: 'S7', marital: 'S8' };

/** The item id as printed on the form being filled (C15 on the long form for D11, S7 on the death form, ...). */
function itemOf(key: string, numbering: Numbering): string {
  const item = ITEM_LABELS[key]?.item ?? '';
  if (numbering === 'death') return DEATH_ITEMS[key] ?? '';
  if (numbering === 'overseas') return '';
  if (numbering === 'long' && item.startsWith('D')) {
    const n = Number(item.slice(1));
    return n === 11 ? 'C15' : n === 12 ? 'C17' : `C${n}`;
  }
  return item;
}

function labelParams(key: string, numbering: Numbering): Record<string, Param> {
  const l = ITEM_LABELS[key];
  return { item: itemOf(key, numbering), label: { zh: l?.zh ?? key, en: l?.en ?? key } };
}

/** Appends the presence findings of one form's answers to `out`. */
function presence(out: Finding[], obj: unknown, app: Readonly<Record<string, Applicability>>, base: FindingPath, numbering: Numbering): void {
  // A for-in over the applicability record, not Object.entries: no pair array per item and
  // person (the server runs this for every pushed person).
  for (const key in app) {
    const state = app[key];
    if (state === 'optional' || state === undefined) continue;
    const parts = partsOf(key);
    let v: unknown = prop(obj, parts[0] ?? '');
    let parentMissing = false;
    for (let k = 1; k < parts.length; k++) {
      if (v === undefined) {
        parentMissing = true;
        break;
      }
      v = prop(v, parts[k] ?? '');
    }
    if (parentMissing) continue; // the parent answer's own absence is the finding
    if (state === 'required' && v === undefined) out.push(finding('ANSWER_MISSING', [...base, ...parts], labelParams(key, numbering)));
    if (state === 'absent' && v !== undefined) out.push(finding('ANSWER_NOT_APPLICABLE', [...base, ...parts], labelParams(key, numbering)));
  }
}

const PLACE_PARTS = ['province', 'city', 'county'] as const;
const filled = (place: unknown, k: string) => {
  const v = prop(place, k);
  return typeof v === 'string' && v.trim() !== '';
};

/** §6D.1: a place given for "another county" needs province, city and county. */
function placeComplete(out: Finding[], place: unknown, path: FindingPath): void {
  if (place === undefined) return;
  if (!PLACE_PARTS.every((k) => filled(place, k))) out.push(finding('PLACE_INCOMPLETE', path));
}

/** Appends BIRTH_AFTER_CENSUS when a birth is given and falls after the census moment. */
function birthCheck(out: Finding[], birth: string | undefined, path: FindingPath): void {
  if (birth !== undefined && !beforeCensus(birth)) out.push(finding('BIRTH_AFTER_CENSUS', path, { birth }));
}

/** Presence findings of every form in a registration. */
export function checkPresence(reg: RegistrationDraft): Finding[] {
  const form: FormKind = reg.form;
  const out: Finding[] = [];
  presence(out, reg.household, householdApplicability(reg.household, form, { wholeHouseholdDeceased: reg.householdNo === '999' }), ['household'], 'household');
  const persons = reg.persons;
  for (let i = 0; i < persons.length; i++) {
    const p = persons[i];
    if (p === undefined) continue;
    presence(out, p, personApplicability(p, form), ['persons', i], form);
    birthCheck(out, p.birth, ['persons', i, 'birth']);
    if (p.residence?.code === 5) placeComplete(out, p.residence.place, ['persons', i, 'residence', 'place']);
    if (p.hukou?.code === 4) placeComplete(out, p.hukou.place, ['persons', i, 'hukou', 'place']);
    if (form === 'long' && p.residence5y?.code === 2) placeComplete(out, p.residence5y.place, ['persons', i, 'residence5y', 'place']);
  }
  reg.deaths.forEach((d, i) => {
    presence(out, d, deathApplicability(d), ['deaths', i], 'death');
    birthCheck(out, d.birth, ['deaths', i, 'birth']);
  });
  reg.overseas.forEach((o, i) => {
    presence(out, o, overseasApplicability(o), ['overseas', i], 'overseas');
    birthCheck(out, o.birth, ['overseas', i, 'birth']);
  });
  return out;
}
