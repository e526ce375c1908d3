// POST /auth/login and /auth/logout.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ActivateRequestSchema, LoginRequestSchema, type DeviceKeyResponse, type LoginResponse } from '../../domain/index.ts';
import { hashActivationCode } from '../activation.ts';
import { dummyHash, hashPassword, newToken, verifyPassword } from '../auth.ts';
import { authenticate, type Ctx } from '../context.ts';
import { HttpError, parseOr400 } from '../errors.ts';
import { checkPassword } from '../password-policy.ts';
import type { StoredUser } from '../store/store.ts';

const TOKEN_DAYS = 30;
/** Enough to find a lost phone among the user's recent ones; older devices are history. */
const MAX_OTHER_DEVICES = 20;
/** Logout takes no body (or an empty object). */
const LogoutBodySchema = z.strictObject({}).optional();

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The login answer for a user who just proved who they are on a device. */
async function signIn(ctx: Ctx, user: StoredUser, deviceId: string): Promise<LoginResponse> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + TOKEN_DAYS * 86_400_000).toISOString();
  const { token, hash } = newToken();
  await ctx.store.createSession({ tokenHash: hash, userId: user.id, deviceId, createdAt: now.toISOString(), expiresAt });
  await ctx.store.touchDevice(deviceId, user.id, now.toISOString());
  // R11: a wiped phone has a new device id; it learns here what its predecessor still held.
  const others = (await ctx.store.devicesOfUser(user.id, MAX_OTHER_DEVICES + 1)).filter((d) => d.id !== deviceId).slice(0, MAX_OTHER_DEVICES);
  // Offices and admins: their prefix, never their districts one by one.
  const scope = user.role === 'office' ? { scope: user.scope ?? '' } : user.role === 'admin' ? { scope: '' } : {};
  return {
    token,
    expiresAt,
    deviceKey: (await ctx.deviceKeys()).keyFor(user.id, deviceId),
    user: { id: user.id, username: user.username, name: user.name, role: user.role, ...scope, districts: await ctx.store.districtsOf(user) },
    otherDevices: others.map((d) => ({
      deviceId: d.id,
      ...(d.lastSeenAt !== undefined ? { lastSeenAt: d.lastSeenAt } : {}),
      ...(d.lastPushAt !== undefined ? { lastPushAt: d.lastPushAt } : {}),
      deviceSeq: d.deviceSeq,
      ...(d.pending !== undefined ? { pendingOnDevice: d.pending } : {}),
    })),
  };
}

const wrongCredentials = () => new HttpError(401, 'unauthorized', 'wrong username or password');

export function authRoutes(app: FastifyInstance, ctx: Ctx) {
  // Both routes check the credentials inside ctx.limiter.signIn: 429 while the user or the
  // address waits, undefined (a counted failure, then 401) for wrong credentials.
  app.post('/auth/login', async (req): Promise<LoginResponse> => {
    const body = parseOr400(LoginRequestSchema, req.body);
    const user = await ctx.limiter.signIn(body.username, req.ip, async () => {
      const found = await ctx.store.findUserByUsername(body.username);
      // Same work and the same answer whether or not the user exists.
      const ok = await verifyPassword(body.password, found?.passwordHash ?? (await dummyHash()));
      return found && ok && !found.disabled ? found : undefined;
    });
    if (!user) throw wrongCredentials();
    return signIn(ctx, user, body.deviceId);
  });

  app.post('/auth/activate', async (req): Promise<LoginResponse> => {
    const body = parseOr400(ActivateRequestSchema, req.body);
    const activated = await ctx.limiter.signIn(body.username, req.ip, async () => {
      const user = await ctx.store.findUserByUsername(body.username);
      const codeHash = hashActivationCode(body.code);
      const now = ctx.now().toISOString();
      // The code first: a wrong code is the same 401 whatever the password, so nothing tells
      // whether the account exists. Then the policy (a 400 that counts as no attempt: the code
      // was right), then the one conditional write that uses the code.
      const codeOk = user?.activationHash !== undefined && user.activationExpiresAt !== undefined && user.activationExpiresAt > now && !user.disabled && safeEqual(user.activationHash, codeHash);
      if (!user || !codeOk) return undefined;
      const policy = checkPassword(body.password, { username: user.username, role: user.role });
      if (!policy.ok) throw new HttpError(400, 'validation_failed', policy.message, [{ path: ['password'], message: policy.message }]);
      return ctx.store.activate(user.username, codeHash, await hashPassword(body.password), now);
    });
    if (!activated) throw wrongCredentials();
    return signIn(ctx, activated, body.deviceId);
  });

  // The device key again, for a phone that was signed in before the app encrypted its store: it
  // asks once with its token, whose device is the one the key is for.
  app.get('/auth/device-key', async (req): Promise<DeviceKeyResponse> => {
    const caller = await authenticate(ctx, req);
    return { deviceKey: (await ctx.deviceKeys()).keyFor(caller.user.id, caller.session.deviceId) };
  });

  app.post('/auth/logout', async (req) => {
    const caller = await authenticate(ctx, req);
    parseOr400(LogoutBodySchema, req.body);
    await ctx.store.revokeSession(caller.session.tokenHash, ctx.now().toISOString());
    return { ok: true };
  });
}
