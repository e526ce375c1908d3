// Comparison review (比对复查, issue 12): department registers (hukou, births, deaths) against what
// enumerators registered. Pure and in memory: the caller reads households and records from the
// store. Exact matching is by normalised citizen ID (store-wide, people are registered where they
// live); without an ID the match tolerates what really goes wrong (a name typo, a homophone, a
// birth month off by one) inside (12-digit prefix, sex, birth month) buckets, never all pairs.
import { pinyin } from 'pinyin-pro';
import { checkCitizenId, normalizeCitizenId } from '../domain/citizen-id.ts';
import type { ReviewCategory, ReviewMatch, ReviewSubject } from '../domain/index.ts';
import type { CompareDeath, CompareHousehold, ComparePerson, RegisterRecord, ReviewCandidate } from './review-types.ts';

/** YYYY-MM, inclusive. */
export interface CompareWindow {
  birthsFrom: string;
  birthsTo: string;
  deathsFrom: string;
  deathsTo: string;
}
/** The 7th census: births of the ten years before 2020-11-01, deaths of the last year. */
export const DEFAULT_WINDOW: CompareWindow = { birthsFrom: '2010-11', birthsTo: '2020-10', deathsFrom: '2019-11', deathsTo: '2020-10' };

export interface CompareInput {
  /** Every registered household of the WHOLE store (people are registered where they live: ID matching is store-wide). */
  households: Iterable<CompareHousehold>;
  /** Register records of the area being compared (already filtered by district prefix). */
  records: Iterable<RegisterRecord>;
  /** The area prefix (district codes starting with it); duplicates and internalLogic are reported only for households in it. */
  area: string;
  /** internalLogic: rule ids whose confirmed warnings become items (e.g. ['HEAD_AGE']); empty = none. */
  rules: readonly string[];
  window?: CompareWindow;
}

/**
 * A match without an ID is accepted at or above this confidence. Tuned on bench/review.ts: the
 * only losers below it are two-error cases (e.g. a two-character name with a typo AND no ID), and
 * a person holding a different valid ID (most likely someone else) always falls below.
 */
export const FUZZY_THRESHOLD = 0.6;

type Field = NonNullable<ReviewMatch['fields']>[number];

interface Reg {
  h: CompareHousehold;
  p: ComparePerson;
  /** Tie-break and key material, independent of iteration order. */
  tie: string;
  id: string | undefined;
  idValid: boolean;
  month: number | undefined;
  name: string | undefined;
}

interface DeathRef {
  h: CompareHousehold;
  d: CompareDeath;
  tie: string;
  id: string | undefined;
  idValid: boolean;
  month: number | undefined;
  deathMonth: number | undefined;
  name: string | undefined;
}

// ---------- small helpers ----------

function monthOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})/.exec(s);
  if (!m) return undefined;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  return Number(m[1]) * 12 + mo - 1;
}
const YM = /^(19|20)\d\d-(0[1-9]|1[0-2])$/;
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
const normId = (s: string | undefined) => {
  if (s === undefined) return undefined;
  const n = normalizeCitizenId(s);
  return n === '' ? undefined : n;
};
const cleanName = (s: string | undefined) => {
  if (s === undefined) return undefined;
  const n = s.replace(/[\s·•・.]/g, '');
  return n === '' ? undefined : n;
};
const sexZh = (s: number | undefined) => (s === 1 ? '男' : s === 2 ? '女' : '性别不详');
const FIELD_ZH: Record<Field, string> = { name: '姓名', sex: '性别', birth: '出生年月', citizenId: '公民身份号码', mother: '母亲', address: '住址' };
const fieldsZh = (f: readonly Field[]) => f.map((x) => FIELD_ZH[x]).join('、');

/** One digit wrong, two digits wrong (a digit and its recomputed check character) or two adjacent digits swapped. */
function idClose(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  if (diff.length <= 2) return true;
  return false;
}

// ---------- names: exact, homophone, one-character edit ----------

