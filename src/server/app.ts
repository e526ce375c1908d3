// Builds the Fastify app (no listen(): tests run it in-process with inject or on port 0):
// the API under /api/v1 with one error shape, and optionally the built web app with an SPA
// fallback to index.html for every non-API GET.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION } from '../domain/index.ts';
import { DEFAULT_SELF, makeCtx, type SelfOptions } from './context.ts';
import { errorHandler, requestIdFor, sendError } from './errors.ts';
import { DEFAULT_LOGIN_LIMITS, DEFAULT_PUSH_LIMIT, type LimitRule, type LoginLimits } from './limiter.ts';
import { Metrics, instrument, metricsRoute, stderrLog, type ErrorLog } from './metrics.ts';
import { authRoutes } from './routes/auth.ts';
import { exportRoutes } from './routes/export.ts';
import { healthRoutes } from './routes/health.ts';
import { progressRoutes } from './routes/progress.ts';
import { userRoutes } from './routes/users.ts';
import { reviewRoutes } from './routes/review.ts';
import { queryRoutes } from './routes/queries.ts';
import { supervisionRoutes } from './routes/supervision.ts';
import { syncRoutes } from './routes/sync.ts';
import { selfRoutes } from './routes/self.ts';
import { officeRoutes } from './routes/office.ts';
import { DEFAULT_OFFICE, type OfficeOptions } from './office-config.ts';
import { startDailyFreeze } from './daily.ts';
import type { Store } from './store/store.ts';
import { applySecurityHeaders, securityHeaders, staticCacheControl } from './security.ts';
import { serverOptions, type ServerTimeouts, type TlsFiles, type TrustProxy } from './tls.ts';

export const API_BASE = '/api/v1';
export const BODY_LIMIT = 5 * 1024 * 1024;

