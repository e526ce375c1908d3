// The self-enumeration code: a one-time code (one-time-code.ts, the activation codes' format too)
// and the notice URL. Kept apart from self.ts (which declares zod schemas) so the respondent's
// page can use it without bundling zod.
export {
  CODE_ALPHABET as SELF_CODE_ALPHABET,
  CODE_LENGTH as SELF_CODE_LENGTH,
  formatCode as formatSelfCode,
  newCode as newSelfCode,
  normalizeCode as normalizeSelfCode,
} from './one-time-code.ts';

/** The fragment a notice's QR code carries: `/self#c=CODE` (a fragment never reaches a server log). */
export function selfCodeUrl(origin: string, code: string): string {
  return `${origin.replace(/\/$/, '')}/self#c=${code}`;
}
