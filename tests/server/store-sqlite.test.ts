import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { storeContract } from './store-contract.ts';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-store-'));
  const path = join(dir, 'db.sqlite');
  let store = await openSqliteStore(path);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await openSqliteStore(path);
      return store;
    },
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
