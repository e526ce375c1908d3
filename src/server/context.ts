// What every route receives (the composition root fills it in): the store, the clock, the
// login limiters; and `authenticate`, the bearer-token check every protected route calls.
import type { FastifyRequest } from 'fastify';
import type { Role } from '../domain/index.ts';
import { FailureLimiter, hashToken, type LimitRule } from './auth.ts';
import { HttpError, forbidden } from './errors.ts';
import { RequestLimiter } from './rate-limit.ts';
import type { Session, Store, StoredUser } from './store/store.ts';

export interface Ctx {
  store: Store;
  now: () => Date;
  /** Oldest push protocol still served; older clients get `client_too_old`. */
  minProtocolVersion: number;
  userLimiter: FailureLimiter;
  ipLimiter: FailureLimiter;
  /** Push requests per device (reliability.md S4). */
  pushLimiter: RequestLimiter;
}

export interface LoginLimits {
  perUser: LimitRule;
  perIp: LimitRule;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perUser: { max: 10, windowMs: 15 * 60_000 },
  perIp: { max: 50, windowMs: 15 * 60_000 },
};

/** Generous: a phone pushes batches of 100 back to back only while draining a long queue. */
export const DEFAULT_PUSH_LIMIT: LimitRule = { max: 120, windowMs: 60_000 };

export function makeCtx(store: Store, now: () => Date, limits: LoginLimits, minProtocolVersion: number, pushLimit: LimitRule = DEFAULT_PUSH_LIMIT): Ctx {
  const clock = () => now().getTime();
  return {
    store,
    now,
    minProtocolVersion,
    userLimiter: new FailureLimiter(limits.perUser, clock),
    ipLimiter: new FailureLimiter(limits.perIp, clock),
    pushLimiter: new RequestLimiter(pushLimit, clock),
  };
}

/** The signed-in caller and what it may see (`districts`) and write (`writeDistricts`). */
export interface Caller {
  user: StoredUser;
  session: Session;
  districts: string[];
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
  const districts = await ctx.store.districtsOf(user);
  // Only enumerators write data; supervisors write review queries through their own routes.
  return { user, session, districts, writeDistricts: new Set(user.role === 'enumerator' ? districts : []) };
}

export function requireRole(caller: Caller, ...roles: Role[]) {
  if (!roles.includes(caller.user.role)) throw forbidden(`this needs the role ${roles.join(' or ')}`);
}
