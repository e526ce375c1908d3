// A phone's unsynced export with one complete household of D1, and a passphrase for it.
import { randomUUID } from 'node:crypto';
import { UNSYNCED_FORMAT, UNSYNCED_FORMAT_VERSION, type UnsyncedExport } from '../../src/domain/index.ts';
import { D1, householdMutation, registration } from './fixtures.ts';

export const PASS = '光华社区 2020 第三组';
export function exportDoc(): UnsyncedExport {
  const regs = [registration(D1, { householdNo: '002' })];
  return {
    format: UNSYNCED_FORMAT,
    formatVersion: UNSYNCED_FORMAT_VERSION,
    exportedAt: '2020-11-04T12:00:00.000Z',
    deviceId: randomUUID(),
    userId: 'u-enum',
    mutations: regs.map((r) => householdMutation(r)),
    records: { registrations: regs, listing: [], queries: [] },
    issues: [],
  };
}
