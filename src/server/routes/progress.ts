// GET /progress?area=<prefix> (api.md "Offices and progress"): a node's counters and one row per
// child, read from the rollup rows kept in the write transactions, so an answer costs
// O(children) whatever lies below.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OVERSIGHT_ROLES, authenticate, requireRole, type Ctx } from '../context.ts';
import { notFound, parseOr400 } from '../errors.ts';
import { AreaSchema, levelOf, resolveArea, sumCounts } from './area.ts';
import { childLength } from '../store/scope.ts';
import type { Counts } from '../store/sql-progress.ts';
import type { ProgressNode } from '../store/store.ts';
import { scheduleOf } from '../office-config.ts';

const ProgressQuerySchema = z.strictObject({ area: AreaSchema.optional() });

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

    const r = await resolveArea(ctx, caller, q.area);
    if (r.area === null) {
      // A supervisor's own node: its districts as children.
      const rows = await ctx.store.progressOfDistricts(r.scope);
      if (rows.length === 0) throw notFound('you supervise no district yet');
      const queued = await ctx.store.devicesWithQueue(r.scope, 15);
      const last = rows.map((x) => x.lastPushAt).filter((x): x is string => x !== undefined).sort().at(-1);
      const total = (await ctx.store.devicesWithQueue(r.scope, 0)).get('') ?? 0;
      return { area: null, level: 'supervisor', name: caller.user.name, totals: totals(ctx, now, sumCounts(rows), total, last), children: rows.map((x) => childRow(x, queued, ctx, now)), asOf };
    }
    const area = r.area;
    const found = await ctx.store.progress(area);
    if (!found) throw notFound('no district in this area');
    const len = childLength(area);
    const queued = len === undefined ? new Map<string, number>() : await ctx.store.devicesWithQueue(r.scope, len);
    const total = (await ctx.store.devicesWithQueue(r.scope, 0)).get('') ?? 0;
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
