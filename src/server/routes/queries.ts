// Review queries (比对复查): supervisors and the office raise them on a household; the
// enumerator answers with a `queryAnswer` mutation; the supervisor resolves them.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateQuerySchema, HouseholdNoSchema, IdSchema, PatchQuerySchema, QueryStatusSchema, type ReviewQuery } from '../../domain/index.ts';
import { authenticate, requireRole, type Ctx } from '../context.ts';
import { forbidden, notFound, parseOr400 } from '../errors.ts';

const ListQuerySchema = z.strictObject({ status: QueryStatusSchema.optional() });
const ParamsSchema = z.strictObject({ id: IdSchema });
const HouseholdNoOf = z.object({ householdNo: HouseholdNoSchema });

export function queryRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/queries', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'supervisor', 'admin');
    const body = parseOr400(CreateQuerySchema, req.body);
    const reg = await ctx.store.getRegistration(body.householdId);
    if (!reg) throw notFound('no such household');
    if (!caller.districts.includes(reg.districtCode)) throw forbidden('the household is outside your districts');
    const no = HouseholdNoOf.safeParse(reg.data);
    const query: ReviewQuery = {
      id: randomUUID(),
      householdId: reg.id,
      districtCode: reg.districtCode,
      ...(no.success ? { householdNo: no.data.householdNo } : {}),
      message: body.message,
      status: 'open',
      createdBy: caller.user.id,
      createdAt: ctx.now().toISOString(),
      version: 1,
    };
    await ctx.store.createQuery(query);
    return reply.status(201).send(query);
  });

  app.get('/queries', async (req) => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(ListQuerySchema, req.query);
    return { queries: await ctx.store.listQueries(caller.districts, q.status) };
  });

  app.patch('/queries/:id', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'supervisor', 'admin');
    const { id } = parseOr400(ParamsSchema, req.params, ['params']);
    parseOr400(PatchQuerySchema, req.body);
    const existing = await ctx.store.getQuery(id);
    if (!existing) throw notFound('no such query');
    if (!caller.districts.includes(existing.districtCode)) throw forbidden('the query is outside your districts');
    const resolved = await ctx.store.resolveQuery(id, ctx.now().toISOString());
    if (!resolved) throw notFound('no such query');
    return resolved;
  });
}
