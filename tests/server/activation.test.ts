// One-time activation codes: random enough that a fast hash is safe, easy to read out and type on
// a phone, and the CSV the office hands out.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activationCsv, hashActivationCode, newActivationCode, normaliseActivationCode } from '../../src/server/activation.ts';
import { parseCsv } from '../../src/server/csv.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The bits a normalised code carries: 5 per Crockford character. */
function decodeBits(normalised: string): { bits: number; value: bigint } {
  let value = 0n;
  for (const ch of normalised) {
    const v = CROCKFORD.indexOf(ch);
    expect(v, ch).toBeGreaterThanOrEqual(0);
    value = (value << 5n) | BigInt(v);
  }
  return { bits: normalised.length * 5, value };
}

describe('newActivationCode', () => {
  const codes = Array.from({ length: 1000 }, () => newActivationCode());

  it('gives 1,000 distinct codes and hashes', () => {
    expect(new Set(codes.map((c) => c.code)).size).toBe(1000);
    expect(new Set(codes.map((c) => c.hash)).size).toBe(1000);
  });

  it('writes four groups of four Crockford characters (no I, L, O, U to misread)', () => {
    for (const { code } of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('decodes each code to at least 64 bits (80 are drawn)', () => {
    const values = new Set<bigint>();
    for (const { code } of codes) {
      const n = normaliseActivationCode(code);
      expect(n).toBeDefined();
      const { bits, value } = decodeBits(n ?? '');
      expect(bits).toBeGreaterThanOrEqual(64);
      values.add(value);
    }
    expect(values.size).toBe(1000);
  });

  it('uses every character at every position (no position stuck on a few values by a bit-packing slip)', () => {
    // 1,000 codes give each character ~31 chances per position: missing one by chance has
    // probability about 512 * (31/32)^1000 < 1e-11.
    for (let pos = 0; pos < 16; pos++) {
      const seen = new Set(codes.map(({ code }) => normaliseActivationCode(code)?.[pos]));
      expect(seen.size, `position ${pos}`).toBe(32);
    }
  });

  it('returns the hash of its own code', () => {
    for (const { code, hash } of codes.slice(0, 20)) expect(hashActivationCode(code)).toBe(hash);
  });
});

describe('normaliseActivationCode', () => {
  const canonical = 'K7QM3XPDR9TWF2HA';
  it.each<[string, string]>([
    ['the printed form', 'K7QM-3XPD-R9TW-F2HA'],
    ['lower case', 'k7qm-3xpd-r9tw-f2ha'],
    ['mixed case', 'K7qm-3XpD-r9Tw-F2hA'],
    ['no dashes', 'K7QM3XPDR9TWF2HA'],
    ['spaces for dashes', 'K7QM 3XPD R9TW F2HA'],
    ['surrounding blanks and a tab', ' \tK7QM-3XPD-R9TW-F2HA \n'],
    ['dashes in other places', 'K7-QM3X-PDR9-TWF2-HA'],
    ['a full-width space typed by a Chinese keyboard', 'K7QM\u30003XPD\u3000R9TW\u3000F2HA'],
  ])('reads %s', (_what, input) => {
    expect(normaliseActivationCode(input)).toBe(canonical);
  });

  it.each<[string, string, string]>([
    ['O for 0', 'O0O0-1111-2222-3333', '0000111122223333'],
    ['I and L for 1', 'I1L1-0000-2222-3333', '1111000022223333'],
    ['lower-case o, i, l', 'oooo-iiii-llll-2222', '0000111111112222'],
  ])('maps the look-alike %s', (_what, input, expected) => {
    expect(normaliseActivationCode(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['an empty input', ''],
    ['only dashes', '----'],
    ['15 characters', 'K7QM-3XPD-R9TW-F2H'],
    ['17 characters', 'K7QM-3XPD-R9TW-F2HAB'],
    ['a U (not in the alphabet)', 'K7QM-3XPD-R9TW-F2HU'],
    ['punctuation', 'K7QM-3XPD-R9TW-F2H!'],
    ['a password-like input', 'pucha-demo'],
  ])('refuses %s', (_what, input) => {
    expect(normaliseActivationCode(input)).toBeUndefined();
  });
});

describe('hashActivationCode', () => {
  it('is SHA-256 hex', () => {
    expect(hashActivationCode('K7QM-3XPD-R9TW-F2HA')).toMatch(/^[0-9a-f]{64}$/);
  });
  it('is the same for every way of typing one code', () => {
    const h = hashActivationCode('K7QM-3XPD-R9TW-F2HA');
    for (const typed of ['k7qm3xpdr9twf2ha', ' K7QM 3XPD R9TW F2HA ', 'k7qm-3xpd-r9tw-f2ha']) expect(hashActivationCode(typed)).toBe(h);
  });
  it('differs for codes one character apart', () => {
    const a = hashActivationCode('K7QM-3XPD-R9TW-F2HA');
    expect(hashActivationCode('K7QM-3XPD-R9TW-F2HB')).not.toBe(a);
    expect(hashActivationCode('A7QM-3XPD-R9TW-F2HA')).not.toBe(a);
  });
  it('is not the bare SHA-256 of the code (so a table of bare code hashes does not apply)', () => {
    expect(hashActivationCode('K7QM-3XPD-R9TW-F2HA')).not.toBe(createHash('sha256').update('K7QM3XPDR9TWF2HA').digest('hex'));
  });
  it('hashes a non-code without throwing, to something no code hashes to', () => {
    const { hash } = newActivationCode();
    expect(hashActivationCode('')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashActivationCode('not a code')).not.toBe(hash);
  });
});

describe('activationCsv', () => {
  it('starts with a BOM and the header, one CRLF line per account', () => {
    expect(activationCsv([{ username: 'e1', name: '张三', code: 'AAAA-BBBB-CCCC-DDDD' }])).toBe(
      '\uFEFFusername,name,activationCode\r\ne1,张三,AAAA-BBBB-CCCC-DDDD\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(activationCsv([])).toBe('\uFEFFusername,name,activationCode\r\n');
  });

  it.each<[string, string, string]>([
    ['a comma', '王, 五', '"王, 五"'],
    ['quotes', '赵 "老" 四', '"赵 ""老"" 四"'],
    ['a line break', '甲\n乙', '"甲\n乙"'],
    ['a leading =', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a leading +', '+86 139', "'+86 139"],
    ['a leading -', '-1', "'-1"],
    ['a leading @', '@SUM(A1)', "'@SUM(A1)"],
    ['a = inside (not a formula)', '甲=乙', '甲=乙'],
  ])('quotes or defuses a name with %s', (_what, name, cell) => {
    const text = activationCsv([{ username: 'e1', name, code: 'AAAA-BBBB-CCCC-DDDD' }]);
    expect(text.split('\r\n')[1]).toBe(`e1,${cell},AAAA-BBBB-CCCC-DDDD`);
  });

  it('reads back with the CSV reader to the same accounts, in order', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ username: `e${i}`, name: `普查员, "${i}"`, ...newActivationCode() }));
    const records = parseCsv(activationCsv(rows));
    expect(records[0]?.fields).toEqual(['username', 'name', 'activationCode']);
    expect(records.slice(1).map((r) => r.fields)).toEqual(rows.map((r) => [r.username, r.name, r.code]));
  });
});
