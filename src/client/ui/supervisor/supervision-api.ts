// The supervisor's reads and writes over the API (api.md "Supervision"), each answer parsed with
// zod before use. Status fields beyond api.md's list are optional so an older server still works.
import { z } from 'zod';
import { PracticeSummarySchema, RegistrationDraftSchema, ReviewQuerySchema, type RegistrationDraft, type ReviewQuery } from '../../../domain/index.ts';
import type { ApiPort, ApiResult } from '../services.ts';
import { emptyCounts, type VisitCounts } from '../progress.ts';
import { TotalsSchema, type Totals } from '../progress-totals.ts';

const count = z.number().int().min(0);
/** The enumerator's practice-mode totals (issue 15); absent when its phone never sent any. */
export const PracticeStatusSchema = PracticeSummarySchema.extend({ updatedAt: z.string() });
export type PracticeStatus = z.infer<typeof PracticeStatusSchema>;
export const EnumeratorStatusSchema = z.object({
  userId: z.string(),
  username: z.string(),
  name: z.string().default(''),
  districts: z.array(z.string()).default([]),
  lastSeenAt: z.string().nullish(),
  lastPushAt: z.string().nullish(),
  pendingOnDevice: count.nullish(),
  appVersion: z.string().nullish(),
  rejected: count.default(0),
  conflicts: count.default(0),
  practice: PracticeStatusSchema.nullish(),
});
export type EnumeratorStatus = z.infer<typeof EnumeratorStatusSchema>;

export const DistrictStatusSchema = z.object({
  code: z.string(),
  name: z.string().default(''),
  enumerators: z.array(z.string()).default([]),
  listingSize: count.default(0),
  byVisitStatus: z.record(z.string(), count).default({}),
  registrations: count.default(0),
  completeRegistrations: count.optional(),
  personsRegistered: count.default(0),
  householdsWithErrors: count.default(0),
  householdsWithWarnings: count.default(0),
  openQueries: count.default(0),
  /** Self-enumeration (issue 13): registrations the households submitted, verified at the door, still to verify. */
  selfReported: count.default(0),
  selfVerified: count.default(0),
  selfAwaiting: count.default(0),
});
export type DistrictStatus = z.infer<typeof DistrictStatusSchema>;

export const SupervisionStatusSchema = z.object({ enumerators: z.array(EnumeratorStatusSchema), districts: z.array(DistrictStatusSchema) });
export type SupervisionStatus = z.infer<typeof SupervisionStatusSchema>;

const QueriesResponseSchema = z.union([z.array(ReviewQuerySchema), z.object({ queries: z.array(ReviewQuerySchema) }).transform((x) => x.queries)]);
const ExportJsonSchema = z.union([
  z.array(z.unknown()),
  z.object({ registrations: z.array(z.unknown()) }).transform((x) => x.registrations),
]);

function parsed<T>(r: ApiResult<unknown>, schema: z.ZodType<T>): ApiResult<T> {
  if (!r.ok) return r;
  const p = schema.safeParse(r.value);
  return p.success ? { ok: true, value: p.data } : { ok: false, status: 0, message: `unexpected answer: ${p.error.issues[0]?.message ?? ''}` };
}

export async function fetchStatus(api: ApiPort): Promise<ApiResult<SupervisionStatus>> {
  return parsed(await api.get('/supervision/status'), SupervisionStatusSchema);
}

export async function fetchQueries(api: ApiPort, status?: ReviewQuery['status']): Promise<ApiResult<ReviewQuery[]>> {
  return parsed(await api.get(`/queries${status ? `?status=${status}` : ''}`), QueriesResponseSchema);
}

export async function createQuery(api: ApiPort, householdId: string, message: string): Promise<ApiResult<unknown>> {
  return api.send('POST', '/queries', { householdId, message });
}

export async function resolveQuery(api: ApiPort, id: string): Promise<ApiResult<unknown>> {
  return api.send('PATCH', `/queries/${encodeURIComponent(id)}`, { status: 'resolved' });
}

/**
 * The registrations of ONE district (its JSON export), for the household list and warnings the
 * supervisor asks for. Only ever called on that request, never when the dashboard loads: the
 * counts come from the status and progress answers. Rows that do not parse are skipped.
 */