const readingsCache = new Map<string, readonly string[]>();
function readings(ch: string): readonly string[] {
  let r = readingsCache.get(ch);
  if (r === undefined) {
    r = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }).map((x) => x.toLowerCase());
    if (r.length === 0) r = [ch];
    readingsCache.set(ch, r);
  }
  return r;
}
function homophone(a: string, b: string): boolean {
  if (a === b) return true;
  const ra = readings(a);
  const rb = readings(b);
  // Non-Han characters "read" as themselves: never a homophone of something else.
  if ((ra.length === 1 && ra[0] === a) || (rb.length === 1 && rb[0] === b)) return false;
  return ra.some((x) => rb.includes(x));
}

export interface NameMatch {
  kind: 'exact' | 'homophone' | 'typo' | 'indel';
  /** How much this looseness lowers the confidence. */
  penalty: number;
}
const nameCache = new Map<string, NameMatch | null>();

/** Whether two names are the same person's as written by two clerks; undefined when not near. */
export function compareNames(a: string, b: string): NameMatch | undefined {
  if (a === b) return { kind: 'exact', penalty: 0 };
  const ck = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
  const hit = nameCache.get(ck);
  if (hit !== undefined) return hit ?? undefined;
  const r = compareNamesUncached(Array.from(a), Array.from(b));
  if (nameCache.size > 200_000) nameCache.clear();
  nameCache.set(ck, r ?? null);
  return r;
}
function compareNamesUncached(x: string[], y: string[]): NameMatch | undefined {
  if (x.length === y.length) {
    let homo = 0;
    let other = 0;
    for (let i = 0; i < x.length; i++) {
      const cx = x[i] ?? '';
      const cy = y[i] ?? '';
      if (cx === cy) continue;
      if (homophone(cx, cy)) homo++;
      else other++;
    }
    if (other === 0 && homo > 0) return { kind: 'homophone', penalty: homo === 1 ? 0.1 : 0.2 };
    // A one-character typo: in a two-character name it is half the name, so it counts for more.
    if (other === 1 && homo === 0 && x.length >= 2) return { kind: 'typo', penalty: x.length === 2 ? 0.25 : 0.15 };
    return undefined;
  }
  const [s, l] = x.length < y.length ? [x, y] : [y, x];
  if (l.length - s.length !== 1 || s.length < 2) return undefined;
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  for (let j = i; j < s.length; j++) if (s[j] !== l[j + 1]) return undefined;
  return { kind: 'indel', penalty: 0.2 };
}
const nameNote = (reg: string, rec: string, m: NameMatch) => (m.kind === 'exact' ? '' : `name ${rec} vs ${reg} (${m.kind})`);

// ---------- registered ID against the record's ID ----------

/** Confidence adjustment for the registered person's own ID when the record's ID found nobody. */
function idEvidence(recId: string | undefined, r: { id: string | undefined; idValid: boolean }): { delta: number; note: string } {
  if (recId === undefined) return { delta: 0, note: '' };
  if (r.id === undefined) return { delta: -0.1, note: 'no ID registered' };
  if (idClose(recId, r.id)) return { delta: 0.05, note: `ID ${r.id} one or two digits off` };
  if (!r.idValid) return { delta: -0.15, note: `invalid ID ${clip(r.id, 18)}` };
  // A different valid ID most likely belongs to someone else: this alone keeps it below the threshold.
  return { delta: -0.45, note: `different valid ID ${r.id}` };
}

// ---------- the comparison ----------

interface Scored {
  conf: number;
  fields: Field[];
  notes: string[];
}
interface Pending<R> {
  rec: RegisterRecord;
  /** The record's normalised ID, if any. */
  id: string | undefined;
  options: { target: R; s: Scored }[];
}

