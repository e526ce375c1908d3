// The comparison of the department registers with what was registered (比对, issue 12), in
// memory: Maps by citizen ID (store-wide: people are registered where they live) and by district
// for the matches without an ID, so no two lists are ever compared pair by pair. Matching by ID
// is exact; without one it tolerates what enumerators and registers really get wrong: one
// mistyped character, a homophone (the same pinyin without tones) and a birth month off by one.
import { pinyin } from 'pinyin-pro';
import { checkCitizenId, normalizeCitizenId, type ReviewCategory, type ReviewMatch, type ReviewSubject } from '../domain/index.ts';
import type { CompareDeath, CompareHousehold, ComparePerson, RegisterRecord, ReviewCandidate } from './review-types.ts';

export interface CompareWindow {
  birthsFrom: string;
  birthsTo: string;
  deathsFrom: string;
  deathsTo: string;
}
/** Births 2010-11 .. 2020-10 (children under ten at the census moment), deaths of the reference year. */
export const DEFAULT_WINDOW: CompareWindow = { birthsFrom: '2010-11', birthsTo: '2020-10', deathsFrom: '2019-11', deathsTo: '2020-10' };

export interface CompareInput {
  /** Every registered household of the whole store. */
  households: Iterable<CompareHousehold>;
  /** Register records of the area being compared. */
  records: Iterable<RegisterRecord>;
  /** The area prefix: duplicates and internalLogic are reported for its households only. */
  area: string;
  /** internalLogic: rules whose confirmed warnings become items. */
  rules: readonly string[];
  window?: CompareWindow;
}

/** A fuzzy match below this confidence is no match (measured with bench/review.ts). */
export const FUZZY_THRESHOLD = 0.6;

interface At {
  h: CompareHousehold;
  p: ComparePerson;
}
interface DeathAt {
  h: CompareHousehold;
  d: CompareDeath;
}

const pinyinCache = new Map<string, string>();
function sound(name: string): string {
  let s = pinyinCache.get(name);
  if (s === undefined) {
    s = pinyin(name, { toneType: 'none', type: 'array' }).join(' ');
    if (pinyinCache.size > 2_000_000) pinyinCache.clear();
    pinyinCache.set(name, s);
  }
  return s;
}

/** Edit distance, but only whether it is 0, 1 or more (names are short). */
function withinOne(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1);
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** How alike two names are: 1 equal, 0.9 homophones, 0.8 one character changed, 0.7 one added or dropped, else 0. */
export function nameScore(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0;
  const x = a.replace(/\s+/g, '');
  const y = b.replace(/\s+/g, '');
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  if (x.length === y.length && sound(x) === sound(y)) return 0.9;
  if (withinOne(x, y)) return x.length === y.length ? 0.8 : 0.7;
  return 0;
}

const monthIndex = (ym: string | undefined) => {
  if (ym === undefined || !/^\d{4}-\d{2}/.test(ym)) return undefined;
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
};
/** 1 the same month, 0.85 one month apart, else 0. */
export function birthScore(a: string | undefined, b: string | undefined): number {
  const x = monthIndex(a);
  const y = monthIndex(b);
  if (x === undefined || y === undefined) return 0;
  const d = Math.abs(x - y);
  return d === 0 ? 1 : d === 1 ? 0.85 : 0;
}

const validId = (id: string | undefined): string | undefined => {
  if (id === undefined || id === '') return undefined;
  const n = normalizeCitizenId(id);
  return checkCitizenId(n).ok ? n : undefined;
};
const inWindow = (ym: string | undefined, from: string, to: string) => ym !== undefined && ym.slice(0, 7) >= from && ym.slice(0, 7) <= to;
const pct = (c: number) => `${Math.round(c * 100)}%`;
const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [k]: v } as { [P in K]?: V }));

function subjectOf(r: RegisterRecord): ReviewSubject {
  return {
    ...opt('name', r.name),
    ...opt('citizenId', r.citizenId),
    sex: r.sex,
    birth: r.birth,
    ...opt('death', r.death),
    ...opt('address', r.address),
    ...opt('motherName', r.motherName),
    ...opt('motherCitizenId', r.motherCitizenId),
  };
}

