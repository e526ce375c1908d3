// Export of everything not yet on the server (the outbox, frozen payloads in order, plus records
// the server rejected) to a JSON file the office can import. Read-only: the queue stays intact.
import type { PuchaDb } from '../db/database.ts';
import { getMeta } from '../db/meta.ts';
import type { ExportFile } from './services.ts';

export async function exportUnsynced(db: PuchaDb, appVersion: string): Promise<ExportFile> {
  const [outbox, problems, deviceId] = await db.transaction('r', [db.outbox, db.recordState, db.meta], () =>
    Promise.all([db.outbox.orderBy('seq').toArray(), db.recordState.where('state').anyOf(['rejected', 'conflict']).toArray(), getMeta(db, 'deviceId')]),
  );
  const at = new Date(db.now()).toISOString();
  const body = { format: 'pucha-unsynced', version: 1, exportedAt: at, appVersion, deviceId: deviceId ?? null, mutations: outbox, problems };
  const stamp = at.replace(/[:.]/g, '-').slice(0, 19);
  return {
    filename: `pucha-unsynced-${stamp}.json`,
    blob: new Blob([JSON.stringify(body, null, 1)], { type: 'application/json' }),
    count: outbox.length,
  };
}
