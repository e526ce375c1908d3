// The users file an office imports: its bytes (only UTF-8 is read; GBK and UTF-16 from desktop
// spreadsheets are refused, never imported as mojibake) and its rows (one account per row, every
// problem named by the line of the file, header = line 1).
import { describe, expect, it } from 'vitest';
import { decodeUtf8Text } from '../../src/server/text-encoding.ts';
import { parseUsersCsv, USERS_COLUMNS } from '../../src/server/users-csv.ts';

const HEADER = 'username,name,role,districts,supervisor,scope';
const D1 = '130102001001001';
const D2 = '130102001001002';
const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');

/** The errors of a refused file (fails the test if the file was accepted). */
function errorsOf(text: string): { line: number; message: string }[] {
  const r = parseUsersCsv(text);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('decodeUtf8Text', () => {
  it.each<[string, Uint8Array, string]>([
    ['plain UTF-8 Chinese (no NUL bytes, so not mistaken for UTF-16)', utf8('张三,李四'), '张三,李四'],
    [
      'UTF-8 with a BOM: the BOM is dropped so the first header is "username", not "\\uFEFFusername"',
      bytes([0xef, 0xbb, 0xbf], HEADER),
      HEADER,
    ],
    ['an empty file', new Uint8Array(), ''],
    ['a file that is only a BOM', new Uint8Array([0xef, 0xbb, 0xbf]), ''],
    ['a 4-byte character (not cut as a bad sequence)', utf8('𠀀,a'), '𠀀,a'],
  ])('accepts %s', (_what, input, text) => {
    expect(decodeUtf8Text(input)).toEqual({ ok: true, text });
  });

  it('refuses the GBK bytes of 张三, naming the encoding, the first bad byte, its offset and line', () => {
    const prefix = `${HEADER}\r\ne1,`;
    const r = decodeUtf8Text(bytes(prefix, [0xd5, 0xc5, 0xc8, 0xfd], ',enumerator,,,'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/not valid UTF-8/);
    expect(r.message).toMatch(/GBK\/GB18030/);
    expect(r.message).toMatch(/save it as "CSV UTF-8"/);
    expect(r.message).toContain(`0xd5 at offset ${utf8(prefix).length}, line 2`);
  });

  it('counts lines by LF, so a CRLF file names the right line', () => {
    const r = decodeUtf8Text(bytes('a\r\nb\r\n\r\n', [0xc8, 0xfd]));
    expect(r.ok ? '' : r.message).toMatch(/0xc8 at offset 8, line 4/);
  });

  it.each<[string, number[]]>([
    ['a lone continuation byte', [0x61, 0x80]],
    ['a sequence cut at the end of the file', [0x61, 0xe5, 0xbc]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('refuses %s as not UTF-8 (never decoded to U+FFFD)', (_what, b) => {
    const r = decodeUtf8Text(new Uint8Array(b));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/not valid UTF-8/);
  });

  const le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
  const be = (s: string) => {
    const b = le(s);
    for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1] ?? 0, b[i] ?? 0];
    return b;
  };
  it.each<[string, Uint8Array]>([
    ['UTF-16LE with a BOM (Excel "Unicode text")', le(`\uFEFF${csv('e1,张三,enumerator,,,')}`)],
    ['UTF-16BE with a BOM', be(`\uFEFF${csv('e1,张三,enumerator,,,')}`)],
    ['UTF-16LE without a BOM', le(csv('e1,张三,enumerator,,,'))],
    ['UTF-16BE without a BOM', be(csv('e1,张三,enumerator,,,'))],
  ])('refuses %s, saying it looks like UTF-16', (_what, input) => {
    const r = decodeUtf8Text(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/UTF-16/);
      expect(r.message).toMatch(/UTF-8/);
    }
  });
});

describe('parseUsersCsv', () => {
  it('reads every importable role with its own columns', () => {
    expect(
      parseUsersCsv(csv('sup1,王指导员,supervisor,,,', `enum1,李四,enumerator,${D1};${D2},sup1,`, 'office1,长安区人普办,office,,,130102')),
    ).toEqual({
      ok: true,
      rows: [
        { line: 2, username: 'sup1', name: '王指导员', role: 'supervisor', districts: [] },
        { line: 3, username: 'enum1', name: '李四', role: 'enumerator', districts: [D1, D2], supervisor: 'sup1' },
        { line: 4, username: 'office1', name: '长安区人普办', role: 'office', districts: [], scope: '130102' },
      ],
    });
  });

  // The same file in the shapes spreadsheet programs and scripts write it.
  const rows = ['e1,"张, 三",enumerator,130102001001001,,', 'e2,"赵 ""老"" 四",enumerator,,,'];
  it.each<[string, string]>([
    ['CRLF', `${HEADER}\r\n${rows.join('\r\n')}\r\n`],
    ['LF', `${HEADER}\n${rows.join('\n')}\n`],
    ['CR only', `${HEADER}\r${rows.join('\r')}`],
    ['a BOM and no final newline', `\uFEFF${HEADER}\r\n${rows.join('\r\n')}`],
    [
      'the columns in another order',
      `scope,supervisor,districts,role,name,username\r\n,,${D1},enumerator,"张, 三",e1\r\n,,,enumerator,"赵 ""老"" 四",e2`,
    ],
    [
      'spaces around header names and cells',
      ` username , name , role , districts , supervisor , scope \r\n e1 ,"张, 三", enumerator , ${D1} , , \r\ne2,"赵 ""老"" 四",enumerator,,,`,
    ],
  ])('reads a %s file, with quoted commas and quotes', (_what, text) => {
    const r = parseUsersCsv(text);
    expect(r.ok ? r.rows.map((x) => [x.line, x.username, x.name, x.districts]) : r.errors).toEqual([
      [2, 'e1', '张, 三', [D1]],
      [3, 'e2', '赵 "老" 四', []],
    ]);
  });

  it('reads a BOM-prefixed UTF-8 file end to end (decode, then parse)', () => {
    const d = decodeUtf8Text(bytes([0xef, 0xbb, 0xbf], csv('e1,张三,enumerator,,,')));
    expect(d.ok && parseUsersCsv(d.text).ok).toBe(true);
  });

  it('splits districts on ";", trimming each', () => {
    const r = parseUsersCsv(csv(`e1,甲,enumerator, ${D1} ; ${D2} ,,`));
    expect(r.ok && r.rows[0]?.districts).toEqual([D1, D2]);
  });

  it('allows an enumerator with no district and no supervisor yet', () => {
    expect(parseUsersCsv(csv('e1,甲,enumerator,,,')).ok).toBe(true);
  });

  it.each(['2', '4', '6', '9', '12'].map((n) => '130102001001'.slice(0, Number(n))))('accepts the office scope %s', (scope) => {
    expect(parseUsersCsv(csv(`o1,办,office,,,${scope}`)).ok).toBe(true);
  });

  it.each([2, 64])('accepts a username of %i characters', (n) => {
    expect(parseUsersCsv(csv(`${'a'.repeat(n)},甲,enumerator,,,`)).ok).toBe(true);
  });

  it('accepts a name of exactly 100 characters', () => {
    expect(parseUsersCsv(csv(`e1,${'张'.repeat(100)},enumerator,,,`)).ok).toBe(true);
  });

  // Each row alone on line 2 of a file; the message must be on line 2 and say what is wrong.
  const bad: [string, string, RegExp][] = [
    ['a one-character username', 'e,张,enumerator,,,', /^username:/],
    ['a 65-character username', `${'a'.repeat(65)},张,enumerator,,,`, /^username:/],
    ['a username with a space', 'e f,张,enumerator,,,', /^username:/],
    ['a username with a Chinese character', '张三,张,enumerator,,,', /^username:/],
    ['an empty name', 'e1,,enumerator,,,', /^name:/],
    ['a name of 101 characters', `e1,${'张'.repeat(101)},enumerator,,,`, /^name:/],
    ['a name holding a tab', 'e1,"张\t三",enumerator,,,', /^name: .*control/],
    ['a name holding a line break', 'e1,"张\n三",enumerator,,,', /^name: .*control/],
    ['an unknown role', 'e1,张,boss,,,', /^role:/],
    ['a role in capitals', 'e1,张,Enumerator,,,', /^role:/],
    ['an admin row', 'root,管理员,admin,,,', /^role: admin accounts are not imported/],
    ['a district for a supervisor', `sup1,王,supervisor,${D1},,`, /^districts: only enumerators/],
    ['a district for an office', `o1,办,office,${D1},,13`, /^districts: only enumerators/],
    ['a 14-digit district', 'e1,张,enumerator,13010200100100,,', /^districts: .*15-digit/],
    ['a 16-digit district', 'e1,张,enumerator,1301020010010011,,', /^districts: .*15-digit/],
    ['districts separated by commas (a quoted cell)', `e1,张,enumerator,"${D1},${D2}",,`, /^districts: .*15-digit/],
    ['a trailing ";" in districts', `e1,张,enumerator,${D1};,,`, /^districts: .*15-digit/],
    ['a district twice in a row', `e1,张,enumerator,${D1};${D1},,`, /^districts: .* listed twice/],
    ['a supervisor for a supervisor', 'sup2,王,supervisor,,sup1,', /^supervisor: only enumerators/],
    ['a supervisor for an office', 'o1,办,office,,sup1,13', /^supervisor: only enumerators/],
    ['a supervisor that is not a username', 'e1,张,enumerator,,王 指导员,', /^supervisor: .*not a username/],
    ['an office without a scope', 'o1,办,office,,,', /^scope: an office needs/],
    ['a scope of 3 digits', 'o1,办,office,,,130', /^scope: .*not a code prefix/],
    ['a scope of 15 digits (a district, not a prefix)', `o1,办,office,,,${D1}`, /^scope: .*not a code prefix/],
    ['a scope with letters', 'o1,办,office,,,13ab', /^scope: .*not a code prefix/],
    ['a scope for an enumerator', 'e1,张,enumerator,,,1301', /^scope: only offices/],
    ['a scope for a supervisor', 'sup1,王,supervisor,,,1301', /^scope: only offices/],
    ['too few fields', 'e1,张,enumerator', /expected 6 fields, found 3/],
    ['too many fields', 'e1,张,enumerator,,,,', /expected 6 fields, found 7/],
  ];
  it.each(bad)('refuses %s, on line 2', (_what, row, message) => {
    const errors = errorsOf(csv(row));
    expect(errors.filter((e) => message.test(e.message)).map((e) => e.line)).toEqual([2]);
    expect(errors.every((e) => e.line === 2)).toBe(true);
  });

  it('reports every problem of the file at once, each on its own line', () => {
    const errors = errorsOf(csv('e1,甲,enumerator,,,', 'sup1,王,supervisor,,,13', 'e3,丙,enumerator,,,', 'o1,办,office,,,'));
    expect(errors.map((e) => e.line)).toEqual([3, 5]);
  });

  it('refuses the whole file when one row is bad (no partial import)', () => {
    const r = parseUsersCsv(csv('e1,甲,enumerator,,,', 'e2,乙,boss,,,', 'e3,丙,enumerator,,,'));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([[3, 'role']]);
    expect('rows' in r).toBe(false);
  });

  it('counts file lines, not records: a blank line and a quoted line break move the lines after them', () => {
    expect(errorsOf(`${HEADER}\r\n\r\ne1,甲,boss,,,`).map((e) => [e.line, e.message.split(':')[0]])).toEqual([[3, 'role']]);
    const errors = errorsOf(`${HEADER}\r\ne1,"甲\r\n乙",enumerator,,,\r\ne2,丙,boss,,,`);
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });

  it('names both lines of a duplicate username', () => {
    expect(errorsOf(csv('e1,甲,enumerator,,,', 'e2,乙,enumerator,,,', 'e1,丙,enumerator,,,'))).toEqual([
      { line: 4, message: 'username e1 is also on line 2' },
    ]);
  });

  it('treats usernames that differ in case as different accounts (the store compares them exactly)', () => {
    expect(parseUsersCsv(csv('e1,甲,enumerator,,,', 'E1,乙,enumerator,,,')).ok).toBe(true);
  });

  it('names both lines and both enumerators of a district assigned twice (one enumerator per district)', () => {
    const errors = errorsOf(csv(`e1,甲,enumerator,${D1},,`, `e2,乙,enumerator,${D2};${D1},,`));
    expect(errors).toEqual([{ line: 3, message: `district ${D1} is also assigned to e1 on line 2 (one enumerator per district)` }]);
  });

  it.each<[string, string]>([
    ['a missing column', 'username,name,role,districts,supervisor'],
    ['an unknown column', `${HEADER},phone`],
    ['a misspelt column', 'username,name,role,district,supervisor,scope'],
    ['a header in capitals', 'Username,Name,Role,Districts,Supervisor,Scope'],
  ])('refuses a header with %s, on line 1, naming the expected header', (_what, header) => {
    const errors = errorsOf(`${header}\r\ne1,甲,enumerator,,,`);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    expect(errors[0]?.message).toContain(USERS_COLUMNS.join(','));
  });

  it.each<[string, string]>([
    ['an empty file', ''],
    ['a header without rows', `${HEADER}\r\n`],
  ])('refuses %s', (_what, text) => {
    expect(errorsOf(text)).toHaveLength(1);
  });

  describe('the supervisor column', () => {
    it('may name a supervisor defined later in the same file', () => {
      expect(parseUsersCsv(csv('e1,甲,enumerator,,sup1,', 'sup1,王,supervisor,,,')).ok).toBe(true);
    });
    it('may name an account not in the file (the store checks that it exists and is a supervisor)', () => {
      const r = parseUsersCsv(csv('e1,甲,enumerator,,old-sup,'));
      expect(r.ok && r.rows[0]?.supervisor).toBe('old-sup');
    });
    it.each<[string, string]>([
      ['an enumerator', 'e2,乙,enumerator,,,'],
      ['an office', 'e2,乙,office,,,13'],
    ])('refuses naming %s of the same file, giving both lines', (_what, row) => {
      const errors = errorsOf(csv('e1,甲,enumerator,,e2,', row));
      expect(errors.map((e) => e.line)).toEqual([2]);
      expect(errors[0]?.message).toMatch(/^supervisor: e2 .* on line 3, not a supervisor$/);
    });
  });

  it('stops collecting at 1,000 errors, so a wrong file of 470,000 rows gives a readable answer', () => {
    const text = [HEADER, ...Array.from({ length: 1500 }, (_, i) => `e${i},甲,boss,,,`)].join('\r\n');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1000);
    expect(errors[0]?.line).toBe(2);
  });
});
