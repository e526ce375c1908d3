// Turns the store's unsynced export (src/client/db/export.ts: outbox in order with frozen payloads,
// the records they are about, conflicts and rejections) into a file for the user to keep. The
// file leaves the phone (cable, messenger, memory card), so it is encrypted with a passphrase the
// user chooses; the office's `npm run admin -- import-unsynced` asks for it.
import { encryptUnsynced } from '../../shared/unsynced-crypto.ts';
import type { PuchaDb } from '../db/database.ts';
import { exportUnsynced as buildExport } from '../db/export.ts';
import type { ExportFile } from './services.ts';

export async function exportUnsynced(db: PuchaDb, appVersion: string, passphrase: string): Promise<ExportFile> {
  const doc = await buildExport(db, appVersion);
  const sealed = await encryptUnsynced(doc, passphrase);
  const stamp = doc.exportedAt.replace(/[:.]/g, '-').slice(0, 19);
  return {
    filename: `pucha-unsynced-${stamp}.json`,
    blob: new Blob([JSON.stringify(sealed)], { type: 'application/json' }),
    count: doc.mutations.length,
  };
}
