// The register and national-list parsers (issue 12): values as normalised, every bad field with
// its physical line, header errors, duplicate IDs naming both lines, stable keys for rows without
// an ID (twins included), encodings, the error cap and the Chinese category names.
import { describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../src/domain/index.ts';
import { MAX_ERRORS, parseProblemsCsv, parseRegisterBytes, parseRegisterCsv, parseRegisterDate } from '../../src/server/registers-csv.ts';

const D = '130102001003001';
const ID1 = makeCitizenId('130102', '1960-05-03', 11, 1);
const ID2 = makeCitizenId('130102', '1986-05-09', 12, 2);
const KID = makeCitizenId('130102', '2019-02-10', 13, 1);
const HUKOU = 'citizenId,name,sex,birth,districtCode,address';
const BIRTHS = 'childName,sex,birth,districtCode,address,childCitizenId,motherName,motherCitizenId';
const DEATHS = 'citizenId,name,sex,birth,death,districtCode';

const errorsOf = (r: { ok: boolean; errors?: { line: number; message: string }[] }) => (r.ok ? [] : (r.errors ?? []));

describe('register files', () => {
  it('parses each kind to normalised records', () => {
    const h = parseRegisterCsv('hukou', `${HUKOU}\n${ID1.toLowerCase().replace('x', 'x')}, 张伟 ,男,1960-05-03,${D},光华路1号\n${ID2},张丽,2,19860509,${D},\n`);
    expect(h).toEqual({
      ok: true,
      records: [
        { kind: 'hukou', key: ID1, districtCode: D, citizenId: ID1, name: '张伟', sex: 1, birth: '1960-05', birthDate: '1960-05-03', address: '光华路1号' },
        { kind: 'hukou', key: ID2, districtCode: D, citizenId: ID2, name: '张丽', sex: 2, birth: '1986-05', birthDate: '1986-05-09' },
      ],
    });
    const b = parseRegisterCsv('births', `${BIRTHS}\n王小宝,M,2019/2/10,${D},光华路2号,${KID},李娜,${ID2}\n,F,2020-03,${D},光华路3号,,赵敏,\n`);
    expect(b.ok && b.records[0]).toEqual({ kind: 'births', key: KID, districtCode: D, citizenId: KID, name: '王小宝', sex: 1, birth: '2019-02', birthDate: '2019-02-10', address: '光华路2号', motherName: '李娜', motherCitizenId: ID2 });
    expect(b.ok && b.records[1]).toMatchObject({ sex: 2, birth: '2020-03', motherName: '赵敏' });
    expect(b.ok && b.records[1]?.key).toMatch(/^b-[0-9a-f]{24}$/);
    expect(b.ok && 'birthDate' in (b.records[1] ?? {})).toBe(false);
    const d = parseRegisterCsv('deaths', `${DEATHS}\n,王奶奶,女,1931-02-01,2020-03-15,${D}\n`);
    expect(d.ok && d.records[0]).toMatchObject({ kind: 'deaths', name: '王奶奶', sex: 2, birth: '1931-02', death: '2020-03', deathDate: '2020-03-15' });
    expect(d.ok && d.records[0]?.key).toMatch(/^d-/);
  });

  it('names each bad field with its physical line (a quoted newline before it counts)', () => {
    const text = [
      HUKOU,
      `${ID1},"张\n伟",1,1960-05-03,${D},x`,
      `${ID2.slice(0, 17)}0,张丽,2,1986-05-09,${D},x`,
      `123,张三,3,1990-13-01,1301,x`,
      `${ID2},张丽,2,1986-02-30,${D},x`,
      `${ID2},,2,1986-05-09,${D},x`,
      `${ID2},张丽,2,1986-05-09`,
    ].join('\n');
    const errs = errorsOf(parseRegisterCsv('hukou', text));
    const at = (line: number) => errs.filter((e) => e.line === line).map((e) => e.message);
    expect(at(2)).toEqual(['name contains control characters']);
    expect(at(4)).toEqual([expect.stringContaining('wrong check digit')]);
    expect(at(5)).toEqual(expect.arrayContaining([expect.stringContaining('districtCode 1301'), expect.stringContaining('sex 3'), expect.stringContaining('birth 1990-13-01'), expect.stringContaining('not 18 digits')]));
    expect(at(6)).toEqual([expect.stringContaining('birth 1986-02-30')]);
    expect(at(7)).toEqual(['name is empty']);
    expect(at(8)).toEqual(['expected 6 fields, found 4']);
    expect(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n,王,2,1931-02-01,1930-03-15,${D}`))).toEqual([{ line: 2, message: 'death is before birth' }]);
    expect(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2019-01,${D},x,,,`))).toEqual([{ line: 2, message: 'motherName is empty' }]);
    expect(errorsOf(parseRegisterCsv('hukou', `${HUKOU}\n,张,1,1990-01,${D},x`))).toEqual([{ line: 2, message: 'citizenId is empty' }]);
  });

  it('refuses a wrong header, names both lines of a repeated ID, and caps the error list', () => {
    expect(errorsOf(parseRegisterCsv('hukou', 'citizenId,name,gender,birth,districtCode,address\n'))[0]?.message).toMatch(/missing column\(s\) sex; unknown column\(s\) gender/);
    expect(errorsOf(parseRegisterCsv('hukou', ''))[0]?.line).toBe(1);
    const dup = parseRegisterCsv('hukou', `${HUKOU}\n${ID1},张伟,1,1960-05,${D},\n${ID2},张丽,2,1986-05,${D},\n${ID1},张伟,1,1960-05,${D},`);
    expect(errorsOf(dup)).toEqual([{ line: 4, message: `citizen ID ${ID1} is also on line 2` }]);
    const many = [HUKOU, ...Array.from({ length: MAX_ERRORS + 7 }, () => `x,张,1,1960-05,${D},`)].join('\n');
    const errs = errorsOf(parseRegisterCsv('hukou', many));
    expect(errs).toHaveLength(MAX_ERRORS + 1);
    expect(errs.at(-1)).toEqual({ line: 0, message: '... and 7 more problem(s)' });
  });

  it('keys rows without an ID stably: twins get #2, a changed row a new key', () => {
    const twins = `${BIRTHS}\n,1,2020-03-01,${D},x,,赵敏,\n,1,2020-03-01,${D},x,,赵敏,\n`;
    const a = parseRegisterCsv('births', twins);
    const b = parseRegisterCsv('births', twins);
    const keys = a.ok ? a.records.map((r) => r.key) : [];
    expect(keys[1]).toBe(`${keys[0] ?? ''}#2`);
    expect(b.ok && b.records.map((r) => r.key)).toEqual(keys);
    const renamed = parseRegisterCsv('births', `${BIRTHS}\n小明,1,2020-03-01,${D},x,,赵敏,\n`);
    expect(renamed.ok && renamed.records[0]?.key).not.toBe(keys[0]);
    // Two children with the same ID in one births file is an error.
    expect(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2019-02,${D},x,${KID},李娜,\n,1,2019-02,${D},x,${KID},李娜,`))).toEqual([{ line: 3, message: `citizen ID ${KID} is also on line 2` }]);
  });

  it('takes UTF-8 with or without BOM and refuses other encodings', () => {
    const text = `${HUKOU}\n${ID1},张伟,1,1960-05-03,${D},x\n`;
    expect(parseRegisterBytes('hukou', new TextEncoder().encode(`\uFEFF${text}`)).ok).toBe(true);
    expect(parseRegisterBytes('hukou', new TextEncoder().encode(text)).ok).toBe(true);
    const gbk = new Uint8Array([...new TextEncoder().encode(`${HUKOU}\n${ID1},`), 0xd5, 0xc5, 0xce, 0xb0, ...new TextEncoder().encode(`,1,1960-05-03,${D},x\n`)]);
    const r = parseRegisterBytes('hukou', gbk);
    expect(r.ok).toBe(false);
    expect(errorsOf(r)[0]?.message).toMatch(/UTF-8/);
  });

  it('reads dates in the register formats only', () => {
    expect(parseRegisterDate('2000-02-29')).toEqual({ month: '2000-02', date: '2000-02-29' });
    expect(parseRegisterDate('1900-02-29')).toBeUndefined();
    expect(parseRegisterDate('20201031')).toEqual({ month: '2020-10', date: '2020-10-31' });
    expect(parseRegisterDate('2020-11')).toEqual({ month: '2020-11' });
    expect(parseRegisterDate('1889-12-31')).toBeUndefined();
    expect(parseRegisterDate('2022-01-01')).toBeUndefined();
    expect(parseRegisterDate('31/12/2000')).toBeUndefined();
  });

  it('parses 60,000 rows with distinct keys', () => {
    const lines = [HUKOU];
    for (let i = 0; i < 60_000; i++) lines.push(`${makeCitizenId('130102', `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, i % 100, i % 2 ? 1 : 2)},人${i},${i % 2 ? 1 : 2},19${50 + (i % 50)}-0${1 + (i % 9)},${D},`);
    const r = parseRegisterCsv('hukou', lines.join('\n'));
    // IDs repeat when date, sequence and sex coincide: the parser must say so, not drop rows.
    if (r.ok) expect(new Set(r.records.map((x) => x.key)).size).toBe(r.records.length);
    else expect(r.errors.every((e) => e.line === 0 || e.message.includes('is also on line'))).toBe(true);
  });
});

describe('the national problem list', () => {
  const H = 'districtCode,householdNo,category,citizenId,name,message';
  it('maps codes and Chinese names, links optional fields, keys idempotently', () => {
    const text = `${H}\n${D},001,hukouMismatch,${ID1},张伟,姓名不一致\n${D},,低龄人口漏报,,王小宝,疑似漏登\n${D},,低龄人口漏报,,王小宝,疑似漏登\n`;
    const r = parseProblemsCsv(text);
    expect(r.ok && r.problems.map((p) => p.category)).toEqual(['hukouMismatch', 'childMissing', 'childMissing']);
    expect(r.ok && r.problems[0]).toMatchObject({ districtCode: D, householdNo: '001', citizenId: ID1, name: '张伟', message: '姓名不一致' });
    expect(r.ok && 'householdNo' in (r.problems[1] ?? {})).toBe(false);
    expect(r.ok && r.problems[2]?.key).toBe(`${(r.ok && r.problems[1]?.key) || ''}#2`);
    const again = parseProblemsCsv(text);
    expect(again.ok && again.problems.map((p) => p.key)).toEqual(r.ok && r.problems.map((p) => p.key));
  });
  it('refuses unknown categories, bad household numbers and empty messages with their lines', () => {
    const errs = errorsOf(parseProblemsCsv(`${H}\n${D},01,nonsense,,,x\n${D},,other,,,\n`));
    expect(errs.filter((e) => e.line === 2).map((e) => e.message)).toEqual([expect.stringContaining('householdNo 01'), expect.stringContaining('category nonsense')]);
    expect(errs.filter((e) => e.line === 3).map((e) => e.message)).toEqual(['message is empty']);
  });
});
