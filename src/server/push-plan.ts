// The decision rules of a push, pure: given the validated mutations of one batch and the store's
// current state (read under lock inside the push transaction), say what each mutation's result
// is and which rows to write. Both stores run this same function, so they cannot disagree.
//
// Version rule: a registration's (or listing entry's, or query's) server version starts at 0
// (absent). An `applied` mutation needs `baseVersion == current` and makes `current + 1`. The
// phone predicts the same numbers (its first save is version 1, each later save +1), so a
// single writer never conflicts; a second writer from the same base gets `conflict`, its data
// kept as a revision and listed for the supervisor, the current version untouched.
import { REVIEW_ANSWER_KINDS_FOR, ReviewCategorySchema, listingFindings, practiceSummaryEntityId } from '../domain/index.ts';
import type { ApiError, ListingEntry, MutationResult, PracticeSummary, QueryAnswerData, RegistrationDraft } from '../domain/index.ts';
import { blockedError, unconfirmedWarnings } from './push-prepare.ts';
import type { PushSnapshot } from './store/store.ts';

export type EntityKind = 'household' | 'listing' | 'query' | 'practice';

export type Checked =
  | { ok: true; kind: 'household'; districtCode: string; reg: RegistrationDraft; persons: number; errors: number; warnings: number }
  | { ok: true; kind: 'listing'; districtCode: string; entry: ListingEntry }
  | { ok: true; kind: 'query'; answer: QueryAnswerData }
  | { ok: true; kind: 'practice'; summary: PracticeSummary }
  | { ok: false; error: ApiError; districtCode?: string };

/** One mutation after the checks that need no database (zod, edit checks). */
export interface PreparedMutation {
  id: string;
  kind: EntityKind;
  entityId: string;
  baseVersion: number;
  createdAt?: string;
  deviceSeq?: number;
  /** The mutation exactly as received, for quarantine. */
  raw: unknown;
  check: Checked;
}

export interface MutationWrite {
  id: string;
  entity: EntityKind;
  entityId: string;
  baseVersion: number;
  deviceSeq?: number;
  createdAt?: string;
  status: 'applied' | 'conflict' | 'rejected';
  version?: number;
  error?: ApiError;
  /** `afterReassignment`: delivered by an enumerator whose district had moved on (grace period). */
  note?: string;
}

export interface RevisionWrite {
  mutationId: string;
  entity: EntityKind;
  entityId: string;
  districtCode: string;
  version: number;
  baseVersion: number;
  status: 'applied' | 'conflict';
  data: unknown;
}

export interface RegistrationWrite {
  id: string;
  districtCode: string;
  listingId: string;
  householdNo: string;
  form: string;
  status: string;
  version: number;
  persons: number;
  errors: number;
  warnings: number;
  data: RegistrationDraft;
}

export interface ListingWrite {
  id: string;
  districtCode: string;
  householdNo: string;
  visitStatus: string;
  version: number;
  data: ListingEntry;
}

export interface QueryWrite {
  id: string;
  version: number;
  answer: QueryAnswerData & { answeredAt: string };
}

/** A user's practice summary (issue 15): one row per user, the newest by the phone's createdAt. */
export interface PracticeWrite {
  userId: string;
  summary: PracticeSummary;
  createdAt: string;
  version: number;
}

export interface QuarantineWrite {
  mutationId?: string;
  districtCode?: string;
  error: ApiError;
  payload: unknown;
}

export interface PushPlan {
  results: MutationResult[];
  mutations: MutationWrite[];
  revisions: RevisionWrite[];
  registrations: RegistrationWrite[];
  listing: ListingWrite[];
  queries: QueryWrite[];
  practice: PracticeWrite[];
  quarantine: QuarantineWrite[];
  maxDeviceSeq: number;
}

export type PushPlanner = (snapshot: PushSnapshot) => PushPlan;

