// The "export unsynced" file: the store's export document, parseable with the domain schema,
// holding every queued mutation in order (the sign-out escape hatch relies on it).
import { describe, expect, it } from 'vitest';
import { UnsyncedExportSchema } from '../../../src/domain/index.ts';
import { EncryptedUnsyncedSchema, decryptUnsynced } from '../../../src/shared/unsynced-crypto.ts';
import { setVisitOutcome } from '../../../src/client/db/index.ts';
import { exportUnsynced } from '../../../src/client/ui/export-unsynced.ts';
import { district, listingEntry, testDb } from '../fixtures.ts';

describe('exportUnsynced (UI file)', () => {
  it('writes every queued mutation, in order, as a pucha-unsynced JSON file encrypted with the passphrase', async () => {
    const db = await testDb();
    await db.districts.put(district());
    await db.listing.bulkPut([listingEntry(1), listingEntry(2)]);
    await setVisitOutcome(db, listingEntry(2).id, { status: 'vacant' });
    await setVisitOutcome(db, listingEntry(1).id, { status: 'refused' });
    const file = await exportUnsynced(db, '9.9.9', '社区第三组 passphrase');
    expect(file.filename).toMatch(/^pucha-unsynced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/);
    expect(file.count).toBe(2);
    const text = await file.blob.text();
    // nothing of the listing in clear: the head's name and address stay inside the ciphertext
    expect(text).not.toContain(listingEntry(1).headName);
    expect(text).not.toContain(listingEntry(1).address);
    const sealed = EncryptedUnsyncedSchema.parse(JSON.parse(text));
    expect((await decryptUnsynced(sealed, 'wrong passphrase')).ok).toBe(false);
    const opened = await decryptUnsynced(sealed, '社区第三组 passphrase');
    if (!opened.ok) throw new Error('could not decrypt');
    const doc = UnsyncedExportSchema.parse(opened.value);
    expect(doc.appVersion).toBe('9.9.9');
    expect(doc.mutations.map((m) => m.entityId)).toEqual([listingEntry(2).id, listingEntry(1).id]);
    expect(await db.outbox.count()).toBe(2); // exporting does not empty the queue
    db.close();
  });
});
