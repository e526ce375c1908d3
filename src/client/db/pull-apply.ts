// Applies one page of pulled changes (and its cursor) in one transaction. The rule that keeps
// local work safe: a record with queued mutations is never overwritten, and a record is replaced
// only by a version newer than the one the server last gave or acknowledged (an equal version is
// the phone's own push coming back; a conflict or rejection keeps the phone's data until then).
import {
  DistrictSchema,
  ListingEntrySchema,
  ReviewQuerySchema,
  parseRegistration,
  type Change,
  type District,
  type ListingEntry,
  type RegistrationDraft,
  type ReviewQuery,
} from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { getMeta, setMeta } from './meta.ts';
import { recordKey, type Entity, type RecordStateRow } from './rows.ts';
import { guardQuota, type OpResult } from './write.ts';

export interface PullApplied {
  applied: number;
  /** Changes not applied because the phone holds newer or queued local data. */
  skipped: number;
  /** Changes whose data failed the domain schema: not applied, reported (a server bug). */
  invalid: { entity: Change['entity']; id: string; message: string }[];
  /** Set when nothing was applied because the session the page was pulled with is no longer the phone's. */
  stale?: true;
}

/** The outbox / record-state entity of a pulled change (districts have none). */
const entityOf = (c: Change['entity']): Entity | undefined =>
  c === 'household' ? 'household' : c === 'listing' ? 'listing' : c === 'query' ? 'queryAnswer' : undefined;

/**
 * `pulledWith` is the session token the page was requested with: when the stored session is
 * another one by the time the page is written (the user signed out, or another user signed in and
 * the previous records were removed, while the request was in flight), the page is dropped, so a
 * previous user's records never land on the phone after the handover.
 */
export async function applyPulledChanges(db: PuchaDb, changes: readonly Change[], cursor?: string, pulledWith?: string): Promise<OpResult<PullApplied>> {
  return guardQuota(() =>
    db.transaction(
      'rw',
      [db.districts, db.listing, db.registrations, db.queries, db.outbox, db.recordState, db.meta],
      async (): Promise<OpResult<PullApplied>> => {
        const out: PullApplied = { applied: 0, skipped: 0, invalid: [] };
        if (pulledWith !== undefined && (await getMeta(db, 'session'))?.token !== pulledWith) return { ok: true, ...out, skipped: changes.length, stale: true };
        const at = new Date(db.now()).toISOString();
        // Read what decides each change once per page (a district load is ~1,000 changes).
        const queued = new Set(
          (await db.outbox.orderBy('[entity+entityId]').uniqueKeys()).map((k) =>
            Array.isArray(k) ? `${String(k[0])}:${String(k[1])}` : '',
          ),
        );
        const keys = [
          ...new Set(
            changes.flatMap((c) => {
              const e = entityOf(c.entity);
              return e ? [recordKey(e, c.id)] : [];
            }),
          ),
        ];
        const states = new Map<string, RecordStateRow>();
        for (const [i, st] of (await db.recordState.bulkGet(keys)).entries()) if (st) states.set(keys[i] ?? '', st);
        const writes = new Writes();
        for (const change of changes) {
          const entity = entityOf(change.entity);
          const key = entity ? recordKey(entity, change.id) : undefined;
          const state = key ? states.get(key) : undefined;
          const keepLocal =
            (key !== undefined && queued.has(key)) ||
            (state !== undefined && change.version <= state.serverVersion);
          if (keepLocal) {
            out.skipped++;
            continue;
          }
          const problem = writes.add(change);
          if (problem) {
            out.invalid.push({ entity: change.entity, id: change.id, message: problem });
            continue;
          }
          if (entity && key) {
            if (change.deleted) {
              states.delete(key);
              writes.stateDeletes.add(key);
            } else {
              const st: RecordStateRow = {
                key,
                entity,
                entityId: change.id,
                state: 'synced',
                version: change.version,
                serverVersion: change.version,
                updatedAt: at,
              };
              states.set(key, st);
              writes.stateDeletes.delete(key);
              writes.states.set(key, st);
            }
          }
          out.applied++;
        }
        await writes.flush(db);
        if (cursor !== undefined) await setMeta(db, 'pullCursor', cursor);
        return { ok: true, ...out };
      },
    ),
  );
}

/** The rows of one page, grouped per table (last change of a record wins), written with bulk calls. */
class Writes {
  readonly puts = {
    districts: new Map<string, District>(),
    listing: new Map<string, ListingEntry>(),
    registrations: new Map<string, RegistrationDraft>(),
    queries: new Map<string, ReviewQuery>(),
  };
  readonly deletes = {
    districts: new Set<string>(),
    listing: new Set<string>(),
    registrations: new Set<string>(),
    queries: new Set<string>(),
  };
  readonly states = new Map<string, RecordStateRow>();
  readonly stateDeletes = new Set<string>();

  /** Parses one change into its table's batch; returns a message when its data does not parse. */
  add(change: Change): string | undefined {
    const table =
      change.entity === 'district'
        ? 'districts'
        : change.entity === 'listing'
          ? 'listing'
          : change.entity === 'household'
            ? 'registrations'
            : 'queries';
    if (change.deleted) {
      this.puts[table].delete(change.id);
      this.deletes[table].add(change.id);
      return undefined;
    }
    this.deletes[table].delete(change.id);
    switch (change.entity) {
      case 'district': {
        const p = DistrictSchema.safeParse(change.data);
        if (!p.success) return p.error.message;
        this.puts.districts.set(change.id, p.data);
        return undefined;
      }
      case 'listing': {
        const p = ListingEntrySchema.safeParse(change.data);
        if (!p.success) return p.error.message;
        this.puts.listing.set(change.id, p.data);
        return undefined;
      }
      case 'household': {
        const p = parseRegistration(change.data);
        if (!p.success) return p.error.message;
        // The local version must equal the server's so the next save's baseVersion matches (SYNC.md ST3).
        this.puts.registrations.set(change.id, change.version >= 1 ? { ...p.data, version: change.version } : p.data);
        return undefined;
      }
      case 'query': {
        const p = ReviewQuerySchema.safeParse(change.data);
        if (!p.success) return p.error.message;
        this.puts.queries.set(change.id, p.data);
        return undefined;
      }
    }
  }

  /**
   * Only the tables with something to write: a page of the phone's own versions coming back
   * writes nothing, and an empty bulk call on an encrypted table still costs the encryption
   * middleware a round of keep-alive requests.
   */
  async flush(db: PuchaDb): Promise<void> {
    const put = async <T>(t: { bulkPut: (rows: T[]) => Promise<unknown> }, rows: Iterable<T>) => {
      const list = [...rows];
      if (list.length > 0) await t.bulkPut(list);
    };
    const del = async (t: { bulkDelete: (keys: string[]) => Promise<unknown> }, keys: Iterable<string>) => {
      const list = [...keys];
      if (list.length > 0) await t.bulkDelete(list);
    };
    await put(db.districts, this.puts.districts.values());
    await put(db.listing, this.puts.listing.values());
    await put(db.registrations, this.puts.registrations.values());
    await put(db.queries, this.puts.queries.values());
    await del(db.districts, this.deletes.districts);
    await del(db.listing, this.deletes.listing);
    await del(db.registrations, this.deletes.registrations);
    await del(db.queries, this.deletes.queries);
    await put(db.recordState, this.states.values());
    await del(db.recordState, this.stateDeletes);
  }
}
