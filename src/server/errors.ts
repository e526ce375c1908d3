// The one place where failures become HTTP answers: every non-2xx body is
// { error: { code, message, details } } (api.md), and nothing internal (stack, SQL) leaks.
// A 5xx also becomes one JSON log line (errorLogLine), written whether or not the logger is on.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ErrorCode } from '../domain/index.ts';
import { zodDetails, type Detail } from './zod-details.ts';

/** An expected failure with its HTTP status and api.md error code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Detail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'not found') => new HttpError(404, 'not_found', what);
export const forbidden = (what = 'outside your scope') => new HttpError(403, 'forbidden', what);

/** Parse with zod or fail with 400 validation_failed listing every issue. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, prefix: (string | number)[] = []): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'validation_failed', 'the request does not match the schema', zodDetails(r.error, prefix));
  return r.data;
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && 'statusCode' in e && typeof e.statusCode === 'number';
}

function codeFor(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    default:
      return 'bad_request';
  }
}

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, details: Detail[] = []) {
  return reply.status(status).type('application/json; charset=utf-8').send({ error: { code, message, details } });
}

/** The cause of a request's 5xx, noted where it is answered and read when the log line is written. */
const failures = new WeakMap<FastifyRequest, unknown>();
export function noteFailure(request: FastifyRequest, error: unknown): void {
  failures.set(request, error);
}
export function failureOf(request: FastifyRequest): unknown {
  return failures.get(request);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Fastify's genReqId: a sane incoming X-Request-Id (a proxy's), else a random one. */
export function requestIdFor(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * One JSON line for a 5xx: request id, method, route pattern (never the URL: it may carry a
 * query string or ids), status, and the error's name, message and code (a PostgreSQL SQLSTATE,
 * an SQLite or Node code). No body, header or token is ever read here.
 */
export function errorLogLine(request: FastifyRequest, status: number, error: unknown): string {
  const cut = (v: unknown, n: number) => (typeof v === 'string' ? v.slice(0, n) : undefined);
  const err =
    error instanceof Error
      ? { name: cut(error.name, 100), message: cut(error.message, 300), code: 'code' in error ? cut(error.code, 40) : undefined }
      : error === undefined
        ? undefined
        : { name: typeof error, message: undefined, code: undefined };
  return JSON.stringify({
    level: 'error',
    time: new Date().toISOString(),
    msg: 'server error',
    reqId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? null,
    status,
    error: err ?? null,
  });
}

/** SQLSTATE classes and codes of a database that is restarting, overloaded or timed out (not a bug). */
const TRANSIENT_SQLSTATE = /^(08...|53...|57P0[1-3]|57014|55P03|25P03|40001|40P01)$/;
const TRANSIENT_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'SQLITE_BUSY']);

/** A store error that a retry can cure: answered 503 with Retry-After instead of 500. */
export function isTransientStoreError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NODE.has(code))) return true;
  // node-postgres raises these without a code
  return /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(error.message);
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) {
    for (const [k, v] of Object.entries(error.headers)) void reply.header(k, v);
    if (error.status >= 500) noteFailure(request, error);
    return sendError(reply, error.status, error.code, error.message, error.details);
  }
  if (error instanceof z.ZodError) return sendError(reply, 400, 'validation_failed', 'the request does not match the schema', zodDetails(error));
  if (isFastifyError(error) && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own 4xx (bad JSON, content type, body limit): their messages carry no internals.
    const status = error.statusCode === 415 ? 415 : error.statusCode;
    return sendError(reply, status, codeFor(status), error.message.slice(0, 300));
  }
  request.log.error({ err: error }, 'unhandled error');
  noteFailure(request, error);
  if (isTransientStoreError(error)) {
    // Nothing was committed: the phone re-sends the same batch (idempotent by mutation id).
    void reply.header('Retry-After', '2');
    return sendError(reply, 503, 'unavailable', 'the database is busy or restarting; try again');
  }
  return sendError(reply, 500, 'internal', 'internal server error');
}
