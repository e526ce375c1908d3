// R2/R3 of reliability.md over HTTP: a batch pushed again (2-10 times, one after another or all
// at once) is applied once; an answer lost after the commit is recovered by a re-push as
// `duplicate`.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PushResponseSchema, type Mutation, type MutationResult } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => h.close());

const batchOf = (n: number) => {
  const regs = Array.from({ length: n }, () => registration(D1));
  // one household saved twice in the batch, so versions 1 and 2 are both in play
  const first = regs[0];
  const extra = first ? [householdMutation({ ...first, version: 2 }, 1)] : [];
  return [...regs.map((r) => householdMutation(r)), ...extra];
};

describe('idempotent push', () => {
  it('[ID1] the same batch pushed 2..10 times in sequence is applied once', async () => {
    h = await harness();
    const s = await h.login('enum');
    let expected = 0;
    for (let times = 2; times <= 10; times++) {
      const batch = batchOf(5);
      expected += batch.length;
      let first: MutationResult[] | undefined;
      for (let i = 0; i < times; i++) {
        const r = PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: batch } })).json());
        if (!first) {
          first = r.results;
          expect(first.every((x) => x.status === 'applied')).toBe(true);
        } else expect(r.results).toEqual(first.map((x) => ({ id: x.id, status: 'duplicate', version: x.version })));
      }
      expect(await h.store.countRevisions()).toBe(expected);
    }
  });

  it('[ID2] the same batch pushed 2..10 times concurrently is applied once', async () => {
    h = await harness();
    const s = await h.login('enum');
    let expected = 0;
    for (let times = 2; times <= 10; times++) {
      const batch = batchOf(8);
      expected += batch.length;
      const all = await Promise.all(
        Array.from({ length: times }, async () =>
          PushResponseSchema.parse((await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: s.auth, payload: { deviceId: s.deviceId, mutations: batch } })).json()).results,
        ),
      );
      batch.forEach((m, i) => {
        const statuses = all.map((r) => r[i]?.status);
        expect(statuses.filter((x) => x === 'applied')).toHaveLength(1);
        expect(statuses.filter((x) => x === 'duplicate')).toHaveLength(times - 1);
        expect(new Set(all.map((r) => r[i]?.version)).size).toBe(1);
        expect(all.every((r) => r[i]?.id === m.id)).toBe(true);
      });
      expect(await h.store.countRevisions()).toBe(expected);
    }
  });

  it('[ID3] an answer lost after the commit: the re-push is acknowledged as duplicate', async () => {
    // The test learns that the push transaction committed, then cuts the socket before the
    // answer arrives, as a phone losing its connection would.
    let committed: (() => void) | undefined;
    h = await harness();
    const real = h.store;
    const spy: Store = Object.create(real) as Store;
    spy.applyPush = async (batch, plan) => {
      const results = await real.applyPush(batch, plan);
      committed?.();
      await new Promise((r) => setTimeout(r, 50));
      return results;
    };
    const app = await buildApp({ store: spy, now: () => h.clock.now });
    const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    try {
      const s = await h.login('enum');
      const batch: Mutation[] = batchOf(10);
      const body = JSON.stringify({ deviceId: s.deviceId, mutations: batch });
      const outcome = await new Promise<string>((resolve) => {
        const req = request({ host: url.hostname, port: url.port, path: '/api/v1/sync/push', method: 'POST', headers: { ...s.auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
        req.on('response', () => resolve('answered'));
        req.on('error', () => resolve('lost'));
        committed = () => req.destroy();
        req.end(body);
      });
      expect(outcome).toBe('lost');
      expect(await real.countRevisions()).toBe(batch.length);
      committed = undefined;
      const res = await fetch(`${url.origin}/api/v1/sync/push`, { method: 'POST', headers: { ...s.auth, 'content-type': 'application/json' }, body });
      const again = PushResponseSchema.parse(await res.json());
      expect(again.results.map((r) => r.status)).toEqual(batch.map(() => 'duplicate'));
      expect(again.results.at(-1)?.version).toBe(2);
      expect(await real.countRevisions()).toBe(batch.length);
    } finally {
      await app.close();
    }
  });
});
