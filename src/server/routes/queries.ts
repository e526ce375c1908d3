// Review queries (比对复查): supervisors and the office raise them on a household; the
// enumerator answers with a `queryAnswer` mutation; the supervisor resolves them.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateQuerySchema, HouseholdNoSchema, IdSchema, PatchQuerySchema, QueryStatusSchema, ReviewCategorySchema, type ReviewQuery } from '../../domain/index.ts';
import { OVERSIGHT_ROLES, authenticate, requireRole, type Ctx } from '../context.ts';
import { HttpError, forbidden, notFound, parseOr400 } from '../errors.ts';

const ListQuerySchema = z.strictObject({
  status: QueryStatusSchema.optional(),
  category: ReviewCategorySchema.optional(),
  /** A code prefix inside the caller's scope. */
  area: z.string().regex(/^\d{0,15}$/, 'area is a code prefix of up to 15 digits').optional(),
  /** The `next` of the previous page. */
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
const PageKeySchema = z.strictObject({ c: z.string().max(40), i: IdSchema });

function decodeAfter(after: string | undefined): { createdAt: string; id: string } | undefined {
  if (after === undefined) return undefined;
  try {
    const k = PageKeySchema.parse(JSON.parse(Buffer.from(after, 'base64url').toString('utf8')));
    return { createdAt: k.c, id: k.i };
  } catch {
    throw new HttpError(400, 'validation_failed', 'after is not a page key this server issued', [{ path: ['after'], message: 'invalid page key' }]);
  }
}
const ParamsSchema = z.strictObject({ id: IdSchema });
const HouseholdNoOf = z.object({ householdNo: HouseholdNoSchema });

export function queryRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/queries', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const body = parseOr400(CreateQuerySchema, req.body);
    const reg = await ctx.store.getRegistration(body.householdId);
    if (!reg) throw notFound('no such household');
    if (!(await ctx.store.districtInScope(caller.scope, reg.districtCode))) throw forbidden('the household is outside your districts');
    const no = HouseholdNoOf.safeParse(reg.data);
    const now = ctx.now().toISOString();
    const query: ReviewQuery = {
      id: randomUUID(),
      householdId: reg.id,
      districtCode: reg.districtCode,
      ...(no.success ? { householdNo: no.data.householdNo } : {}),
      category: 'other',
      origin: 'query',
      message: body.message,
      status: 'open',
      createdBy: caller.user.id,
      createdAt: now,
      releasedAt: now,
      version: 1,
    };
    await ctx.store.createQuery(query);
    return reply.status(201).send(query);
  });

  app.get('/queries', async (req) => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(ListQuerySchema, req.query);
    // Drafts are the office's until released: supervisors and enumerators never list them.
    const includeDrafts = caller.user.role === 'office' || caller.user.role === 'admin';
    const queries = await ctx.store.listQueries(caller.scope, q.status, decodeAfter(q.after), q.limit, {
      includeDrafts,
      ...(q.category !== undefined ? { category: q.category } : {}),
      ...(q.area !== undefined ? { area: q.area } : {}),
    });
    const last = queries.length === q.limit ? queries.at(-1) : undefined;
    const next = last ? Buffer.from(JSON.stringify({ c: last.createdAt, i: last.id })).toString('base64url') : undefined;
    return { queries, ...(next !== undefined ? { next } : {}) };
  });

  app.patch('/queries/:id', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const { id } = parseOr400(ParamsSchema, req.params, ['params']);
    const body = parseOr400(PatchQuerySchema, req.body);
    const existing = await ctx.store.getQuery(id);
    // A draft is invisible outside the offices: a supervisor gets the same 404 as for no item.
    if (!existing || (existing.status === 'draft' && caller.user.role === 'supervisor')) throw notFound('no such query');
    if (!(await ctx.store.districtInScope(caller.scope, existing.districtCode))) throw forbidden('the query is outside your districts');
    if (body.status === 'dismissed') {
      requireRole(caller, 'office', 'admin');
      const dismissed = await ctx.store.dismissReviewItem(id, body.reason, ctx.now().toISOString());
      if (!dismissed) throw notFound('no such query');
      return dismissed;
    }
    if (existing.status === 'draft' || existing.status === 'dismissed') {
      throw new HttpError(400, 'validation_failed', `a ${existing.status} item cannot be closed`, [{ path: ['status'], message: 'release the item first' }]);
    }
    const resolved = await ctx.store.resolveQuery(id, ctx.now().toISOString());
    if (!resolved) throw notFound('no such query');
    return resolved;
  });
}
