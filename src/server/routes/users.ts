// Account management for offices (within their prefix) and admins: the users import, district
// reassignment, disable / enable, password reset (a new activation code), revoking a phone.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema, IdSchema } from '../../domain/index.ts';
import { authenticate, requireRole, type Caller, type Ctx } from '../context.ts';
import { HttpError, parseOr400 } from '../errors.ts';
import { importUsersFile, reassign, resetPassword, revoke, setDisabled, type AdminResult } from '../user-admin.ts';

const UsernameParams = z.strictObject({ username: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/) });
const CodeParams = z.strictObject({ code: DistrictCodeSchema });
const ImportBody = z.strictObject({ csv: z.string().min(1).max(4 * 1024 * 1024) });
const ReassignBody = z.strictObject({ to: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/) });
const RevokeBody = z.strictObject({ deviceId: IdSchema.optional() }).optional();
const EmptyBody = z.strictObject({}).optional();

function unwrap<T>(r: AdminResult<T>): T {
  if (r.ok) return r.value;
  const code = r.status === 403 ? 'forbidden' : r.status === 404 ? 'not_found' : 'validation_failed';
  throw new HttpError(
    r.status,
    code,
    r.message,
    (r.details ?? []).slice(0, 200).map((d) => ({ path: d.line !== undefined ? ['line', d.line] : [], message: d.message })),
  );
}

function manager(caller: Caller) {
  requireRole(caller, 'office', 'admin');
  return caller.scope;
}

export function userRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/users/import', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    const scope = manager(caller);
    const body = parseOr400(ImportBody, req.body);
    const r = unwrap(await importUsersFile(ctx.store, scope, new TextEncoder().encode(body.csv), ctx.now(), ctx.graceMs));
    // The activation codes are shown once, to the office that hands them out.
    return reply.header('Cache-Control', 'no-store').send({ created: r.created.length, updated: r.updated, unchanged: r.unchanged, newDistricts: r.newDistricts, activation: r.created });
  });

  app.post('/districts/:code/reassign', async (req) => {
    const caller = await authenticate(ctx, req);
    const scope = manager(caller);
    const { code } = parseOr400(CodeParams, req.params, ['params']);
    const body = parseOr400(ReassignBody, req.body);
    const r = unwrap(await reassign(ctx.store, scope, code, body.to, ctx.now(), ctx.graceMs));
    return { district: code, to: body.to, from: r.from };
  });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/users/:username/${action}`, async (req) => {
      const caller = await authenticate(ctx, req);
      const scope = manager(caller);
      const { username } = parseOr400(UsernameParams, req.params, ['params']);
      parseOr400(EmptyBody, req.body);
      if (username === caller.user.username) throw new HttpError(400, 'validation_failed', 'you cannot change your own account this way');
      unwrap(await setDisabled(ctx.store, scope, username, disabled, ctx.now()));
      return { username, disabled };
    });
  }

  app.post('/users/:username/reset-password', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    const scope = manager(caller);
    const { username } = parseOr400(UsernameParams, req.params, ['params']);
    parseOr400(EmptyBody, req.body);
    const r = unwrap(await resetPassword(ctx.store, scope, username, ctx.now()));
    return reply.header('Cache-Control', 'no-store').send({ username, activationCode: r.code, expiresAt: r.expiresAt });
  });

  app.post('/users/:username/revoke', async (req) => {
    const caller = await authenticate(ctx, req);
    const scope = manager(caller);
    const { username } = parseOr400(UsernameParams, req.params, ['params']);
    const body = parseOr400(RevokeBody, req.body);
    const n = unwrap(await revoke(ctx.store, scope, username, body?.deviceId, ctx.now()));
    return { username, revoked: n };
  });
}
