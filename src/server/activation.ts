// One-time activation codes for new and reset accounts. A code is 80 random bits written in
// Crockford base32 (no I, L, O, U: nothing to misread when an office reads it out), in groups of
// four. Because it is random and long, a fast SHA-256 is the right hash (unlike a password, there
// is nothing to guess), which is what lets an import of 470,000 accounts finish in minutes.
import { createHash, randomBytes } from 'node:crypto';
import { csvCell } from './export-csv.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BITS = 80;
const CODE_CHARS = CODE_BITS / 5;

/** Upper-case, without spaces and dashes, with the look-alikes Crockford maps (O->0, I/L->1); undefined if not a code. */
export function normaliseActivationCode(input: string): string | undefined {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_CHARS) return undefined;
  for (const ch of s) if (!ALPHABET.includes(ch)) return undefined;
  return s;
}

export function hashActivationCode(code: string): string {
  // An input that is not a code still gets a hash (of something no code normalises to), so the
  // caller's comparison takes the same path and simply fails.
  const n = normaliseActivationCode(code) ?? `invalid:${code}`;
  return createHash('sha256').update(`pucha-activation:${n}`).digest('hex');
}

export function newActivationCode(): { code: string; hash: string } {
  const bytes = randomBytes(CODE_BITS / 8);
  let bits = 0;
  let acc = 0;
  let raw = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      raw += ALPHABET[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  const code = raw.match(/.{4}/g)?.join('-') ?? raw;
  return { code, hash: hashActivationCode(code) };
}

/** The file an office hands out: UTF-8 with BOM, one account per row. */
export function activationCsv(rows: readonly { username: string; name: string; code: string }[]): string {
  const lines = ['username,name,activationCode', ...rows.map((r) => [r.username, r.name, r.code].map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
