// Drafts: what the enumerator has typed in a household and not saved yet, one row per listing
// entry in the `drafts` table (schema v3). The household form keeps it within a second of every
// change; it is read back when the household is opened again and deleted by the household's save
// (in the save's own transaction, operations.ts), by a discard, and by a handover (handover.ts).
// Local only: a draft never enters the outbox and is never pushed.
import { z } from 'zod';
import { RegistrationDraftSchema, type RegistrationDraft } from '../../domain/index.ts';
import type { PuchaDb } from './database.ts';
import type { DraftRow } from './rows.ts';

/** The form state kept in `data`; `format` lets a later app version read or drop an older draft. */
const DraftDataSchema = z.strictObject({ format: z.literal(1), registration: RegistrationDraftSchema });

const DraftRowSchema = z.strictObject({
  listingId: z.string().min(1),
  districtCode: z.string().min(1),
  registrationId: z.string().min(1).optional(),
  data: z.unknown(),
  updatedAt: z.number(),
});

export interface Draft {
  registration: RegistrationDraft;
  /** When the draft was last kept (ms since epoch). */
  updatedAt: number;
}

/**
 * Keeps the form's state of one household (replacing the previous draft); `registrationId` is set
 * when the registration it edits is already stored on the phone.
 */
export async function putDraft(db: PuchaDb, registration: RegistrationDraft): Promise<void> {
  const stored = (await db.registrations.where('id').equals(registration.id).count()) > 0;
  const row: DraftRow = {
    listingId: registration.listingId,
    districtCode: registration.districtCode,
    ...(stored ? { registrationId: registration.id } : {}),
    data: { format: 1, registration: structuredClone(registration) },
    updatedAt: db.now(),
  };
  await db.drafts.put(row);
}

/**
 * The draft of a household, if one is kept and still readable. A row this app version cannot
 * read (written by another version) counts as none and stays until the household is saved.
 */
export async function readDraft(db: PuchaDb, listingId: string): Promise<Draft | undefined> {
  const raw = await db.drafts.get(listingId);
  if (raw === undefined) return undefined;
  const row = DraftRowSchema.safeParse(raw);
  const data = row.success ? DraftDataSchema.safeParse(row.data.data) : undefined;
  if (!row.success || !data?.success || data.data.registration.listingId !== listingId) {
    console.warn(`draft of ${listingId} is not readable by this version; ignored`);
    return undefined;
  }
  return { registration: data.data.registration, updatedAt: row.data.updatedAt };
}

/** Deletes the draft of a household (discarded input). Saving deletes it by itself. */
export async function deleteDraft(db: PuchaDb, listingId: string): Promise<void> {
  await db.drafts.delete(listingId);
}

/** The listing entries of a district that have a kept draft (the district list shows 草稿). */
export async function draftListingIds(db: PuchaDb, districtCode: string): Promise<Set<string>> {
  const keys = await db.drafts.where('districtCode').equals(districtCode).primaryKeys();
  return new Set(keys);
}
