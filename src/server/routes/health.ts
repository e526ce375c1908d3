// GET /healthz: the process answers (no database, for a liveness probe). GET /readyz: the store
// answers a trivial query within a bound (for a readiness probe or a load balancer), else 503.
import type { FastifyInstance } from 'fastify';
import { noteFailure, sendError } from '../errors.ts';
import type { Store } from '../store/store.ts';

/** How long readyz waits for the store before it calls it unavailable. */
export const READY_TIMEOUT_MS = 2000;

class PingTimeout extends Error {
  override readonly name = 'PingTimeout';
}

/** Resolves when the store answers, rejects when it fails or does not answer within `ms`. */
async function pingWithin(store: Store, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new PingTimeout(`the store did not answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([store.ping(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(app: FastifyInstance, store: Store, readyTimeoutMs = READY_TIMEOUT_MS) {
  app.get('/healthz', () => Promise.resolve({ ok: true, store: store.kind }));

  app.get('/readyz', async (req, reply) => {
    try {
      await pingWithin(store, readyTimeoutMs);
    } catch (error) {
      noteFailure(req, error);
      return sendError(reply, 503, 'unavailable', 'the store is not answering');
    }
    return { ok: true, store: store.kind };
  });
}