/** Greedy one-to-one assignment by confidence; ties by record key, then target: independent of input order. */
function assign<R extends { tie: string }>(pending: Pending<R>[]): Map<Pending<R>, { target: R; s: Scored }> {
  const all: { p: Pending<R>; target: R; s: Scored }[] = [];
  for (const p of pending) for (const o of p.options) if (o.s.conf >= FUZZY_THRESHOLD) all.push({ p, ...o });
  all.sort((a, b) => b.s.conf - a.s.conf || (a.p.rec.key < b.p.rec.key ? -1 : a.p.rec.key > b.p.rec.key ? 1 : 0) || (a.target.tie < b.target.tie ? -1 : a.target.tie > b.target.tie ? 1 : 0));
  const out = new Map<Pending<R>, { target: R; s: Scored }>();
  const used = new Set<R>();
  for (const a of all) {
    if (out.has(a.p) || used.has(a.target)) continue;
    out.set(a.p, { target: a.target, s: a.s });
    used.add(a.target);
  }
  return out;
}

/** Ambiguity: a second option almost as good as the best means the best is a guess. */
function dampAmbiguous<R>(options: { target: R; s: Scored }[]): void {
  if (options.length < 2) return;
  const sorted = [...options].sort((a, b) => b.s.conf - a.s.conf);
  const [a, b] = sorted;
  if (a && b && a.s.conf - b.s.conf < 0.05) {
    for (const o of options) {
      o.s.conf -= 0.1;
      o.s.notes.push('ambiguous');
    }
  }
}
const finalConf = (c: number) => Math.max(0, Math.min(0.99, Math.round(c * 100) / 100));

function regSubject(r: Reg, fields: readonly Field[]): NonNullable<ReviewSubject['registered']> {
  const out: NonNullable<ReviewSubject['registered']> = {};
  if (fields.includes('name') && r.p.name !== undefined) out.name = clip(r.p.name, 100);
  if (fields.includes('citizenId') && r.p.citizenId !== undefined && r.p.citizenId !== '') out.citizenId = clip(normalizeCitizenId(r.p.citizenId), 18);
  if (fields.includes('sex') && r.p.sex !== undefined && Number.isInteger(r.p.sex)) out.sex = r.p.sex;
  if (fields.includes('birth') && r.p.birth !== undefined) out.birth = clip(r.p.birth, 7);
  return out;
}

function recSubject(rec: RegisterRecord): ReviewSubject {
  const s: ReviewSubject = { sex: rec.sex };
  if (rec.name !== undefined && rec.name !== '') s.name = clip(rec.name, 100);
  const id = normId(rec.citizenId);
  if (id !== undefined) s.citizenId = clip(id, 18);
  if (YM.test(rec.birth)) s.birth = rec.birth;
  if (rec.death !== undefined && YM.test(rec.death)) s.death = rec.death;
  if (rec.address !== undefined && rec.address !== '') s.address = clip(rec.address, 200);
  if (rec.motherName !== undefined && rec.motherName !== '') s.motherName = clip(rec.motherName, 100);
  const mid = normId(rec.motherCitizenId);
  if (mid !== undefined) s.motherCitizenId = clip(mid, 18);
  return s;
}

/** Exact comparison of a record with a registered person found by ID: the fields that differ. */
function exactDiff(rec: RegisterRecord, r: Reg, compareName: boolean): Field[] {
  const f: Field[] = [];
  if (compareName && cleanName(rec.name) !== undefined && cleanName(rec.name) !== r.name) f.push('name');
  if (r.p.sex !== rec.sex) f.push('sex');
  if (monthOf(rec.birth) !== r.month) f.push('birth');
  return f;
}

