// One-time activation codes for new and reset accounts. A code is 80 random bits written in
// Crockford base32 (no I, L, O, U: nothing to misread when an office reads it out), in groups of
// four. Because it is random and long, a fast SHA-256 is the right hash (unlike a password, there
// is nothing to guess), which is what lets an import of 470,000 accounts finish in minutes.
import { createHash, randomFillSync } from 'node:crypto';
import { formatCode, newCode, normalizeCode } from '../domain/one-time-code.ts';
import { csvCell } from './export-csv.ts';

/** Upper-case, without spaces and dashes, with the look-alikes Crockford maps (O->0, I/L->1); undefined if not a code. */
export const normaliseActivationCode = normalizeCode;

export function hashActivationCode(code: string): string {
  // An input that is not a code still gets a hash (of something no code normalises to), so the
  // caller's comparison takes the same path and simply fails.
  const n = normaliseActivationCode(code) ?? `invalid:${code}`;
  return createHash('sha256').update(`pucha-activation:${n}`).digest('hex');
}

export function newActivationCode(): { code: string; hash: string } {
  const code = formatCode(newCode((bytes) => randomFillSync(bytes)));
  return { code, hash: hashActivationCode(code) };
}

/** The file an office hands out: UTF-8 with BOM, one account per row. */
export function activationCsv(rows: readonly { username: string; name: string; code: string }[]): string {
  const lines = ['username,name,activationCode', ...rows.map((r) => [r.username, r.name, r.code].map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
