// Self-enumeration (自主填报): the household code, the respondent's requests and the enumerator's
// verification. Shared by the server, the enumerator's phone and the respondent's page (/self),
// so every side normalises and checks a code the same way.
import { z } from 'zod';
import { DeathDraftSchema, HouseholdDraftSchema, IdSchema, OverrideSchema, PersonDraftSchema, TimestampSchema } from './schemas.ts';

export { SelfCodeHashSchema, SelfCodeIssueSchema, SelfVerificationSchema, type SelfCodeIssue, type SelfVerification } from './schemas.ts';

export { SELF_CODE_ALPHABET, SELF_CODE_LENGTH, formatSelfCode, newSelfCode, normalizeSelfCode, selfCodeUrl } from './self-code.ts';

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