export function compareRegisters(input: CompareInput): { candidates: ReviewCandidate[]; stats: Record<string, number> } {
  const win = input.window ?? DEFAULT_WINDOW;
  const stats: Record<string, number> = {};
  const bump = (k: string, n = 1) => (stats[k] = (stats[k] ?? 0) + n);
  const rules = new Set(input.rules);
  const out = new Map<string, ReviewCandidate>();
  const emit = (c: ReviewCandidate) => {
    if (out.has(c.key)) return;
    out.set(c.key, c);
    bump(c.category);
  };

  // Registered persons and death forms, indexed.
  const byId = new Map<string, Reg[]>();
  const buckets = new Map<string, Reg[]>();
  const deathsById = new Map<string, DeathRef[]>();
  const deathsByPrefix = new Map<string, DeathRef[]>();
  const areaHouseholds: CompareHousehold[] = [];
  const bucketKey = (prefix: string, sex: number, month: number) => `${prefix}|${sex}|${month}`;
  for (const h of input.households) {
    bump('households');
    if (h.districtCode.startsWith(input.area)) areaHouseholds.push(h);
    const prefix = h.districtCode.slice(0, 12);
    h.persons.forEach((p, i) => {
      bump('persons');
      const id = normId(p.citizenId);
      const r: Reg = { h, p, tie: `${h.registrationId}\u0000${p.personId}\u0000${i}`, id, idValid: id !== undefined && checkCitizenId(id).ok, month: monthOf(p.birth), name: cleanName(p.name) };
      if (id !== undefined) {
        const l = byId.get(id);
        if (l) l.push(r);
        else byId.set(id, [r]);
      }
      if (r.month !== undefined && p.sex !== undefined) {
        const k = bucketKey(prefix, p.sex, r.month);
        const l = buckets.get(k);
        if (l) l.push(r);
        else buckets.set(k, [r]);
      }
    });
    h.deaths.forEach((d, i) => {
      const id = normId(d.citizenId);
      const r: DeathRef = { h, d, tie: `${h.registrationId}\u0000${d.deathId}\u0000${i}`, id, idValid: id !== undefined && checkCitizenId(id).ok, month: monthOf(d.birth), deathMonth: monthOf(d.death), name: cleanName(d.name) };
      if (id !== undefined) {
        const l = deathsById.get(id);
        if (l) l.push(r);
        else deathsById.set(id, [r]);
      }
      const l = deathsByPrefix.get(prefix);
      if (l) l.push(r);
      else deathsByPrefix.set(prefix, [r]);
    });
  }

  const hukou: RegisterRecord[] = [];
  const births: RegisterRecord[] = [];
  const deaths: RegisterRecord[] = [];
  for (const rec of input.records) {
    bump(`records.${rec.kind}`);
    if (rec.kind === 'hukou') {
      // Born after the census moment: nobody could have registered them.
      if (rec.birth > win.birthsTo) bump('hukou.afterCensus');
      else hukou.push(rec);
    } else if (rec.kind === 'births') {
      if (rec.birth < win.birthsFrom || rec.birth > win.birthsTo) bump('births.outsideWindow');
      else births.push(rec);
    } else if (rec.death === undefined || rec.death < win.deathsFrom || rec.death > win.deathsTo) bump('deaths.outsideWindow');
    else deaths.push(rec);
  }
  // A registered person whose ID some record of the same kind holds is that record's: not a fuzzy target.
  const hukouIds = new Set<string>();
  for (const r of hukou) {
    const id = normId(r.citizenId);
    if (id !== undefined) hukouIds.add(id);
  }
  const birthIds = new Set<string>();
  for (const r of births) {
    const id = normId(r.citizenId);
    if (id !== undefined) birthIds.add(id);
  }

  /** Unclaimed persons of (prefix, sex, month ± 1). */
  const near = (districtCode: string, sex: number, month: number | undefined, claimed: Set<string>): Reg[] => {
    if (month === undefined) return [];
    const prefix = districtCode.slice(0, 12);
    const res: Reg[] = [];
    for (let d = -1; d <= 1; d++) for (const r of buckets.get(bucketKey(prefix, sex, month + d)) ?? []) if (r.id === undefined || !claimed.has(r.id)) res.push(r);
    return res;
  };

  /** Hukou-style score: name near, birth month ±1, the person's own ID, same district. */
  const personScore = (rec: RegisterRecord, recId: string | undefined, r: Reg): Scored | undefined => {
    const recName = cleanName(rec.name);
    const s: Scored = { conf: 0.95, fields: [], notes: [] };
    if (recName !== undefined) {
      if (r.name === undefined) return undefined;
      const m = compareNames(r.name, recName);
      if (!m) return undefined;
      s.conf -= m.penalty;
      if (m.kind !== 'exact') {
        s.fields.push('name');
        s.notes.push(nameNote(r.name, recName, m));
      }
    } else if (recId === undefined || r.id === undefined || !idClose(recId, r.id)) return undefined;
    const rm = monthOf(rec.birth);
    if (rm === undefined || r.month === undefined || Math.abs(rm - r.month) > 1) return undefined;
    if (rm !== r.month) {
      s.conf -= 0.15;
      s.fields.push('birth');
      s.notes.push(`birth ${r.p.birth ?? ''} vs ${rec.birth}`);
    }
    const ev = idEvidence(recId, r);
    s.conf += ev.delta;
    if (recId !== undefined) {
      s.fields.push('citizenId');
      s.notes.push(ev.note);
    }
    if (r.h.districtCode !== rec.districtCode) {
      s.conf -= 0.1;
      s.notes.push(`registered in district ${r.h.districtCode}`);
    }
    return s;
  };

  const mismatch = (category: ReviewCategory, rec: RegisterRecord, r: Reg, fields: Field[], method: 'citizenId' | 'fuzzy', conf: number, notes: string[]) => {
    const who = cleanName(rec.name) ?? r.name ?? '';
    const regName = r.name ?? '（未填姓名）';
    const what = fieldsZh(fields);
    const subject: ReviewSubject = { ...recSubject(rec), registered: regSubject(r, fields) };
    if (ID_RE.test(r.p.personId)) subject.personId = r.p.personId;
    const src = category === 'childMismatch' ? '出生登记' : '户籍登记';
    const message =
      method === 'citizenId'
        ? `${src}与普查登记不一致（${what}）：请核实${who}的${what}并更正`
        : `${src}的${who || '此人'}（${rec.birth}出生，${sexZh(rec.sex)}）按身份证号未找到，疑似本户已登记的${regName}，${what}不同：请核实是否同一人并更正`;
    emit({
      key: `${category}:${rec.key}:${r.h.registrationId}:${r.p.personId}`,
      category,
      districtCode: r.h.districtCode,
      householdId: r.h.registrationId,
      householdNo: r.h.householdNo,
      message,
      subject,
      match: { method, confidence: method === 'citizenId' ? 1 : finalConf(conf), fields: [...new Set(fields)].slice(0, 6), note: clip(notes.filter((n) => n !== '').join('; '), 300) },
    });
  };

  /** Of several holders of one ID, the one that agrees best; none returned if one agrees fully. */
  const bestHolder = (rec: RegisterRecord, holders: Reg[], compareName: boolean): { r: Reg; f: Field[] } | undefined => {
    let best: { r: Reg; f: Field[] } | undefined;
    for (const r of holders) {
      const f = exactDiff(rec, r, compareName);
      if (f.length === 0) return undefined;
      if (!best || f.length < best.f.length || (f.length === best.f.length && r.tie < best.r.tie)) best = { r, f };
    }
    return best;
  };

  // ---- hukou ----
  const pendingHukou: Pending<Reg>[] = [];
  for (const rec of hukou) {
    const id = normId(rec.citizenId);
    const holders = id === undefined ? undefined : byId.get(id);
    if (holders) {
      bump('match.hukou.citizenId');
      const b = bestHolder(rec, holders, true);
      if (b) mismatch('hukouMismatch', rec, b.r, b.f, 'citizenId', 1, b.f.map((f) => `${f} differs`));
      continue;
    }
    const options: Pending<Reg>['options'] = [];
    for (const r of near(rec.districtCode, rec.sex, monthOf(rec.birth), hukouIds)) {
      const s = personScore(rec, id, r);
      if (s) options.push({ target: r, s });
    }
    dampAmbiguous(options);
    pendingHukou.push({ rec, id, options });
  }
  const hukouFound = assign(pendingHukou);
  for (const p of pendingHukou) {
    const a = hukouFound.get(p);
    if (a) {
      bump('match.hukou.fuzzy');
      mismatch('hukouMismatch', p.rec, a.target, a.s.fields.length ? a.s.fields : ['citizenId'], 'fuzzy', a.s.conf, a.s.notes);
      continue;
    }
    const rec = p.rec;
    emit({
      key: `hukouMissing:${rec.key}`,
      category: 'hukouMissing',
      districtCode: rec.districtCode,
      message: `户籍登记有此人（${rec.name ?? '姓名不详'}，${sexZh(rec.sex)}，${rec.birth}出生${p.id ? `，身份证号${p.id}` : ''}），普查未登记：请核实是否漏登${rec.address ? `（户籍地址：${clip(rec.address, 100)}）` : ''}`,
      subject: recSubject(rec),
      match: { method: 'none', confidence: 1, note: p.id ? 'ID held by no registered person; no near match' : 'no near match' },
    });
  }

  // ---- births ----
  const motherIn = (h: CompareHousehold, child: ComparePerson, rec: RegisterRecord, motherId: string | undefined): { delta: number; loose: boolean; note: string } | undefined => {
    const mName = cleanName(rec.motherName);
    let best: { delta: number; loose: boolean; note: string } | undefined;
    for (const m of h.persons) {
      if (m === child) continue;
      if (motherId !== undefined && normId(m.citizenId) === motherId) return { delta: 0, loose: false, note: '' };
      const n = cleanName(m.name);
      if (mName !== undefined && n !== undefined && m.sex !== 1) {
        const nm = compareNames(n, mName);
        // The mother's name is corroboration, not the child's identity: half the usual penalty.
        const delta = nm ? -0.05 - nm.penalty / 2 : 0;
        if (nm && (!best || delta > best.delta)) best = { delta, loose: nm.kind !== 'exact', note: nm.kind === 'exact' ? '' : `mother ${mName} vs ${n} (${nm.kind})` };
      }
    }
    return best;
  };
  const pendingBirths: Pending<Reg>[] = [];
  for (const rec of births) {
    const id = normId(rec.citizenId);
    const holders = id === undefined ? undefined : byId.get(id);
    if (holders) {
      bump('match.births.citizenId');
      const b = bestHolder(rec, holders, true);
      if (b) mismatch('childMismatch', rec, b.r, b.f, 'citizenId', 1, b.f.map((f) => `${f} differs`));
      continue;
    }
    const motherId = normId(rec.motherCitizenId);
    const rm = monthOf(rec.birth);
    const cands = new Set(near(rec.districtCode, rec.sex, rm, birthIds));
    // The mother found by ID anywhere: the child lives with her, wherever the register placed the birth.
    if (motherId !== undefined && rm !== undefined) {
      for (const m of byId.get(motherId) ?? []) {
        m.h.persons.forEach((c, i) => {
          const cm = monthOf(c.birth);
          const cid = normId(c.citizenId);
          if (c.sex !== rec.sex || cm === undefined || Math.abs(cm - rm) > 1 || (cid !== undefined && birthIds.has(cid))) return;
          const r = byId.get(cid ?? '')?.find((x) => x.p === c) ?? buckets.get(bucketKey(m.h.districtCode.slice(0, 12), rec.sex, cm))?.find((x) => x.p === c) ?? { h: m.h, p: c, tie: `${m.h.registrationId}\u0000${c.personId}\u0000${i}`, id: cid, idValid: false, month: cm, name: cleanName(c.name) };
          cands.add(r);
        });
      }
    }
    const options: Pending<Reg>['options'] = [];
    const recName = cleanName(rec.name);
    for (const r of cands) {
      if (r.month === undefined || rm === undefined) continue;
      const mother = motherIn(r.h, r.p, rec, motherId);
      let s: Scored;
      if (mother) {
        s = { conf: 0.95 + mother.delta, fields: mother.loose ? ['mother'] : [], notes: mother.note ? [mother.note] : [] };
        // A record without the child's name is weaker evidence: twins go first to the record that names them.
        if (recName === undefined) s.conf -= 0.05;
        else {
          const nm = r.name === undefined ? undefined : compareNames(r.name, recName);
          if (nm === undefined) {
            // Same mother, same sex and month: the child was most likely renamed (or the name left blank).
            s.conf -= r.name === undefined ? 0.1 : 0.3;
            s.fields.push('name');
            s.notes.push(`name ${recName} vs ${r.name ?? '(none)'}`);
          } else if (nm.kind !== 'exact') {
            s.conf -= nm.penalty;
            s.fields.push('name');
            s.notes.push(nameNote(r.name ?? '', recName, nm));
          }
        }
        if (rm !== r.month) {
          s.conf -= 0.1;
          s.fields.push('birth');
          s.notes.push(`birth ${r.p.birth ?? ''} vs ${rec.birth}`);
        }
        if (id !== undefined) {
          const ev = idEvidence(id, r);
          s.conf += ev.delta;
          s.fields.push('citizenId');
          s.notes.push(ev.note);
        }
        // Relationship is a hint only: a child or grandchild of the head is the usual case.
        if (r.p.relationship !== 2 && r.p.relationship !== 7) s.conf -= r.p.relationship === undefined ? 0.05 : 0.1;
        if (r.h.districtCode !== rec.districtCode && !(motherId !== undefined && !mother.loose && mother.delta === 0)) s.conf -= 0.05;
      } else {
        // No mother in the household: only a record with a child ID and name can still match, as for hukou.
        if (id === undefined || recName === undefined) continue;
        const ps = personScore(rec, id, r);
        if (!ps) continue;
        s = ps;
        s.conf -= 0.1;
        s.notes.push('mother not in household');
      }
      options.push({ target: r, s });
    }
    dampAmbiguous(options);
    pendingBirths.push({ rec, id, options });
  }
  const birthFound = assign(pendingBirths);
  for (const p of pendingBirths) {
    const a = birthFound.get(p);
    const rec = p.rec;
    if (a) {
      bump('match.births.fuzzy');
      const childFields = a.s.fields.filter((f) => f !== 'mother');
      if (childFields.length > 0) mismatch('childMismatch', rec, a.target, a.s.fields, 'fuzzy', a.s.conf, a.s.notes);
      continue;
    }
    const mother = rec.motherName ?? '（姓名不详）';
    emit({
      key: `childMissing:${rec.key}`,
      category: 'childMissing',
      districtCode: rec.districtCode,
      message: `出生登记有此婴幼儿（${rec.name ? `${rec.name}，` : ''}${sexZh(rec.sex)}，${rec.birth}出生），普查未登记：请找到母亲${mother}${rec.motherCitizenId ? `（身份证号${normalizeCitizenId(rec.motherCitizenId)}）` : ''}${rec.address ? `，住址${clip(rec.address, 100)}` : ''}，核实孩子是否漏登`,
      subject: recSubject(rec),
      match: { method: 'none', confidence: 1, note: 'no registered child of this sex and birth month (±1) with this mother' },
    });
  }

  // ---- deaths ----
  const deathRecIds = new Set<string>();
  for (const r of deaths) {
    const id = normId(r.citizenId);
    if (id !== undefined) deathRecIds.add(id);
  }
  const pendingDeaths: Pending<DeathRef>[] = [];
  for (const rec of deaths) {
    const id = normId(rec.citizenId);
    if (id !== undefined && deathsById.has(id)) {
      bump('match.deaths.citizenId');
      continue;
    }
    const options: Pending<DeathRef>['options'] = [];
    const recName = cleanName(rec.name);
    const rb = monthOf(rec.birth);
    const rd = monthOf(rec.death);
    for (const d of deathsByPrefix.get(rec.districtCode.slice(0, 12)) ?? []) {
      if (d.id !== undefined && deathRecIds.has(d.id)) continue;
      if (recName === undefined || d.name === undefined || rd === undefined || d.deathMonth === undefined || Math.abs(rd - d.deathMonth) > 1) continue;
      const nm = compareNames(d.name, recName);
      if (!nm) continue;
      const s: Scored = { conf: 0.95 - nm.penalty - (rd === d.deathMonth ? 0 : 0.1), fields: [], notes: [] };
      if (d.d.sex !== undefined && d.d.sex !== rec.sex) continue;
      if (d.d.sex === undefined) s.conf -= 0.1;
      if (d.month !== undefined && rb !== undefined) {
        if (Math.abs(d.month - rb) > 1) continue;
        if (d.month !== rb) s.conf -= 0.1;
      } else s.conf -= 0.1;
      if (id !== undefined && d.id !== undefined) s.conf += idEvidence(id, d).delta;
      if (d.h.districtCode !== rec.districtCode) s.conf -= 0.1;
      options.push({ target: d, s });
    }
    dampAmbiguous(options);
    pendingDeaths.push({ rec, id, options });
  }
  const deathFound = assign(pendingDeaths);
  for (const p of pendingDeaths) {
    if (deathFound.has(p)) {
      bump('match.deaths.fuzzy');
      continue;
    }
    const rec = p.rec;
    emit({
      key: `deathMissing:${rec.key}`,
      category: 'deathMissing',
      districtCode: rec.districtCode,
      message: `死亡登记有此人（${rec.name ?? '姓名不详'}，${sexZh(rec.sex)}，${rec.death ?? ''}死亡），普查未填报其死亡：请核实是否漏报死亡人口${rec.address ? `（住址：${clip(rec.address, 100)}）` : ''}`,
      subject: recSubject(rec),
      match: { method: 'none', confidence: 1, note: p.id ? 'ID on no death form; no near match' : 'no near match' },
    });
  }

  // ---- duplicates: one ID in two or more households ----
  for (const [id, holders] of byId) {
    if (holders.length < 2 || !/^\d{17}[\dX]$/.test(id)) continue;
    const households = new Map<string, Reg>();
    for (const r of [...holders].sort((a, b) => (a.tie < b.tie ? -1 : 1))) if (!households.has(r.h.registrationId)) households.set(r.h.registrationId, r);
    if (households.size < 2) continue;
    for (const r of households.values()) {
      if (!r.h.districtCode.startsWith(input.area)) continue;
      const others = [...households.values()].filter((o) => o !== r).map((o) => ({ districtCode: o.h.districtCode, householdNo: clip(o.h.householdNo, 3) }));
      const subject: ReviewSubject = { citizenId: id, others: others.slice(0, 20) };
      if (r.p.name !== undefined && r.p.name !== '') subject.name = clip(r.p.name, 100);
      if (r.p.sex === 1 || r.p.sex === 2) subject.sex = r.p.sex;
      if (r.p.birth !== undefined && YM.test(r.p.birth)) subject.birth = r.p.birth;
      if (ID_RE.test(r.p.personId)) subject.personId = r.p.personId;
      emit({
        key: `duplicate:${id}:${r.h.registrationId}`,
        category: 'duplicate',
        districtCode: r.h.districtCode,
        householdId: r.h.registrationId,
        householdNo: r.h.householdNo,
        message: `公民身份号码${id}（${r.p.name ?? '姓名不详'}）在${households.size}户中都有登记：请核实此人的常住地，只在一处登记`,
        subject,
        match: { method: 'citizenId', confidence: 1, fields: ['citizenId'], note: clip(`also in ${others.map((o) => `${o.districtCode}/${o.householdNo}`).join(', ')}`, 300) },
      });
    }
  }

  // ---- internalLogic: confirmed warnings of chosen rules ----
  if (rules.size > 0) {
    for (const h of areaHouseholds) {
      if (h.status !== 'complete') continue;
      for (const o of h.overrides) {
        if (!rules.has(o.rule)) continue;
        const path = o.path.join('.');
        const subject: ReviewSubject = { rule: clip(o.rule, 60) };
        if (o.path[0] === 'persons' && typeof o.path[1] === 'number') {
          const p = h.persons[o.path[1]];
          if (p?.name) subject.name = clip(p.name, 100);
          if (p && ID_RE.test(p.personId)) subject.personId = p.personId;
        }
        emit({
          key: `internalLogic:${o.rule}:${h.registrationId}:${path}`,
          category: 'internalLogic',
          districtCode: h.districtCode,
          householdId: h.registrationId,
          householdNo: h.householdNo,
          message: `普查员确认了逻辑提示 ${o.rule}（${path}${subject.name ? `，${subject.name}` : ''}）：请复核该项填报是否属实`,
          subject,
          match: { method: 'rule', confidence: 1, note: clip(`rule ${o.rule} confirmed at ${path}`, 300) },
        });
      }
    }
  }

  const candidates = [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  stats.candidates = candidates.length;
  return { candidates, stats };
}
