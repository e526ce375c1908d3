// Inputs that one store accepts and the other cannot hold (numbers past 32 bits, NUL characters),
// nesting that would overflow a recursive serialiser, and URLs the router refuses: never a 5xx,
// always the api.md error shape, and one bad mutation never fails its neighbours. On both stores.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { PASSWORD, expectErrorShape, seedFixtures } from './harness.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

function hostile(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>) {
  describe(`hostile input: ${name}`, () => {
    let app: FastifyInstance;
    let store: Store;
    let cleanup: () => Promise<void>;
    let auth: Record<string, string>;
    let deviceId: string;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await seedFixtures(store);
      app = await buildApp({ store });
      deviceId = randomUUID();
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum', password: PASSWORD, deviceId } });
      auth = { authorization: `Bearer ${r.json<{ token: string }>().token}` };
    });
    afterAll(async () => {
      await app.close();
      await cleanup();
    });
    const push = (mutations: unknown[], device?: unknown) => app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId, mutations, ...(device ? { device } : {}) } });

    it.each([
      ['baseVersion 2^31', { baseVersion: 2 ** 31 }],
      ['baseVersion 2^53 - 1', { baseVersion: Number.MAX_SAFE_INTEGER }],
      ['deviceSeq 2^31', { deviceSeq: 2 ** 31 }],
    ])('[HI1] %s is rejected alone; its neighbour is applied', async (_what, over) => {
      const good = householdMutation(registration(D1));
      const bad = householdMutation(registration(D1), 0, over);
      const r = await push([good, bad]);
      expect(r.statusCode).toBe(200);
      const res = r.json<{ results: { status: string; error?: { code: string } }[] }>().results;
      expect(res.map((x) => x.status)).toEqual(['applied', 'rejected']);
      expect(res[1]?.error?.code).toBe('validation_failed');
    });

    it('[HI2] a NUL in a household answer rejects that mutation only', async () => {
      const good = householdMutation(registration(D1));
      const reg = registration(D1);
      const bad = householdMutation({ ...reg, persons: reg.persons.map((p, i) => (i === 0 ? { ...p, name: '张\u0000三' } : p)) });
      const r = await push([good, bad]);
      expect(r.statusCode).toBe(200);
      expect(r.json<{ results: { status: string }[] }>().results.map((x) => x.status)).toEqual(['applied', 'rejected']);
    });

    it('[HI3] NUL in the device report, a username or a query message is a 400 in the error shape', async () => {
      const counts = await store.tableCounts();
      const a = await push([householdMutation(registration(D1))], { pending: 1, appVersion: '1.0\u0000' });
      expect(a.statusCode).toBe(400);
      expectErrorShape(a.json(), 'validation_failed');
      const b = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'en\u0000um', password: PASSWORD, deviceId } });
      expect(b.statusCode).toBe(400);
      expectErrorShape(b.json(), 'validation_failed');
      expect(await store.tableCounts()).toEqual(counts);
    });

    it('[HI4] data nested 20,000 levels deep is rejected and quarantined as a summary; the neighbour is applied', async () => {
      // Written as text: serialising it here would overflow this test's own stack.
      const deep = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
      const good = householdMutation(registration(D1));
      const bad = householdMutation(registration(D1));
      const badText = JSON.stringify({ ...bad, data: { household: '@DEEP@' } }).replace('"@DEEP@"', deep);
      const body = `{"deviceId":${JSON.stringify(deviceId)},"mutations":[${JSON.stringify(good)},${badText}]}`;
      const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...auth, 'content-type': 'application/json' }, payload: body });
      expect(r.statusCode).toBe(200);
      expect(r.json<{ results: { status: string }[] }>().results.map((x) => x.status)).toEqual(['applied', 'rejected']);
      const q = await store.listQuarantine({ kind: 'all' }, 0, 1000);
      expect(q.find((x) => x.mutationId === bad.id)?.payload).toMatchObject({ id: bad.id, truncated: expect.any(String) as unknown });
    });

    it('[HI5] router errors are in the api.md shape and do not echo the URL', async () => {
      for (const url of ['/api/v1/queries/%E0%A4%A', `/api/v1/queries/${'x'.repeat(600)}`]) {
        const r = await app.inject({ method: 'PATCH', url, headers: auth, payload: { status: 'resolved' } });
        expect(r.statusCode).toBeGreaterThanOrEqual(400);
        expect(r.statusCode).toBeLessThan(500);
        expectErrorShape(r.json());
        expect(r.body).not.toContain('xxxxxxxxxx');
        expect(r.body).not.toContain('%E0');
      }
    });
  });
}

hostile('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pucha-hostile-'));
  const store = await openSqliteStore(join(dir, 'db.sqlite'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
if (await pgAvailableOrSkip()) {
  hostile('postgres', async () => {
    const h = await openTempPg();
    return { store: h.store, cleanup: h.cleanup };
  });
}
