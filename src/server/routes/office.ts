// The census office's desk (issue 14, docs/OFFICE.md): the calendar, the daily report (JSON, CSV,
// XLSX), the quality signals and the households behind them, one household read-only, and
// acceptance (验收). Every read is scoped like /progress and costs what the node's children cost,
// except the bounded lists (an area's enumerators, the households behind a signal), whose
// bounds are stated with their schemas.
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema, IdSchema, parseRegistration, validateRegistration } from '../../domain/index.ts';
import { OVERSIGHT_ROLES, authenticate, requireDistrict, requireRole, type Caller, type Ctx } from '../context.ts';
import { HttpError, forbidden, notFound, parseOr400 } from '../errors.ts';
import { CSV_BOM, csvCell } from '../export-csv.ts';
import { XLSX_CONTENT_TYPE } from '../export-xlsx.ts';
import { PHASE_IDS, SIGNAL_IDS, addDays, signalsOf, type Signal } from '../office-config.ts';
import type { Scope } from '../store/scope.ts';
import { AreaSchema, levelOf, resolveArea, sumCounts } from './area.ts';
import { ACCEPTANCE_STATES, blockersOf, type ActResult, type DailyRow, type HouseholdFilter, type HouseholdKey } from '../store/sql-office.ts';
import { chinaDay, zeroCounts, type Counts } from '../store/sql-progress.ts';
import { progressTotals } from './progress.ts';

const DaySchema = z.iso.date();

/** The node and its children as /progress reads them (a supervisor: its districts). */
async function nodeAndChildren(ctx: Ctx, caller: Caller, r: { area: string | null; scope: Scope }) {
  if (r.area === null) {
    const rows = await ctx.store.progressOfDistricts(r.scope);
    if (rows.length === 0) throw notFound('you supervise no district yet');
    return { name: caller.user.name as string | undefined, counts: sumCounts(rows), children: rows };
  }
  const found = await ctx.store.progress(r.area);
  if (!found) throw notFound('no district in this area');
  return { name: found.node.name, counts: found.node.counts, children: found.children };
}

// Daily report ---------------------------------------------------------------------------------

