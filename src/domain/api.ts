// The wire contract of api.md as zod schemas, shared by the sync server (which parses requests)
// and the phone (which parses every answer before using it).
import { z } from 'zod';
import { IdSchema, TimestampSchema, DistrictCodeSchema, PathSchema, NO_NUL, YearMonthSchema } from './schemas.ts';

const NUL = 'text may not contain NUL characters';
/** Integer columns of both stores are 32-bit: larger numbers are refused, never a database error. */
export const MAX_INT32 = 2_147_483_647;

/** Bumped when the push/pull protocol changes incompatibly; the server answers older clients with `client_too_old`. */
export const PROTOCOL_VERSION = 1;

export const ROLES = ['enumerator', 'supervisor', 'office', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'client_too_old',
  'internal',
  'unavailable',
  // The office's desk (docs/OFFICE.md): an acceptance step whose conditions are not met, or from a state that does not allow it.
  'not_ready',
  'conflict',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorDetailSchema = z.object({ path: PathSchema, message: z.string() });
export const ApiErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string(), details: z.array(ErrorDetailSchema).optional() });
export const ErrorBodySchema = z.object({ error: ApiErrorSchema });
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(64).regex(NO_NUL, NUL),
  password: z.string().min(1).max(256),
  deviceId: IdSchema,
});
export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  name: z.string(),
  role: RoleSchema,
  /** Offices: their code prefix (2, 4, 6, 9 or 12 digits); admins: "" (the whole installation). */
  scope: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})?$/).optional(),
  /** Enumerators and supervisors: their districts. Offices and admins: [] (never a large scope code by code). */
  districts: z.array(DistrictCodeSchema),
});
export type User = z.infer<typeof UserSchema>;
/**
 * Extension: another device the same user signed in with, as the server last heard of it. A
 * phone that starts empty compares: if one of these still had queued items, they may be lost
 * (reliability.md R11: a wipe erases the device id too, so the phone cannot ask by its old id).
 */
