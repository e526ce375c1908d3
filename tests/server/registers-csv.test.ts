// The register and national-list parsers (issue 12): values as normalised, every bad field with
// its physical line, header errors, duplicate IDs naming both lines, stable keys for rows without
// an ID (twins included), encodings, the error cap and the Chinese category names.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../src/domain/index.ts';
import { CATEGORY_NAMES_ZH, MAX_ERRORS, PROBLEM_COLUMNS, REGISTER_COLUMNS, parseProblemsCsv, parseRegisterBytes, parseRegisterCsv, parseRegisterDate, type RowError } from '../../src/server/registers-csv.ts';

const D = '130102001003001';
const D2 = '130102001003002';
const ID1 = makeCitizenId('130102', '1960-05-03', 11, 1);
const ID2 = makeCitizenId('130102', '1986-05-09', 12, 2);
const KID = makeCitizenId('130102', '2019-02-10', 13, 1);
/** An ID whose check character is X, to see lower-case x and spaces normalised. */
const IDX = (() => {
  for (let seq = 0; seq < 100; seq++) {
    const id = makeCitizenId('130102', '1975-11-20', seq, 2);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no ID with check character X');
})();
const HUKOU = REGISTER_COLUMNS.hukou.join(',');
const BIRTHS = REGISTER_COLUMNS.births.join(',');
const DEATHS = REGISTER_COLUMNS.deaths.join(',');
const PROBLEMS = PROBLEM_COLUMNS.join(',');
const sha24 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

const errorsOf = (r: { ok: true } | { ok: false; errors: RowError[] }): RowError[] => (r.ok ? [] : r.errors);
/** The errors as "line: message" lines, to match one error's message with a pattern. */
const asText = (errs: RowError[]) => errs.map((e) => `${e.line}: ${e.message}`).join('\n');
const messagesAt = (errs: RowError[], line: number) => errs.filter((e) => e.line === line).map((e) => e.message);
const hukouErrors = (...rows: string[]) => errorsOf(parseRegisterCsv('hukou', [HUKOU, ...rows].join('\n')));

describe('register files: good rows', () => {
  it('parses a hukou file to normalised records (IDs, sexes, date formats, optional address)', () => {
    const spaced = `${IDX.slice(0, 6)} ${IDX.slice(6, 14)} ${IDX.slice(14).toLowerCase()}`;
    // The 15-digit form of ID1: address, YYMMDD, 3-digit sequence.
    const legacy = `${ID1.slice(0, 6)}${ID1.slice(8, 17)}`;
    const text = [
      HUKOU,
      `${spaced}, 张伟 ,女,1975/11/20,${D},"光华路1号,3单元"`,
      `${ID2},张丽,f,19860509,${D},`,
      `${legacy},李强,M,1960-05,${D2},  `,
      // The ID says 1960-05-03 and male; the columns disagree: kept, the comparison reports it.
      `${makeCitizenId('130102', '1960-05-03', 21, 1)},王芳,2,1961-07-08,${D},x`,
    ].join('\r\n');
    expect(parseRegisterCsv('hukou', text)).toEqual({
      ok: true,
      lines: [2, 3, 4, 5],
      records: [
        { kind: 'hukou', key: IDX, districtCode: D, citizenId: IDX, name: '张伟', sex: 2, birth: '1975-11', birthDate: '1975-11-20', address: '光华路1号,3单元' },
        { kind: 'hukou', key: ID2, districtCode: D, citizenId: ID2, name: '张丽', sex: 2, birth: '1986-05', birthDate: '1986-05-09' },
        { kind: 'hukou', key: ID1, districtCode: D2, citizenId: ID1, name: '李强', sex: 1, birth: '1960-05' },
        { kind: 'hukou', key: makeCitizenId('130102', '1960-05-03', 21, 1), districtCode: D, citizenId: makeCitizenId('130102', '1960-05-03', 21, 1), name: '王芳', sex: 2, birth: '1961-07', birthDate: '1961-07-08', address: 'x' },
      ],
    });
  });

  it('reads columns in any order', () => {
    const r = parseRegisterCsv('hukou', `address,districtCode,birth,sex,name,citizenId\n光华路1号,${D},1986-05-09,2,张丽,${ID2}\n`);
    expect(r.ok && r.records).toEqual([{ kind: 'hukou', key: ID2, districtCode: D, citizenId: ID2, name: '张丽', sex: 2, birth: '1986-05', birthDate: '1986-05-09', address: '光华路1号' }]);
  });

  it('parses births with and without the child ID, keying the latter by the documented hash', () => {
    const r = parseRegisterCsv('births', `${BIRTHS}\n王小宝,男,2019/2/10,${D},光华路2号,${KID},李娜,${ID2}\n,F,2020-03,${D},,,赵敏,\n`);
    expect(r).toEqual({
      ok: true,
      lines: [2, 3],
      records: [
        { kind: 'births', key: KID, districtCode: D, citizenId: KID, name: '王小宝', sex: 1, birth: '2019-02', birthDate: '2019-02-10', address: '光华路2号', motherName: '李娜', motherCitizenId: ID2 },
        { kind: 'births', key: `b-${sha24(`赵敏|2020-03|2||${D}`)}`, districtCode: D, sex: 2, birth: '2020-03', motherName: '赵敏' },
      ],
    });
    // The mother's ID, when given, identifies the birth instead of her name; the full date is used when given.
    const withMother = parseRegisterCsv('births', `${BIRTHS}\n小红,2,2020-03-04,${D},,,赵敏,${ID2}\n`);
    expect(withMother.ok && withMother.records[0]?.key).toBe(`b-${sha24(`${ID2}|2020-03-04|2|小红|${D}`)}`);
  });

  it('parses deaths with and without an ID; a death in the month of birth is not "before" it', () => {
    const r = parseRegisterCsv('deaths', `${DEATHS}\n,王奶奶,女,1931-02-01,2020-03-15,${D}\n${ID1},李爷爷,1,1960-05-03,2020-01,${D}\n,婴儿,1,2020-03-15,2020-03,${D}\n`);
    expect(r.ok && r.records).toEqual([
      { kind: 'deaths', key: `d-${sha24(`王奶奶|2|1931-02-01|2020-03-15|${D}`)}`, districtCode: D, name: '王奶奶', sex: 2, birth: '1931-02', birthDate: '1931-02-01', death: '2020-03', deathDate: '2020-03-15' },
      { kind: 'deaths', key: ID1, districtCode: D, citizenId: ID1, name: '李爷爷', sex: 1, birth: '1960-05', birthDate: '1960-05-03', death: '2020-01' },
      { kind: 'deaths', key: `d-${sha24(`婴儿|1|2020-03-15|2020-03|${D}`)}`, districtCode: D, name: '婴儿', sex: 1, birth: '2020-03', birthDate: '2020-03-15', death: '2020-03' },
    ]);
  });

  it('accepts a child ID born after the census moment (the comparison window decides), not after 2021', () => {
    const late = makeCitizenId('130102', '2021-03-01', 1, 1);
    expect(parseRegisterCsv('births', `${BIRTHS}\n,1,2021-03-01,${D},,${late},赵敏,\n`).ok).toBe(true);
    const tooLate = makeCitizenId('130102', '2022-03-01', 1, 1);
    expect(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2021-03-01,${D},,${tooLate},赵敏,\n`))).toEqual([{ line: 2, message: `childCitizenId: citizen ID ${tooLate} holds a birth date after 2021` }]);
  });

  it('ignores blank lines and rows of empty cells; a header-only file has no records', () => {
    const r = parseRegisterCsv('hukou', `${HUKOU}\n\n,,,,,\n  \n${ID2},张丽,2,1986-05,${D},\n\n`);
    expect(r.ok && r.records.map((x) => x.key)).toEqual([ID2]);
    expect(r.ok && r.lines).toEqual([5]);
    expect(parseRegisterCsv('deaths', `${DEATHS}\n`)).toEqual({ ok: true, records: [], lines: [] });
  });
});

describe('register files: bad rows', () => {
  it('names each bad field with its physical line (a quoted newline before it counts)', () => {
    const errs = hukouErrors(
      `${ID1},张伟,1,1960-05-03,${D},"光华路1号\n"`, // lines 2-3: the newline is trimmed away, the row is good
      `${ID2.slice(0, 17)}${ID2[17] === '0' ? '1' : '0'},张丽,2,1986-05-09,${D},x`, // 4
      `123,张三,3,1990-13-01,1301,x`, // 5
      `${makeCitizenId('130102', '1990-02-30', 1, 1)},张三,1,1990-02-28,${D},x`, // 6
      `${ID2},张丽,2,1986-02-30,${D},x`, // 7
      `${ID2},,2,1986-05-09,${D},x`, // 8
      `${ID2},张丽,2,1986-05-09`, // 9
      `${ID2},"张\n丽",2,1986-05-09,${D},x`, // 10-11
      `${ID2},${'张'.repeat(101)},2,1986-05-09,${D},${'路'.repeat(201)}`, // 12
      `,张丽,2,1986-05-09,${D},x`, // 13
      `${ID2},张丽,constructor,1986-05-09,${D},x`, // 14
    );
    expect(messagesAt(errs, 2)).toEqual([]);
    expect(messagesAt(errs, 3)).toEqual([]);
    expect(messagesAt(errs, 4)).toEqual([expect.stringContaining('has a wrong check digit')]);
    expect(messagesAt(errs, 5)).toEqual([
      'districtCode 1301 is not a 15-digit district code',
      'sex 3 is not 1/2, 男/女 or M/F',
      expect.stringContaining('birth 1990-13-01 is not a date'),
      expect.stringMatching(/^citizenId: citizen ID 123 is not 18 digits/),
    ]);
    expect(messagesAt(errs, 6)).toEqual([expect.stringContaining('holds no real birth date')]);
    expect(messagesAt(errs, 7)).toEqual([expect.stringContaining('birth 1986-02-30 is not a date')]);
    expect(messagesAt(errs, 8)).toEqual(['name is empty']);
    expect(messagesAt(errs, 9)).toEqual(['expected 6 fields, found 4']);
    expect(messagesAt(errs, 10)).toEqual(['name contains control characters']);
    expect(messagesAt(errs, 11)).toEqual([]);
    expect(messagesAt(errs, 12)).toEqual(['name is longer than 100 characters', 'address is longer than 200 characters']);
    expect(messagesAt(errs, 13)).toEqual(['citizenId is empty']);
    expect(messagesAt(errs, 14)).toEqual(['sex constructor is not 1/2, 男/女 or M/F']);
    expect(errs).toHaveLength(14);
  });

  it('refuses a NUL in a name', () => {
    expect(hukouErrors(`${ID2},张\u0000丽,2,1986-05-09,${D},x`)).toEqual([{ line: 2, message: 'name contains control characters' }]);
  });

  it('checks the births and deaths fields', () => {
    expect(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2019-01,${D},x,,,`))).toEqual([{ line: 2, message: 'motherName is empty' }]);
    expect(asText(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2019-01,${D},x,,李娜,12345`)))).toMatch(/^2: motherCitizenId: citizen ID 12345 is not 18 digits[^\n]*$/);
    expect(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n,王,2,1931-02-01,1930-03-15,${D}`))).toEqual([{ line: 2, message: 'death is before birth' }]);
    expect(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n,王,2,1931-02,1931-01-31,${D}`))).toEqual([{ line: 2, message: 'death is before birth' }]);
    expect(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n,,2,1931-02,2020-01,${D}`))).toEqual([{ line: 2, message: 'name is empty' }]);
    expect(messagesAt(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n,王,2,1931-02,2020-13,${D}`)), 2)).toEqual([expect.stringContaining('death 2020-13 is not a date')]);
  });

  it('reads dates in the register formats only', () => {
    expect(parseRegisterDate('2000-02-29')).toEqual({ month: '2000-02', date: '2000-02-29' });
    expect(parseRegisterDate('2000/02/29')).toEqual({ month: '2000-02', date: '2000-02-29' });
    expect(parseRegisterDate('2019/2/1')).toEqual({ month: '2019-02', date: '2019-02-01' });
    expect(parseRegisterDate(' 20201031 ')).toEqual({ month: '2020-10', date: '2020-10-31' });
    expect(parseRegisterDate('2020-11')).toEqual({ month: '2020-11' });
    expect(parseRegisterDate('1890-01-01')).toEqual({ month: '1890-01', date: '1890-01-01' });
    expect(parseRegisterDate('2021-12')).toEqual({ month: '2021-12' });
    for (const bad of ['2019-02-29', '1900-02-29', '20190229', '1889-12-31', '2022-01-01', '2022-01', '31/12/2000', '2019-02/10', '2019-00', '2019-13', '2019-04-31', '201902', '2019-2-1x', '']) {
      expect(parseRegisterDate(bad), bad).toBeUndefined();
    }
  });
});

describe('register files: header, duplicates, cap', () => {
  it('refuses a wrong header on line 1, naming the columns', () => {
    expect(errorsOf(parseRegisterCsv('hukou', 'citizenId,name,gender,birth,districtCode,address\n'))).toEqual([
      { line: 1, message: `missing column(s) sex; unknown column(s) gender; the header must be ${HUKOU} (any order)` },
    ]);
    expect(errorsOf(parseRegisterCsv('hukou', `${HUKOU},sex,\n`))[0]?.message).toMatch(/^unknown column\(s\) \(empty\); repeated column\(s\) sex;/);
    expect(errorsOf(parseRegisterCsv('births', `${HUKOU}\n`))[0]?.message).toMatch(/^missing column\(s\) childName, childCitizenId, motherName, motherCitizenId; unknown column\(s\) citizenId, name;/);
    expect(errorsOf(parseRegisterCsv('hukou', ''))).toEqual([{ line: 1, message: `the file is empty; the header must be ${HUKOU}` }]);
    // A header error stops before the rows: their problems are not listed.
    expect(errorsOf(parseRegisterCsv('deaths', `${HUKOU}\nx,x,x,x,x,x\n`))).toHaveLength(1);
  });

  it('names both lines of a repeated ID, in each kind, after a quoted newline', () => {
    // A row with an error does not claim its ID: no "also on line" for the later good row.
    expect(hukouErrors(`${ID1},张伟,1,1960-05,${D},"a\nb"`, `${ID2},张丽,2,1986-05,${D},`, `${ID1.toLowerCase()},张伟,1,1960-05,${D},`)).toEqual([{ line: 2, message: 'address contains control characters' }]);
    expect(hukouErrors(`${ID1},张伟,1,1960-05,${D},"a\n"`, `${ID2},张丽,2,1986-05,${D},`, `${ID1},张伟,1,1960-05,${D},`)).toEqual([{ line: 5, message: `citizen ID ${ID1} is also on line 2` }]);
    expect(errorsOf(parseRegisterCsv('births', `${BIRTHS}\n,1,2019-02,${D},x,${KID},李娜,\n,1,2019-02,${D},x,${KID},王芳,`))).toEqual([{ line: 3, message: `citizen ID ${KID} is also on line 2` }]);
    expect(errorsOf(parseRegisterCsv('deaths', `${DEATHS}\n${ID1},张伟,1,1960-05,2020-01,${D}\n${ID1},张伟,1,1960-05,2020-02,${D}`))).toEqual([{ line: 3, message: `citizen ID ${ID1} is also on line 2` }]);
  });

  it('caps the error list at MAX_ERRORS plus a count, counting errors past the cap exactly', () => {
    const many = [HUKOU, ...Array.from({ length: MAX_ERRORS + 7 }, () => `x,张,1,1960-05,${D},`)].join('\n');
    const errs = hukouErrors(...many.split('\n').slice(1));
    expect(errs).toHaveLength(MAX_ERRORS + 1);
    expect(errs[0]?.line).toBe(2);
    expect(errs[MAX_ERRORS - 1]?.line).toBe(MAX_ERRORS + 1);
    expect(errs.at(-1)).toEqual({ line: 0, message: '... and 7 more problem(s)' });
    // Rows past the cap are still judged bad: a bad row repeating an ID adds no "also on line" error.
    const sameId = Array.from({ length: 150 }, () => `${ID1},张,1,1960-05,${D},${'路'.repeat(201)}`);
    expect(hukouErrors(...sameId).at(-1)).toEqual({ line: 0, message: '... and 50 more problem(s)' });
  });
});

describe('register files: keys', () => {
  it('keys twins without names #2 in file order, the same on re-import; a changed field a new key', () => {
    const twins = `${BIRTHS}\n,1,2020-03-01,${D},x,,赵敏,\n,2,2020-03-01,${D},x,,赵敏,\n,1,2020-03-01,${D},x,,赵敏,\n,1,2020-03-01,${D},y,,赵敏,\n`;
    const a = parseRegisterCsv('births', twins);
    const keys = a.ok ? a.records.map((r) => r.key) : [];
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^b-[0-9a-f]{24}$/);
    expect(keys[1]).not.toBe(keys[0]); // a different sex is a different child
    expect(keys[2]).toBe(`${keys[0] ?? ''}#2`);
    expect(keys[3]).toBe(`${keys[0] ?? ''}#3`); // the address is not part of the key
    const b = parseRegisterCsv('births', twins);
    expect(b.ok && b.records.map((r) => r.key)).toEqual(keys);
    const renamed = parseRegisterCsv('births', `${BIRTHS}\n小明,1,2020-03-01,${D},x,,赵敏,\n`);
    expect(renamed.ok && renamed.records[0]?.key).not.toBe(keys[0]);
    const otherDistrict = parseRegisterCsv('births', `${BIRTHS}\n,1,2020-03-01,${D2},x,,赵敏,\n`);
    expect(otherDistrict.ok && otherDistrict.records[0]?.key).not.toBe(keys[0]);
  });

  it('keys deaths without an ID stably, a changed name giving a new key', () => {
    const text = `${DEATHS}\n,王奶奶,2,1931-02-01,2020-03-15,${D}\n,王奶奶,2,1931-02-01,2020-03-15,${D}\n`;
    const a = parseRegisterCsv('deaths', text);
    const b = parseRegisterCsv('deaths', text);
    const keys = a.ok ? a.records.map((r) => r.key) : [];
    expect(keys[1]).toBe(`${keys[0] ?? ''}#2`);
    expect(b.ok && b.records.map((r) => r.key)).toEqual(keys);
    const renamed = parseRegisterCsv('deaths', `${DEATHS}\n,王婆婆,2,1931-02-01,2020-03-15,${D}\n`);
    expect(renamed.ok && renamed.records[0]?.key).not.toBe(keys[0]);
  });
});

