// Self-enumeration (自主填报): the household code, the respondent's requests and the enumerator's
// verification. Shared by the server, the enumerator's phone and the respondent's page (/self),
// so every side normalises and checks a code the same way.
import { z } from 'zod';
import { DeathDraftSchema, HouseholdDraftSchema, IdSchema, OverrideSchema, PersonDraftSchema, TimestampSchema } from './schemas.ts';

export { SelfCodeHashSchema, SelfCodeIssueSchema, SelfVerificationSchema, type SelfCodeIssue, type SelfVerification } from './schemas.ts';

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

/** The form a code opens: the 2020 short form (its items in census-forms.md). */
export const SELF_FORM_VERSION = '2020-short-1';

const CodeInput = z.string().max(64);

export const SelfSessionRequestSchema = z.strictObject({ code: CodeInput });
export type SelfSessionRequest = z.infer<typeof SelfSessionRequestSchema>;

/** What a valid code opens: the address of its household and the form, nothing else. */
export const SelfSessionResponseSchema = z.strictObject({
  address: z.string(),
  form: z.literal('short'),
  formVersion: z.string(),
  /** Until when the code may submit (ISO-8601). */
  deadline: TimestampSchema,
});
export type SelfSessionResponse = z.infer<typeof SelfSessionResponseSchema>;

export const MAX_SELF_SUBMIT_BYTES = 256 * 1024;

/**
 * The respondent's short form. The server makes the registration around it (id, listing, district,
 * household number, `source: "self"`, `status: "complete"`, version) and runs the edit checks;
 * `overrides` are the warnings the respondent confirmed as correct.
 */
export const SelfSubmitRequestSchema = z.strictObject({
  code: CodeInput,
  /** Made by the respondent's browser: a retried submit with the same id gets the same receipt. */
  submissionId: IdSchema,
  household: HouseholdDraftSchema,
  persons: z.array(PersonDraftSchema).min(1).max(60),
  deaths: z.array(DeathDraftSchema).max(20),
  overrides: z.array(OverrideSchema).max(200),
});
export type SelfSubmitRequest = z.infer<typeof SelfSubmitRequestSchema>;

export const SelfSubmitResponseSchema = z.strictObject({ submittedAt: TimestampSchema });
export type SelfSubmitResponse = z.infer<typeof SelfSubmitResponseSchema>;
