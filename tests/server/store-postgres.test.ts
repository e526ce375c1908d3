import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { PASSWORD, seedFixtures } from './harness.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';
import { storeContract } from './store-contract.ts';

// Without a reachable server pgAvailableOrSkip fails in CI and prints a loud warning elsewhere;
// the suites below then do not run (runIf), the same convention as the browser suites.
const available = await pgAvailableOrSkip();
if (available) storeContract('postgres', () => openTempPg());

describe.runIf(available)('the app on PostgreSQL', () => {
  it('[PG1] healthz, sign-in, concurrent identical pushes and pull', async () => {
    const h = await openTempPg();
    try {
      await seedFixtures(h.store);
      const app = await buildApp({ store: h.store });
      expect((await app.inject({ method: 'GET', url: '/api/v1/healthz' })).json()).toEqual({ ok: true, store: 'postgres' });
      const deviceId = randomUUID();
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum', password: PASSWORD, deviceId } });
      const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
      const batch = Array.from({ length: 10 }, () => householdMutation(registration(D1)));
      const all = await Promise.all(Array.from({ length: 5 }, async () => PushResponseSchema.parse((await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers, payload: { deviceId, mutations: batch } })).json()).results));
      for (let i = 0; i < batch.length; i++) expect(all.map((r) => r[i]?.status).filter((s) => s === 'applied')).toHaveLength(1);
      expect(await h.store.countRevisions()).toBe(10);
      const pull = PullResponseSchema.parse((await app.inject({ method: 'GET', url: '/api/v1/sync/pull', headers })).json());
      expect(pull.changes.filter((c) => c.entity === 'household')).toHaveLength(10);
      await app.close();
    } finally {
      await h.cleanup();
    }
  });
});
