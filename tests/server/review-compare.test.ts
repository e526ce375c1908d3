import { describe, expect, it } from 'vitest';
import { makeCitizenId, ReviewMatchSchema, ReviewSubjectSchema } from '../../src/domain/index.ts';
import { compareNames, compareRegisters, type CompareInput } from '../../src/server/review-compare.ts';
import type { CompareHousehold, ComparePerson, RegisterRecord, ReviewCandidate } from '../../src/server/review-types.ts';
import { generateReviewCounty, meetsGoals, scoreReview } from '../../bench/review-data.ts';
import { mulberry32 } from '../../src/domain/index.ts';

const D1 = '130102001001001';
const D2 = '130102001001002'; // same village (12-digit prefix) as D1
const FAR = '130102009009009';
const OUT = '130203001001001'; // another county: outside the area

const ZHANG = makeCitizenId('130102', '1985-03-12', 1, 1);
const LI = makeCitizenId('130102', '1987-06-02', 2, 2);
const CHILD = makeCitizenId('130102', '2015-05-20', 3, 1);

let seq = 0;
function hh(district: string, persons: Partial<ComparePerson>[], extra: Partial<CompareHousehold> = {}): CompareHousehold {
  const n = seq++;
  return {
    registrationId: `r${n}`,
    districtCode: district,
    householdNo: String((n % 999) + 1).padStart(3, '0'),
    status: 'complete',
    persons: persons.map((p, i) => ({ personId: `p${n}_${i}`, ...p })),
    deaths: [],
    overrides: [],
    ...extra,
  };
}
const hukou = (key: string, p: Partial<RegisterRecord> & { sex: 1 | 2; birth: string }, district = D1): RegisterRecord => ({ kind: 'hukou', key, districtCode: district, ...p });
const run = (households: CompareHousehold[], records: RegisterRecord[], rules: string[] = [], area = '130102') => compareRegisters({ households, records, area, rules }).candidates;
const cats = (c: ReviewCandidate[]) => c.map((x) => x.category).sort();

describe('hukouMissing / hukouMismatch by ID', () => {
  const family = () => [
    hh(D1, [
      { name: '张伟', citizenId: ZHANG, sex: 1, birth: '1985-03', relationship: 0 },
      { name: '李娜', citizenId: LI, sex: 2, birth: '1987-06', relationship: 1 },
    ]),
  ];

  it('reports nothing when the register agrees, ID matched store-wide and normalised', () => {
    const h = hh(OUT, [{ name: '张伟', citizenId: `${ZHANG.slice(0, 6)} ${ZHANG.slice(6)}`.toLowerCase(), sex: 1, birth: '1985-03' }]);
    expect(run([h], [hukou('k1', { citizenId: ZHANG, name: '张伟', sex: 1, birth: '1985-03' })])).toEqual([]);
  });

  it('a record whose ID nobody holds and with no near match is hukouMissing, in the record district', () => {
    const other = makeCitizenId('130102', '1990-01-01', 9, 1);
    const c = run(family(), [hukou('k2', { citizenId: other, name: '王强', sex: 1, birth: '1990-01', address: '1镇1村' }, D2)]);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ category: 'hukouMissing', key: 'hukouMissing:k2', districtCode: D2, match: { method: 'none' } });
    expect(c[0]?.householdId).toBeUndefined();
    expect(c[0]?.message).toContain('漏登');
  });

  it('the ID registered with another name, sex or birth month is a hukouMismatch naming the fields', () => {
    const hs = family();
    const c = run(hs, [hukou('k3', { citizenId: ZHANG, name: '张玮', sex: 1, birth: '1985-04' })]);
    expect(c).toHaveLength(1);
    const m = c[0];
    expect(m).toMatchObject({ category: 'hukouMismatch', key: `hukouMismatch:k3:${hs[0]?.registrationId}:${hs[0]?.persons[0]?.personId}`, householdId: hs[0]?.registrationId, match: { method: 'citizenId', confidence: 1 } });
    expect(m?.match.fields).toEqual(['name', 'birth']);
    expect(m?.subject.registered).toEqual({ name: '张伟', birth: '1985-03' });
    const sex = run(family(), [hukou('k4', { citizenId: LI, name: '李娜', sex: 1, birth: '1987-06' })]);
    expect(sex[0]?.match.fields).toEqual(['sex']);
  });

  it('a person registered in two households does not mismatch when one copy agrees', () => {
    const a = hh(D1, [{ name: '张伟', citizenId: ZHANG, sex: 1, birth: '1985-03' }]);
    const b = hh(D2, [{ name: '张伟', citizenId: ZHANG, sex: 1, birth: '1985-03' }]);
    const c = run([a, b], [hukou('k5', { citizenId: ZHANG, name: '张伟', sex: 1, birth: '1985-03' })]);
    expect(cats(c)).toEqual(['duplicate', 'duplicate']);
  });

  it('skips hukou records born after the census moment', () => {
    expect(run([], [hukou('k6', { citizenId: makeCitizenId('130102', '2020-11-02', 1, 1), name: '新生', sex: 1, birth: '2020-11' })])).toEqual([]);
  });
});