export interface AppOptions {
  store: Store;
  now?: () => Date;
  logger?: boolean;
  /** The built web app (dist/) to serve next to the API. */
  staticDir?: string;
  /** Growing delays after failed sign-ins per user and per address (default DEFAULT_LOGIN_LIMITS in limiter.ts). */
  loginLimits?: LoginLimits;
  /** Oldest push protocol served (default PROTOCOL_VERSION of the domain). */
  minProtocolVersion?: number;
  /** Push requests allowed per device and window (default 120 a minute); more get 429. */
  pushLimit?: LimitRule;
  /** Grace period after a reassignment, in ms (default 7 days). */
  graceMs?: number;
  /** Built-in HTTPS (PEM certificate chain and key); plain HTTP without. */
  https?: TlsFiles;
  /** Proxies whose X-Forwarded-For/-Proto are believed: addresses or CIDRs (true: any; default false). */
  trustProxy?: TrustProxy;
  /** Request, headers, idle-socket and keep-alive timeouts in ms (defaults: DEFAULT_TIMEOUTS in tls.ts). */
  timeouts?: Partial<ServerTimeouts>;
  /** Serves GET /metrics to `Authorization: Bearer <metricsToken>`; without it /metrics is a 404. */
  metricsToken?: string;
  /** Where each 5xx is logged as one JSON line (default stderr), whether or not `logger` is on. */
  errorLog?: ErrorLog;
  /** How long GET /readyz waits for the store (default 2 s). */
  readyTimeoutMs?: number;
  /** Self-enumeration deadline and code-attempt limits (default DEFAULT_SELF in context.ts). */
  self?: Partial<SelfOptions>;
  /** The office's desk: calendar, report hour and expected rates (default DEFAULT_OFFICE in office-config.ts). */
  office?: Partial<OfficeOptions>;
  /**
   * Freezes the daily report on schedule (and fills in missed days) while the app runs: main.ts
   * turns it on; tests call the freeze themselves.
   */
  dailyFreeze?: boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // An incoming X-Request-Id (a proxy's) is taken only when it is sane: see requestIdFor.
    requestIdHeader: false,
    genReqId: requestIdFor,
    ...serverOptions(opts),
    // The router's own errors (a malformed URL, an over-long parameter) in the api.md shape,
    // without echoing the URL back.
    frameworkErrors: (_error, req, reply) => {
      applySecurityHeaders(req, reply);
      void sendError(reply, 400, 'bad_request', 'the request URL is malformed');
    },
  });
  const ctx = makeCtx(opts.store, opts.now ?? (() => new Date()), opts.loginLimits ?? DEFAULT_LOGIN_LIMITS, opts.minProtocolVersion ?? PROTOCOL_VERSION, opts.pushLimit ?? DEFAULT_PUSH_LIMIT, opts.graceMs, { ...DEFAULT_SELF, ...opts.self }, { ...DEFAULT_OFFICE, ...opts.office });

  app.setErrorHandler(errorHandler);
  const metrics = new Metrics();
  instrument(app, metrics, opts.errorLog ?? stderrLog);
  const unobserve = opts.store.onGroupCommit?.((n) => metrics.groupSize.observe(n));
  const stopFreeze = opts.dailyFreeze ? startDailyFreeze(opts.store, ctx.office, ctx.now, (e) => (opts.errorLog ?? stderrLog)(JSON.stringify({ at: new Date().toISOString(), level: 'error', msg: 'daily freeze failed', error: e instanceof Error ? e.message : String(e) }))) : undefined;
  // A close waits for every open connection. Fastify ends the idle ones when the close starts,
  // but a connection answering a request then would be kept alive afterwards (Node says
  // `connection: keep-alive`) and hold the shutdown up to keepAliveTimeout (72 s). Once closing,
  // every answer ends its connection.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', (_app, done) => {
    unobserve?.();
    stopFreeze?.();
    done();
  });
  // JSON only: any other body (text/plain included, which Fastify parses by default) is a 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', securityHeaders);
  // Issue 16: answers compressed for a client that asks (brotli, else gzip), registered before
  // every route (it hooks each route as it is added). Bodies under 1 KB go as they are (the bytes
  // saved do not pay for the work); streamed exports are compressed as they stream; files that
  // are compressed already (a precompressed app file, an XLSX export) are left alone. Request
  // bodies are not decompressed: the API's contract is plain JSON under BODY_LIMIT.
  await app.register(fastifyCompress, { global: true, globalDecompression: false, encodings: ['br', 'gzip'], threshold: 1024 });

  await app.register(
    (api, _o, done) => {
      healthRoutes(api, opts.store, opts.readyTimeoutMs);
      authRoutes(api, ctx);
      syncRoutes(api, ctx, metrics);
      supervisionRoutes(api, ctx);
      queryRoutes(api, ctx);
      reviewRoutes(api, ctx);
      exportRoutes(api, ctx);
      progressRoutes(api, ctx);
      userRoutes(api, ctx);
      selfRoutes(api, ctx);
      officeRoutes(api, ctx);
      done();
    },
    { prefix: API_BASE },
  );
  metricsRoute(app, metrics, opts.metricsToken);

  const staticDir = opts.staticDir;
  const index = staticDir ? join(staticDir, 'index.html') : undefined;
  if (staticDir && index && existsSync(index)) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      // The build writes <file>.br and <file>.gz (vite.config.ts, precompress): sent as they are
      // to a client that accepts them, with Vary: Accept-Encoding. They are not files of their own.
      preCompressed: true,
      allowedPath: (pathName) => !/\.(?:br|gz)$/.test(pathName),
      setHeaders: (res, path) => {
        // The shell and the worker are revalidated (or an update never reaches the phones), hashed assets immutable.
        const cacheControl = staticCacheControl(staticDir, path);
        if (cacheControl) void res.header('Cache-Control', cacheControl);
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // The app's routes are in the hash: a path under /assets/ or with a file extension is a file,
    // and a missing file is a 404 (a tab of an old build must see its chunk fail, not get HTML).
    const path = req.url.split('?')[0] ?? '';
    const isFile = path.startsWith('/assets/') || /\.[A-Za-z0-9]+$/.test(path);
    if (index && existsSync(index) && req.method === 'GET' && !req.url.startsWith('/api/') && !isFile) {
      // The respondent's page (self-enumeration) is a page of its own, not the field app's shell.
      if ((path === '/self' || path === '/self/') && staticDir && existsSync(join(staticDir, 'self.html'))) {
        return reply.header('Cache-Control', 'no-cache').sendFile('self.html');
      }
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]?.slice(0, 200) ?? ''}`);
  });
  return app;
}
