// Reads for the UI: plain async functions of the database, meant to be wrapped in
// `useLiveQuery(() => listDistricts(db))`. Every row is parsed with its schema on the way out;
// a row that fails is left out rather than crashing a screen (the upgrade tests keep that at zero).
import {
  DistrictSchema,
  ListingEntrySchema,
  ReviewQuerySchema,
  parseRegistration,
  type District,
  type ListingEntry,
  type QueryStatus,
  type RegistrationDraft,
  type ReviewQuery,
  type VisitStatus,
} from '../../domain/index.ts';
import type { z } from 'zod';
import type { PuchaDb } from './database.ts';
import { OutboxRowSchema, RecordStateRowSchema, SyncLogRowSchema, recordKey, type Entity, type OutboxRow, type RecordStateKind, type RecordStateRow, type SyncLogRow } from './rows.ts';

function parseAll<T>(schema: z.ZodType<T>, rows: readonly unknown[]): T[] {
  const out: T[] = [];
  for (const row of rows) {
    const p = schema.safeParse(row);
    if (p.success) out.push(p.data);
  }
  return out;
}

function parseRegistrations(rows: readonly unknown[]): RegistrationDraft[] {
  const out: RegistrationDraft[] = [];
  for (const row of rows) {
    const p = parseRegistration(row);
    if (p.success) out.push(p.data);
  }
  return out;
}

export async function listDistricts(db: PuchaDb): Promise<District[]> {
  return parseAll(DistrictSchema, await db.districts.orderBy('code').toArray());
}

/** The listing of a district in household-number order. */
export async function listingOfDistrict(db: PuchaDb, districtCode: string): Promise<ListingEntry[]> {
  const rows = await db.listing.where('[districtCode+householdNo]').between([districtCode, ''], [districtCode, '\uffff']).toArray();
  return parseAll(ListingEntrySchema, rows);
}

export async function listingEntry(db: PuchaDb, id: string): Promise<ListingEntry | undefined> {
  return parseAll(ListingEntrySchema, [await db.listing.get(id)].filter((r) => r !== undefined))[0];
}

export async function registrationById(db: PuchaDb, id: string): Promise<RegistrationDraft | undefined> {
  const row = await db.registrations.get(id);
  return row ? parseRegistrations([row])[0] : undefined;
}

export async function registrationByListingId(db: PuchaDb, listingId: string): Promise<RegistrationDraft | undefined> {
  return parseRegistrations(await db.registrations.where('listingId').equals(listingId).toArray())[0];
}

export async function registrationsOfDistrict(db: PuchaDb, districtCode: string): Promise<RegistrationDraft[]> {
  return parseRegistrations(await db.registrations.where('districtCode').equals(districtCode).toArray());
}

export interface DistrictProgress {
  districtCode: string;
  total: number;
  byVisit: Record<VisitStatus, number>;
  /** Households with a complete registration. */
  registered: number;
  drafts: number;
  persons: number;
}

export async function progressOfDistrict(db: PuchaDb, districtCode: string): Promise<DistrictProgress> {
  const listing = await listingOfDistrict(db, districtCode);
  const regs = await registrationsOfDistrict(db, districtCode);
  const byVisit: Record<VisitStatus, number> = { pending: 0, registered: 0, selfReported: 0, notAtHome: 0, refused: 0, vacant: 0, demolished: 0 };
  for (const e of listing) byVisit[e.visit.status]++;
  const complete = regs.filter((r) => r.status === 'complete');
  return {
    districtCode,
    total: listing.length,
    byVisit,
    registered: complete.length,
    drafts: regs.length - complete.length,
    persons: complete.reduce((n, r) => n + r.persons.length, 0),
  };
}

