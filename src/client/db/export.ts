// Export of everything the server has not acknowledged (the outbox, the records it is about, and
// the conflicts / rejections), and the import of such a file on another phone. The import keeps
// the mutation ids and frozen payloads, so pushing it is idempotent (ST8).
import {
  UNSYNCED_FORMAT,
  UNSYNCED_FORMAT_VERSION,
  UnsyncedExportSchema,
  parseRegistration,
  type ListingEntry,
  type RegistrationDraft,
  type ReviewQuery,
  type UnsyncedExport,
  type UnsyncedIssue,
} from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import { ensureDevice, getSession } from './meta.ts';
import { outboxEntries, recordStates } from './queries.ts';
import { recordKey } from './rows.ts';
import { enqueue, enqueueTables, guardQuota, issuesOf, type OpResult } from './write.ts';

/** Builds the export document (it parses with UnsyncedExportSchema). */
export async function exportUnsynced(db: PuchaDb, appVersion?: string): Promise<UnsyncedExport> {
  // The file is imported on another phone and synced there: practice data must never be in it.
  if (db.practice) throw new Error('the practice store is never exported');
  const { deviceId } = await ensureDevice(db);
  const session = await getSession(db);
  return db.transaction('r', [db.outbox, db.recordState, db.registrations, db.listing, db.queries, db.meta], async () => {
    const outbox = await outboxEntries(db);
    const flagged = (await recordStates(db)).filter((s) => s.state === 'conflict' || s.state === 'rejected');
    const wanted = new Set([...outbox.map((m) => recordKey(m.entity, m.entityId)), ...flagged.map((s) => s.key)]);
    const ids = (entity: 'household' | 'listing' | 'queryAnswer') => [...wanted].filter((k) => k.startsWith(`${entity}:`)).map((k) => k.slice(entity.length + 1));
    const registrations: RegistrationDraft[] = [];
    for (const r of await db.registrations.bulkGet(ids('household'))) {
      const p = r ? parseRegistration(r) : undefined;
      if (p?.success) registrations.push(p.data);
    }
    const listing = (await db.listing.bulkGet(ids('listing'))).filter((e): e is ListingEntry => e !== undefined);
    const queries = (await db.queries.bulkGet(ids('queryAnswer'))).filter((q): q is ReviewQuery => q !== undefined);
    const issues: UnsyncedIssue[] = flagged.map((s) => ({
      entity: s.entity,
      entityId: s.entityId,
      state: s.state === 'conflict' ? 'conflict' : 'rejected',
      ...(s.mutationId ? { mutationId: s.mutationId } : {}),
      ...(s.error ? { error: s.error } : {}),
    }));
    return UnsyncedExportSchema.parse({
      format: UNSYNCED_FORMAT,
      formatVersion: UNSYNCED_FORMAT_VERSION,
      exportedAt: new Date(db.now()).toISOString(),
      deviceId,
      ...(session ? { userId: session.user.id } : {}),
      ...(appVersion !== undefined ? { appVersion } : {}),
      mutations: outbox.map((m) => ({ id: m.id, entity: m.entity, entityId: m.entityId, baseVersion: m.baseVersion, createdAt: m.createdAt, deviceSeq: m.deviceSeq, data: m.data })),
      records: { registrations, listing, queries },
      issues,
    });
  });
}

export interface ImportSummary {
  enqueued: number;
  /** Mutation ids already in this phone's outbox. */
  alreadyQueued: number;
  records: number;
}

/**
 * Imports an export file: its mutations join this phone's outbox through the same enqueue step as
 * a save (same ids, times and payloads, this phone's device sequence numbers, the same
 * record-state rule: a conflict or rejection stays visible), and its records are stored unless
 * this phone has queued changes of its own for them. Importing the same file twice adds nothing.
 */
export async function importUnsynced(db: PuchaDb, file: unknown): Promise<OpResult<ImportSummary>> {
  if (db.practice) throw new Error('nothing is imported into the practice store');
  const parsed = UnsyncedExportSchema.safeParse(file);
  if (!parsed.success) return { ok: false, reason: 'invalid', issues: issuesOf(parsed.error) };
  const doc = parsed.data;
  await ensureDevice(db);
  return guardQuota(() =>
    db.transaction('rw', [db.registrations, db.listing, db.queries, ...enqueueTables(db)], async (): Promise<OpResult<ImportSummary>> => {
      const sum: ImportSummary = { enqueued: 0, alreadyQueued: 0, records: 0 };
      const ownQueued = new Set(
        (await db.outbox.orderBy('[entity+entityId]').uniqueKeys()).map((k) => (Array.isArray(k) ? `${String(k[0])}:${String(k[1])}` : '')),
      );
      const put = async <T extends { id: string }>(entity: 'household' | 'listing' | 'queryAnswer', rows: T[], write: (r: T) => Promise<unknown>) => {
        for (const r of rows) {
          if (ownQueued.has(recordKey(entity, r.id))) continue;
          await write(r);
          sum.records++;
        }
      };
      await put('household', doc.records.registrations, async (r) => {
        // Never replace a newer copy this phone already has.
        const local = await db.registrations.get(r.id);
        if (!local || local.version <= r.version) await db.registrations.put(r);
      });
      await put('listing', doc.records.listing, (r) => db.listing.put(r));
      await put('queryAnswer', doc.records.queries, (r) => db.queries.put(r));
      for (const m of doc.mutations) {
        if ((await db.outbox.where('id').equals(m.id).count()) > 0) {
          sum.alreadyQueued++;
          continue;
        }
        await enqueue(db, { id: m.id, createdAt: m.createdAt, entity: m.entity, entityId: m.entityId, baseVersion: m.baseVersion, data: m.data });
        sum.enqueued++;
      }
      return { ok: true, ...sum };
    }),
  );
}