describe('hukouMismatch without an ID (fuzzy)', () => {
  const rec = hukou('f1', { citizenId: ZHANG, name: '张伟', sex: 1, birth: '1985-03' });

  it.each([
    ['one digit wrong in the registered ID', { name: '张伟', citizenId: `${ZHANG.slice(0, 15)}9${ZHANG.slice(16)}`, birth: '1985-03' }, ['citizenId']],
    ['no ID registered', { name: '张伟', birth: '1985-03' }, ['citizenId']],
    ['homophone name and no ID', { name: '张玮', birth: '1985-03' }, ['name', 'citizenId']],
    ['birth month off by one, bad ID', { name: '张伟', citizenId: `${ZHANG.slice(0, 10)}04${ZHANG.slice(12)}`, birth: '1985-04' }, ['birth', 'citizenId']],
  ])('%s', (_label, p, fields) => {
    const h = hh(D1, [{ ...p, sex: 1 }]);
    const c = run([h], [rec]);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ category: 'hukouMismatch', districtCode: D1, householdId: h.registrationId, match: { method: 'fuzzy' } });
    expect(c[0]?.match.fields).toEqual(fields);
    expect(c[0]?.match.confidence).toBeGreaterThanOrEqual(0.6);
    expect(c[0]?.match.confidence).toBeLessThan(1);
  });

  it('the looser match has the lower confidence', () => {
    const close = run([hh(D1, [{ name: '张伟', citizenId: `${ZHANG.slice(0, 15)}9${ZHANG.slice(16)}`, sex: 1, birth: '1985-03' }])], [rec])[0]?.match.confidence ?? 0;
    const loose = run([hh(D1, [{ name: '张玮', sex: 1, birth: '1985-04' }])], [rec])[0]?.match.confidence ?? 1;
    expect(close).toBeGreaterThan(loose);
  });

  it.each<[string, Partial<ComparePerson>, string?]>([
    ['birth month off by two', { name: '张伟', birth: '1985-05', sex: 1 }],
    ['a different sex', { name: '张伟', birth: '1985-03', sex: 2 }],
    ['a different name', { name: '刘洋', birth: '1985-03', sex: 1 }],
    ['another village', { name: '张伟', birth: '1985-03', sex: 1 }, FAR],
    ['a different valid ID (someone else)', { name: '张伟', birth: '1985-03', sex: 1, citizenId: makeCitizenId('410102', '1985-03-01', 7, 1) }],
  ])('near miss: %s → hukouMissing', (_label, p, district: string = D1) => {
    const c = run([hh(district, [p])], [rec]);
    expect(cats(c)).toEqual(['hukouMissing']);
  });

  it('a person already matched by ID is not a fuzzy target', () => {
    const brother = makeCitizenId('130102', '1985-03-20', 5, 1);
    const h = hh(D1, [{ name: '张伟', citizenId: brother, sex: 1, birth: '1985-03' }]);
    const c = run([h], [rec, hukou('f2', { citizenId: brother, name: '张伟', sex: 1, birth: '1985-03' })]);
    expect(c.map((x) => x.key)).toEqual(['hukouMissing:f1']);
  });
});

describe('names', () => {
  it('tolerates a homophone, a one-character typo and one inserted character, not two changes', () => {
    expect(compareNames('张伟', '张伟')?.kind).toBe('exact');
    expect(compareNames('张伟', '张玮')?.kind).toBe('homophone');
    expect(compareNames('王秀英', '王秀瑛')?.kind).toBe('homophone');
    expect(compareNames('王秀英', '王秀兰')?.kind).toBe('typo');
    expect(compareNames('张伟', '张伟华')?.kind).toBe('indel');
    expect(compareNames('张伟', '李强')).toBeUndefined();
    expect(compareNames('王秀英', '王丽兰')).toBeUndefined();
    expect(compareNames('伟', '强')).toBeUndefined();
  });
});

