// Applies one page of pulled changes (and its cursor) in one transaction. The rule that keeps
// local work safe: a record with queued mutations is never overwritten, and a record whose last
// mutation conflicted or was rejected keeps the phone's data until the server has a newer version.
import {
  DistrictSchema,
  ListingEntrySchema,
  ReviewQuerySchema,
  parseRegistration,
  type Change,
} from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { setMeta } from './meta.ts';
import { recordKey, type Entity } from './rows.ts';
import { guardQuota, type OpResult } from './write.ts';

export interface PullApplied {
  applied: number;
  /** Changes not applied because the phone holds newer or queued local data. */
  skipped: number;
  /** Changes whose data failed the domain schema: not applied, reported (a server bug). */
  invalid: { entity: Change['entity']; id: string; message: string }[];
}

/** The outbox / record-state entity of a pulled change (districts have none). */
const entityOf = (c: Change['entity']): Entity | undefined =>
  c === 'household' ? 'household' : c === 'listing' ? 'listing' : c === 'query' ? 'queryAnswer' : undefined;

export async function applyPulledChanges(db: PuchaDb, changes: readonly Change[], cursor?: string): Promise<OpResult<PullApplied>> {
  return guardQuota(() =>
    db.transaction('rw', [db.districts, db.listing, db.registrations, db.queries, db.outbox, db.recordState, db.meta], async (): Promise<OpResult<PullApplied>> => {
      const out: PullApplied = { applied: 0, skipped: 0, invalid: [] };
      const at = new Date(db.now()).toISOString();
      for (const change of changes) {
        const entity = entityOf(change.entity);
        if (entity) {
          const queued = await db.outbox.where('[entity+entityId]').equals([entity, change.id]).count();
          const state = await db.recordState.get(recordKey(entity, change.id));
          const keepLocal =
            queued > 0 ||
            (state !== undefined &&
              (state.state === 'conflict' || state.state === 'rejected' ? change.version <= state.serverVersion : change.version < state.serverVersion));
          if (keepLocal) {
            out.skipped++;
            continue;
          }
        }
        const problem = await applyOne(db, change);
        if (problem) {
          out.invalid.push({ entity: change.entity, id: change.id, message: problem });
          continue;
        }
        if (entity) {
          const key = recordKey(entity, change.id);
          if (change.deleted) await db.recordState.delete(key);
          else await db.recordState.put({ key, entity, entityId: change.id, state: 'synced', version: change.version, serverVersion: change.version, updatedAt: at });
        }
        out.applied++;
      }
      if (cursor !== undefined) await setMeta(db, 'pullCursor', cursor);
      return { ok: true, ...out };
    }),
  );
}

/** Writes one change; returns a message when its data does not parse. */
async function applyOne(db: PuchaDb, change: Change): Promise<string | undefined> {
  switch (change.entity) {
    case 'district': {
      if (change.deleted) return void (await db.districts.delete(change.id));
      const p = DistrictSchema.safeParse(change.data);
      if (!p.success) return p.error.message;
      await db.districts.put(p.data);
      return undefined;
    }
    case 'listing': {
      if (change.deleted) return void (await db.listing.delete(change.id));
      const p = ListingEntrySchema.safeParse(change.data);
      if (!p.success) return p.error.message;
      await db.listing.put(p.data);
      return undefined;
    }
    case 'household': {
      if (change.deleted) return void (await db.registrations.delete(change.id));
      const p = parseRegistration(change.data);
      if (!p.success) return p.error.message;
      // The local version must equal the server's so the next save's baseVersion matches (SYNC.md ST3).
      await db.registrations.put(change.version >= 1 ? { ...p.data, version: change.version } : p.data);
      return undefined;
    }
    case 'query': {
      if (change.deleted) return void (await db.queries.delete(change.id));
      const p = ReviewQuerySchema.safeParse(change.data);
      if (!p.success) return p.error.message;
      await db.queries.put(p.data);
      return undefined;
    }
  }
}
