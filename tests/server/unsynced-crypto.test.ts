// The unsynced export is encrypted with the enumerator's passphrase; the admin CLI decrypts it
// (passphrase on stdin) and pushes it like a plain one.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNSYNCED_FORMAT, UNSYNCED_FORMAT_VERSION, type UnsyncedExport } from '../../src/domain/index.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { UNSYNCED_KDF_ITERATIONS, decryptUnsynced, encryptUnsynced } from '../../src/shared/unsynced-crypto.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { seedFixtures } from './harness.ts';

const PASS = '光华社区 2020 第三组';
let dir: string;
let store: Store;
let out: string[];
let err: string[];
const run = (argv: string[], stdin = '') =>
  runCli(argv, store, { stdin: () => Promise.resolve(stdin), out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date('2020-11-05T00:00:00.000Z') });

function exportDoc(): UnsyncedExport {
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

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pucha-crypt-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
  out = [];
  err = [];
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('encrypted unsynced export', () => {
  it('[UX1] round trip with the passphrase; nothing personal in the file; a wrong passphrase or a changed header fails', async () => {
    const doc = exportDoc();
    const sealed = await encryptUnsynced(doc, PASS);
    expect(sealed.kdf.iterations).toBe(UNSYNCED_KDF_ITERATIONS);
    expect(sealed.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    const text = JSON.stringify(sealed);
    const names = (doc.records.registrations[0]?.persons ?? []).map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(text).not.toContain(name);
    expect(text).not.toContain('130102001003001');
    expect(await decryptUnsynced(sealed, PASS)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(doc)) as unknown });
    expect(await decryptUnsynced(sealed, `${PASS} `)).toEqual({ ok: false, reason: 'wrong' });
    expect(await decryptUnsynced({ ...sealed, deviceId: randomUUID() }, PASS)).toEqual({ ok: false, reason: 'wrong' });
    // a fresh salt and IV each time
    const again = await encryptUnsynced(doc, PASS);
    expect(again.kdf.salt).not.toBe(sealed.kdf.salt);
    expect(again.cipher.iv).not.toBe(sealed.cipher.iv);
    await expect(encryptUnsynced(doc, 'short')).rejects.toThrow(/at least 8/);
  });

  it('[UX2] admin import-unsynced decrypts with the passphrase on stdin and pushes; a wrong passphrase changes nothing', async () => {
    await seedFixtures(store);
    const file = join(dir, 'sealed.json');
    writeFileSync(file, JSON.stringify(await encryptUnsynced(exportDoc(), PASS)));
    const before = await store.countRevisions();
    expect(await run(['import-unsynced', file], 'not it\n')).toBe(1);
    expect(err.at(-1)).toMatch(/wrong passphrase/);
    expect(await store.countRevisions()).toBe(before);
    expect(await run(['import-unsynced', file], `${PASS}\n`)).toBe(0);
    expect(out.at(-1)).toBe('import-unsynced: 1 mutation(s): 1 applied, 0 duplicate, 0 conflict, 0 rejected');
  });
});
