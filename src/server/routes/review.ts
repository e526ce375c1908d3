// Comparison review (issue 12) for the offices: department registers and the national problem
// list in, the comparison run, release to the districts, and the statistics up the hierarchy.
// Dismissal and closing are `PATCH /queries/:id` (routes/queries.ts); phones answer with the
// `queryAnswer` mutation as before.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { REVIEW_CATEGORIES, ReviewCategorySchema, IdSchema, type ReviewCategory } from '../../domain/index.ts';
import { OVERSIGHT_ROLES, authenticate, requireRole, type Caller, type Ctx } from '../context.ts';
import { HttpError, forbidden, parseOr400 } from '../errors.ts';
import { importProblemsFile, importRegisterFile, runCompare, type ServiceResult } from '../review-service.ts';
import { REGISTER_KINDS } from '../review-types.ts';
import { NODE_LENGTHS, childLength } from '../store/scope.ts';

const CsvBody = z.strictObject({ csv: z.string().min(1).max(4 * 1024 * 1024) });
const KindParams = z.strictObject({ kind: z.enum(REGISTER_KINDS) });
const AreaSchema = z.string().regex(/^\d{0,15}$/, 'area is a code prefix of up to 15 digits');
const RULE = z.string().regex(/^[A-Z][A-Z0-9_]{1,59}$/, 'a rule id such as HEAD_AGE');
const CompareBody = z.strictObject({ area: AreaSchema, rules: z.array(RULE).max(100).default([]) });
const ReleaseBody = z.strictObject({ area: AreaSchema.optional(), category: ReviewCategorySchema.optional(), ids: z.array(IdSchema).min(1).max(1000).optional() });
const StatsQuery = z.strictObject({ area: AreaSchema.optional() });

/** The end of the review (default 2020-12-10 24:00 China time; PUCHA_REVIEW_DEADLINE=YYYY-MM-DD). */
export function reviewDeadline(env: NodeJS.ProcessEnv = process.env): string {
  const day = env.PUCHA_REVIEW_DEADLINE;
  const d = day !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00+08:00`)) ? day : '2020-12-10';
  return new Date(Date.parse(`${d}T00:00:00+08:00`) + 86_400_000).toISOString();
}

function unwrap<T>(r: ServiceResult<T>): T {
  if (r.ok) return r.value;
  throw new HttpError(
    r.status,
    r.status === 403 ? 'forbidden' : 'validation_failed',
    r.message,
    r.errors.slice(0, 100).map((e) => ({ path: ['csv', e.line], message: e.message })),
  );
}

/** The area must lie inside the caller's scope (an office runs its own prefix and below). */
function requireArea(caller: Caller, area: string): void {
  const s = caller.scope;
  if (s.kind === 'all') return;
  if (s.kind === 'prefix' && area.startsWith(s.prefix)) return;
  throw forbidden('the area is outside your scope');
}

export function reviewRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/registers/:kind', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'office', 'admin');
    const { kind } = parseOr400(KindParams, req.params, ['params']);
    const body = parseOr400(CsvBody, req.body);
    return unwrap(await importRegisterFile(ctx.store, caller.scope, kind, new TextEncoder().encode(body.csv), caller.user.id, ctx.now()));
  });

  app.get('/registers', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'office', 'admin');
    return { counts: await ctx.store.registerCounts(caller.scope) };
  });

  app.post('/review/problems', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'office', 'admin');
    const body = parseOr400(CsvBody, req.body);
    return unwrap(await importProblemsFile(ctx.store, caller.scope, new TextEncoder().encode(body.csv), caller.user.id, ctx.now()));
  });

  app.post('/review/compare', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'office', 'admin');
    const body = parseOr400(CompareBody, req.body);
    requireArea(caller, body.area);
    return runCompare(ctx.store, caller.scope, body.area, body.rules, caller.user.id, ctx.now());
  });

  app.post('/review/release', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, 'office', 'admin');
    const body = parseOr400(ReleaseBody, req.body);
    if (body.area !== undefined) requireArea(caller, body.area);
    const released = await ctx.store.releaseReviewItems(
      caller.scope,
      { ...(body.area !== undefined ? { area: body.area } : {}), ...(body.category !== undefined ? { category: body.category } : {}), ...(body.ids !== undefined ? { ids: body.ids } : {}) },
      ctx.now().toISOString(),
    );
    return { released };
  });

  app.get('/review/stats', async (req) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    const q = parseOr400(StatsQuery, req.query);
    let area = q.area ?? '';
    if (area !== '' && !(NODE_LENGTHS as readonly number[]).includes(area.length)) {
      throw new HttpError(400, 'validation_failed', 'area is a node: 2, 4, 6, 9, 12 or 15 digits', [{ path: ['area'], message: 'not a node of the hierarchy' }]);
    }
    // A supervisor's node is its districts (the scope restricts); an office starts at its own prefix.
    if (caller.user.role === 'supervisor') area = '';
    else if (area === '' && caller.scope.kind === 'prefix') area = caller.scope.prefix;
    else requireArea(caller, area);
    const groupLength = caller.user.role === 'supervisor' || area.length === 15 ? 15 : (childLength(area) ?? 2);
    const node = summarise(await ctx.store.reviewStats(caller.scope, area, area.length));
    const children = summariseBy(await ctx.store.reviewStats(caller.scope, area, groupLength));
    const deadline = reviewDeadline();
    const overdue = ctx.now().toISOString() > deadline;
    return { node: { node: area, ...withOverdue(node, overdue) }, children: children.map((c) => ({ ...c, ...withOverdue(c, overdue) })), deadline };
  });
}

interface Totals {
  drafts: number;
  released: number;
  open: number;
  answered: number;
  closed: number;
  dismissed: number;
  addedPersons: number;
  byCategory: Partial<Record<ReviewCategory, Omit<Totals, 'byCategory'>>>;
}
const emptyTotals = (): Totals => ({ drafts: 0, released: 0, open: 0, answered: 0, closed: 0, dismissed: 0, addedPersons: 0, byCategory: {} });
const COUNT_KEYS = ['drafts', 'released', 'open', 'answered', 'closed', 'dismissed', 'addedPersons'] as const;

type StatsRow = Awaited<ReturnType<Ctx['store']['reviewStats']>>[number];
function summarise(rows: readonly StatsRow[]): Totals {
  const t = emptyTotals();
  for (const r of rows) {
    const c = (t.byCategory[r.category] ??= { drafts: 0, released: 0, open: 0, answered: 0, closed: 0, dismissed: 0, addedPersons: 0 });
    for (const k of COUNT_KEYS) {
      t[k] += r[k];
      c[k] += r[k];
    }
  }
  return t;
}
function summariseBy(rows: readonly StatsRow[]): (Totals & { node: string })[] {
  const by = new Map<string, StatsRow[]>();
  for (const r of rows) by.set(r.node, [...(by.get(r.node) ?? []), r]);
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([node, rs]) => ({ node, ...summarise(rs) }));
}
/** Released items still unanswered after the deadline. */
function withOverdue(t: Totals, pastDeadline: boolean) {
  return { ...t, overdue: pastDeadline ? t.open : 0, categories: REVIEW_CATEGORIES.filter((c) => t.byCategory[c] !== undefined) };
}