function registeredOf(p: ComparePerson): NonNullable<ReviewSubject['registered']> {
  return { ...opt('name', p.name?.slice(0, 100)), ...opt('citizenId', p.citizenId?.slice(0, 18)), ...opt('sex', p.sex), ...opt('birth', p.birth?.slice(0, 7)) };
}

/** Which of name, sex and birth month differ between the register and the registered person. */
function differences(r: RegisterRecord, p: ComparePerson): ('name' | 'sex' | 'birth')[] {
  const out: ('name' | 'sex' | 'birth')[] = [];
  if (r.name !== undefined && (p.name ?? '').replace(/\s+/g, '') !== r.name.replace(/\s+/g, '')) out.push('name');
  if (p.sex !== r.sex) out.push('sex');
  if ((p.birth ?? '').slice(0, 7) !== r.birth) out.push('birth');
  return out;
}

const FIELD_ZH = { name: '姓名', sex: '性别', birth: '出生年月', citizenId: '身份证号', mother: '母亲', address: '地址' } as const;

export function compareRegisters(input: CompareInput): { candidates: ReviewCandidate[]; stats: Record<string, number> } {
  const w = input.window ?? DEFAULT_WINDOW;
  const records = [...input.records];
  const households: CompareHousehold[] = [...input.households];
  const byId = new Map<string, At[]>();
  const byDistrictSex = new Map<string, At[]>();
  const householdsByDistrict = new Map<string, CompareHousehold[]>();
  const deathsById = new Map<string, DeathAt[]>();
  const deathsByDistrict = new Map<string, DeathAt[]>();
  for (const h of households) {
    const list = householdsByDistrict.get(h.districtCode);
    if (list) list.push(h);
    else householdsByDistrict.set(h.districtCode, [h]);
    for (const p of h.persons) {
      const id = validId(p.citizenId);
      if (id !== undefined) {
        const l = byId.get(id);
        if (l) l.push({ h, p });
        else byId.set(id, [{ h, p }]);
      }
      const k = `${h.districtCode}|${p.sex ?? 0}`;
      const l = byDistrictSex.get(k);
      if (l) l.push({ h, p });
      else byDistrictSex.set(k, [{ h, p }]);
    }
    for (const d of h.deaths) {
      const id = validId(d.citizenId);
      if (id !== undefined) deathsById.set(id, [...(deathsById.get(id) ?? []), { h, d }]);
      const l = deathsByDistrict.get(h.districtCode);
      if (l) l.push({ h, d });
      else deathsByDistrict.set(h.districtCode, [{ h, d }]);
    }
  }
  // A registered person whose valid ID some register row names exactly is that row's person: a
  // fuzzy match may not take them for someone else (a sibling with a similar name, a twin).
  const claimed = new Set<string>();
  for (const r of records) if (r.citizenId !== undefined && byId.has(r.citizenId)) claimed.add(r.citizenId);
  const free = (p: ComparePerson) => {
    const id = validId(p.citizenId);
    return id === undefined || !claimed.has(id);
  };

  const out: ReviewCandidate[] = [];
  const stats: Record<string, number> = { records: records.length, households: households.length };
  const push = (c: ReviewCandidate) => {
    out.push(c);
    stats[c.category] = (stats[c.category] ?? 0) + 1;
  };

  /** The best registered person of the district like the record (sex equal; name and birth near). */
  const fuzzyPerson = (r: RegisterRecord, pool: readonly At[], needName: boolean): { at: At; confidence: number; fields: ('name' | 'birth')[] } | undefined => {
    let best: { at: At; confidence: number; fields: ('name' | 'birth')[] } | undefined;
    for (const at of pool) {
      if (at.p.sex !== r.sex || !free(at.p)) continue;
      const b = birthScore(at.p.birth, r.birth);
      if (b === 0) continue;
      const n = r.name === undefined ? (needName ? 0 : 0.75) : nameScore(at.p.name, r.name);
      if (n === 0) continue;
      const confidence = n * b;
      if (confidence >= FUZZY_THRESHOLD && (!best || confidence > best.confidence)) {
        const fields: ('name' | 'birth')[] = [];
        if (n < 1) fields.push('name');
        if (b < 1) fields.push('birth');
        best = { at, confidence, fields };
      }
    }
    return best;
  };

  const mismatch = (category: ReviewCategory, r: RegisterRecord, at: At, match: ReviewMatch, what: string) =>
    push({
      key: `${category}:${r.kind}:${r.key}:${at.h.registrationId}:${at.p.personId}`,
      category,
      districtCode: at.h.districtCode,
      householdId: at.h.registrationId,
      householdNo: at.h.householdNo,
      message: what,
      subject: { ...subjectOf(r), ...opt('personId', at.p.personId || undefined), registered: registeredOf(at.p) },
      match,
    });

  for (const r of records) {
    if (r.kind === 'hukou') {
      const exact = r.citizenId !== undefined ? byId.get(r.citizenId) : undefined;
      if (exact) {
        for (const at of exact) {
          const diff = differences(r, at.p);
          if (diff.length > 0) {
            mismatch('hukouMismatch', r, at, { method: 'citizenId', confidence: 1, fields: diff, note: `身份证号相同，${diff.map((f) => FIELD_ZH[f]).join('、')}不同` }, `户籍登记与普查登记的${diff.map((f) => FIELD_ZH[f]).join('、')}不一致：请与住户核实并更正`);
          }
        }
        continue;
      }
      const f = fuzzyPerson(r, byDistrictSex.get(`${r.districtCode}|${r.sex}`) ?? [], true);
      if (f) {
        const fields = ['citizenId' as const, ...f.fields];
        mismatch('hukouMismatch', r, f.at, { method: 'fuzzy', confidence: f.confidence, fields, note: `疑似同一人 (置信度 ${pct(f.confidence)})：${fields.map((x) => FIELD_ZH[x]).join('、')}不同` }, '普查登记的身份证号与户籍登记不符（疑似填错）：请核对证件并更正');
        continue;
      }
      push({
        key: `hukouMissing:${r.key}`,
        category: 'hukouMissing',
        districtCode: r.districtCode,
        message: '户籍登记有此人，普查未登记：请核实是否漏登，或已迁出、在外地登记',
        subject: subjectOf(r),
        match: { method: 'none', confidence: 1 },
      });
    } else if (r.kind === 'births') {
      if (!inWindow(r.birth, w.birthsFrom, w.birthsTo)) continue;
      const exact = r.citizenId !== undefined ? byId.get(r.citizenId) : undefined;
      if (exact) {
        for (const at of exact) {
          const diff = differences(r, at.p);
          if (diff.length > 0) mismatch('childMismatch', r, at, { method: 'citizenId', confidence: 1, fields: diff, note: `身份证号相同，${diff.map((x) => FIELD_ZH[x]).join('、')}不同` }, `出生登记与普查登记的${diff.map((x) => FIELD_ZH[x]).join('、')}不一致：请与住户核实并更正`);
        }
        continue;
      }
      // The mother's households: by her ID store-wide, else by her name in the record's district.
      const motherId = validId(r.motherCitizenId);
      const homes = new Map<string, CompareHousehold>();
      if (motherId !== undefined) for (const at of byId.get(motherId) ?? []) homes.set(at.h.registrationId, at.h);
      if (homes.size === 0) {
        for (const h of householdsByDistrict.get(r.districtCode) ?? []) {
          if (h.persons.some((p) => p.sex !== 1 && nameScore(p.name, r.motherName) >= 0.8)) homes.set(h.registrationId, h);
        }
      }
      const pool: At[] = [];
      for (const h of homes.values()) for (const p of h.persons) pool.push({ h, p });
      const f = fuzzyPerson(r, pool, false);
      if (f) {
        const idDiffers = r.citizenId !== undefined && validId(f.at.p.citizenId) !== r.citizenId;
        const fields = [...(idDiffers ? (['citizenId'] as const) : []), ...f.fields];
        if (fields.length > 0) {
          mismatch('childMismatch', r, f.at, { method: 'fuzzy', confidence: f.confidence, fields: [...fields, 'mother'], note: `母亲户内的孩子 (置信度 ${pct(f.confidence)})：${fields.map((x) => FIELD_ZH[x]).join('、')}不同` }, `出生登记与普查登记的${fields.map((x) => FIELD_ZH[x]).join('、')}不一致：请与住户核实并更正`);
        }
        continue;
      }
      const home = [...homes.values()][0];
      push({
        key: `childMissing:${r.key}`,
        category: 'childMissing',
        districtCode: home?.districtCode ?? r.districtCode,
        ...opt('householdId', home?.registrationId),
        ...opt('householdNo', home?.householdNo),
        message: home ? '出生登记有此孩子，母亲户内未登记：请核实是否漏登' : '出生登记有此孩子，普查未找到其母亲户：请按地址核实是否漏登',
        subject: subjectOf(r),
        match: home ? { method: motherId !== undefined ? 'citizenId' : 'fuzzy', confidence: motherId !== undefined ? 1 : 0.8, fields: ['mother'], note: '按母亲找到住户' } : { method: 'none', confidence: 1 },
      });
    } else {
      if (!inWindow(r.death, w.deathsFrom, w.deathsTo)) continue;
      if (r.citizenId !== undefined && deathsById.has(r.citizenId)) continue;
      const pool = deathsByDistrict.get(r.districtCode) ?? [];
      const found = pool.some(({ d }) => d.sex === r.sex && birthScore(d.birth, r.birth) > 0 && birthScore(d.death, r.death) > 0 && nameScore(d.name, r.name) >= 0.7);
      if (found) continue;
      push({
        key: `deathMissing:${r.key}`,
        category: 'deathMissing',
        districtCode: r.districtCode,
        message: '死亡登记有此人，普查未填死亡人口表：请核实是否漏报',
        subject: subjectOf(r),
        match: { method: 'none', confidence: 1 },
      });
    }
  }

  // Duplicates: one ID in two or more registered households; one item per household in the area.
  for (const [id, ats] of byId) {
    const homes = new Map<string, At>();
    for (const at of ats) if (!homes.has(at.h.registrationId)) homes.set(at.h.registrationId, at);
    if (homes.size < 2) continue;
    for (const at of homes.values()) {
      if (!at.h.districtCode.startsWith(input.area)) continue;
      const others = [...homes.values()].filter((o) => o !== at).slice(0, 20).map((o) => ({ districtCode: o.h.districtCode, householdNo: o.h.householdNo }));
      push({
        key: `duplicate:${id}:${at.h.registrationId}`,
        category: 'duplicate',
        districtCode: at.h.districtCode,
        householdId: at.h.registrationId,
        householdNo: at.h.householdNo,
        message: `同一身份证号登记在 ${homes.size} 户：请核实此人常住哪一户，删除重复登记`,
        subject: { ...opt('name', at.p.name?.slice(0, 100)), citizenId: id, ...opt('personId', at.p.personId || undefined), others },
        match: { method: 'citizenId', confidence: 1 },
      });
    }
  }

  // internalLogic: the confirmed warnings of the rules the office names.
  const rules = new Set(input.rules);
  if (rules.size > 0) {
    for (const h of households) {
      if (h.status !== 'complete' || !h.districtCode.startsWith(input.area)) continue;
      for (const o of h.overrides) {
        if (!rules.has(o.rule)) continue;
        const idx = o.path[0] === 'persons' && typeof o.path[1] === 'number' ? o.path[1] : undefined;
        const p = idx !== undefined ? h.persons[idx] : undefined;
        push({
          key: `internalLogic:${o.rule}:${h.registrationId}:${o.path.join('.')}`,
          category: 'internalLogic',
          districtCode: h.districtCode,
          householdId: h.registrationId,
          householdNo: h.householdNo,
          message: `登记时确认了 ${o.rule} 提示：请再次与住户核实`,
          subject: { rule: o.rule.slice(0, 60), ...opt('name', p?.name?.slice(0, 100)), ...opt('personId', p?.personId || undefined) },
          match: { method: 'rule', confidence: 1 },
        });
      }
    }
  }
  return { candidates: out, stats };
}