describe('register bytes', () => {
  const text = `${HUKOU}\n${ID1},张伟,1,1960-05-03,${D},x\n`;
  it('takes UTF-8 with or without a BOM', () => {
    const plain = parseRegisterBytes('hukou', new TextEncoder().encode(text));
    expect(plain.ok && plain.records.map((r) => r.name)).toEqual(['张伟']);
    expect(parseRegisterBytes('hukou', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual(plain);
  });
  it('refuses GBK and UTF-16 with the decoder message', () => {
    // 张伟 in GBK.
    const gbk = new Uint8Array([...new TextEncoder().encode(`${HUKOU}\n${ID1},`), 0xd5, 0xc5, 0xce, 0xb0, ...new TextEncoder().encode(`,1,1960-05-03,${D},x\n`)]);
    const r = parseRegisterBytes('hukou', gbk);
    expect(asText(errorsOf(r))).toMatch(/^0: the file is not valid UTF-8 .*line 2\).*GBK[^\n]*$/);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(text).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    expect(asText(errorsOf(parseRegisterBytes('hukou', utf16)))).toMatch(/^0: the file is UTF-16[^\n]*$/);
  });
});

describe('large files', () => {
  it('parses 60,000 hukou rows with distinct keys and finds a repeat at the end', () => {
    const lines = [HUKOU];
    const idOf = (i: number) => makeCitizenId(String(110000 + Math.floor(i / 100)), `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, i % 100, i % 2 ? 1 : 2);
    for (let i = 0; i < 60_000; i++) lines.push(`${idOf(i)},人${i},${i % 2 ? 1 : 2},19${50 + (i % 50)}-0${1 + (i % 9)},${D},`);
    const r = parseRegisterCsv('hukou', lines.join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toHaveLength(60_000);
    expect(new Set(r.records.map((x) => x.key)).size).toBe(60_000);
    expect(r.records[59_999]).toEqual({ kind: 'hukou', key: idOf(59_999), districtCode: D, citizenId: idOf(59_999), name: '人59999', sex: 1, birth: '1999-06' });
    expect(r.lines[59_999]).toBe(60_001);
    lines.push(lines[1] ?? '');
    expect(errorsOf(parseRegisterCsv('hukou', lines.join('\n')))).toEqual([{ line: 60_002, message: `citizen ID ${idOf(0)} is also on line 2` }]);
  });

  it('parses 60,000 births rows without IDs, numbering the repeats', () => {
    const lines = [BIRTHS];
    // Mother, sex and date together are distinct for every row (no child names, no IDs).
    for (let i = 0; i < 60_000; i++) lines.push(`,${1 + (i % 2)},2020-0${1 + ((i >> 1) % 9)}-1${(i >> 1) % 10},${D},,,母${i >> 2},`);
    const r = parseRegisterCsv('births', lines.join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const keys = r.records.map((x) => x.key);
    expect(new Set(keys).size).toBe(60_000);
    expect(keys.every((k) => /^b-[0-9a-f]{24}$/.test(k))).toBe(true);
    // The first 10,000 rows each given twice in a row: unnamed twins, the second the first's key with #2.
    const doubled = parseRegisterCsv('births', [BIRTHS, ...lines.slice(1, 10_001).flatMap((l) => [l, l])].join('\n'));
    expect(doubled.ok && doubled.records.filter((x, i) => x.key === (i % 2 ? `${keys[i >> 1] ?? ''}#2` : keys[i >> 1]))).toHaveLength(20_000);
  });
});

describe('the national problem list', () => {
  it('parses every field, with codes and Chinese names, and keys idempotently', () => {
    const text = `${PROBLEMS}\n${D},001,hukouMismatch,${IDX.toLowerCase()},张伟,姓名不一致\n${D},,低龄人口漏报,,王小宝,"疑似漏登\n请核实"\n${D},,childMissing,,王小宝,"疑似漏登\n请核实"\n${D2},,其他,,,核查户\n`;
    const r = parseProblemsCsv(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const k = (cols: string[]) => `n-${sha24(cols.join('|'))}`;
    const twin = k([D, '', 'childMissing', '', '王小宝', '疑似漏登\n请核实']);
    expect(r.problems).toEqual([
      { key: k([D, '001', 'hukouMismatch', IDX, '张伟', '姓名不一致']), districtCode: D, householdNo: '001', category: 'hukouMismatch', citizenId: IDX, name: '张伟', message: '姓名不一致' },
      { key: twin, districtCode: D, category: 'childMissing', name: '王小宝', message: '疑似漏登\n请核实' },
      // The same row with the category as its code is the same problem: numbered, not refused.
      { key: `${twin}#2`, districtCode: D, category: 'childMissing', name: '王小宝', message: '疑似漏登\n请核实' },
      { key: k([D2, '', 'other', '', '', '核查户']), districtCode: D2, category: 'other', message: '核查户' },
    ]);
    expect(r.lines).toEqual([2, 3, 5, 7]);
    const again = parseProblemsCsv(text);
    expect(again.ok && again.problems.map((p) => p.key)).toEqual(r.problems.map((p) => p.key));
  });

  it('maps every Chinese category name', () => {
    const names = Object.keys(CATEGORY_NAMES_ZH);
    const r = parseProblemsCsv([PROBLEMS, ...names.map((n) => `${D},,${n},,,x`)].join('\n'));
    expect(r.ok && r.problems.map((p) => p.category)).toEqual(['hukouMissing', 'hukouMismatch', 'childMissing', 'childMismatch', 'deathMissing', 'duplicate', 'internalLogic', 'other']);
  });

  it('refuses bad fields with their physical lines', () => {
    const errs = errorsOf(
      parseProblemsCsv(
        [
          PROBLEMS,
          `${D},,other,,,"多行\n说明"`, // 2-3, good
          `${D},01,nonsense,,,x`, // 4
          `${D},,other,,,`, // 5
          `13,,constructor,${ID1.slice(0, 17)}${ID1[17] === '0' ? '1' : '0'},张\t伟,x`, // 6
          `${D},,other,,,${'x'.repeat(2001)}`, // 7
          `${D},,other,,,a\u0000b`, // 8
          `${D},,other,,`, // 9
        ].join('\n'),
      ),
    );
    expect(messagesAt(errs, 2)).toEqual([]);
    expect(messagesAt(errs, 4)).toEqual(['householdNo 01 is not a 3-digit household number', expect.stringContaining('category nonsense is none of hukouMissing')]);
    expect(messagesAt(errs, 5)).toEqual(['message is empty']);
    expect(messagesAt(errs, 6)).toEqual([
      'districtCode 13 is not a 15-digit district code',
      expect.stringContaining('category constructor'),
      expect.stringContaining('has a wrong check digit'),
      'name contains control characters',
    ]);
    expect(messagesAt(errs, 7)).toEqual(['message is longer than 2000 characters']);
    expect(messagesAt(errs, 8)).toEqual(['message contains control characters']);
    expect(messagesAt(errs, 9)).toEqual(['expected 6 fields, found 5']);
    expect(errs).toHaveLength(10);
  });

  it('refuses a wrong header and an empty file', () => {
    expect(errorsOf(parseProblemsCsv('districtCode,category,message\n'))).toEqual([{ line: 1, message: `missing column(s) householdNo, citizenId, name; the header must be ${PROBLEMS} (any order)` }]);
    expect(errorsOf(parseProblemsCsv(''))[0]?.line).toBe(1);
  });
});
