// Citizen ID numbers (GB 11643-1999): 6-digit address code, YYYYMMDD birth date, 3-digit sequence
// (17th digit odd for men, even for women) and an ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

export type CitizenIdResult = { ok: true; birth: string; sex: 1 | 2 } | { ok: false; reason: CitizenIdReason };
/** Closed reason codes for an invalid number. */
export type CitizenIdReason = 'format' | 'checkDigit' | 'date' | 'future';

/** The check character for the first 17 digits. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] ?? '';
}

/** Upper-case and strip spaces, so "1301 0219 9003 0700 1x" checks as typed on a phone. */
export function normalizeCitizenId(id: string): string {
  return id.replace(/\s+/g, '').toUpperCase();
}

function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

/**
 * Check an 18-character citizen ID: format, check character, a real birth date on or before
 * 2020-10-31. On success returns the birth date and sex it encodes; otherwise a closed reason code.
 */
export function checkCitizenId(id: string): CitizenIdResult {
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'format' };
  if (citizenIdCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, reason: 'checkDigit' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!realDate(y, m, d)) return { ok: false, reason: 'date' };
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birth > '2020-10-31') return { ok: false, reason: 'future' };
  const sex = Number(id[16]) % 2 === 1 ? 1 : 2;
  return { ok: true, birth, sex };
}

/** Upgrade a legacy 15-digit number (YYMMDD, 1900s) to 18 characters, or undefined if malformed. */
export function upgradeLegacyCitizenId(id15: string): string | undefined {
  if (!/^\d{15}$/.test(id15)) return undefined;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Build a valid ID from its parts (address code, "YYYY-MM-DD", 2-digit sequence, sex). Used by the generator and tests. */
export function makeCitizenId(address: string, birthDate: string, seq: number, sex: 1 | 2): string {
  const seq2 = String(seq % 100).padStart(2, '0');
  let last = seq % 5 * 2; // even digit 0..8
  if (sex === 1) last += 1;
  const first17 = `${address}${birthDate.replace(/-/g, '')}${seq2}${last}`;
  return first17 + citizenIdCheckChar(first17);
}
