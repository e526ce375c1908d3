// The named write operations of the phone. Each is ONE Dexie transaction (durability 'strict',
// set on the database) that changes a record and enqueues its frozen mutation together, and
// returns a typed result: expected failures (storage full, invalid, incomplete, not found) are
// values, never exceptions. The UI never writes tables itself.
import {
  ListingEntrySchema,
  ReviewQuerySchema,
  QueryAnswerDataSchema,
  RegistrationDraftSchema,
  RegistrationSchema,
  VisitSchema,
  newSelfCode,
  type Finding,
  type ListingEntry,
  type RegistrationDraft,
  type ReviewQuery,
  type VisitStatus,
} from '../../domain/index.ts';
import type { z } from 'zod';
import type { PuchaDb } from './database.ts';
import { recordKey } from './rows.ts';
import { enqueue, enqueueReads, enqueueTables, guardQuota, issuesOf, nextBase, type EnqueueReads, type OpResult } from './write.ts';

export { applyPulledChanges, type PullApplied } from './pull-apply.ts';
export type { OpFailure, OpResult, Issue } from './write.ts';

export type SaveResult = OpResult<{ registration: RegistrationDraft; mutationId: string; findings: Finding[] }>;
export type ListingResult = OpResult<{ entry: ListingEntry; mutationId: string }>;
export type AnswerResult = OpResult<{ query: ReviewQuery; mutationId: string }>;

/**
 * A review item answered by this save (issue 12): the person `personId` (a person or a death of
 * the registration) was added because of review item `queryId`. The answer `addedPerson` is
 * written and queued in the registration's own transaction, after its mutation, so the server
 * receives the household before the answer that names it, and neither exists without the other.
 */
export interface ReviewLink {
  queryId: string;
  personId: string;
  text?: string;
}

/** A registration as the form hands it over: version and updatedAt are set by the save. */
export type RegistrationInput = Omit<RegistrationDraft, 'version' | 'updatedAt'> & { version?: number; updatedAt?: string };

/**
 * Saves a draft or complete registration (version + 1) with its outbox mutation. The mutation's
 * baseVersion is the version this save replaces, so a single writer never conflicts. The
 * household's kept draft (drafts.ts) is deleted in the same transaction: a save that commits
 * leaves no stale draft behind, and one that fails or is refused keeps it.
 */
export async function saveRegistration(db: PuchaDb, input: RegistrationInput, review?: ReviewLink): Promise<SaveResult> {
  // The edit checks (~12 KB gzip) only a save needs: loaded before the transaction (awaiting a
  // non-Dexie promise inside it would end it), so they stay out of the start-up bundle.
  const [{ validateRegistration }, { blockingFindings }] = await Promise.all([import('../../domain/validate.ts'), import('../../domain/findings.ts')]);
  return guardQuota(() =>
    db.transaction('rw', [db.registrations, db.listing, db.drafts, db.queries, ...enqueueTables(db)], async (): Promise<SaveResult> => {
      // Every read in one round: the listing, the stored version and what enqueue needs.
      const [listing, stored, reads] = await Promise.all([
        readRow(db.listing.get(input.listingId), ListingEntrySchema),
        db.registrations.get(input.id),
        enqueueReads(db, 'household', input.id),
      ]);
      if (!listing) return { ok: false, reason: 'notFound', what: `listing ${input.listingId}` };
      const version = (await nextBase(db, 'household', input.id, stored?.version ?? 0, reads)) + 1;
      const candidate = { ...input, version, updatedAt: new Date(db.now()).toISOString() };
      const parsed = RegistrationDraftSchema.safeParse(candidate);
      if (!parsed.success) return { ok: false, reason: 'invalid', issues: issuesOf(parsed.error) };
      const registration = parsed.data;
      // The same checks as the domain's canComplete (kept as findings so a draft save returns them too).
      const findings = validateRegistration(registration, { listing });
      if (registration.status === 'complete') {
        const strict = RegistrationSchema.safeParse(registration);
        const missing: Finding[] = strict.success
          ? []
          : issuesOf(strict.error).map((i) => ({
              rule: 'REQUIRED',
              severity: 'error',
              path: i.path,
              message: { zh: '必填项未填或无效', en: i.message },
            }));
        const blockers = [...missing, ...blockingFindings(findings, registration.overrides)];
        if (blockers.length > 0) return { ok: false, reason: 'incomplete', findings: blockers };
      }
      // The review answer is prepared before anything is written: a refusal leaves nothing behind.
      let answer: PreparedAnswer | undefined;
      if (review) {
        if (!registration.persons.some((x) => x.id === review.personId) && !registration.deaths.some((x) => x.id === review.personId))
          return { ok: false, reason: 'invalid', issues: [{ path: ['persons'], message: 'the person added for the review item is not in the household' }] };
        const prepared = await prepareAnswer(db, review.queryId, { kind: 'addedPerson', householdId: registration.id, personId: review.personId, text: review.text ?? '' });
        if (!prepared.ok) return prepared;
        answer = prepared.value;
      }
      // Completing the forms is the visit's outcome: the listing says so in the same transaction,
      // so progress on the phone and at the office never disagrees with the forms. It goes first
      // because it is the step that can still refuse, and a refusal must leave nothing written.
      const outcome: VisitStatus = registration.source === 'self' ? 'selfReported' : 'registered';
      let pre: EnqueueReads | undefined = reads;
      if (registration.status === 'complete' && listing.visit.status !== outcome) {
        const visited = await recordVisit(db, listing, { status: outcome });
        if (!visited.ok) return visited;
        pre = undefined; // the visit took the next device sequence number: enqueue reads it again
      }
      // The writes go out together (one transaction: all of them or none), so the save waits
      // one round trip for them, and their encryptions run side by side.
      const [, , row] = await Promise.all([
        db.registrations.put(registration),
        db.drafts.delete(registration.listingId),
        enqueue(db, { entity: 'household', entityId: registration.id, baseVersion: version - 1, data: registration }, pre),
      ]);
      if (answer) await writeAnswer(db, answer);
      return { ok: true, registration, mutationId: row.id, findings };
    }),
  );
}