export async function reviewQueries(db: PuchaDb, filter: { districtCode?: string; status?: QueryStatus } = {}): Promise<ReviewQuery[]> {
  const rows = filter.districtCode ? await db.queries.where('districtCode').equals(filter.districtCode).toArray() : await db.queries.toArray();
  return parseAll(ReviewQuerySchema, rows)
    .filter((q) => !filter.status || q.status === filter.status)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Review queries not answered yet (the count on the queries tab and the home screen). */
export async function openQueryCount(db: PuchaDb): Promise<number> {
  // Dismissed items are no work; drafts never reach a phone.
  return db.queries.where('status').equals('open').count();
}

/** A review query with the household it is about, as far as this phone knows it. */
export interface QueryWithHousehold {
  query: ReviewQuery;
  householdNo: string;
  /** The head of household: the registration's person with relationship 0, else the listing's name. */
  headName: string | undefined;
  /** The listing entry to open (the household route), when the phone holds it. */
  listingId: string | undefined;
}

/**
 * Review queries with their households. A query names its household by registration id (the
 * supervisor picks a registration) or by listing id; the district and household number, when
 * sent, find the listing entry of a household registered on another phone.
 */
export async function queriesWithHouseholds(db: PuchaDb): Promise<QueryWithHousehold[]> {
  const qs = parseAll(ReviewQuerySchema, await db.queries.toArray());
  const ids = [...new Set(qs.flatMap((q) => (q.householdId !== undefined ? [q.householdId] : [])))];
  const regs = new Map(parseRegistrations((await db.registrations.bulkGet(ids)).filter((r) => r !== undefined)).map((r) => [r.id, r]));
  const byNo = qs.filter((q) => !regs.has(q.householdId ?? '') && q.householdNo !== undefined).map((q) => [q.districtCode, q.householdNo ?? ''] as [string, string]);
  const listingIds = [...new Set([...ids, ...[...regs.values()].map((r) => r.listingId)])];
  const [direct, numbered] = await Promise.all([db.listing.bulkGet(listingIds), byNo.length ? listingByNumbers(db, byNo) : Promise.resolve([])]);
  const entries = parseAll(ListingEntrySchema, [...direct.filter((e) => e !== undefined), ...numbered]);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const byDistrictNo = new Map(entries.map((e) => [`${e.districtCode}/${e.householdNo}`, e]));
  return qs.map((query) => {
    const reg = query.householdId !== undefined ? regs.get(query.householdId) : undefined;
    const entry = byId.get(reg?.listingId ?? query.householdId ?? '') ?? (query.householdNo !== undefined ? byDistrictNo.get(`${query.districtCode}/${query.householdNo}`) : undefined);
    const head = reg?.persons.find((p) => p.relationship === 0) ?? reg?.persons[0];
    return {
      query,
      householdNo: query.householdNo ?? reg?.householdNo ?? entry?.householdNo ?? '',
      headName: head?.name ?? entry?.headName,
      listingId: entry?.id,
    };
  });
}

/** anyOf() reads through a value cursor, which cannot decrypt: keys first, then the rows. */
async function listingByNumbers(db: PuchaDb, byNo: [string, string][]): Promise<unknown[]> {
  const keys = await db.listing.where('[districtCode+householdNo]').anyOf(byNo).primaryKeys();
  return (await db.listing.bulkGet(keys)).filter((e) => e !== undefined);
}

export interface OutboxStats {
  count: number;
  /** createdAt of the oldest queued mutation (device time). */
  oldestCreatedAt: string | undefined;
}

export async function outboxStats(db: PuchaDb): Promise<OutboxStats> {
  const count = await db.outbox.count();
  const first = await db.outbox.orderBy('seq').first();
  return { count, oldestCreatedAt: first?.createdAt };
}

/** The queued mutations in push order. */
export async function outboxEntries(db: PuchaDb, limit = Infinity): Promise<OutboxRow[]> {
  const coll = db.outbox.orderBy('seq');
  return parseAll(OutboxRowSchema, await (Number.isFinite(limit) ? coll.limit(limit) : coll).toArray());
}

export async function recordState(db: PuchaDb, entity: Entity, entityId: string): Promise<RecordStateRow | undefined> {
  const row = await db.recordState.get(recordKey(entity, entityId));
  return row ? parseAll(RecordStateRowSchema, [row])[0] : undefined;
}

/** Record states, optionally only those in one state (e.g. 'rejected' for the "needs attention" list). */
export async function recordStates(db: PuchaDb, state?: RecordStateKind): Promise<RecordStateRow[]> {
  const rows = state ? await db.recordState.where('state').equals(state).toArray() : await db.recordState.toArray();
  return parseAll(RecordStateRowSchema, rows);
}

export const SYNC_LOG_LIMIT = 200;

/** The last 200 sync events, newest first. */
export async function syncLog(db: PuchaDb): Promise<SyncLogRow[]> {
  return parseAll(SyncLogRowSchema, await db.syncLog.orderBy('id').reverse().limit(SYNC_LOG_LIMIT).toArray());
}
