// A test county for the comparison review (比对复查, issue 12): a TRUE population, the department
// registers derived from it (hukou, births, deaths), and the registrations derived from it with
// PLANTED errors. The ground truth lists the items a correct comparison must produce (exact keys),
// so bench/review.ts and tests/server/review-compare.test.ts can measure recall and precision.
// Not a benchmark by itself (bench/run.ts runs it too: it prints one line and exits).
import { pinyin } from 'pinyin-pro';
import { citizenIdCheckChar, makeCitizenId, normalizeCitizenId } from '../src/domain/citizen-id.ts';
import type { ReviewCandidate } from '../src/server/review-types.ts';
import type { ReviewCategory } from '../src/domain/index.ts';
import type { CompareDeath, CompareHousehold, ComparePerson, RegisterRecord } from '../src/server/review-types.ts';
import { mulberry32 } from '../src/domain/index.ts';

export interface ExpectedItem {
  category: ReviewCategory;
  key: string;
  /** How a correct comparison finds it: by ID, without an ID, by absence, by rule. */
  basis: 'citizenId' | 'fuzzy' | 'none' | 'rule';
  /** The planted error behind it (for reading failures). */
  plant: string;
}

export interface ReviewCountyOptions {
  seed: number;
  households: number;
  /** 6-digit county code. */
  county?: string;
  householdsPerDistrict?: number;
}

export interface ReviewCounty {
  area: string;
  households: CompareHousehold[];
  records: RegisterRecord[];
  rules: string[];
  expected: ExpectedItem[];
  /** How many of each planted error and noise kind. */
  planted: Record<string, number>;
  persons: number;
}

// ---------- names ----------

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文';
const MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文斌成东峰海亮晨博睿轩豪鸣永德胜利庆春';
const FEMALE = '芳娜敏静丽艳娟霞秀英兰桂玲婷雪琳颖倩洁梅欣悦怡萱涵思雨佳慧燕红凤珍莉萍琴云彩淑月';
// Extra characters so most name characters have a homophone to be mis-written as.
const EXTRA = '玮维薇卫为唯炜蔚墙蔷锋枫丰风烽凤奉娟鹃涓静晶菁经京景井敬境镜婧丽莉俐力立利励李理礼里黎梨离璃芳方坊舫访放仿明铭鸣名茗敏闽民珉悯杰洁捷婕结节颖影莹营英鹰樱应映硬华桦骅花化画话滑宇雨语羽与禹玉育裕誉芋鹏朋彭蓬棚捧碰磊垒蕾雷擂类泪累军君钧均俊骏峻浚郡涛韬滔焘桃陶淘讨套超潮巢朝晁炒吵刚钢纲岗港杠平萍苹坪评瓶凭屏辉晖徽挥慧惠蕙会汇绘飞菲妃非斐翡肥匪波博伯柏勃泊薄帛浩昊灏皓号豪毫好凯恺楷铠慨健建剑键舰件鉴帆凡繁烦樊番翻帅率宁凝柠狞龙隆珑笼聋林琳霖淋临麟磷阳杨扬洋羊仰养国郭果锅过';

const primary = new Map<string, string>();
const byReading = new Map<string, string[]>();
for (const ch of new Set(Array.from(SURNAMES + MALE + FEMALE + EXTRA))) {
  const r = pinyin(ch, { toneType: 'none', type: 'array' })[0] ?? ch;
  primary.set(ch, r);
  const l = byReading.get(r);
  if (l) l.push(ch);
  else byReading.set(r, [ch]);
}
const ALL_CHARS = [...primary.keys()];
const readingsOf = (ch: string) => pinyin(ch, { toneType: 'none', type: 'array', multiple: true });

// ---------- truth ----------

interface TruthPerson {
  tid: number;
  name: string;
  sex: 1 | 2;
  birthDate: string;
  id: string;
  /** The hukou district in this county, or undefined (hukou elsewhere). */
  hukouDistrict: string | undefined;
  relationship: number;
  mother?: TruthPerson;
  death?: string;
}
interface TruthHousehold {
  index: number;
  district: string;
  no: string;
  address: string;
  persons: TruthPerson[];
  dead: TruthPerson[];
  outside: boolean;
}