describe('births', () => {
  const mother = { name: '李娜', citizenId: LI, sex: 2, birth: '1987-06', relationship: 1 };
  const birth = (key: string, p: Partial<RegisterRecord>): RegisterRecord => ({ kind: 'births', key, districtCode: D1, sex: 1, birth: '2015-05', motherName: '李娜', ...p });

  it('a birth with a child ID registered as such reports nothing; a differing name is childMismatch', () => {
    const h = hh(D1, [mother, { name: '张子轩', citizenId: CHILD, sex: 1, birth: '2015-05', relationship: 2 }]);
    expect(run([h], [birth('b1', { citizenId: CHILD, name: '张子轩' })])).toEqual([]);
    const c = run([h], [birth('b2', { citizenId: CHILD, name: '张梓轩' })]);
    expect(c[0]).toMatchObject({ category: 'childMismatch', match: { method: 'citizenId', confidence: 1, fields: ['name'] } });
  });

  it('without an ID the child is found through the mother (by ID or by name), equal → nothing, different month → childMismatch', () => {
    const h = hh(D1, [mother, { name: '张子轩', sex: 1, birth: '2015-06', relationship: 2 }]);
    expect(run([h], [birth('b3', { birth: '2015-06', motherCitizenId: LI })])).toEqual([]);
    expect(run([h], [birth('b4', { birth: '2015-06', motherName: '李纳' })])).toEqual([]);
    const c = run([h], [birth('b5', { motherName: '李娜' })]);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ category: 'childMismatch', householdId: h.registrationId, match: { method: 'fuzzy' } });
    expect(c[0]?.match.fields).toContain('birth');
    expect(c[0]?.match.confidence).toBeLessThan(1);
  });

  it('a child ID registered nowhere but the child is in the mother household with a bad ID → childMismatch (fuzzy, citizenId)', () => {
    const h = hh(D1, [mother, { name: '张子轩', citizenId: `${CHILD.slice(0, 16)}5${CHILD.slice(17)}`, sex: 1, birth: '2015-05', relationship: 2 }]);
    const c = run([h], [birth('b6', { citizenId: CHILD, name: '张子轩', motherCitizenId: LI })]);
    expect(c[0]).toMatchObject({ category: 'childMismatch', match: { method: 'fuzzy', fields: ['citizenId'] } });
  });

  it.each([
    ['no child at all', [mother]],
    ['a child of the other sex', [mother, { name: '张子涵', sex: 2, birth: '2015-05', relationship: 2 }]],
    ['a child born two months off', [mother, { name: '张子轩', sex: 1, birth: '2015-07', relationship: 2 }]],
    ['a child in a household without that mother', [{ name: '赵敏', sex: 2, birth: '1987-06' }, { name: '张子轩', sex: 1, birth: '2015-05', relationship: 2 }]],
  ] as const)('childMissing: %s', (_label, persons) => {
    const c = run([hh(D1, [...persons])], [birth('b7', { motherName: '李娜', address: '1镇1村3号' })]);
    expect(cats(c)).toEqual(['childMissing']);
    expect(c[0]?.message).toContain('李娜');
    expect(c[0]?.subject).toMatchObject({ motherName: '李娜', address: '1镇1村3号' });
  });

  it('a birth outside the window (2010-10) is not compared', () => {
    expect(run([hh(D1, [mother])], [birth('b8', { birth: '2010-10' })])).toEqual([]);
    expect(cats(run([hh(D1, [mother])], [birth('b9', { birth: '2010-11' })]))).toEqual(['childMissing']);
  });

  it('twins without IDs or names: each registered twin answers one record', () => {
    const h = hh(D1, [mother, { name: '张大', sex: 1, birth: '2015-05', relationship: 2 }, { name: '张二', sex: 1, birth: '2015-05', relationship: 2 }]);
    expect(run([h], [birth('t1', {}), birth('t2', {})])).toEqual([]);
    const one = hh(D1, [mother, { name: '张大', sex: 1, birth: '2015-05', relationship: 2 }]);
    expect(cats(run([one], [birth('t1', {}), birth('t2', {})]))).toEqual(['childMissing']);
  });
});

describe('deaths', () => {
  const dead = makeCitizenId('130102', '1940-02-02', 1, 1);
  const rec = (key: string, p: Partial<RegisterRecord> = {}): RegisterRecord => ({ kind: 'deaths', key, districtCode: D1, citizenId: dead, name: '王建国', sex: 1, birth: '1940-02', death: '2020-03', ...p });
  const withForm = (f: Partial<CompareHousehold['deaths'][number]>) => hh(D1, [{ name: '王强', sex: 1, birth: '1968-01' }], { deaths: [{ deathId: 'd1', ...f }] });

  it('matched by ID store-wide, or without ID by name near, sex, birth ±1, death ±1', () => {
    expect(run([hh(OUT, [], { deaths: [{ deathId: 'd1', citizenId: dead }] })], [rec('x1')])).toEqual([]);
    expect(run([withForm({ name: '王建果', sex: 1, birth: '1940-03', death: '2020-04' })], [rec('x2')])).toEqual([]);
  });

  it.each([
    ['no death form', hh(D1, [{ name: '王强', sex: 1, birth: '1968-01' }])],
    ['a form two months off', withForm({ name: '王建国', sex: 1, birth: '1940-02', death: '2020-05' })],
    ['a form of the other sex', withForm({ name: '王建国', sex: 2, birth: '1940-02', death: '2020-03' })],
  ])('deathMissing: %s', (_label, h) => {
    expect(cats(run([h], [rec('x3')]))).toEqual(['deathMissing']);
  });

  it('a death outside the window is not compared', () => {
    expect(run([], [rec('x4', { death: '2019-10' })])).toEqual([]);
  });
});