/**
 * A stored row parsed with its schema (ST5). A row that no longer parses is a bug or a bad
 * upgrade: it throws, which aborts the operation's transaction, rather than spreading bad data.
 */
async function readRow<T>(row: PromiseLike<unknown>, schema: z.ZodType<T>): Promise<T | undefined> {
  const value = await row;
  return value === undefined ? undefined : schema.parse(value);
}

export interface VisitOutcome {
  status: VisitStatus;
  callbackAt?: string;
  note?: string;
}

/** Records a visit (attempts + 1, lastAt now) on a listing entry, with its `listing` mutation. */
export async function setVisitOutcome(db: PuchaDb, listingId: string, outcome: VisitOutcome): Promise<ListingResult> {
  return guardQuota(() =>
    db.transaction('rw', [db.listing, ...enqueueTables(db)], async (): Promise<ListingResult> => {
      const entry = await readRow(db.listing.get(listingId), ListingEntrySchema);
      if (!entry) return { ok: false, reason: 'notFound', what: `listing ${listingId}` };
      return recordVisit(db, entry, outcome);
    }),
  );
}

/** Inside a caller's transaction: the visit on the entry and its `listing` mutation. */
async function recordVisit(db: PuchaDb, entry: ListingEntry, outcome: VisitOutcome): Promise<ListingResult> {
  const listingId = entry.id;
  const visit = VisitSchema.safeParse({
    status: outcome.status,
    attempts: entry.visit.attempts + 1,
    lastAt: new Date(db.now()).toISOString(),
    ...(outcome.callbackAt !== undefined ? { callbackAt: outcome.callbackAt } : {}),
    ...(outcome.note !== undefined ? { note: outcome.note } : {}),
  });
  if (!visit.success) return { ok: false, reason: 'invalid', issues: issuesOf(visit.error) };
  const updated: ListingEntry = { ...entry, visit: visit.data };
  await db.listing.put(updated);
  const row = await enqueue(db, { entity: 'listing', entityId: listingId, baseVersion: await localVersion(db, listingId), data: updated });
  return { ok: true, entry: updated, mutationId: row.id };
}

async function localVersion(db: PuchaDb, listingId: string): Promise<number> {
  return nextBase(db, 'listing', listingId, (await db.recordState.get(recordKey('listing', listingId)))?.version ?? 0);
}

export interface FieldHouseholdInput {
  districtCode: string;
  buildingNo: string;
  unitNo?: string;
  address: string;
  headName: string;
  householdType?: 1 | 2;
  phone?: string;
  note?: string;
}

/** The last ordinary household number; "999" is reserved for households where everyone died. */
export const MAX_HOUSEHOLD_NO = 998;

/** Adds a household found in the field (a missed household) with the next free household number. */
export async function addFieldHousehold(db: PuchaDb, input: FieldHouseholdInput): Promise<ListingResult> {
  return guardQuota(() =>
    db.transaction('rw', [db.districts, db.listing, ...enqueueTables(db)], async (): Promise<ListingResult> => {
      if (!(await db.districts.get(input.districtCode))) return { ok: false, reason: 'notFound', what: `district ${input.districtCode}` };
      const numbers = (await db.listing.where('districtCode').equals(input.districtCode).toArray())
        .map((e) => Number(e.householdNo))
        .filter((n) => n <= MAX_HOUSEHOLD_NO);
      const next = Math.max(0, ...numbers) + 1;
      if (next > MAX_HOUSEHOLD_NO)
        return { ok: false, reason: 'invalid', issues: [{ path: ['householdNo'], message: 'no free household number left (001-998)' }] };
      const parsed = ListingEntrySchema.safeParse({
        id: db.newId(),
        districtCode: input.districtCode,
        buildingNo: input.buildingNo,
        ...(input.unitNo !== undefined ? { unitNo: input.unitNo } : {}),
        householdNo: String(next).padStart(3, '0'),
        address: input.address,
        headName: input.headName,
        kind: 'ordinary',
        householdType: input.householdType ?? 1,
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        selfEnumeration: false,
        longForm: false,
        origin: 'field',
        visit: { status: 'pending', attempts: 0, ...(input.note !== undefined ? { note: input.note } : {}) },
      });
      if (!parsed.success) return { ok: false, reason: 'invalid', issues: issuesOf(parsed.error) };
      await db.listing.add(parsed.data);
      const row = await enqueue(db, { entity: 'listing', entityId: parsed.data.id, baseVersion: 0, data: parsed.data });
      return { ok: true, entry: parsed.data, mutationId: row.id };
    }),
  );
}

