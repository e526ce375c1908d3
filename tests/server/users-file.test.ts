// The pure parts of provisioning: the users file, its encoding, activation codes, the password policy.
import { describe, expect, it } from 'vitest';
import { activationCsv, hashActivationCode, newActivationCode, normaliseActivationCode } from '../../src/server/activation.ts';
import { checkPassword } from '../../src/server/password-policy.ts';
import { decodeUtf8Text } from '../../src/server/text-encoding.ts';
import { parseUsersCsv } from '../../src/server/users-csv.ts';

const HEADER = 'username,name,role,districts,supervisor,scope';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n');

describe('decodeUtf8Text', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  it('accepts UTF-8 with and without a BOM (the BOM is dropped)', () => {
    expect(decodeUtf8Text(utf8('张三,x'))).toEqual({ ok: true, text: '张三,x' });
    expect(decodeUtf8Text(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('张三')]))).toEqual({ ok: true, text: '张三' });
  });
  it('refuses GBK bytes, naming the encoding and the line', () => {
    // "a\n张三" in GBK: 张 = D5 C5, 三 = C8 FD
    const r = decodeUtf8Text(new Uint8Array([0x61, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/not valid UTF-8/);
      expect(r.message).toMatch(/GBK/);
      expect(r.message).toMatch(/line 2/);
    }
  });
  it('refuses UTF-16 with and without a byte-order mark', () => {
    const le = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x62, 0x00]);
    const bare = new Uint8Array([0x61, 0x00, 0x62, 0x00, 0x63, 0x00, 0x64, 0x00]);
    for (const b of [le, bare]) {
      const r = decodeUtf8Text(b);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/UTF-16/);
    }
  });
});

describe('parseUsersCsv', () => {
  it('reads every role with its columns; districts split on ";"; CRLF and quotes', () => {
    const r = parseUsersCsv(
      csv('sup1,"王, 指导员",supervisor,,,', 'enum1,李四,enumerator,130102001001001;130102001001002,sup1,', 'office1,长安区人普办,office,,,130102'),
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { line: 2, username: 'sup1', name: '王, 指导员', role: 'supervisor', districts: [] },
        { line: 3, username: 'enum1', name: '李四', role: 'enumerator', districts: ['130102001001001', '130102001001002'], supervisor: 'sup1' },
        { line: 4, username: 'office1', name: '长安区人普办', role: 'office', districts: [], scope: '130102' },
      ],
    });
  });

  const bad: [string, string, RegExp][] = [
    ['a district for a supervisor', 'sup1,王,supervisor,130102001001001,,', /only enumerators are assigned/],
    ['a scope of 3 digits', 'off,办,office,,,130', /not a code prefix/],
    ['an office without a scope', 'off,办,office,,,', /needs its code prefix/],
    ['a scope for an enumerator', 'e,张,enumerator,,,1301', /only offices have a scope/],
    ['an admin row', 'root,管理员,admin,,,', /admin accounts are not imported/],
    ['a 14-digit district', 'e,张,enumerator,13010200100100,,', /15-digit/],
    ['a district twice in a row', 'e,张,enumerator,130102001001001;130102001001001,,', /listed twice/],
    ['an unknown role', 'e,张,boss,,,', /role/],
    ['a bad username', 'e f,张,enumerator,,,', /username/],
    ['an empty name', 'e,,enumerator,,,', /name/],
    ['a row with too few fields', 'e,张,enumerator', /expected 6 fields/],
  ];
  it.each(bad)('refuses %s, naming line 2', (_what, row, message) => {
    const r = parseUsersCsv(csv(row));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.some((e) => e.line === 2 && message.test(e.message))).toBe(true);
  });

  it('names both lines of a duplicate username and of a district given to two enumerators', () => {
    const r = parseUsersCsv(csv('e1,甲,enumerator,130102001001001,,', 'e2,乙,enumerator,130102001001001,,', 'e1,丙,enumerator,,,'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.line === 3 && /130102001001001 is also assigned to e1 on line 2/.test(e.message))).toBe(true);
      expect(r.errors).toContainEqual({ line: 4, message: 'username e1 is also on line 2' });
    }
  });

  it('refuses a header with a missing or an unknown column', () => {
    for (const header of ['username,name,role,districts,supervisor', 'username,name,role,districts,supervisor,scope,phone']) {
      const r = parseUsersCsv(`${header}\r\na,b,enumerator,,,`);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]?.line).toBe(1);
    }
  });

  it('refuses a supervisor column naming a non-supervisor of the same file', () => {
    const r = parseUsersCsv(csv('e1,甲,enumerator,,,', 'e2,乙,enumerator,,e1,'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 3 });
  });
});

describe('activation codes', () => {
  it('carry at least 64 bits: 16 base32 characters, distinct over 2,000 codes', () => {
    const codes = Array.from({ length: 2000 }, () => newActivationCode());
    expect(new Set(codes.map((c) => c.code)).size).toBe(2000);
    for (const { code } of codes.slice(0, 50)) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(5 * (normaliseActivationCode(code)?.length ?? 0)).toBeGreaterThanOrEqual(64);
    }
  });
  it('are read back whatever the case, dashes, spaces and look-alike letters', () => {
    const { code, hash } = newActivationCode();
    const typed = ` ${code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o').replaceAll('1', 'l')} `;
    expect(hashActivationCode(typed)).toBe(hash);
    expect(hashActivationCode(code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A'))).not.toBe(hash);
    expect(normaliseActivationCode('short')).toBeUndefined();
  });
  it('the hand-out file: BOM, header, formula cells defused', () => {
    const text = activationCsv([{ username: 'e1', name: '=cmd', code: 'AAAA-BBBB-CCCC-DDDD' }]);
    expect(text).toBe("\uFEFFusername,name,activationCode\r\ne1,'=cmd,AAAA-BBBB-CCCC-DDDD\r\n");
  });
});

describe('checkPassword', () => {
  const cases: [string, string, 'enumerator' | 'supervisor' | 'office' | 'admin', boolean | string][] = [
    ['1234567', 'e1', 'enumerator', 'too_short'],
    ['abcdefgh', 'e1', 'enumerator', true],
    ['abcdefghi', 'sup1', 'supervisor', 'too_short'],
    ['xk3-pq9-mz', 'sup1', 'supervisor', true],
    ['pucha-demo', 'demo-supervisor', 'supervisor', true],
    ['Zhangwei-2020', 'zhangwei', 'office', 'same_as_username'],
    ['ZHANGWEI99', 'ZhangWei99', 'office', 'same_as_username'],
    ['woaini1314', 'boss', 'admin', 'common'],
    ['Password123', 'boss', 'admin', 'common'],
    ['qwertyuiop', 'o1', 'office', 'common'],
    ['1234567890', 'o1', 'office', 'common'],
  ];
  it.each(cases)('%s for %s (%s) -> %s', (password, username, role, expected) => {
    const r = checkPassword(password, { username, role });
    if (expected === true) expect(r).toEqual({ ok: true });
    else expect(r).toMatchObject({ ok: false, reason: expected });
  });
});
