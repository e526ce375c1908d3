// The office desk's reads and writes (docs/OFFICE.md, api.md "Offices and progress"), each answer
// parsed with zod before use. Counts missing from an older server default to 0 so a screen still
// renders; anything of the wrong type is an "unexpected answer".
import { z } from 'zod';
import { FindingSchema, OverrideSchema } from '../../../domain/schemas.ts';
import { ReviewQuerySchema } from '../../../domain/api.ts';
import type { ApiPort, ApiResult } from '../services.ts';
import { TotalsSchema } from '../progress-totals.ts';

export { PhaseSchema, ScheduleSchema, TotalsSchema, VISIT_KEYS, type Phase, type Schedule, type Totals, type VisitKey } from '../progress-totals.ts';

const count = z.number().int().min(0);

export const LevelSchema = z.enum(['province', 'city', 'county', 'township', 'area', 'district', 'supervisor', 'all']);
export type Level = z.infer<typeof LevelSchema>;

export const ProgressChildSchema = z.object({ area: z.string(), level: LevelSchema.optional(), name: z.string().nullish(), totals: TotalsSchema });
export type ProgressChild = z.infer<typeof ProgressChildSchema>;
export const ProgressEnumeratorSchema = z.object({
  username: z.string(),
  name: z.string().nullish(),
  lastSeenAt: z.string().nullish(),
  lastPushAt: z.string().nullish(),
  pendingOnDevice: count.nullish(),
});
export type ProgressEnumerator = z.infer<typeof ProgressEnumeratorSchema>;
export const ProgressSchema = z.object({
  /** null for a supervisor's own node (its districts are the children); "" for an admin's whole installation. */
  area: z.string().nullable(),
  level: z.string(),
  name: z.string().nullish(),
  totals: TotalsSchema,
  children: z.array(ProgressChildSchema).default([]),
  enumerators: z.array(ProgressEnumeratorSchema).optional(),
  asOf: z.string().optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

const DailyDaySchema = z.object({
  day: z.string(),
  late: z.boolean().default(false),
  frozenAt: z.string().optional(),
  totals: TotalsSchema,
  children: z.array(z.object({ area: z.string(), name: z.string().nullish(), totals: TotalsSchema })).default([]),
});
export type DailyDay = z.infer<typeof DailyDaySchema>;
export const DailySchema = z.object({
  area: z.string().nullable(),
  level: z.string().optional(),
  name: z.string().nullish(),
  days: z.array(DailyDaySchema),
  expected: z.object({ listing: count }).default({ listing: 0 }),
});
export type Daily = z.infer<typeof DailySchema>;

export const SIGNAL_IDS = ['birthsPer1000', 'deathsPer1000', 'sexRatio', 'sexRatioAtBirth', 'familySize', 'under5Share', 'overrideShare', 'perEnumeratorDay'] as const;
export const SignalSchema = z.object({
  id: z.string(),
  value: z.number().nullable(),
  // An array of two rather than z.tuple: zod is start-up code, and its tuple type would be there for this screen alone.
  range: z.array(z.number()).length(2),
  basis: count.default(0),
  enough: z.boolean(),
  outside: z.enum(['low', 'high']).nullable(),
});
export type Signal = z.infer<typeof SignalSchema>;
const QualityNodeSchema = z.object({ area: z.string().nullable(), name: z.string().nullish(), persons: count.default(0), signals: z.array(SignalSchema) });
export const QualitySchema = z.object({
  area: z.string().nullable(),
  level: z.string().optional(),
  name: z.string().nullish(),
  node: QualityNodeSchema,
  children: z.array(QualityNodeSchema.extend({ area: z.string(), outside: count.default(0) })).default([]),
});
export type Quality = z.infer<typeof QualitySchema>;

export const QualityEnumeratorSchema = z.object({
  username: z.string(),
  name: z.string().nullish(),
  complete: count.default(0),
  overrideShare: z.number().min(0).nullable().default(null),
  topRules: z.array(z.object({ rule: z.string(), n: count })).default([]),
  maxPerDay: count.default(0),
  maxDay: z.string().nullish(),
});
export type QualityEnumerator = z.infer<typeof QualityEnumeratorSchema>;
const QualityEnumeratorsSchema = z.object({ enumerators: z.array(QualityEnumeratorSchema) });

export const HouseholdRowSchema = z.object({
  householdId: z.string(),
  districtCode: z.string(),
  householdNo: z.string(),
  headName: z.string().nullish(),
  enumerator: z.string().nullish(),
  persons: count.default(0),
  births: count.default(0),
  deaths: count.default(0),
  overrides: z.array(z.string()).default([]),
  updatedAt: z.string().optional(),
});
export type HouseholdRow = z.infer<typeof HouseholdRowSchema>;
const HouseholdPageSchema = z.object({ households: z.array(HouseholdRowSchema), next: z.string().nullish() });
export type HouseholdPage = z.infer<typeof HouseholdPageSchema>;

/** Only what the read-only summary shows: a pulled registration may carry more than this screen knows. */
const CountsBySex = z.object({ male: count, female: count }).partial();
const SummaryPersonSchema = z.looseObject({
  name: z.string().optional(),
  relationship: z.number().optional(),
  sex: z.number().optional(),
  birth: z.string().optional(),
  ethnicity: z.string().optional(),
  citizenId: z.string().optional(),
});
export const RegistrationSummarySchema = z.looseObject({
  id: z.string(),
  districtCode: z.string(),
  householdNo: z.string(),
  form: z.enum(['short', 'long']).optional(),
  source: z.enum(['enumerator', 'self']).optional(),
  status: z.enum(['draft', 'complete']),
  household: z.looseObject({ householdType: z.number().optional(), residents: z.number().optional(), births: CountsBySex.optional(), deaths: CountsBySex.optional() }),
  persons: z.array(SummaryPersonSchema).default([]),
  deaths: z.array(z.looseObject({ name: z.string().optional(), sex: z.number().optional(), death: z.string().optional() })).default([]),
  overseas: z.array(z.looseObject({ name: z.string().optional() })).default([]),
  updatedAt: z.string().optional(),
  version: z.number().optional(),
});
export const HouseholdDetailSchema = z.object({
  registration: RegistrationSummarySchema,
  findings: z.array(FindingSchema).default([]),
  overrides: z.array(OverrideSchema).default([]),
  district: z.object({ code: z.string(), name: z.string().nullish() }).optional(),
  enumerator: z.object({ username: z.string(), name: z.string().nullish() }).nullish(),
  queries: z.array(ReviewQuerySchema).default([]),
});
export type HouseholdDetail = z.infer<typeof HouseholdDetailSchema>;

export const AcceptanceStateSchema = z.enum(['open', 'submitted', 'accepted', 'returned', 'reopened']);
export type AcceptanceState = z.infer<typeof AcceptanceStateSchema>;
export const BLOCKER_KINDS = ['pending', 'errors', 'warnings', 'review', 'queued'] as const;
export const BlockerSchema = z.object({ kind: z.enum(BLOCKER_KINDS), count });
export type Blocker = z.infer<typeof BlockerSchema>;
export const AcceptanceSchema = z.object({
  district: z.string(),
  name: z.string().nullish(),
  state: AcceptanceStateSchema,
  blockers: z.array(BlockerSchema).default([]),
  history: z.array(z.object({ action: z.enum(['submit', 'accept', 'return', 'reopen']), by: z.string().nullish(), at: z.string(), reason: z.string().nullish() })).default([]),
});
export type Acceptance = z.infer<typeof AcceptanceSchema>;
/** OFFICE.md names the list's rows "the districts of the area in that state": the item shape of GET /acceptance/:district. */
const AcceptanceListSchema = z.object({ districts: z.array(AcceptanceSchema), next: z.string().nullish() });
export type AcceptanceList = z.infer<typeof AcceptanceListSchema>;

function parsed<T>(r: ApiResult<unknown>, schema: z.ZodType<T>): ApiResult<T> {
  if (!r.ok) return r;
  const p = schema.safeParse(r.value);
  return p.success ? { ok: true, value: p.data } : { ok: false, status: 0, message: `unexpected answer: ${p.error.issues[0]?.message ?? ''}` };
}

const qs = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : '';
};

/** The node `area` (undefined = the caller's own scope) with its children. */
export async function fetchProgress(api: ApiPort, area?: string): Promise<ApiResult<Progress>> {
  return parsed(await api.get(`/progress${qs({ area })}`), ProgressSchema);
}

export async function fetchDaily(api: ApiPort, area: string | undefined, from?: string, to?: string): Promise<ApiResult<Daily>> {
  return parsed(await api.get(`/reports/daily${qs({ area, from, to, format: 'json' })}`), DailySchema);
}

/** The daily report as a file, byte for byte: the CSV's UTF-8 BOM stays first. */
export async function fetchDailyFile(api: ApiPort, format: 'csv' | 'xlsx', area: string | undefined, from?: string, to?: string): Promise<ApiResult<Blob>> {
  return api.getBlob(`/reports/daily${qs({ area, from, to, format })}`);
}

export async function fetchQuality(api: ApiPort, area?: string): Promise<ApiResult<Quality>> {
  return parsed(await api.get(`/quality${qs({ area })}`), QualitySchema);
}

export async function fetchQualityEnumerators(api: ApiPort, area?: string): Promise<ApiResult<QualityEnumerator[]>> {
  const r = parsed(await api.get(`/quality/enumerators${qs({ area })}`), QualityEnumeratorsSchema);
  return r.ok ? { ok: true, value: r.value.enumerators } : r;
}

export interface HouseholdQuery {
  area?: string | undefined;
  /** A signal id or `rule:<ruleId>`. */
  signal: string;
  enumerator?: string | undefined;
  day?: string | undefined;
  after?: string | undefined;
}
export async function fetchHouseholds(api: ApiPort, q: HouseholdQuery, limit = 50): Promise<ApiResult<HouseholdPage>> {
  return parsed(await api.get(`/quality/households${qs({ area: q.area, signal: q.signal, enumerator: q.enumerator, day: q.day, after: q.after, limit: String(limit) })}`), HouseholdPageSchema);
}

export async function fetchHousehold(api: ApiPort, id: string): Promise<ApiResult<HouseholdDetail>> {
  return parsed(await api.get(`/registrations/${encodeURIComponent(id)}`), HouseholdDetailSchema);
}

export async function sendQuery(api: ApiPort, householdId: string, message: string): Promise<ApiResult<unknown>> {
  return api.send('POST', '/queries', { householdId, message });
}

export async function fetchAcceptance(api: ApiPort, district: string): Promise<ApiResult<Acceptance>> {
  return parsed(await api.get(`/acceptance/${encodeURIComponent(district)}`), AcceptanceSchema);
}

export async function fetchAcceptanceList(api: ApiPort, area: string | undefined, state: AcceptanceState, after?: string): Promise<ApiResult<AcceptanceList>> {
  return parsed(await api.get(`/acceptance${qs({ area, state, after, limit: '50' })}`), AcceptanceListSchema);
}

export type AcceptanceAction = { action: 'submit' } | { action: 'accept' } | { action: 'return'; reason: string };
export async function actOnAcceptance(api: ApiPort, district: string, a: AcceptanceAction): Promise<ApiResult<unknown>> {
  return api.send('POST', `/acceptance/${encodeURIComponent(district)}/${a.action}`, a.action === 'return' ? { reason: a.reason } : {});
}
