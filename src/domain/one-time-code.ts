// One-time codes a person types from paper: the self-enumeration code of a household (issue 13)
// and the activation code of an account share one format (alphabet, normalisation, print format,
// generation). Free of zod, so the respondent's page can use it without bundling a schema library.

/**
 * Crockford base32 (no I, L, O, U): what someone types from a paper notice without confusing
 * 0/O or 1/I/L. 16 characters carry 80 bits of entropy (goal: at least 64).
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 16;

/**
 * A code as typed, scanned or pasted -> its canonical 16 characters, or undefined when it cannot
 * be a code. Case, spaces and hyphens are ignored; I and L read as 1, O as 0 (Crockford).
 */
export function normalizeCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (s.length !== CODE_LENGTH) return undefined;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return s;
}

/** A canonical code grouped for print and display: "ABCD-EFGH-JKMN-PQRS". */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * A fresh code from 10 random bytes (80 bits; every 5 bits one character, no modulo bias).
 * `random` fills the array: `crypto.getRandomValues` on the phone, `randomFillSync` on the server.
 */
export function newCode(random: (bytes: Uint8Array<ArrayBuffer>) => void): string {
  const bytes = new Uint8Array(10);
  random(bytes);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
