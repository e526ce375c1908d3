// Typed calls to the sync server (api.md). Every answer is parsed with the domain's wire schemas
// before use, and every failure becomes a value: `network` (no answer at all), `http` (a non-2xx
// answer, with its error body and Retry-After) or `invalid_response` (a 2xx we cannot trust).
import {
  DeviceKeyResponseSchema,
  ErrorBodySchema,
  LoginResponseSchema,
  PullResponseSchema,
  PushResponseSchema,
  type ApiError,
  type DeviceKeyResponse,
  type LoginResponse,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../domain/index.ts';
import type { z } from 'zod';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type ApiFailure =
  | { ok: false; kind: 'network'; message: string }
  | { ok: false; kind: 'http'; status: number; error?: ApiError; retryAfterMs?: number }
  | { ok: false; kind: 'invalid_response'; message: string };
export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

/** Parses Retry-After: delta seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Aborts a request that has not answered after `timeoutMs` (a hung connection counts as a network error). */
export function withTimeout(fetch: FetchLike, setTimer: (fn: () => void, ms: number) => () => void, timeoutMs: number): FetchLike {
  return async (input, init) => {
    const ac = new AbortController();
    const cancel = setTimer(() => ac.abort(), timeoutMs);
    try {
      return await fetch(input, { ...init, signal: ac.signal });
    } finally {
      cancel();
    }
  };
}

export interface ApiClientDeps {
  fetch: FetchLike;
  baseUrl: string;
  now: () => number;
}

export class ApiClient {
  constructor(private readonly deps: ApiClientDeps) {}

  login(body: { username: string; password: string; deviceId: string }): Promise<ApiResult<LoginResponse>> {
    return this.call('POST', '/auth/login', undefined, body, LoginResponseSchema);
  }

  /** The device key for the token's user and device (a phone upgraded to an encrypted store). */
  deviceKey(token: string): Promise<ApiResult<DeviceKeyResponse>> {
    return this.call('GET', '/auth/device-key', token, undefined, DeviceKeyResponseSchema);
  }

  push(token: string, body: PushRequest): Promise<ApiResult<PushResponse>> {
    return this.call('POST', '/sync/push', token, body, PushResponseSchema);
  }

  /** One page of changes after `cursor`; `limit` changes at most (the server's default when absent). */
  pull(token: string, cursor: string | undefined, limit?: number): Promise<ApiResult<PullResponse>> {
    const params = new URLSearchParams();
    if (cursor !== undefined) params.set('cursor', cursor);
    if (limit !== undefined) params.set('limit', String(limit));
    const q = params.size > 0 ? `?${params.toString()}` : '';
    return this.call('GET', `/sync/pull${q}`, token, undefined, PullResponseSchema);
  }

  async logout(token: string): Promise<ApiResult<null>> {
    const r = await this.send('POST', '/auth/logout', token, undefined);
    return r.ok ? { ok: true, value: null } : r;
  }

  private async call<S extends z.ZodType>(method: string, path: string, token: string | undefined, body: unknown, schema: S): Promise<ApiResult<z.infer<S>>> {
    const r = await this.send(method, path, token, body);
    if (!r.ok) return r;
    let json: unknown;
    try {
      json = await r.value.json();
    } catch (e) {
      // The connection may also drop while the body streams: that is a lost answer, not a bad one.
      if (e instanceof SyntaxError) return { ok: false, kind: 'invalid_response', message: `${path}: body is not JSON` };
      return { ok: false, kind: 'network', message: e instanceof Error ? e.message : String(e) };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) return { ok: false, kind: 'invalid_response', message: `${path}: ${parsed.error.message.slice(0, 500)}` };
    return { ok: true, value: parsed.data };
  }

  private async send(method: string, path: string, token: string | undefined, body: unknown): Promise<ApiResult<Response>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.deps.fetch(`${this.deps.baseUrl}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      return { ok: false, kind: 'network', message: e instanceof Error ? e.message : String(e) };
    }
    if (res.ok) return { ok: true, value: res };
    let error: ApiError | undefined;
    try {
      const parsed = ErrorBodySchema.safeParse(await res.json());
      if (parsed.success) error = parsed.data.error;
    } catch {
      // An error answer without a JSON body (a proxy's 502 page): the status says enough.
    }
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.deps.now());
    return {
      ok: false,
      kind: 'http',
      status: res.status,
      ...(error ? { error } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
}
