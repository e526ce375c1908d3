// GET /progress?area=<prefix> (api.md "Offices and progress"): a node's counters and one row per
// child, read from the rollup rows kept in the write transactions, so an answer costs
// O(children) whatever lies below.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OVERSIGHT_ROLES, authenticate, requireRole, type Ctx } from '../context.ts';
import { HttpError, forbidden, notFound, parseOr400 } from '../errors.ts';
import { LEVEL_OF_LENGTH, childLength, type Scope } from '../store/scope.ts';
import type { Counts } from '../store/sql-progress.ts';
import type { ProgressNode } from '../store/store.ts';
import { scheduleOf } from '../office-config.ts';

const ProgressQuerySchema = z.strictObject({
  area: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, 'area is a code prefix of 2, 4, 6, 9, 12 or 15 digits')
    .optional(),
});

/** A node's totals as /progress and the daily report give them (docs/OFFICE.md adds the acceptance counts). */
export function progressTotals(c: Counts, devicesWithQueue: number, lastPushAt: string | undefined) {
  return {
    districts: c.districts,
    listing: c.listing,
    visits: {
      pending: c.v_pending,
      registered: c.v_registered,
      selfReported: c.v_self_reported,
      notAtHome: c.v_not_at_home,
      refused: c.v_refused,
      vacant: c.v_vacant,
      demolished: c.v_demolished,
    },
    registrations: { complete: c.r_complete, draft: c.r_draft },
    persons: c.persons,
    births: c.births,
    deaths: c.deaths,
    withErrors: c.with_errors,
    withWarnings: c.with_warnings,
    queries: { open: c.q_open, answered: c.q_answered, resolved: c.q_resolved },
    self: { reported: c.s_reported, verified: c.s_verified, awaiting: c.s_reported - c.s_verified },
    accepted: c.a_accepted,
    submitted: c.a_submitted,
    reopened: c.a_reopened,
    devicesWithQueue,
    lastPushAt: lastPushAt ?? null,
  };
}

const levelOf = (node: string) => (node === '' ? 'installation' : (LEVEL_OF_LENGTH[node.length] ?? 'district'));

function childRow(n: ProgressNode, queued: Map<string, number>, ctx: Ctx, now: Date) {
  return { area: n.node, level: levelOf(n.node), name: n.name ?? null, totals: totals(ctx, now, n.counts, queued.get(n.node) ?? 0, n.lastPushAt) };
}

/** /progress totals: the counts and the schedule (the share done against the calendar's phase). */
function totals(ctx: Ctx, now: Date, c: Counts, devicesWithQueue: number, lastPushAt: string | undefined) {
  return { ...progressTotals(c, devicesWithQueue, lastPushAt), schedule: scheduleOf(c, ctx.office.calendar, now) };
}

export function progressRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get('/progress', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(ProgressQuerySchema, req.query);
    const now = ctx.now();
    const asOf = now.toISOString();

    if (caller.scope.kind === 'supervisor' && q.area === undefined) {
      // A supervisor's own node: its districts as children.
      const rows = await ctx.store.progressOfDistricts(caller.scope);
      const queued = await ctx.store.devicesWithQueue(caller.scope, 15);
      const sum = rows.reduce<Counts | undefined>((acc, r) => {
        if (!acc) return { ...r.counts };
        for (const k of Object.keys(acc) as (keyof Counts)[]) acc[k] += r.counts[k];
        return acc;
      }, undefined);
      if (!sum) throw notFound('you supervise no district yet');
      const last = rows.map((r) => r.lastPushAt).filter((x): x is string => x !== undefined).sort().at(-1);
      const total = (await ctx.store.devicesWithQueue(caller.scope, 0)).get('') ?? 0;
      return { area: null, level: 'supervisor', name: caller.user.name, totals: totals(ctx, now, sum, total, last), children: rows.map((r) => childRow(r, queued, ctx, now)), asOf };
    }

    const area = q.area ?? (caller.scope.kind === 'prefix' ? caller.scope.prefix : caller.scope.kind === 'all' ? '' : undefined);
    if (area === undefined) throw new HttpError(400, 'validation_failed', 'area is required', [{ path: ['area'], message: 'required' }]);
    if (caller.scope.kind === 'supervisor') {
      // A supervisor may look at any of its districts, and nothing above them.
      if (area.length !== 15 || !(await ctx.store.districtInScope(caller.scope, area))) throw forbidden('the area is outside your scope');
    } else if (caller.scope.kind === 'prefix') {
      if (!area.startsWith(caller.scope.prefix)) throw forbidden('the area is outside your scope');
    } else if (caller.scope.kind !== 'all') throw forbidden('the area is outside your scope');

    const found = await ctx.store.progress(area);
    if (!found) throw notFound('no district in this area');
    const nodeScope: Scope = area === '' ? { kind: 'all' } : area.length === 15 ? { kind: 'district', code: area } : { kind: 'prefix', prefix: area };
    const len = childLength(area);
    const queued = len === undefined ? new Map<string, number>() : await ctx.store.devicesWithQueue(nodeScope, len);
    const total = (await ctx.store.devicesWithQueue(nodeScope, 0)).get('') ?? 0;
    const base = {
      area,
      level: levelOf(area),
      name: found.node.name ?? null,
      totals: totals(ctx, now, found.node.counts, total, found.node.lastPushAt),
      children: found.children.map((c) => childRow(c, queued, ctx, now)),
    };
    if (area.length !== 15) return { ...base, asOf };
    const [d] = await ctx.store.listDistricts([area]);
    const enumerators = (await ctx.store.enumeratorStatus(d?.enumerators ?? [])).map((e) => ({
      username: e.username,
      name: e.name,
      lastSeenAt: e.lastSeenAt ?? null,
      lastPushAt: e.lastPushAt ?? null,
      pendingOnDevice: e.pendingOnDevice ?? 0,
    }));
    return { ...base, enumerators, asOf };
  });
}