export async function fetchRegistrations(api: ApiPort, district: string): Promise<ApiResult<RegistrationDraft[]>> {
  const r = parsed(await api.get(`/export?format=json&district=${encodeURIComponent(district)}`), ExportJsonSchema);
  if (!r.ok) return r;
  const regs: RegistrationDraft[] = [];
  for (const row of r.value) {
    const p = RegistrationDraftSchema.safeParse(row);
    if (p.success) regs.push(p.data);
  }
  return { ok: true, value: regs };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The XLSX export (for people: IDs, household numbers and codes are text cells), as bytes. */
export async function fetchXlsx(api: ApiPort, district?: string): Promise<ApiResult<Blob>> {
  return api.getBlob(`/export?format=xlsx${district ? `&district=${encodeURIComponent(district)}` : ''}`);
}

/** The CSV export (for machines) as the server sent it: bytes, so its UTF-8 BOM is kept. */
export async function fetchCsv(api: ApiPort, district?: string): Promise<ApiResult<Blob>> {
  return api.getBlob(`/export?format=csv${district ? `&district=${encodeURIComponent(district)}` : ''}`);
}

export type ProgressTotals = Totals;
const ProgressSchema = z.object({ totals: TotalsSchema, asOf: z.string().optional() });

/** The caller's own node of GET /progress (api.md "Offices and progress"): the totals of its scope. */
export async function fetchProgress(api: ApiPort): Promise<ApiResult<ProgressTotals>> {
  const r = parsed(await api.get('/progress'), ProgressSchema);
  return r.ok ? { ok: true, value: r.value.totals } : r;
}

const DuplicateEnumeratorSchema = z.object({ username: z.string(), name: z.string() }).nullable();
export const DuplicateHouseholdSchema = z.discriminatedUnion('inScope', [
  z.object({
    inScope: z.literal(true),
    registrationId: z.string(),
    districtCode: z.string(),
    householdNo: z.string(),
    enumerator: DuplicateEnumeratorSchema,
    person: z.object({ index: count, name: z.string().optional() }),
  }),
  z.object({ inScope: z.literal(false), districtCode: z.string(), householdNo: z.string(), enumerator: DuplicateEnumeratorSchema }),
]);
export type DuplicateHousehold = z.infer<typeof DuplicateHouseholdSchema>;
export const DuplicateGroupSchema = z.object({ citizenId: z.string(), households: z.array(DuplicateHouseholdSchema) });
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;
const DuplicatesPageSchema = z.object({ duplicates: z.array(DuplicateGroupSchema), next: count.optional() });

/** One page of citizen IDs held by more than one household (GET /supervision/duplicates; the cursor is a group number). */
export async function fetchDuplicates(api: ApiPort, after = 0, limit = 50): Promise<ApiResult<z.infer<typeof DuplicatesPageSchema>>> {
  return parsed(await api.get(`/supervision/duplicates?after=${after}&limit=${limit}`), DuplicatesPageSchema);
}

/** At risk: no contact for a day, or many items queued on the phone (sorted first on the dashboard). */
export const RISK_QUEUED = 50;
export const RISK_STALE_MS = 24 * 3600 * 1000;
export function riskOf(e: EnumeratorStatus, now: number): ('stale' | 'queued')[] {
  const risks: ('stale' | 'queued')[] = [];
  const seen = e.lastSeenAt ? Date.parse(e.lastSeenAt) : NaN;
  if (Number.isNaN(seen) || now - seen > RISK_STALE_MS) risks.push('stale');
  if ((e.pendingOnDevice ?? 0) >= RISK_QUEUED) risks.push('queued');
  return risks;
}

export function sortByRisk(list: readonly EnumeratorStatus[], now: number): EnumeratorStatus[] {
  const score = (e: EnumeratorStatus) => riskOf(e, now).length * 1e6 + (e.pendingOnDevice ?? 0) + e.rejected + e.conflicts;
  return [...list].sort((a, b) => score(b) - score(a) || a.username.localeCompare(b.username));
}

/**
 * Visit outcomes of a district for the chart. Completing a registration does not (yet) change its
 * listing entry's visit status on the phone or the server, so complete registrations beyond the
 * listing's "registered" count are moved from "pending" to "registered" here.
 */
export function districtCounts(d: DistrictStatus): VisitCounts {
  const counts = emptyCounts();
  for (const [k, v] of Object.entries(d.byVisitStatus)) if (k in counts) counts[k as keyof VisitCounts] = v;
  const complete = d.completeRegistrations ?? 0;
  const extra = Math.min(counts.pending, Math.max(0, complete - counts.registered - counts.selfReported));
  counts.registered += extra;
  counts.pending -= extra;
  return counts;
}