/** A free-text answer (`text`, `outcome`) or a structured one (`kind` with its links, issue 12). */
export type QueryAnswerInput = z.input<typeof QueryAnswerDataSchema>;

interface PreparedAnswer {
  query: ReviewQuery;
  data: z.output<typeof QueryAnswerDataSchema>;
}

/** Inside a caller's transaction: the query read and the answer parsed, nothing written yet. */
async function prepareAnswer(db: PuchaDb, queryId: string, input: QueryAnswerInput): Promise<OpResult<{ value: PreparedAnswer }>> {
  const query = await readRow(db.queries.get(queryId), ReviewQuerySchema);
  if (!query) return { ok: false, reason: 'notFound', what: `query ${queryId}` };
  const data = QueryAnswerDataSchema.safeParse(input);
  if (!data.success) return { ok: false, reason: 'invalid', issues: issuesOf(data.error) };
  return { ok: true, value: { query, data: data.data } };
}

/** Inside a caller's transaction: the query shown answered and its `queryAnswer` mutation queued. */
async function writeAnswer(db: PuchaDb, { query, data }: PreparedAnswer): Promise<{ query: ReviewQuery; mutationId: string }> {
  const answer = { ...data, answeredAt: new Date(db.now()).toISOString() };
  const updated: ReviewQuery = { ...query, status: 'answered', answer };
  await db.queries.put(updated);
  const state = await db.recordState.get(recordKey('queryAnswer', query.id));
  const base = await nextBase(db, 'queryAnswer', query.id, state?.version ?? query.version);
  const row = await enqueue(db, { entity: 'queryAnswer', entityId: query.id, baseVersion: base, data });
  return { query: updated, mutationId: row.id };
}

/** Answers a review query; the query shows as answered at once, the answer travels as a `queryAnswer` mutation. */
export async function answerQuery(db: PuchaDb, queryId: string, input: QueryAnswerInput): Promise<AnswerResult> {
  return guardQuota(() =>
    db.transaction('rw', [db.queries, ...enqueueTables(db)], async (): Promise<AnswerResult> => {
      const prepared = await prepareAnswer(db, queryId, input);
      if (!prepared.ok) return prepared;
      return { ok: true, ...(await writeAnswer(db, prepared.value)) };
    }),
  );
}

export type SelfCodeResult = OpResult<{ code: string; entry: ListingEntry; mutationId: string }>;

/** Lower-case hex SHA-256 of a canonical code: what the listing entry carries and the server stores. */
export async function selfCodeHash(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A self-enumeration code made at the door (issue 13), offline: 80 random bits, shown to the
 * household once; only its hash is kept, on the listing entry, and travels as the entry's
 * `listing` mutation (the server accepts the code once that mutation has synced). Refused for a
 * long-form household (self-enumeration covers the short form only) and for one already
 * registered by an enumerator.
 */
export async function issueSelfCode(db: PuchaDb, listingId: string): Promise<SelfCodeResult> {
  const code = newSelfCode((bytes) => crypto.getRandomValues(bytes));
  // Hashed before the transaction: awaiting WebCrypto inside it would end it.
  const hash = await selfCodeHash(code);
  return guardQuota(() =>
    db.transaction('rw', [db.listing, db.registrations, ...enqueueTables(db)], async (): Promise<SelfCodeResult> => {
      const entry = await readRow(db.listing.get(listingId), ListingEntrySchema);
      if (!entry) return { ok: false, reason: 'notFound', what: `listing ${listingId}` };
      if (entry.longForm) return { ok: false, reason: 'invalid', issues: [{ path: ['longForm'], message: 'self-enumeration is not allowed for a long-form household' }] };
      const registered = await db.registrations.where('listingId').equals(listingId).first();
      if (registered && registered.source === 'enumerator' && registered.status === 'complete')
        return { ok: false, reason: 'invalid', issues: [{ path: ['visit', 'status'], message: 'the household is registered already' }] };
      const updated: ListingEntry = { ...entry, selfCode: { hash, issuedAt: new Date(db.now()).toISOString() } };
      await db.listing.put(updated);
      const row = await enqueue(db, { entity: 'listing', entityId: listingId, baseVersion: await localVersion(db, listingId), data: updated });
      return { ok: true, code, entry: updated, mutationId: row.id };
    }),
  );
}
