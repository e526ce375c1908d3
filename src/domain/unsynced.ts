// The "unsynced export": everything a phone holds that the server has not acknowledged, as one
// JSON document. Last resort when sync is impossible: another phone imports it (and pushes it),
// or the office's admin CLI `import-unsynced` pushes it. The mutations keep their ids, so every
// path is idempotent: whatever the server already has comes back as `duplicate`.
import { z } from 'zod';
import { ApiErrorSchema, MutationSchema, ReviewQuerySchema, MUTATION_ENTITIES } from './api.ts';
import { IdSchema, ListingEntrySchema, RegistrationDraftSchema, TimestampSchema } from './schemas.ts';

export const UNSYNCED_FORMAT = 'pucha-unsynced';
export const UNSYNCED_FORMAT_VERSION = 1;

/** A record the server refused or flagged, kept so the office can see why. */
export const UnsyncedIssueSchema = z.strictObject({
  entity: z.enum(MUTATION_ENTITIES),
  entityId: IdSchema,
  state: z.enum(['conflict', 'rejected']),
  mutationId: IdSchema.optional(),
  error: ApiErrorSchema.optional(),
});

export const UnsyncedExportSchema = z.strictObject({
  format: z.literal(UNSYNCED_FORMAT),
  formatVersion: z.literal(UNSYNCED_FORMAT_VERSION),
  exportedAt: TimestampSchema,
  /** The phone that made the mutations. */
  deviceId: IdSchema,
  /** Who was signed in on that phone, if anyone (the importer pushes under its own account). */
  userId: IdSchema.optional(),
  appVersion: z.string().max(40).optional(),
  /** In outbox order, exactly as they would be pushed (frozen payloads, original ids). */
  mutations: z.array(MutationSchema),
  /** The phone's current copies of the records those mutations (or the issues) are about. */
  records: z.strictObject({
    registrations: z.array(RegistrationDraftSchema),
    listing: z.array(ListingEntrySchema),
    queries: z.array(ReviewQuerySchema),
  }),
  issues: z.array(UnsyncedIssueSchema),
});
export type UnsyncedExport = z.infer<typeof UnsyncedExportSchema>;
export type UnsyncedIssue = z.infer<typeof UnsyncedIssueSchema>;