const DailyQuerySchema = z.strictObject({
  area: AreaSchema.optional(),
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
const MAX_DAYS = 92;

const LEVEL_ZH: Record<string, string> = { installation: '全部', supervisor: '指导员', province: '省', city: '市', county: '县', township: '乡', area: '村', district: '普查小区' };
export const DAILY_HEADERS = ['日期', '区划代码', '名称', '层级', '普查小区', '底册户数', '已登记户', '自主填报户', '不在家', '拒访', '空户', '已拆除', '未访户', '完成登记', '草稿', '人数', '出生', '死亡', '有错误户', '有未确认提示户', '待答复复查', '已验收小区', '补报'] as const;

function dailyCells(day: string, code: string, name: string | undefined, level: string, c: Counts, late: boolean): (string | number)[] {
  return [day, code, name ?? '', LEVEL_ZH[level] ?? level, c.districts, c.listing, c.v_registered, c.v_self_reported, c.v_not_at_home, c.v_refused, c.v_vacant, c.v_demolished, c.v_pending, c.r_complete, c.r_draft, c.persons, c.births, c.deaths, c.with_errors, c.with_warnings, c.q_open, c.a_accepted, late ? '是' : '否'];
}

interface DailyDay {
  day: string;
  late: boolean;
  frozenAt: string;
  counts: Counts;
  devicesQueued: number;
  lastPushAt: string | undefined;
  children: DailyRow[];
}

const latest = (xs: readonly (string | undefined)[]) => xs.filter((x): x is string => x !== undefined).sort().at(-1);

async function dailyDays(ctx: Ctx, r: { area: string | null; scope: Scope }, from: string, to: string): Promise<DailyDay[]> {
  const runs = await ctx.store.office.dailyRuns(from, to);
  if (r.area === null) {
    const rows = await ctx.store.office.dailyOfDistricts(r.scope, from, to);
    return runs.flatMap((run) => {
      const children = rows.filter((x) => x.day === run.day);
      // A phone working in two of the supervisor's districts counts in both (the frozen rows are per district).
      return children.length === 0 ? [] : [{ ...run, counts: sumCounts(children), devicesQueued: children.reduce((a, c) => a + c.devicesQueued, 0), lastPushAt: latest(children.map((c) => c.lastPushAt)), children }];
    });
  }
  const { node, children } = await ctx.store.office.daily(r.area, from, to);
  const own = new Map(node.map((n) => [n.day, n]));
  return runs.flatMap((run) => {
    const n = own.get(run.day);
    return n ? [{ ...run, counts: n.counts, devicesQueued: n.devicesQueued, lastPushAt: n.lastPushAt, children: children.filter((c) => c.day === run.day) }] : [];
  });
}

// Quality ---------------------------------------------------------------------------------------

const QualityQuerySchema = z.strictObject({ area: AreaSchema.optional() });
const SignalParam = z.union([z.enum(SIGNAL_IDS), z.string().regex(/^rule:[A-Za-z0-9_.-]{1,64}$/, 'a signal id or rule:<ruleId>')]);
const HouseholdsQuerySchema = z.strictObject({
  area: AreaSchema.optional(),
  signal: SignalParam,
  enumerator: z.string().min(1).max(64).optional(),
  day: DaySchema.optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const CursorSchema = z.strictObject({ districtCode: z.string().max(15), householdNo: z.string().max(64), id: z.string().max(128) });
const encodeCursor = (k: HouseholdKey) => Buffer.from(JSON.stringify(k)).toString('base64url');
function decodeCursor(s: string): HouseholdKey {
  try {
    const v = CursorSchema.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    if (v.success) return v.data;
  } catch {
    // fall through: a malformed cursor is the caller's error
  }
  throw new HttpError(400, 'validation_failed', 'after is not a cursor this server gave', [{ path: ['after'], message: 'invalid cursor' }]);
}

const FILTER_OF: Record<(typeof SIGNAL_IDS)[number], 'births' | 'deaths' | 'under5' | 'overridden' | 'all' | 'day'> = {
  birthsPer1000: 'births',
  deathsPer1000: 'deaths',
  under5Share: 'under5',
  overrideShare: 'overridden',
  perEnumeratorDay: 'day',
  sexRatio: 'all',
  sexRatioAtBirth: 'all',
  familySize: 'all',
};

/** Households lists and enumerator tables read the records below a node: a county at most (or a supervisor's districts). */
function bounded(r: { area: string | null }, minLength: number, what: string) {
  if (r.area !== null && r.area.length < minLength) throw new HttpError(400, 'validation_failed', `${what} needs an area of ${minLength} digits or more`, [{ path: ['area'], message: `at least ${minLength} digits` }]);
}

const outsideCount = (s: readonly Signal[]) => s.filter((x) => x.outside !== null).length;

// Acceptance ------------------------------------------------------------------------------------

const DistrictParams = z.strictObject({ district: DistrictCodeSchema });
const ActionParams = z.strictObject({ district: DistrictCodeSchema, action: z.enum(['submit', 'accept', 'return']) });
const ReturnBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
const EmptyBody = z.strictObject({}).optional();
const AcceptanceListQuery = z.strictObject({
  area: AreaSchema.optional(),
  state: z.enum(ACCEPTANCE_STATES),
  after: DistrictCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

async function queuedIn(ctx: Ctx, district: string): Promise<number> {
  return (await ctx.store.devicesWithQueue({ kind: 'district', code: district }, 0)).get('') ?? 0;
}

async function acceptanceView(ctx: Ctx, district: string) {
  const rec = await ctx.store.office.acceptance(district);
  if (!rec) throw notFound('no such district');
  const p = await ctx.store.progress(district);
  const blockers = blockersOf(p?.node.counts ?? zeroCounts(), await queuedIn(ctx, district));
  return { district, name: rec.name ?? null, state: rec.state, blockers, history: rec.history };
}

function actError(r: Exclude<ActResult, { ok: true }>): HttpError {
  switch (r.reason) {
    case 'not_found':
      return notFound('no such district');
    case 'conflict':
      return new HttpError(409, 'conflict', `the district is ${r.state}`);
    case 'not_ready':
      return new HttpError(
        409,
        'not_ready',
        'the district is not ready for acceptance',
        r.blockers.map((b) => ({ path: [b.kind], message: String(b.count) })),
      );
  }
}

export function officeRoutes(app: FastifyInstance, ctx: Ctx) {
  const oversight = async (req: Parameters<typeof authenticate>[1]) => {
    const caller = await authenticate(ctx, req);
    requireRole(caller, ...OVERSIGHT_ROLES);
    return caller;
  };

  app.get('/reports/calendar', async (req) => {
    await oversight(req);
    const cal = ctx.office.calendar;
    return { timeZone: 'Asia/Shanghai', reportHour: ctx.office.reportHour, today: chinaDay(ctx.now()), phases: PHASE_IDS.map((id) => ({ id, from: cal[id][0], to: cal[id][1] })) };
  });

  app.get('/reports/daily', async (req, reply) => {
    const caller = await oversight(req);
    const q = parseOr400(DailyQuerySchema, req.query);
    const to = q.to ?? chinaDay(ctx.now());
    const from = q.from ?? addDays(to, -30);
    if (from > to) throw new HttpError(400, 'validation_failed', 'from must not be after to', [{ path: ['from'], message: 'after to' }]);
    if (addDays(from, MAX_DAYS - 1) < to) throw new HttpError(400, 'validation_failed', `at most ${MAX_DAYS} days`, [{ path: ['to'], message: `more than ${MAX_DAYS} days after from` }]);
    const r = await resolveArea(ctx, caller, q.area);
    const now = await nodeAndChildren(ctx, caller, r);
    const days = await dailyDays(ctx, r, from, to);
    const code = r.area ?? caller.user.username;
    const fileName = `daily-${r.area ?? 'supervisor'}-${from}-${to}`;
    void reply.header('Cache-Control', 'no-store');
    if (q.format === 'json') {
      return {
        area: r.area,
        level: levelOf(r.area),
        name: now.name ?? null,
        days: days.map((d) => ({
          day: d.day,
          late: d.late,
          frozenAt: d.frozenAt,
          totals: progressTotals(d.counts, d.devicesQueued, d.lastPushAt),
          children: d.children.map((c) => ({ area: c.node, name: c.name ?? null, totals: progressTotals(c.counts, c.devicesQueued, c.lastPushAt) })),
        })),
        expected: { listing: now.counts.listing },
      };
    }
    const rows = days.flatMap((d) => [
      dailyCells(d.day, code, `${now.name ?? ''}（合计）`, levelOf(r.area), d.counts, d.late),
      ...d.children.map((c) => dailyCells(d.day, c.node, c.name, levelOf(c.node), c.counts, d.late)),
    ]);
    if (q.format === 'csv') {
      const text = CSV_BOM + [DAILY_HEADERS, ...rows].map((row) => row.map((v) => csvCell(v)).join(',')).join('\r\n') + '\r\n';
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}.csv"`).send(text);
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('日报');
    ws.addRow([...DAILY_HEADERS]);
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    return reply.type(XLSX_CONTENT_TYPE).header('Content-Disposition', `attachment; filename="${fileName}.xlsx"`).send(buf);
  });

  app.get('/quality', async (req) => {
    const caller = await oversight(req);
    const q = parseOr400(QualityQuerySchema, req.query);
    const r = await resolveArea(ctx, caller, q.area);
    const n = await nodeAndChildren(ctx, caller, r);
    const max = await ctx.store.office.maxPerDay(r.area === null ? n.children.map((c) => c.node) : [r.area, ...n.children.map((c) => c.node)]);
    const nodeMax = r.area === null ? Math.max(0, ...n.children.map((c) => max.get(c.node) ?? 0)) : (max.get(r.area) ?? 0);
    const rates = ctx.office.rates;
    const children = n.children
      .map((c) => {
        const signals = signalsOf(c.counts, max.get(c.node) ?? 0, rates);
        return { area: c.node, name: c.name ?? null, persons: c.counts.persons, signals, outside: outsideCount(signals) };
      })
      .sort((a, b) => b.outside - a.outside || (a.area < b.area ? -1 : 1));
    return {
      area: r.area,
      level: levelOf(r.area),
      name: n.name ?? null,
      rates,
      node: { area: r.area, name: n.name ?? null, persons: n.counts.persons, signals: signalsOf(n.counts, nodeMax, rates) },
      children,
    };
  });

  app.get('/quality/enumerators', async (req) => {
    const caller = await oversight(req);
    const q = parseOr400(QualityQuerySchema, req.query);
    const r = await resolveArea(ctx, caller, q.area);
    bounded(r, 9, 'the enumerators table');
    const rows = await ctx.store.office.enumeratorQuality(r.scope);
    const enumerators = rows
      .map((e) => ({
        username: e.username,
        name: e.name,
        complete: e.complete,
        overrideShare: e.complete > 0 ? Math.round((e.overridden / e.complete) * 1000) / 10 : null,
        topRules: e.topRules,
        maxPerDay: e.maxPerDay,
        maxDay: e.maxDay,
      }))
      .sort((a, b) => (b.overrideShare ?? 0) - (a.overrideShare ?? 0) || (a.username < b.username ? -1 : 1));
    return { enumerators };
  });

  app.get('/quality/households', async (req) => {
    const caller = await oversight(req);
    const q = parseOr400(HouseholdsQuerySchema, req.query);
    const r = await resolveArea(ctx, caller, q.area);
    bounded(r, 6, 'the households list');
    let enumeratorId: string | undefined;
    if (q.enumerator !== undefined) {
      const u = await ctx.store.findUserByUsername(q.enumerator);
      if (!u) throw notFound('no such enumerator');
      enumeratorId = u.id;
    }
    let filter: HouseholdFilter;
    if (q.signal.startsWith('rule:')) filter = { kind: 'rule', rule: q.signal.slice(5) };
    else {
      const kind = FILTER_OF[q.signal as (typeof SIGNAL_IDS)[number]];
      if (kind === 'day') {
        if (enumeratorId === undefined || q.day === undefined) throw new HttpError(400, 'validation_failed', 'perEnumeratorDay needs enumerator and day', [{ path: [enumeratorId === undefined ? 'enumerator' : 'day'], message: 'required' }]);
        filter = { kind: 'day', userId: enumeratorId, day: q.day };
        enumeratorId = undefined;
      } else filter = { kind };
    }
    const page = await ctx.store.office.signalHouseholds(r.scope, filter, enumeratorId, q.after !== undefined ? decodeCursor(q.after) : undefined, q.limit);
    return { households: page.rows, next: page.rows.length === q.limit && page.last ? encodeCursor(page.last) : null };
  });

  app.get('/registrations/:id', async (req) => {
    const caller = await oversight(req);
    const { id } = parseOr400(z.strictObject({ id: IdSchema }), req.params, ['params']);
    const reg = await ctx.store.getRegistration(id);
    if (!reg) throw notFound('no such household');
    if (!(await ctx.store.districtInScope(caller.scope, reg.districtCode))) throw forbidden('the household is outside your scope');
    const context = await ctx.store.office.registrationContext(id);
    const parsed = parseRegistration(reg.data);
    const findings = parsed.success ? validateRegistration(parsed.data) : [];
    return {
      registration: reg.data,
      findings,
      overrides: parsed.success ? parsed.data.overrides : [],
      district: { code: reg.districtCode, name: context?.districtName ?? null },
      enumerator: context?.enumerator ? { username: context.enumerator.username, name: context.enumerator.name } : null,
      queries: context?.queries ?? [],
    };
  });

  app.get('/acceptance/:district', async (req) => {
    const caller = await oversight(req);
    const { district } = parseOr400(DistrictParams, req.params, ['params']);
    await requireDistrict(ctx, caller, district);
    return acceptanceView(ctx, district);
  });

  app.post('/acceptance/:district/:action', async (req) => {
    const caller = await oversight(req);
    const { district, action } = parseOr400(ActionParams, req.params, ['params']);
    await requireDistrict(ctx, caller, district);
    if (action !== 'submit' && !(caller.scope.kind === 'all' || (caller.scope.kind === 'prefix' && caller.scope.prefix.length <= 9))) {
      throw forbidden('accepting or returning a district needs its township office or one above it');
    }
    let reason: string | undefined;
    if (action === 'return') reason = parseOr400(ReturnBody, req.body ?? {}, ['body']).reason;
    else parseOr400(EmptyBody, req.body ?? undefined, ['body']);
    const result = await ctx.store.office.act(district, action, caller.user.id, ctx.now().toISOString(), action === 'return' ? 0 : await queuedIn(ctx, district), reason);
    if (!result.ok) throw actError(result);
    return acceptanceView(ctx, district);
  });

  app.get('/acceptance', async (req) => {
    const caller = await oversight(req);
    const q = parseOr400(AcceptanceListQuery, req.query);
    const r = await resolveArea(ctx, caller, q.area);
    const rows = await ctx.store.office.acceptanceList(r.scope, q.state, q.after ?? '', q.limit);
    return {
      districts: rows.map((x) => ({ district: x.district, name: x.name ?? null, state: x.state, blockers: blockersOf(x.counts, 0), history: [] })),
      next: rows.length === q.limit ? (rows.at(-1)?.district ?? null) : null,
    };
  });
}
