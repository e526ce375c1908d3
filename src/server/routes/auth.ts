// POST /auth/login and /auth/logout.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginRequestSchema, type LoginResponse } from '../../domain/index.ts';
import { dummyHash, newToken, verifyPassword } from '../auth.ts';
import { authenticate, type Ctx } from '../context.ts';
import { HttpError, parseOr400 } from '../errors.ts';

const TOKEN_DAYS = 30;
/** Enough to find a lost phone among the user's recent ones; older devices are history. */
const MAX_OTHER_DEVICES = 20;
/** Logout takes no body (or an empty object). */
const LogoutBodySchema = z.strictObject({}).optional();

export function authRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/auth/login', async (req): Promise<LoginResponse> => {
    const body = parseOr400(LoginRequestSchema, req.body);
    const userKey = body.username.toLowerCase();
    const wait = Math.max(ctx.userLimiter.retryAfter(userKey), ctx.ipLimiter.retryAfter(req.ip));
    if (wait > 0) throw new HttpError(429, 'rate_limited', 'too many failed sign-ins; try again later', [], { 'Retry-After': String(wait) });

    const user = await ctx.store.findUserByUsername(body.username);
    // Same work and the same answer whether or not the user exists.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok || user.disabled) {
      ctx.userLimiter.fail(userKey);
      ctx.ipLimiter.fail(req.ip);
      throw new HttpError(401, 'unauthorized', 'wrong username or password');
    }
    ctx.userLimiter.reset(userKey);
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + TOKEN_DAYS * 86_400_000).toISOString();
    const { token, hash } = newToken();
    await ctx.store.createSession({ tokenHash: hash, userId: user.id, deviceId: body.deviceId, createdAt: now.toISOString(), expiresAt });
    await ctx.store.touchDevice(body.deviceId, user.id, now.toISOString());
    // R11: a wiped phone has a new device id; it learns here what its predecessor still held.
    const others = (await ctx.store.devicesOfUser(user.id, MAX_OTHER_DEVICES + 1)).filter((d) => d.id !== body.deviceId).slice(0, MAX_OTHER_DEVICES);
    return {
      token,
      expiresAt,
      user: { id: user.id, username: user.username, name: user.name, role: user.role, districts: await ctx.store.districtsOf(user) },
      otherDevices: others.map((d) => ({
        deviceId: d.id,
        ...(d.lastSeenAt !== undefined ? { lastSeenAt: d.lastSeenAt } : {}),
        ...(d.lastPushAt !== undefined ? { lastPushAt: d.lastPushAt } : {}),
        deviceSeq: d.deviceSeq,
        ...(d.pending !== undefined ? { pendingOnDevice: d.pending } : {}),
      })),
    };
  });

  app.post('/auth/logout', async (req) => {
    const caller = await authenticate(ctx, req);
    parseOr400(LogoutBodySchema, req.body);
    await ctx.store.revokeSession(caller.session.tokenHash, ctx.now().toISOString());
    return { ok: true };
  });
}
