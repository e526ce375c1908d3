// Builds the Fastify app (no listen(): tests run it in-process with inject or on port 0):
// the API under /api/v1 with one error shape, and optionally the built web app with an SPA
// fallback to index.html for every non-API GET.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION } from '../domain/index.ts';
import type { LimitRule } from './auth.ts';
import { DEFAULT_LOGIN_LIMITS, DEFAULT_PUSH_LIMIT, makeCtx, type LoginLimits } from './context.ts';
import { errorHandler, sendError } from './errors.ts';
import { authRoutes } from './routes/auth.ts';
import { exportRoutes } from './routes/export.ts';
import { progressRoutes } from './routes/progress.ts';
import { userRoutes } from './routes/users.ts';
import { queryRoutes } from './routes/queries.ts';
import { supervisionRoutes } from './routes/supervision.ts';
import { syncRoutes } from './routes/sync.ts';
import type { Store } from './store/store.ts';

export const API_BASE = '/api/v1';
export const BODY_LIMIT = 5 * 1024 * 1024;

export interface AppOptions {
  store: Store;
  now?: () => Date;
  logger?: boolean;
  /** The built web app (dist/) to serve next to the API. */
  staticDir?: string;
  loginLimits?: LoginLimits;
  /** Oldest push protocol served (default PROTOCOL_VERSION of the domain). */
  minProtocolVersion?: number;
  /** Push requests allowed per device and window (default 120 a minute); more get 429. */
  pushLimit?: LimitRule;
  /** Grace period after a reassignment, in ms (default 7 days). */
  graceMs?: number;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    // The router's own errors (a malformed URL, an over-long parameter) in the api.md shape,
    // without echoing the URL back.
    frameworkErrors: (_error, _req, reply) => {
      void sendError(reply, 400, 'bad_request', 'the request URL is malformed');
    },
  });
  const ctx = makeCtx(opts.store, opts.now ?? (() => new Date()), opts.loginLimits ?? DEFAULT_LOGIN_LIMITS, opts.minProtocolVersion ?? PROTOCOL_VERSION, opts.pushLimit ?? DEFAULT_PUSH_LIMIT, opts.graceMs);

  app.setErrorHandler(errorHandler);
  // JSON only: any other body (text/plain included, which Fastify parses by default) is a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    done();
  });

  await app.register(
    (api, _o, done) => {
      api.get('/healthz', () => Promise.resolve({ ok: true, store: opts.store.kind }));
      authRoutes(api, ctx);
      syncRoutes(api, ctx);
      supervisionRoutes(api, ctx);
      queryRoutes(api, ctx);
      exportRoutes(api, ctx);
      progressRoutes(api, ctx);
      userRoutes(api, ctx);
      done();
    },
    { prefix: API_BASE },
  );

  const staticDir = opts.staticDir;
  const index = staticDir ? join(staticDir, 'index.html') : undefined;
  if (staticDir && index && existsSync(index)) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      setHeaders: (res, path) => {
        // The shell and the worker must be revalidated, or an update never reaches the phones.
        if (path.endsWith('sw.js') || path.endsWith('index.html')) void res.header('Cache-Control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (index && existsSync(index) && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]?.slice(0, 200) ?? ''}`);
  });
  return app;
}