export const KnownDeviceSchema = z.object({
  deviceId: IdSchema,
  lastSeenAt: TimestampSchema.optional(),
  lastPushAt: TimestampSchema.optional(),
  /** The highest deviceSeq the server received from that device. */
  deviceSeq: z.number().int().min(0),
  /** Still queued on that device after its last push (absent when it never reported). */
  pendingOnDevice: z.number().int().min(0).optional(),
});
export type KnownDevice = z.infer<typeof KnownDeviceSchema>;
/** A node of the administrative hierarchy: a code prefix of 2, 4, 6, 9 or 12 digits (an office scope). */
export const OfficeScopeSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'an office scope is a code prefix of 2, 4, 6, 9 or 12 digits');
/** POST /auth/activate: first sign-in of a new or reset account with its one-time code. */
export const ActivateRequestSchema = z.strictObject({
  username: z.string().min(1).max(64).regex(NO_NUL, NUL),
  code: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  deviceId: IdSchema,
});
/** A 256-bit key in base64url (43 characters, no padding). */
export const DeviceKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const LoginResponseSchema = z.object({
  token: z.string(),
  expiresAt: TimestampSchema,
  user: UserSchema,
  /** Extension: the user's other known devices, most recently seen first. */
  otherDevices: z.array(KnownDeviceSchema).optional(),
  /**
   * Extension: this user's key on this device (32 bytes, base64url). The phone wraps its data key
   * with it so a forgotten app PIN is recovered by signing in again; it is never stored in clear.
   */
  deviceKey: DeviceKeySchema.optional(),
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
/** `GET /auth/device-key`: the same key for a phone already signed in (token of that device). */
export const DeviceKeyResponseSchema = z.strictObject({ deviceKey: DeviceKeySchema });
export type DeviceKeyResponse = z.infer<typeof DeviceKeyResponseSchema>;

export const MUTATION_ENTITIES = ['household', 'listing', 'queryAnswer', 'practiceSummary'] as const;
export const MutationSchema = z.strictObject({
  id: IdSchema,
  entity: z.enum(MUTATION_ENTITIES),
  entityId: IdSchema,
  baseVersion: z.number().int().min(0).max(MAX_INT32),
  createdAt: TimestampSchema,
  /** Per-device sequence number (extension): lets the server notice a phone that lost its data. */
  deviceSeq: z.number().int().min(1).max(MAX_INT32).optional(),
  data: z.record(z.string(), z.unknown()),
});
export type Mutation = z.infer<typeof MutationSchema>;

export const DeviceReportSchema = z.strictObject({
  pending: z.number().int().min(0).max(MAX_INT32),
  appVersion: z.string().max(40).regex(NO_NUL, NUL),
  storage: z.strictObject({ usage: z.number().min(0), quota: z.number().min(0) }).optional(),
  persisted: z.boolean().optional(),
  /** Device clock at send time, for skew reporting only (never used for ordering). */
  clock: TimestampSchema.optional(),
});
export type DeviceReport = z.infer<typeof DeviceReportSchema>;

export const MAX_MUTATIONS_PER_PUSH = 200;
export const MAX_PUSH_BYTES = 2 * 1024 * 1024;
export const CLIENT_BATCH_SIZE = 100;

export const PushRequestSchema = z.strictObject({
  deviceId: IdSchema,
  protocolVersion: z.number().int().min(1).optional(),
  mutations: z.array(MutationSchema).max(MAX_MUTATIONS_PER_PUSH),
  device: DeviceReportSchema.optional(),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const MutationStatusSchema = z.enum(['applied', 'duplicate', 'conflict', 'rejected']);
export type MutationStatus = z.infer<typeof MutationStatusSchema>;
export const MutationResultSchema = z.object({
  id: IdSchema,
  status: MutationStatusSchema,
  version: z.number().int().min(0).optional(),
  error: ApiErrorSchema.optional(),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;
export const PushResponseSchema = z.object({ results: z.array(MutationResultSchema), serverTime: TimestampSchema });
export type PushResponse = z.infer<typeof PushResponseSchema>;

export const ChangeSchema = z.object({
  entity: z.enum(['district', 'listing', 'household', 'query']),
  id: z.string(),
  version: z.number().int().min(0),
  data: z.unknown(),
  deleted: z.boolean(),
});
export type Change = z.infer<typeof ChangeSchema>;
export const PullResponseSchema = z.object({
  changes: z.array(ChangeSchema),
  cursor: z.string(),
  more: z.boolean(),
  /** Extension: the highest deviceSeq the server has from this device, so a wiped phone notices. */
  deviceSeq: z.number().int().min(0).optional(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/**
 * Review items (比对复查, issue 12). `draft`: made by a comparison or an import, not yet released
 * to the district (never pulled by a phone); `open`: released; `answered`: the enumerator
 * answered; `resolved`: closed by the supervisor or an office; `dismissed`: withdrawn by an office
 * with a reason (before or after release).
 */
export const QueryStatusSchema = z.enum(['draft', 'open', 'answered', 'resolved', 'dismissed']);
export type QueryStatus = z.infer<typeof QueryStatusSchema>;
/**
 * What a review item asks to check. `other` is the free-text query a supervisor or an office
 * raises on one household (the query of before issue 12).
 */
export const REVIEW_CATEGORIES = ['hukouMissing', 'hukouMismatch', 'childMissing', 'childMismatch', 'deathMissing', 'duplicate', 'internalLogic', 'other'] as const;
export const ReviewCategorySchema = z.enum(REVIEW_CATEGORIES);
export type ReviewCategory = z.infer<typeof ReviewCategorySchema>;
/** Where an item came from: a person's query, the comparison with a register, the national list. */
export const ReviewOriginSchema = z.enum(['query', 'compare', 'national']);
export type ReviewOrigin = z.infer<typeof ReviewOriginSchema>;
export const QueryOutcomeSchema = z.enum(['added', 'corrected', 'verified', 'notThisArea', 'diedOrAbroad', 'duplicate']);
/** The structured answer at the door (one per item). */
export const REVIEW_ANSWER_KINDS = ['addedPerson', 'corrected', 'confirmed', 'notResident', 'registeredElsewhere', 'notFound'] as const;
export const ReviewAnswerKindSchema = z.enum(REVIEW_ANSWER_KINDS);
export type ReviewAnswerKind = z.infer<typeof ReviewAnswerKindSchema>;
/**
 * The structured answers each category takes (the server refuses others; the phone offers these).
 * A free-text query (`other`) may take any.
 */
export const REVIEW_ANSWER_KINDS_FOR: Record<ReviewCategory, readonly ReviewAnswerKind[]> = {
  hukouMissing: ['addedPerson', 'notResident', 'registeredElsewhere', 'notFound'],
  childMissing: ['addedPerson', 'notResident', 'registeredElsewhere', 'notFound'],
  deathMissing: ['addedPerson', 'confirmed', 'notResident', 'notFound'],
  hukouMismatch: ['corrected', 'confirmed'],
  childMismatch: ['corrected', 'confirmed'],
  duplicate: ['corrected', 'confirmed'],
  internalLogic: ['corrected', 'confirmed'],
  other: REVIEW_ANSWER_KINDS,
};

const subjectText = (max: number) => z.string().max(max).regex(NO_NUL, NUL);
/**
 * The person an item is about, as the register (or the national list) has them, and, for a
 * mismatch, as registered. Personal data: only released items reach a phone.
 */
export const ReviewSubjectSchema = z.strictObject({
  name: subjectText(100).optional(),
  citizenId: subjectText(18).optional(),
  sex: z.union([z.literal(1), z.literal(2)]).optional(),
  birth: YearMonthSchema.optional(),
  death: YearMonthSchema.optional(),
  address: subjectText(200).optional(),
  motherName: subjectText(100).optional(),
  motherCitizenId: subjectText(18).optional(),
  /** The registered person the item is about (mismatches, duplicates). */
  personId: IdSchema.optional(),
  /** As registered, where it differs from the register. */
  registered: z.strictObject({ name: subjectText(100).optional(), citizenId: subjectText(18).optional(), sex: z.number().int().optional(), birth: subjectText(7).optional() }).optional(),
  /** Duplicates: the other households holding the same ID (district and household number). */
  others: z.array(z.strictObject({ districtCode: DistrictCodeSchema, householdNo: z.string().max(3) })).max(20).optional(),
  /** internalLogic: the rule whose warning was confirmed, or the national list's code. */
  rule: subjectText(60).optional(),
});
export type ReviewSubject = z.infer<typeof ReviewSubjectSchema>;
/** How an item was matched: exact by ID, or without an ID (and with what confidence, 0..1). */
export const ReviewMatchSchema = z.strictObject({
  method: z.enum(['citizenId', 'fuzzy', 'none', 'rule', 'national']),
  confidence: z.number().min(0).max(1),
  /** The fields that differ (mismatches) or that were matched loosely (fuzzy). */
  fields: z.array(z.enum(['name', 'sex', 'birth', 'citizenId', 'mother', 'address'])).max(6).optional(),
  /** In words, e.g. "name 张伟 vs 张韦 (homophone), birth month off by 1". */
  note: subjectText(300).optional(),
});
export type ReviewMatch = z.infer<typeof ReviewMatchSchema>;

export const ReviewAnswerSchema = z.object({
  text: z.string().max(2000),
  outcome: QueryOutcomeSchema.optional(),
  kind: ReviewAnswerKindSchema.optional(),
  householdId: IdSchema.optional(),
  personId: IdSchema.optional(),
  registrationVersion: z.number().int().min(1).optional(),
  whereabouts: z.string().max(200).optional(),
  answeredAt: TimestampSchema,
});
/** A review item (比对复查 problem): a query on one household, or a problem a comparison found. */
export const ReviewQuerySchema = z.object({
  id: IdSchema,
  /** Absent for a person in no registered household (hukouMissing, childMissing, deathMissing). */
  householdId: IdSchema.optional(),
  districtCode: DistrictCodeSchema,
  householdNo: z.string().optional(),
  category: ReviewCategorySchema.default('other'),
  origin: ReviewOriginSchema.default('query'),
  message: z.string().min(1).max(2000),
  subject: ReviewSubjectSchema.optional(),
  match: ReviewMatchSchema.optional(),
  status: QueryStatusSchema,
  createdBy: IdSchema,
  createdAt: TimestampSchema,
  releasedAt: TimestampSchema.optional(),
  answer: ReviewAnswerSchema.optional(),
  resolvedAt: TimestampSchema.optional(),
  dismissedAt: TimestampSchema.optional(),
  dismissReason: z.string().max(500).optional(),
  version: z.number().int().min(1),
});
export type ReviewQuery = z.infer<typeof ReviewQuerySchema>;
/** A review item as written (category and origin default to a supervisor's `other` query). */
export type ReviewQueryInput = z.input<typeof ReviewQuerySchema>;
export const CreateQuerySchema = z.strictObject({ householdId: IdSchema, message: z.string().trim().min(1).max(2000).regex(NO_NUL, NUL) });
/** Close (`resolved`), or (offices) withdraw with a reason (`dismissed`, e.g. a known register error). */
export const PatchQuerySchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('resolved') }),
  z.strictObject({ status: z.literal('dismissed'), reason: z.string().trim().min(1).max(500).regex(NO_NUL, NUL) }),
]);
/**
 * The `data` of a `queryAnswer` mutation; its entityId is the query id. A free-text answer
 * (`text`) or a structured one (`kind`, with its links); `addedPerson` names the household and
 * the person added, `corrected` the household (and the version saved).
 */
export const QueryAnswerDataSchema = z
  .strictObject({
    text: z.string().trim().max(2000).regex(NO_NUL, NUL).default(''),
    outcome: QueryOutcomeSchema.optional(),
    kind: ReviewAnswerKindSchema.optional(),
    householdId: IdSchema.optional(),
    personId: IdSchema.optional(),
    registrationVersion: z.number().int().min(1).max(MAX_INT32).optional(),
    whereabouts: z.string().trim().max(200).regex(NO_NUL, NUL).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.kind === undefined && a.text === '') ctx.addIssue({ code: 'custom', path: ['text'], message: 'an answer needs a text or a kind' });
    if (a.kind === 'addedPerson' && (a.householdId === undefined || a.personId === undefined)) {
      ctx.addIssue({ code: 'custom', path: [a.householdId === undefined ? 'householdId' : 'personId'], message: 'addedPerson names the household and the person added' });
    }
    if (a.kind === 'corrected' && a.householdId === undefined) ctx.addIssue({ code: 'custom', path: ['householdId'], message: 'corrected names the household corrected' });
  });
export type QueryAnswerData = z.infer<typeof QueryAnswerDataSchema>;

const count = z.number().int().min(0).max(MAX_INT32);
/**
 * The `data` of a `practiceSummary` mutation (issue 15): the phone's latest totals of practice
 * mode, whose own data never leaves the phone. Supervisors read the training signal from it.
 */
export const PracticeSummarySchema = z.strictObject({
  /** Practice households completed. */
  completed: count,
  /** Taps of 完成登记 in practice. */
  attempts: count,
  /** Sum of the blocking findings present at those taps. */
  errorsAtAttempts: count,
  /** Practice households started. */
  households: count,
  /** Times practice was started again. */
  resets: count,
});
export type PracticeSummary = z.infer<typeof PracticeSummarySchema>;
/** Prefix of a practice summary's entityId: one summary per user, named by the caller's user id. */
export const PRACTICE_ENTITY_PREFIX = 'practice-';
/**
 * The entityId of `userId`'s practice summary. It passes IdSchema only while the user id has at
 * most 55 characters (IdSchema allows 64); longer ids are refused as an invalid envelope.
 */
export function practiceSummaryEntityId(userId: string): string {
  return `${PRACTICE_ENTITY_PREFIX}${userId}`;
}