describe('duplicate and internalLogic', () => {
  it('one ID in two households: one item per household in the area, listing the others', () => {
    const a = hh(D1, [{ name: '张伟', citizenId: ZHANG, sex: 1, birth: '1985-03' }]);
    const b = hh(OUT, [{ name: '张伟', citizenId: ZHANG.toLowerCase(), sex: 1, birth: '1985-03' }]);
    const c = run([a, b], []);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ category: 'duplicate', key: `duplicate:${ZHANG}:${a.registrationId}`, householdId: a.registrationId, subject: { others: [{ districtCode: OUT, householdNo: b.householdNo }] } });
    // Twice in one household is the household's own check, not a duplicate across households.
    expect(run([hh(D1, [{ citizenId: ZHANG }, { citizenId: ZHANG }])], [])).toEqual([]);
  });

  it('others are capped at 20', () => {
    const hs = Array.from({ length: 25 }, () => hh(D1, [{ name: '张伟', citizenId: ZHANG, sex: 1, birth: '1985-03' }]));
    const c = run(hs, []);
    expect(c).toHaveLength(25);
    for (const x of c) expect(x.subject.others).toHaveLength(20);
  });

  it('confirmed warnings of chosen rules in complete households of the area', () => {
    const ov = [{ rule: 'HEAD_AGE', path: ['persons', 0, 'birth'] as (string | number)[] }, { rule: 'OTHER', path: ['persons', 0] as (string | number)[] }];
    const done = hh(D1, [{ name: '张伟' }], { overrides: ov });
    const draft = hh(D1, [{ name: '李娜' }], { overrides: ov, status: 'draft' });
    const outside = hh(OUT, [{ name: '王强' }], { overrides: ov });
    const c = run([done, draft, outside], [], ['HEAD_AGE']);
    expect(c.map((x) => x.key)).toEqual([`internalLogic:HEAD_AGE:${done.registrationId}:persons.0.birth`]);
    expect(c[0]?.subject).toMatchObject({ rule: 'HEAD_AGE', name: '张伟' });
    expect(run([done], [], [])).toEqual([]);
  });
});

describe('on a generated county', () => {
  const county = generateReviewCounty({ seed: 7, households: 2000 });
  const input: CompareInput = { households: county.households, records: county.records, area: county.area, rules: county.rules };
  const { candidates } = compareRegisters(input);

  it('reaches the recall and precision goals against the planted errors', () => {
    const rows = scoreReview(candidates, county.expected);
    // Every kind of planted error is present, so each row is really measured.
    for (const cat of ['hukouMissing', 'hukouMismatch/citizenId', 'hukouMismatch/fuzzy', 'childMissing', 'childMismatch/citizenId', 'duplicate', 'deathMissing', 'internalLogic']) expect(rows.find((r) => r.row === cat)?.expected ?? 0).toBeGreaterThan(0);
    expect(rows.filter((r) => (r.goal === 'exact' ? r.recall < 1 || r.precision < 1 : r.recall < 0.95 || r.precision < 0.95))).toEqual([]);
    expect(meetsGoals(rows)).toBe(true);
  });

  it('every candidate passes the API schemas', () => {
    for (const c of candidates) {
      expect(ReviewSubjectSchema.safeParse(c.subject).success, c.key).toBe(true);
      expect(ReviewMatchSchema.safeParse(c.match).success, c.key).toBe(true);
      expect(c.message.length).toBeGreaterThan(0);
      expect(c.districtCode).toMatch(/^\d{15}$/);
    }
    expect(new Set(candidates.map((c) => c.key)).size).toBe(candidates.length);
  });

  it('keys and results do not depend on input order', () => {
    const rnd = mulberry32(99);
    const shuffle = <T>(xs: readonly T[]): T[] => {
      const a = [...xs];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [a[i], a[j]] = [a[j] as T, a[i] as T];
      }
      return a;
    };
    const again = compareRegisters({ ...input, households: shuffle(county.households), records: shuffle(county.records) }).candidates;
    expect(again).toEqual(candidates);
  });
});
