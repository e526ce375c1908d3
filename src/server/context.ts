// What every route receives (the composition root fills it in): the store, the clock, the
// limiter (sign-ins and pushes, counted in the store); and `authenticate`, the bearer-token
// check every protected route calls.
import type { FastifyRequest } from 'fastify';
import type { Role } from '../domain/index.ts';
import { hashToken } from './auth.ts';
import { HttpError, forbidden } from './errors.ts';
import { DEFAULT_PUSH_LIMIT, Limiter, type LimitRule, type LoginLimits } from './limiter.ts';
import { CursorCodec } from './cursor.ts';
import { DeviceKeys } from './device-key.ts';
import { prefixCovers, scopeOf, type Scope } from './store/scope.ts';
import type { Session, Store, StoredUser } from './store/store.ts';
import { DEFAULT_OFFICE, type OfficeOptions } from './office-config.ts';

export interface Ctx {
  store: Store;
  now: () => Date;
  /** Oldest push protocol still served; older clients get `client_too_old`. */
  minProtocolVersion: number;
  /** Sign-in attempts per user and address, push requests per device (reliability.md S4); shared by every node. */
  limiter: Limiter;
  /** Signs pull cursors with the store's shared secret (the same on every node). */
  cursorCodec: () => Promise<CursorCodec>;
  /** Derives the per-user, per-device key that lets a phone recover its encrypted store (device-key.ts). */
  deviceKeys: () => Promise<DeviceKeys>;
  /** How long an enumerator who lost a district may still deliver to it. */
  graceMs: number;
  /** Self-enumeration (issue 13): the deadline and the code-attempt limits. */
  self: SelfOptions;
  /** The office's desk (issue 14): calendar, report hour, expected rates. */
  office: OfficeOptions;
}

export interface SelfOptions {
  /** Until when a code may open and submit the form (ISO-8601). */
  deadline: string;
  perIp: LimitRule;
  total: LimitRule;
}

/** 2020-11-05 24:00 China time; 20 attempts a minute per address, 6,000 a minute in all. */
export const DEFAULT_SELF: SelfOptions = {
  deadline: '2020-11-05T16:00:00.000Z',
  perIp: { max: 20, windowMs: 60_000 },
  total: { max: 6000, windowMs: 60_000 },
};

/** Default grace period after a reassignment (issue: "configurable, default 7 days"). */
export const DEFAULT_GRACE_MS = 7 * 86_400_000;

export function makeCtx(store: Store, now: () => Date, limits: LoginLimits, minProtocolVersion: number, pushLimit: LimitRule = DEFAULT_PUSH_LIMIT, graceMs = DEFAULT_GRACE_MS, self: SelfOptions = DEFAULT_SELF, office: OfficeOptions = DEFAULT_OFFICE): Ctx {
  const clock = () => now().getTime();
  let codec: Promise<CursorCodec> | undefined;
  let deviceKeys: Promise<DeviceKeys> | undefined;
  return {
    graceMs,
    self,
    office,
    cursorCodec: () => (codec ??= store.secret('pull-cursor').then((k) => new CursorCodec(k))),
    deviceKeys: () => (deviceKeys ??= store.secret('device-key').then((k) => new DeviceKeys(k))),
    store,
    now,
    minProtocolVersion,
    limiter: new Limiter(store, clock, limits, pushLimit),
  };
}

/**
 * The signed-in caller and what it may see (`scope`, checked in SQL) and write
 * (`writeDistricts`: an enumerator's own districts, the only list ever loaded per request).
 */
export interface Caller {
  user: StoredUser;
  session: Session;
  scope: Scope;
  writeDistricts: ReadonlySet<string>;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message, [], { 'WWW-Authenticate': 'Bearer' });

export async function authenticate(ctx: Ctx, req: FastifyRequest): Promise<Caller> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header) : null;
  if (!m?.[1]) throw unauthorized('a bearer token is required');
  const session = await ctx.store.findSession(hashToken(m[1]));
  if (!session || session.revokedAt !== undefined || Date.parse(session.expiresAt) <= ctx.now().getTime()) throw unauthorized('the token is unknown, expired or revoked');
  const user = await ctx.store.getUser(session.userId);
  if (!user || user.disabled) throw unauthorized('the token is unknown, expired or revoked');
  // Only enumerators write data; supervisors and offices write review queries through their own routes.
  const writeDistricts = new Set(user.role === 'enumerator' ? await ctx.store.districtsOf(user) : []);
  return { user, session, scope: scopeOf(user), writeDistricts };
}

export function requireRole(caller: Caller, ...roles: Role[]) {
  if (!roles.includes(caller.user.role)) throw forbidden(`this needs the role ${roles.join(' or ')}`);
}

/** The roles that read beyond their own districts: they raise review queries and see progress. */
export const OVERSIGHT_ROLES: Role[] = ['supervisor', 'office', 'admin'];

/** 403 unless the district is inside the caller's scope; 404 when the scope covers the code but no such district exists. */
export async function requireDistrict(ctx: Ctx, caller: Caller, code: string): Promise<void> {
  if (await ctx.store.districtInScope(caller.scope, code)) return;
  if (prefixCovers(caller.scope, code) === true) throw new HttpError(404, 'not_found', 'no such district');
  throw forbidden('the district is outside your scope');
}