const ym = (d: string) => d.slice(0, 7);
const addMonths = (m: string, k: number) => {
  const t = Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1 + k;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};
const inWindow = (m: string) => m >= '2010-11' && m <= '2020-10';

export function generateReviewCounty(opts: ReviewCountyOptions): ReviewCounty {
  const rnd = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const county = opts.county ?? '130102';
  const perDistrict = opts.householdsPerDistrict ?? 100;
  const planted: Record<string, number> = {};
  const plant = (k: string) => (planted[k] = (planted[k] ?? 0) + 1);
  const districtOf = (d: number) => `${county}${String(Math.floor(d / 50) + 1).padStart(3, '0')}${String((Math.floor(d / 5) % 10) + 1).padStart(3, '0')}${String((d % 5) + 1).padStart(3, '0')}`;
  const districts = Math.max(1, Math.ceil(opts.households / perDistrict));
  const outsideCounty = '130203';

  const idSeq = new Map<string, number>();
  const allIds = new Set<string>();
  // makeCitizenId yields 100 distinct numbers per (address, date, sex); past that, the next address code.
  const newId = (addr: string, birthDate: string, sex: 1 | 2): string => {
    for (let a = Number(addr); ; a++) {
      const k = `${a}|${birthDate}|${sex}`;
      const s = idSeq.get(k) ?? 0;
      if (s >= 100) continue;
      idSeq.set(k, s + 1);
      const id = makeCitizenId(String(a), birthDate, s, sex);
      if (!allIds.has(id)) {
        allIds.add(id);
        return id;
      }
    }
  };
  const name = (sex: 1 | 2, surname?: string) => {
    const s = surname ?? (rnd() < 0.5 ? pick(Array.from(SURNAMES.slice(0, 10))) : pick(Array.from(SURNAMES)));
    const pool = Array.from(sex === 1 ? MALE : FEMALE);
    return rnd() < 0.35 ? s + pick(pool) : s + pick(pool) + pick(pool);
  };
  const date = (y0: number, y1: number) => {
    const y = y0 + Math.floor(rnd() * (y1 - y0 + 1));
    const m = 1 + Math.floor(rnd() * 12);
    const d = 1 + Math.floor(rnd() * 28);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  let tid = 0;
  const person = (p: Omit<TruthPerson, 'tid' | 'id'>, migrant: boolean): TruthPerson => ({ ...p, tid: tid++, id: newId(migrant ? pick(['410102', '510104', '340102', '230103']) : county, p.birthDate, p.sex) });

  const truth: TruthHousehold[] = [];
  for (let i = 0; i < opts.households; i++) {
    const d = Math.floor(i / perDistrict);
    const district = districtOf(d);
    const migrant = rnd() < 0.12;
    const hukouOf = (): string | undefined => (migrant ? undefined : rnd() < 0.9 ? district : districtOf(Math.floor(rnd() * districts)));
    const persons: TruthPerson[] = [];
    const r = rnd();
    const base = { relationship: 0 };
    if (r < 0.12) {
      const sex: 1 | 2 = rnd() < 0.5 ? 1 : 2;
      persons.push(person({ ...base, name: name(sex), sex, birthDate: date(1935, 1998), hukouDistrict: hukouOf() }, migrant));
    } else if (r < 0.3) {
      const b = date(1935, 1965);
      const hs = name(1);
      persons.push(person({ ...base, name: hs, sex: 1, birthDate: b, hukouDistrict: hukouOf() }, migrant));
      persons.push(person({ relationship: 1, name: name(2), sex: 2, birthDate: date(Number(b.slice(0, 4)) - 3, Number(b.slice(0, 4)) + 3), hukouDistrict: hukouOf() }, migrant));
    } else {
      const wy = 1965 + Math.floor(rnd() * 34);
      const husband = person({ ...base, name: name(1), sex: 1, birthDate: date(wy - 4, wy + 2), hukouDistrict: hukouOf() }, migrant);
      const wife = person({ relationship: 1, name: name(2), sex: 2, birthDate: date(wy, wy), hukouDistrict: hukouOf() }, migrant);
      persons.push(husband, wife);
      const kids = Math.floor(rnd() * 3.2);
      for (let k = 0; k < kids; k++) {
        const y0 = wy + 20;
        const y1 = Math.min(wy + 40, 2020);
        if (y0 > y1) break;
        let bd = date(y0, y1);
        if (bd > '2020-10-31') bd = `2020-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-15`;
        const sex: 1 | 2 = rnd() < 0.52 ? 1 : 2;
        const surname = Array.from(husband.name)[0] ?? '王';
        const kid = person({ relationship: 2, name: name(sex, surname), sex, birthDate: bd, hukouDistrict: hukouOf(), mother: wife }, migrant);
        persons.push(kid);
        if (rnd() < 0.03) {
          const tsex: 1 | 2 = rnd() < 0.5 ? sex : sex === 1 ? 2 : 1;
          let tn = name(tsex, surname);
          while (tn === kid.name) tn = name(tsex, surname);
          persons.push(person({ relationship: 2, name: tn, sex: tsex, birthDate: bd, hukouDistrict: kid.hukouDistrict, mother: wife }, migrant));
          plant('noise.twins');
        }
      }
      if (rnd() < 0.2) persons.push(person({ relationship: 3, name: name(2, undefined), sex: 2, birthDate: date(wy - 30, wy - 22), hukouDistrict: hukouOf() }, migrant));
    }
    const dead: TruthPerson[] = [];
    if (rnd() < 0.025) {
      const sex: 1 | 2 = rnd() < 0.55 ? 1 : 2;
      dead.push({ ...person({ relationship: 3, name: name(sex), sex, birthDate: date(1925, 1950), hukouDistrict: district }, false), death: addMonths('2019-11', Math.floor(rnd() * 12)) });
    }
    if (rnd() < 0.01) {
      const sex: 1 | 2 = rnd() < 0.55 ? 1 : 2;
      dead.push({ ...person({ relationship: 3, name: name(sex), sex, birthDate: date(1925, 1950), hukouDistrict: district }, false), death: addMonths('2019-01', Math.floor(rnd() * 10)) });
    }
    truth.push({ index: i, district, no: String((i % perDistrict) + 1).padStart(3, '0'), address: `${Number(district.slice(6, 9))}镇${Number(district.slice(9, 12))}村${(i % perDistrict) + 1}号`, persons, dead, outside: false });
  }
  // Hukou here, living in the next county (registered in the store, outside the area): matched by ID, no item.
  const outsideHouseholds: TruthHousehold[] = [];
  const nOutside = Math.max(1, Math.floor(opts.households * 0.01));
  for (let i = 0; i < nOutside; i++) {
    const sex: 1 | 2 = rnd() < 0.5 ? 1 : 2;
    const p = person({ relationship: 0, name: name(sex), sex, birthDate: date(1960, 1998), hukouDistrict: districtOf(Math.floor(rnd() * districts)) }, false);
    outsideHouseholds.push({ index: opts.households + i, district: `${outsideCounty}001001${String((i % 50) + 1).padStart(3, '0')}`, no: String((Math.floor(i / 50) % 999) + 1).padStart(3, '0'), address: '邻县', persons: [p], dead: [], outside: true });
    plant('noise.livesInOtherCounty');
  }

  // ---------- registers ----------
  const records: RegisterRecord[] = [];
  const hukouRec = new Map<TruthPerson, RegisterRecord>();
  const birthRec = new Map<TruthPerson, RegisterRecord>();
  const deathRec: { p: TruthPerson; rec: RegisterRecord; h: TruthHousehold }[] = [];
  let hk = 0;
  let bk = 0;
  let dk = 0;
  for (const h of [...truth, ...outsideHouseholds]) {
    for (const p of h.persons) {
      if (p.hukouDistrict !== undefined) {
        const rec: RegisterRecord = { kind: 'hukou', key: `h${hk++}`, districtCode: p.hukouDistrict, citizenId: p.id, name: p.name, sex: p.sex, birth: ym(p.birthDate), birthDate: p.birthDate, address: h.address };
        records.push(rec);
        hukouRec.set(p, rec);
      }
      const m = ym(p.birthDate);
      if (p.mother && m >= '2010-01' && rnd() < 0.95 && !h.outside) {
        const hasId = rnd() < 0.75;
        const rec: RegisterRecord = { kind: 'births', key: `b${bk++}`, districtCode: h.district, sex: p.sex, birth: m, birthDate: p.birthDate, motherName: p.mother.name, address: h.address };
        if (hasId) rec.citizenId = p.id;
        if (hasId ? rnd() < 0.8 : rnd() < 0.5) rec.name = p.name;
        if (rnd() < 0.8) rec.motherCitizenId = p.mother.id;
        records.push(rec);
        birthRec.set(p, rec);
        if (!inWindow(m)) plant('noise.birthBeforeWindow');
      }
    }
    for (const p of h.dead) {
      const rec: RegisterRecord = { kind: 'deaths', key: `d${dk++}`, districtCode: h.district, name: p.name, sex: p.sex, birth: ym(p.birthDate), death: p.death ?? '', address: h.address };
      if (rnd() < 0.9) rec.citizenId = p.id;
      records.push(rec);
      deathRec.push({ p, rec, h });
    }
  }
  // Hukou here, moved away and registered in no household of the store: a real hukouMissing.
  for (let i = 0; i < Math.floor(opts.households * 0.003); i++) {
    const sex: 1 | 2 = rnd() < 0.5 ? 1 : 2;
    const p = person({ relationship: 0, name: name(sex), sex, birthDate: date(1960, 1998), hukouDistrict: districtOf(Math.floor(rnd() * districts)) }, false);
    const rec: RegisterRecord = { kind: 'hukou', key: `h${hk++}`, districtCode: p.hukouDistrict ?? '', citizenId: p.id, name: p.name, sex: p.sex, birth: ym(p.birthDate), birthDate: p.birthDate };
    records.push(rec);
    hukouRec.set(p, rec);
    plant('movedAwayNotInStore');
  }

  // ---------- registrations with planted errors ----------
  interface Copy {
    h: CompareHousehold;
    p: ComparePerson;
    plant: string;
  }
  const copies = new Map<TruthPerson, Copy[]>();
  const households: CompareHousehold[] = [];
  // Mothers of children whose birth record has no child ID are found only through the mother: never omitted.
  const protectedMothers = new Set<TruthPerson>();
  for (const [c, rec] of birthRec) if (rec.citizenId === undefined && c.mother) protectedMothers.add(c.mother);

  const typo = (nm: string, homo: boolean): string | undefined => {
    const cs = Array.from(nm);
    const positions = cs.map((_, i) => i).filter((i) => i > 0 || cs.length === 1);
    for (let tries = 0; tries < 20; tries++) {
      const at = pick(positions);
      const ch = cs[at] ?? '';
      let repl: string | undefined;
      if (homo) {
        const group = (byReading.get(primary.get(ch) ?? '') ?? []).filter((x) => x !== ch);
        if (group.length > 0) repl = pick(group);
      } else {
        const c = pick(ALL_CHARS);
        const rc = readingsOf(ch);
        if (c !== ch && !readingsOf(c).some((x) => rc.includes(x))) repl = c;
      }
      if (repl !== undefined) {
        cs[at] = repl;
        return cs.join('');
      }
    }
    return undefined;
  };
  const wrongDigit = (id: string, recomputeCheck: boolean): string => {
    for (;;) {
      const at = Math.floor(rnd() * 17);
      const digit = String((Number(id[at]) + 1 + Math.floor(rnd() * 9)) % 10);
      const first17 = id.slice(0, at) + digit + id.slice(at + 1, 17);
      const out = first17 + (recomputeCheck ? citizenIdCheckChar(first17) : id[17] ?? '');
      if (!allIds.has(out) && out !== id) {
        allIds.add(out);
        return out;
      }
    }
  };
  let personSeq = 0;
  for (const h of [...truth, ...outsideHouseholds]) {
    const reg: CompareHousehold = { registrationId: `r${h.index}`, districtCode: h.district, householdNo: h.no, status: rnd() < 0.95 ? 'complete' : 'draft', address: h.address, persons: [], deaths: [], overrides: [] };
    households.push(reg);
    for (const p of h.persons) {
      const cp: ComparePerson = { personId: `p${personSeq++}`, name: p.name, citizenId: p.id, sex: p.sex, birth: ym(p.birthDate), relationship: p.relationship };
      let what = 'correct';
      const x = rnd();
      const windowChild = p.mother !== undefined && inWindow(ym(p.birthDate));
      const findable = p.hukouDistrict === undefined || p.hukouDistrict.slice(0, 12) === h.district.slice(0, 12);
      const canOmit = h.persons.length > 1 && !protectedMothers.has(p) && !h.outside;
      if (windowChild && canOmit && x < 0.04) what = 'omitChild';
      else if (!h.outside && x >= 0.04 && x < 0.06 && canOmit) what = 'omit';
      else if (!h.outside && x >= 0.06 && x < 0.07) what = 'nameTypo';
      else if (!h.outside && x >= 0.07 && x < 0.08) what = 'nameHomophone';
      else if (!h.outside && x >= 0.08 && x < 0.09 && findable) what = 'idDigit';
      else if (!h.outside && x >= 0.09 && x < 0.095 && findable) what = 'idEmpty';
      else if (!h.outside && x >= 0.095 && x < 0.098 && findable) what = 'idValidWrong';
      else if (!h.outside && x >= 0.098 && x < 0.108) what = 'birthOff';
      else if (!h.outside && x >= 0.108 && x < 0.11 && !birthRec.has(p)) what = 'sexWrong';
      if (what === 'omit' || what === 'omitChild') {
        plant(what);
        copies.set(p, []);
        continue;
      }
      if (what === 'nameTypo' || what === 'nameHomophone') {
        const t = typo(p.name, what === 'nameHomophone');
        if (t === undefined) what = 'correct';
        else cp.name = t;
      } else if (what === 'idDigit') cp.citizenId = wrongDigit(p.id, false);
      else if (what === 'idValidWrong') cp.citizenId = wrongDigit(p.id, true);
      else if (what === 'idEmpty') delete cp.citizenId;
      else if (what === 'birthOff') cp.birth = addMonths(ym(p.birthDate), ym(p.birthDate) === '2020-10' || rnd() < 0.5 ? -1 : 1);
      else if (what === 'sexWrong') cp.sex = p.sex === 1 ? 2 : 1;
      if (what !== 'correct') plant(what);
      else if (cp.citizenId !== undefined && rnd() < 0.05) {
        // Noise: as typed on a phone (lower-case x, spaces); normalisation must absorb it.
        cp.citizenId = `${cp.citizenId.slice(0, 6)} ${cp.citizenId.slice(6, 14)} ${cp.citizenId.slice(14).toLowerCase()}`;
        plant('noise.idTyping');
      }
      reg.persons.push(cp);
      copies.set(p, [{ h: reg, p: cp, plant: what }]);
    }
    for (const p of h.dead) {
      if (p.death === undefined) continue;
      if (p.death >= '2019-11' && rnd() < 0.15) {
        plant('deathFormMissing');
        continue;
      }
      if (p.death < '2019-11') {
        plant('noise.deathBeforeWindow');
        continue;
      }
      const form: CompareDeath = { deathId: `x${p.tid}`, name: p.name, citizenId: p.id, sex: p.sex, birth: ym(p.birthDate), death: p.death };
      const n = rnd();
      if (n < 0.07) {
        const t = typo(p.name, true);
        if (t !== undefined) {
          form.name = t;
          delete form.citizenId;
          plant('noise.deathFormHomophoneNoId');
        }
      } else if (n < 0.14) {
        delete form.citizenId;
        form.death = addMonths(p.death, p.death === '2020-10' ? -1 : 1);
        plant('noise.deathFormNoIdMonthOff');
      }
      reg.deaths.push(form);
    }
    if (rnd() < 0.01 && reg.persons.length > 0) {
      reg.overrides.push({ rule: 'HEAD_AGE', path: ['persons', 0, 'birth'] });
      plant(reg.status === 'complete' ? 'override' : 'noise.overrideInDraft');
    }
    if (rnd() < 0.005) {
      reg.overrides.push({ rule: 'SPOUSE_AGE_GAP', path: ['persons', 1, 'birth'] });
      plant('noise.overrideOtherRule');
    }
  }
  // Duplicates: a correctly registered person registered again in another household (mostly the same village).
  const regByIndex = households;
  for (const h of truth) {
    for (const p of h.persons) {
      const c = copies.get(p);
      if (!c || c.length !== 1 || c[0]?.plant !== 'correct' || rnd() >= 0.003) continue;
      const other = rnd() < 0.2 ? regByIndex[truth.length + Math.floor(rnd() * outsideHouseholds.length)] : regByIndex[Math.max(0, Math.min(truth.length - 1, h.index + 1 + Math.floor(rnd() * 20)))];
      if (!other || other === c[0]?.h) continue;
      const cp: ComparePerson = { personId: `p${personSeq++}`, name: p.name, citizenId: p.id, sex: p.sex, birth: ym(p.birthDate), relationship: 9 };
      other.persons.push(cp);
      c.push({ h: other, p: cp, plant: 'duplicate' });
      plant('duplicate');
    }
  }

  // ---------- ground truth ----------
  const area = county;
  const expected: ExpectedItem[] = [];
  const diff = (rec: RegisterRecord, p: ComparePerson, withName: boolean) => {
    const f: string[] = [];
    if (withName && rec.name !== undefined && rec.name !== p.name) f.push('name');
    if (rec.sex !== p.sex) f.push('sex');
    if (rec.birth !== p.birth) f.push('birth');
    return f;
  };
  const plantOf = (c: Copy[] | undefined) => c?.[0]?.plant ?? 'omit';
  for (const [p, rec] of hukouRec) {
    const c = copies.get(p) ?? [];
    if (c.length === 0) {
      expected.push({ category: 'hukouMissing', key: `hukouMissing:${rec.key}`, basis: 'none', plant: copies.has(p) ? plantOf(c) : 'notInStore' });
      continue;
    }
    const byId = c.filter((x) => x.p.citizenId !== undefined && normalizeCitizenId(x.p.citizenId) === p.id);
    const first = c[0];
    if (byId.length > 0) {
      if (byId.some((x) => diff(rec, x.p, true).length === 0)) continue;
      const b = byId[0];
      if (b) expected.push({ category: 'hukouMismatch', key: `hukouMismatch:${rec.key}:${b.h.registrationId}:${b.p.personId}`, basis: 'citizenId', plant: b.plant });
    } else if (first) expected.push({ category: 'hukouMismatch', key: `hukouMismatch:${rec.key}:${first.h.registrationId}:${first.p.personId}`, basis: 'fuzzy', plant: first.plant });
  }
  for (const [p, rec] of birthRec) {
    if (!inWindow(rec.birth)) continue;
    const c = copies.get(p) ?? [];
    const first = c[0];
    if (!first) {
      expected.push({ category: 'childMissing', key: `childMissing:${rec.key}`, basis: 'none', plant: plantOf(c) });
      continue;
    }
    if (rec.citizenId !== undefined) {
      const byId = c.filter((x) => x.p.citizenId !== undefined && normalizeCitizenId(x.p.citizenId) === p.id);
      if (byId.length > 0) {
        if (byId.some((x) => diff(rec, x.p, true).length === 0)) continue;
        const b = byId[0];
        if (b) expected.push({ category: 'childMismatch', key: `childMismatch:${rec.key}:${b.h.registrationId}:${b.p.personId}`, basis: 'citizenId', plant: b.plant });
      } else expected.push({ category: 'childMismatch', key: `childMismatch:${rec.key}:${first.h.registrationId}:${first.p.personId}`, basis: 'fuzzy', plant: first.plant });
    } else if (diff(rec, first.p, true).length > 0) expected.push({ category: 'childMismatch', key: `childMismatch:${rec.key}:${first.h.registrationId}:${first.p.personId}`, basis: 'fuzzy', plant: first.plant });
  }
  for (const d of deathRec) {
    if (d.p.death === undefined || d.p.death < '2019-11') continue;
    const hasForm = households[d.h.index]?.deaths.some((f) => f.deathId === `x${d.p.tid}`) ?? false;
    if (!hasForm) expected.push({ category: 'deathMissing', key: `deathMissing:${d.rec.key}`, basis: 'none', plant: 'deathFormMissing' });
  }
  for (const [p, c] of copies) {
    if (c.length < 2) continue;
    for (const x of c) if (x.h.districtCode.startsWith(area)) expected.push({ category: 'duplicate', key: `duplicate:${p.id}:${x.h.registrationId}`, basis: 'citizenId', plant: 'duplicate' });
  }
  for (const h of households) {
    if (h.status !== 'complete' || !h.districtCode.startsWith(area)) continue;
    for (const o of h.overrides) if (o.rule === 'HEAD_AGE') expected.push({ category: 'internalLogic', key: `internalLogic:HEAD_AGE:${h.registrationId}:${o.path.join('.')}`, basis: 'rule', plant: 'override' });
  }

  return { area, households, records: records.filter((r) => r.districtCode.startsWith(area)), rules: ['HEAD_AGE'], expected, planted, persons: tid };
}

// ---------- scoring ----------

export interface ScoreRow {
  row: string;
  goal: 'exact' | 'fuzzy';
  expected: number;
  candidates: number;
  found: number;
  correct: number;
  recall: number;
  precision: number;
}

const rowOf = (category: string, method: string) => (category === 'hukouMismatch' || category === 'childMismatch' ? `${category}/${method === 'citizenId' ? 'citizenId' : 'fuzzy'}` : category);
const EXACT_ROWS = new Set(['hukouMismatch/citizenId', 'childMismatch/citizenId', 'duplicate', 'internalLogic']);

/** Recall and precision per category (mismatches split by how they were matched), against the ground truth by exact key. */
export function scoreReview(candidates: readonly ReviewCandidate[], expected: readonly ExpectedItem[]): ScoreRow[] {
  const truth = new Map(expected.map((e) => [e.key, e]));
  const got = new Set(candidates.map((c) => c.key));
  const rows = new Map<string, ScoreRow>();
  const row = (r: string) => {
    let x = rows.get(r);
    if (!x) {
      x = { row: r, goal: EXACT_ROWS.has(r) ? 'exact' : 'fuzzy', expected: 0, candidates: 0, found: 0, correct: 0, recall: 1, precision: 1 };
      rows.set(r, x);
    }
    return x;
  };
  for (const e of expected) {
    const x = row(rowOf(e.category, e.basis));
    x.expected++;
    if (got.has(e.key)) x.found++;
  }
  for (const c of candidates) {
    const x = row(rowOf(c.category, c.match.method));
    x.candidates++;
    if (truth.has(c.key)) x.correct++;
  }
  for (const x of rows.values()) {
    x.recall = x.expected === 0 ? 1 : x.found / x.expected;
    x.precision = x.candidates === 0 ? 1 : x.correct / x.candidates;
  }
  return [...rows.values()].sort((a, b) => (a.row < b.row ? -1 : 1));
}

/** Whether every row meets its goal: exact rows 100 % / 100 %, the others ≥ 95 % / ≥ 95 %. */
export function meetsGoals(rows: readonly ScoreRow[]): boolean {
  return rows.every((r) => (r.goal === 'exact' ? r.recall === 1 && r.precision === 1 : r.recall >= 0.95 && r.precision >= 0.95));
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) console.log('review-data.ts is the generator of bench/review.ts (nothing to time here)');
