// The one place where failures become HTTP answers: every non-2xx body is
// { error: { code, message, details } } (api.md), and nothing internal (stack, SQL) leaks.
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

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) {
    for (const [k, v] of Object.entries(error.headers)) void reply.header(k, v);
    return sendError(reply, error.status, error.code, error.message, error.details);
  }
  if (error instanceof z.ZodError) return sendError(reply, 400, 'validation_failed', 'the request does not match the schema', zodDetails(error));
  if (isFastifyError(error) && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own 4xx (bad JSON, content type, body limit): their messages carry no internals.
    const status = error.statusCode === 415 ? 415 : error.statusCode;
    return sendError(reply, status, codeFor(status), error.message.slice(0, 300));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'internal', 'internal server error');
}
