// The supervisors' and offices' views: sync status per enumerator and per district (from the
// rollup counters), conflicts and quarantine, each scoped in SQL and paged by key.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema } from '../../domain/index.ts';
import { OVERSIGHT_ROLES, authenticate, requireRole, type Ctx } from '../context.ts';
import { parseOr400 } from '../errors.ts';

/** A supervisor's districts come in one answer; an office's or admin's in pages of districts. */
const StatusQuerySchema = z.strictObject({
  after: z.union([DistrictCodeSchema, z.literal('')]).default(''),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
const PageQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Most districts a supervisor oversees in one answer (a supervisor has a handful to a few dozen). */
const SUPERVISOR_MAX = 2000;

export function supervisionRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get('/supervision/status', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(StatusQuerySchema, req.query);
    if (caller.scope.kind === 'supervisor') {
      const [enumerators, districts] = await Promise.all([
        ctx.store.enumeratorsOfSupervisor(caller.user.id).then((ids) => ctx.store.enumeratorStatus(ids)),
        ctx.store.districtStatus(caller.scope, q.after, SUPERVISOR_MAX),
      ]);
      return { enumerators, districts, serverTime: ctx.now().toISOString() };
    }
    // Offices and admins: one page of districts and the enumerators working in them.
    const districts = await ctx.store.districtStatus(caller.scope, q.after, q.limit);
    const ids = [...new Set(districts.flatMap((d) => d.enumerators))];
    const enumerators = await ctx.store.enumeratorStatus(ids);
    const next = districts.length === q.limit ? districts.at(-1)?.code : undefined;
    return { enumerators, districts, ...(next !== undefined ? { next } : {}), serverTime: ctx.now().toISOString() };
  });

  app.get('/supervision/conflicts', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(PageQuerySchema, req.query);
    const conflicts = await ctx.store.listConflicts(caller.scope, q.after, q.limit);
    const next = conflicts.length === q.limit ? conflicts.at(-1)?.id : undefined;
    return { conflicts, ...(next !== undefined ? { next } : {}) };
  });

  // Citizen IDs held by more than one household (issue 11), from the index kept with every write.
  // The cursor is a group number, never an ID: no personal data in URLs.
  app.get('/supervision/duplicates', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(PageQuerySchema, req.query);
    const { groups, next } = await ctx.store.listDuplicates(caller.scope, q.after, Math.min(q.limit, 200));
    return { duplicates: groups, ...(next !== undefined ? { next } : {}) };
  });

  app.get('/supervision/rejected', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(PageQuerySchema, req.query);
    const rejected = await ctx.store.listQuarantine(caller.scope, q.after, q.limit);
    const next = rejected.length === q.limit ? rejected.at(-1)?.id : undefined;
    return { rejected, ...(next !== undefined ? { next } : {}) };
  });
}
