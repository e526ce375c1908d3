// The self-enumeration code itself: alphabet, normalisation, print format, generation and the
// notice URL. Kept apart from self.ts (which declares zod schemas) so the respondent's page can
// use it without bundling zod.

/**
 * Crockford base32 (no I, L, O, U): what a respondent types from a paper notice without
 * confusing 0/O or 1/I/L. 16 characters carry 80 bits of entropy (goal: at least 64).
 */
export const SELF_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SELF_CODE_LENGTH = 16;

/**
 * A code as typed, scanned or pasted -> its canonical 16 characters, or undefined when it cannot
 * be a code. Case, spaces and hyphens are ignored; I and L read as 1, O as 0 (Crockford).
 */
export function normalizeSelfCode(input: string): string | undefined {
  if (input.length > 64) return undefined;
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (s.length !== SELF_CODE_LENGTH) return undefined;
  for (const ch of s) if (!SELF_CODE_ALPHABET.includes(ch)) return undefined;
  return s;
}

/** A canonical code grouped for print and display: "ABCD-EFGH-JKMN-PQRS". */
export function formatSelfCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * A fresh code from 10 random bytes (80 bits; every 5 bits one character, no modulo bias).
 * `random` fills the array: `crypto.getRandomValues` on the phone, `randomFillSync` on the server.
 */
export function newSelfCode(random: (bytes: Uint8Array<ArrayBuffer>) => void): string {
  const bytes = new Uint8Array(10);
  random(bytes);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += SELF_CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The fragment a notice's QR code carries: `/self#c=CODE` (a fragment never reaches a server log). */
export function selfCodeUrl(origin: string, code: string): string {
  return `${origin.replace(/\/$/, '')}/self#c=${code}`;
}