/** Results that take a mutation out of the phone's outbox (PU3-PU5 of docs/SYNC.md): all of them today. */
const FINAL_STATUSES: ReadonlySet<MutationResult['status']> = new Set(['applied', 'duplicate', 'conflict', 'rejected']);

/**
 * What is still queued on the phone after this push. The phone reports its outbox count at send
 * time, which includes this push's own mutations; storing it as is would over-report by one push
 * until the next one arrives.
 */
export function pendingAfterPush(reported: number, results: readonly MutationResult[]): number {
  return Math.max(0, reported - results.filter((r) => FINAL_STATUSES.has(r.status)).length);
}

const key = (kind: EntityKind, id: string) => `${kind}:${id}`;
const forbidden = (message: string): ApiError => ({ code: 'forbidden', message, details: [] });

/**
 * Build the planner for one batch. `writeDistricts` are the districts the caller may write
 * (an enumerator's assignment; empty for supervisors and admins, who do not push data).
 * `graceDistricts` were reassigned away from the caller within the grace period: what its phone
 * had queued for them is still accepted, and recorded as delivered after the reassignment.
 * `userId` is the caller: the only practice summary it may write is its own (none without it).
 */
export function planPush(
  prepared: readonly PreparedMutation[],
  writeDistricts: ReadonlySet<string>,
  now: string,
  graceDistricts: ReadonlySet<string> = new Set(),
  deviceId?: string,
  userId?: string,
): PushPlanner {
  return (snapshot) => {
    const plan: PushPlan = { results: [], mutations: [], revisions: [], registrations: [], listing: [], queries: [], practice: [], quarantine: [], maxDeviceSeq: 0 };
    // State evolves through the batch: a household saved twice in one batch is base 0 then base 1.
    const state = new Map(snapshot.entities);
    const seen = new Map(snapshot.mutations);
    const regs = new Map<string, RegistrationWrite>();
    const lists = new Map<string, ListingWrite>();
    const queries = new Map<string, QueryWrite>();
    const practiceState = new Map(snapshot.practice);
    const practice = new Map<string, PracticeWrite>();
    // Who is in the households review answers name, as this batch leaves them.
    const members = new Map(snapshot.members ?? []);

    for (const m of prepared) {
      if (m.deviceSeq !== undefined) plan.maxDeviceSeq = Math.max(plan.maxDeviceSeq, m.deviceSeq);
      const earlier = seen.get(m.id);
      if (earlier && deviceId !== undefined && earlier.deviceId !== undefined && earlier.deviceId !== deviceId) {
        // Mutation ids are unique per device (a UUID each); another device's id is never taken as
        // this device's duplicate, which would make its phone drop a record the server never had.
        const error: ApiError = { code: 'validation_failed', message: 'this mutation id was already used by another device', details: [{ path: ['id'], message: 'used by another device' }] };
        plan.quarantine.push({ mutationId: m.id, ...(m.check.ok && (m.check.kind === 'household' || m.check.kind === 'listing') ? { districtCode: m.check.districtCode } : {}), error, payload: m.raw });
        plan.results.push({ id: m.id, status: 'rejected', error });
        continue;
      }
      if (earlier) {
        // Idempotent re-push: an applied mutation is acknowledged as duplicate with the version it
        // got then; a conflict or rejection is repeated as it was, so the phone sees the same answer.
        plan.results.push(
          earlier.status === 'applied'
            ? { id: m.id, status: 'duplicate', ...(earlier.version !== undefined ? { version: earlier.version } : {}) }
            : { id: m.id, status: earlier.status, ...(earlier.version !== undefined ? { version: earlier.version } : {}), ...(earlier.error ? { error: earlier.error } : {}) },
        );
        continue;
      }
      let note: string | undefined;
      const record = (status: MutationWrite['status'], version: number | undefined, error: ApiError | undefined) => {
        plan.mutations.push({
          ...(note !== undefined ? { note } : {}),
          id: m.id,
          entity: m.kind,
          entityId: m.entityId,
          baseVersion: m.baseVersion,
          ...(m.deviceSeq !== undefined ? { deviceSeq: m.deviceSeq } : {}),
          ...(m.createdAt !== undefined ? { createdAt: m.createdAt } : {}),
          status,
          ...(version !== undefined ? { version } : {}),
          ...(error ? { error } : {}),
        });
        seen.set(m.id, { status, ...(version !== undefined ? { version } : {}), ...(error ? { error } : {}), ...(deviceId !== undefined ? { deviceId } : {}) });
      };
      const reject = (error: ApiError, districtCode?: string) => {
        record('rejected', undefined, error);
        plan.quarantine.push({ mutationId: m.id, ...(districtCode !== undefined ? { districtCode } : {}), error, payload: m.raw });
        plan.results.push({ id: m.id, status: 'rejected', error });
      };

      const c = m.check;
      if (!c.ok) {
        reject(c.error, c.districtCode);
        continue;
      }
      if (c.kind === 'practice') {
        // Practice never reaches registrations, revisions or counters: only its summary row.
        if (userId === undefined || m.entityId !== practiceSummaryEntityId(userId)) {
          reject(forbidden('a practice summary may only be your own'));
          continue;
        }
        const stored = practiceState.get(userId);
        const createdAt = m.createdAt ?? now;
        // The summary is the phone's latest totals: an older one delivered late (another batch)
        // is acknowledged so the phone drops it, but keeps the newer counts.
        if (stored && Date.parse(createdAt) < Date.parse(stored.createdAt)) {
          record('applied', stored.version, undefined);
          plan.results.push({ id: m.id, status: 'applied', version: stored.version });
          continue;
        }
        const version = (stored?.version ?? 0) + 1;
        practiceState.set(userId, { version, createdAt });
        practice.set(userId, { userId, summary: c.summary, createdAt, version });
        record('applied', version, undefined);
        plan.results.push({ id: m.id, status: 'applied', version });
        continue;
      }
      const current = state.get(key(m.kind, m.entityId));
      const currentVersion = current?.version ?? 0;

      let districtCode: string;
      let data: unknown;
      if (c.kind === 'query') {
        // A draft has not been released to the district: the phone cannot know it.
        if (!current || current.queryStatus === 'draft') {
          reject({ code: 'not_found', message: 'no such review query', details: [] });
          continue;
        }
        const category = ReviewCategorySchema.catch('other').parse(current.queryCategory);
        if (c.answer.kind !== undefined && !REVIEW_ANSWER_KINDS_FOR[category].includes(c.answer.kind)) {
          reject({ code: 'validation_failed', message: `a ${category} item is not answered ${c.answer.kind}`, details: [{ path: ['data', 'kind'], message: `one of ${REVIEW_ANSWER_KINDS_FOR[category].join(', ')}` }] }, current.districtCode);
          continue;
        }
        if (c.answer.kind === 'addedPerson') {
          // The undercount found is counted from these answers: only a person the server holds,
          // in a household of the item's district, may be named (never trust the phone).
          const target = c.answer.householdId === undefined ? undefined : members.get(c.answer.householdId);
          if (!target || target.districtCode !== current.districtCode || c.answer.personId === undefined || !target.ids.has(c.answer.personId)) {
            reject({ code: 'validation_failed', message: 'the answer names no registered person of a household in this district', details: [{ path: ['data', target?.districtCode === current.districtCode ? 'personId' : 'householdId'], message: 'not a registered person of this district' }] }, current.districtCode);
            continue;
          }
        }
        districtCode = current.districtCode;
        data = c.answer;
      } else {
        districtCode = c.districtCode;
        data = c.kind === 'household' ? c.reg : c.entry;
        if (current && current.districtCode !== districtCode) {
          reject(forbidden('an existing record may not move to another district'), districtCode);
          continue;
        }
      }
      if (!writeDistricts.has(districtCode)) {
        if (!graceDistricts.has(districtCode)) {
          reject(forbidden('district is not assigned to you'), districtCode);
          continue;
        }
        note = 'afterReassignment';
      }
      let counts: { errors: number; warnings: number } | undefined;
      if (c.kind === 'household' && c.reg.verification !== undefined) {
        // A verification at the door is the pushing enumerator's own, of a self-reported household.
        const v = c.reg.verification;
        if (c.reg.source !== 'self' || v.by !== userId) {
          const at = c.reg.source !== 'self' ? ['data', 'verification'] : ['data', 'verification', 'by'];
          const message = c.reg.source !== 'self' ? 'only a self-reported household is verified' : 'a verification names the user who pushes it';
          reject({ code: 'validation_failed', message, details: [{ path: at, message: c.reg.source !== 'self' ? 'not a self-reported household' : 'not you' }] }, districtCode);
          continue;
        }
      }
      if (c.kind === 'household') {
        // The checks that need the listing entry, as the phone runs them (never trust the phone).
        const inBatch = lists.get(c.reg.listingId);
        const listing = inBatch ? { districtCode: inBatch.districtCode, entry: inBatch.data } : snapshot.listings.get(c.reg.listingId);
        if (!listing || listing.districtCode !== districtCode) {
          reject({ code: 'validation_failed', message: 'the household names no listing entry of its district', details: [{ path: ['data', 'listingId'], message: 'no such listing entry in this district' }] }, districtCode);
          continue;
        }
        const extra = listing.entry ? listingFindings(c.reg, listing.entry) : [];
        const blocked = c.reg.status === 'complete' ? blockedError(extra, c.reg.overrides) : undefined;
        if (blocked) {
          reject(blocked, districtCode);
          continue;
        }
        counts = { errors: c.errors + extra.filter((f) => f.severity === 'error').length, warnings: c.warnings + unconfirmedWarnings(extra, c.reg.overrides).length };
      }

      if (m.baseVersion !== currentVersion) {
        record('conflict', currentVersion, undefined);
        plan.revisions.push({ mutationId: m.id, entity: m.kind, entityId: m.entityId, districtCode, version: currentVersion, baseVersion: m.baseVersion, status: 'conflict', data });
        plan.results.push({ id: m.id, status: 'conflict', version: currentVersion });
        continue;
      }

      const version = currentVersion + 1;
      state.set(key(m.kind, m.entityId), { ...current, version, districtCode, ...(current?.queryStatus !== undefined ? { queryStatus: 'answered' } : {}) });
      record('applied', version, undefined);
      plan.revisions.push({ mutationId: m.id, entity: m.kind, entityId: m.entityId, districtCode, version, baseVersion: m.baseVersion, status: 'applied', data });
      plan.results.push({ id: m.id, status: 'applied', version });
      if (c.kind === 'household') {
        const r = c.reg;
        regs.set(m.entityId, {
          id: m.entityId,
          districtCode,
          listingId: r.listingId,
          householdNo: r.householdNo,
          form: r.form,
          status: r.status,
          version,
          persons: c.persons,
          errors: counts?.errors ?? c.errors,
          warnings: counts?.warnings ?? c.warnings,
          data: r,
        });
        members.set(m.entityId, { districtCode, ids: new Set([...r.persons.map((x) => x.id), ...r.deaths.map((x) => x.id)]) });
      } else if (c.kind === 'listing') {
        lists.set(m.entityId, { id: m.entityId, districtCode, householdNo: c.entry.householdNo, visitStatus: c.entry.visit.status, version, data: c.entry });
      } else {
        queries.set(m.entityId, { id: m.entityId, version, answer: { ...c.answer, answeredAt: now } });
      }
    }
    // Only the last write per entity reaches the current-state tables (revisions keep them all).
    plan.registrations = [...regs.values()];
    plan.listing = [...lists.values()];
    plan.queries = [...queries.values()];
    plan.practice = [...practice.values()];
    return plan;
  };
}
