import { describe, it } from 'vitest';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';
import { storeContract } from './store-contract.ts';

const available = await pgAvailableOrSkip();
if (available) {
  storeContract('postgres', () => openTempPg());
} else {
  describe('Store contract: postgres', () => {
    it.skip('PostgreSQL not reachable (see warning above)', () => undefined);
  });
}
