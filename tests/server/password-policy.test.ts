// Who may choose which password: 8 characters for everyone; 10, not the username and not a common
// password for the accounts that read many households (supervisor, office, admin).
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/index.ts';
import { COMMON_PASSWORDS } from '../../src/server/common-passwords.ts';
import { checkPassword } from '../../src/server/password-policy.ts';

type Expected = true | 'too_short' | 'same_as_username' | 'common';
const BROAD: readonly Role[] = ['supervisor', 'office', 'admin'];
// The demo accounts' password (DEMO_PASSWORD in src/server/seed.ts); written out so this pure test
// does not load the seed and what it imports.
const DEMO_PASSWORD = 'pucha-demo';

describe('checkPassword', () => {
  const cases: [string, string, string, Role, Expected][] = [
    // length boundaries, for each side of the split
    ['7 characters for an enumerator', '7hj-k2q', 'e1', 'enumerator', 'too_short'],
    ['8 characters for an enumerator', '7hj-k2qx', 'e1', 'enumerator', true],
    ['9 characters for a supervisor', 'xk3-pq9-m', 'sup1', 'supervisor', 'too_short'],
    ['10 characters for a supervisor', 'xk3-pq9-mz', 'sup1', 'supervisor', true],
    ['9 characters for an office', 'xk3-pq9-m', 'o1', 'office', 'too_short'],
    ['10 characters for an office', 'xk3-pq9-mz', 'o1', 'office', true],
    ['9 characters for an admin', 'xk3-pq9-m', 'root', 'admin', 'too_short'],
    ['10 characters for an admin', 'xk3-pq9-mz', 'root', 'admin', true],
    ['an empty password', '', 'e1', 'enumerator', 'too_short'],
    // characters, not UTF-16 code units: 4 emoji are 8 code units but 4 characters
    ['4 emoji (8 code units)', '🔒🔑🔒🔑', 'e1', 'enumerator', 'too_short'],
    ['8 Chinese characters', '春眠不觉晓处处闻', 'e1', 'enumerator', true],
    ['10 Chinese characters for an office', '春眠不觉晓处处闻啼鸟', 'o1', 'office', true],
    // a short common password is "too short" first: that is the advice that helps
    ['a short common password for an admin', '123456', 'root', 'admin', 'too_short'],
    // the username
    ['the username itself', 'zhangwei2020', 'zhangwei2020', 'supervisor', 'same_as_username'],
    ['the username in other case', 'ZHANGWEI2020', 'ZhangWei2020', 'office', 'same_as_username'],
    ['the username with digits appended', 'Zhangwei-2020', 'zhangwei', 'office', 'same_as_username'],
    ['the username with digits before it', '2020zhangwei', 'zhangwei', 'admin', 'same_as_username'],
    ['a 4-character username inside', 'wang12345678', 'wang', 'supervisor', 'same_as_username'],
    ['a 3-character username inside (too short to mean anything)', 'abc-river-stone', 'abc', 'supervisor', true],
    ['a 2-character username inside', 'li-river-stone', 'li', 'office', true],
    // the enumerator rules are length only: an enumerator's phone reads one district
    ['the username for an enumerator', 'enum0001', 'enum0001', 'enumerator', true],
    ['a common password for an enumerator', 'password123', 'e1', 'enumerator', true],
    // common passwords, compared lower-cased
    ['woaini1314', 'woaini1314', 'root', 'admin', 'common'],
    ['Woaini1314 (capital)', 'Woaini1314', 'root', 'admin', 'common'],
    ['1qaz2wsx3edc', '1qaz2wsx3edc', 'sup1', 'supervisor', 'common'],
    ['QWERTYUIOP', 'QWERTYUIOP', 'o1', 'office', 'common'],
    ['1234567890', '1234567890', 'o1', 'office', 'common'],
    ['a123456789', 'a123456789', 'o1', 'office', 'common'],
    ['Password123', 'Password123', 'root', 'admin', 'common'],
    ['wang123456 (pinyin name + digits)', 'wang123456', 'root', 'admin', 'common'],
    ['census2020 (a word of this census)', 'census2020', 'root', 'admin', 'common'],
    // a common password with a space or a character more is no longer "common" (exact match)
    ['a common password with a character added', 'woaini1314!', 'root', 'admin', true],
  ];
  it.each(cases)('%s (%s, %s as %s) -> %s', (_what, password, username, role, expected) => {
    const r = checkPassword(password, { username, role });
    if (expected === true) expect(r).toEqual({ ok: true });
    else expect(r).toMatchObject({ ok: false, reason: expected });
  });

  it('explains a refusal in words, with the required length', () => {
    const e = checkPassword('short', { username: 'e1', role: 'enumerator' });
    const s = checkPassword('short', { username: 'sup1', role: 'supervisor' });
    expect(e.ok ? '' : e.message).toMatch(/at least 8 characters/);
    expect(s.ok ? '' : s.message).toMatch(/at least 10 characters/);
  });

  it.each(
    ['demo-supervisor', 'demo-enumerator', 'demo-admin', 'demo-office'].flatMap((username) =>
      [...BROAD, 'enumerator' as const].map((role) => [username, role] as const),
    ),
  )('lets the demo password through for %s as %s', (username, role) => {
    expect(checkPassword(DEMO_PASSWORD, { username, role })).toEqual({ ok: true });
  });
});

describe('the common-password list', () => {
  const list = [...COMMON_PASSWORDS];
  it('is lower-case and trimmed, since passwords are compared lower-cased (an upper-case entry would never match)', () => {
    expect(list.filter((p) => p !== p.toLowerCase().trim())).toEqual([]);
  });
  it('holds the patterns offices meet first', () => {
    for (const p of ['woaini1314', '1qaz2wsx', 'qwertyuiop', '1234567890', 'a123456789', 'password123', '5201314', '123456'])
      expect(COMMON_PASSWORDS.has(p), p).toBe(true);
  });
  it('does not hold the demo password', () => {
    expect(COMMON_PASSWORDS.has(DEMO_PASSWORD)).toBe(false);
  });
  it('refuses every entry long enough to pass the length rule, for every broad role', () => {
    const long = list.filter((p) => [...p].length >= 10);
    expect(long.length).toBeGreaterThan(20);
    for (const role of BROAD)
      for (const p of long) expect(checkPassword(p, { username: 'someone-else', role }), p).toMatchObject({ ok: false, reason: 'common' });
  });
});
