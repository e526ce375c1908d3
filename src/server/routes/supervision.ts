// The supervisors' views: sync status per enumerator and per district, conflicts, quarantine.
import type { FastifyInstance } from 'fastify';
import { authenticate, requireRole, type Caller, type Ctx } from '../context.ts';

/** Enumerators a caller oversees: a supervisor's own, or all for an admin. */
export async function enumeratorsOf(ctx: Ctx, caller: Caller): Promise<string[]> {
  const users = await ctx.store.listUsers();
  return users.filter((u) => u.role === 'enumerator' && (caller.user.role === 'admin' || u.supervisorId === caller.user.id)).map((u) => u.id);
}

export function supervisionRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get('/supervision/status', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'supervisor', 'admin');
    const [enumerators, districts] = await Promise.all([ctx.store.enumeratorStatus(await enumeratorsOf(ctx, caller)), ctx.store.districtStatus(caller.districts)]);
    return { enumerators, districts, serverTime: ctx.now().toISOString() };
  });

  app.get('/supervision/conflicts', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'supervisor', 'admin');
    return { conflicts: await ctx.store.listConflicts(caller.districts) };
  });

  app.get('/supervision/rejected', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'supervisor', 'admin');
    return { rejected: await ctx.store.listQuarantine(caller.districts, await enumeratorsOf(ctx, caller)) };
  });
}
