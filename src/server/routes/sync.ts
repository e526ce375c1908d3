// POST /sync/push and GET /sync/pull (api.md). The pull cursor is opaque and signed: the last
// server sequence the phone has seen and the last assignment event of the caller it was issued
// under. It holds no district list: when the caller's assignment changed since (a later event in
// `scope_events`), the pull restarts with the whole new scope, and districts that left it come
// back as tombstones, both decided from the server's own records, never from the cursor.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeviceReportSchema, IdSchema, MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, type PullResponse, type PushResponse } from '../../domain/index.ts';
import { authenticate, type Ctx } from '../context.ts';
import { HttpError, forbidden, parseOr400 } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { runPush } from '../push-service.ts';

const PushEnvelopeSchema = z.strictObject({
  deviceId: IdSchema,
  protocolVersion: z.number().int().min(1).optional(),
  mutations: z.array(z.unknown()),
  device: DeviceReportSchema.optional(),
});

const PullQuerySchema = z.strictObject({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export function syncRoutes(app: FastifyInstance, ctx: Ctx, metrics?: Pick<Metrics, 'recordPush'>) {
  app.post('/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (req): Promise<PushResponse> => {
    const started = performance.now();
    const caller = await authenticate(ctx, req);
    // Before any work: a device over its limit changes nothing and tries again later (S4).
    const wait = await ctx.limiter.push(caller.session.deviceId);
    if (wait > 0) throw new HttpError(429, 'rate_limited', 'too many pushes from this device; try again later', [], { 'Retry-After': String(wait) });
    const raw = req.body;
    if (typeof raw === 'object' && raw !== null && 'mutations' in raw && Array.isArray(raw.mutations) && raw.mutations.length > MAX_MUTATIONS_PER_PUSH) {
      throw new HttpError(413, 'payload_too_large', `at most ${MAX_MUTATIONS_PER_PUSH} mutations per push`);
    }
    const body = parseOr400(PushEnvelopeSchema, raw);
    // A client that does not say is taken to speak the first protocol.
    if ((body.protocolVersion ?? 1) < ctx.minProtocolVersion) throw new HttpError(400, 'client_too_old', 'this app version is too old for the server; please update it');
    // A token belongs to the device that signed in with it (reliability.md S2).
    if (body.deviceId !== caller.session.deviceId) throw forbidden('this token was issued to another device');
    const now = ctx.now();
    const results = await runPush(ctx.store, {
      userId: caller.user.id,
      deviceId: body.deviceId,
      writeDistricts: caller.writeDistricts,
      graceDistricts: new Set(caller.user.role === 'enumerator' ? await ctx.store.graceDistrictsOf(caller.user.id, now.toISOString()) : []),
      mutations: body.mutations,
      ...(body.device ? { device: body.device } : {}),
      now,
    });
    metrics?.recordPush((performance.now() - started) / 1000, results, body.device?.pending);
    return { results, serverTime: now.toISOString() };
  });

  app.get('/sync/pull', async (req): Promise<PullResponse> => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(PullQuerySchema, req.query);
    const codec = await ctx.cursorCodec();
    const userId = caller.user.id;
    let after = 0;
    let head: number;
    // PL5: a plain continuation of this device's own cursor leaves out the versions the device
    // pushed itself (it holds them). A first pull, a cursor of another device or user, and a
    // restart after an assignment change carry everything.
    let exceptDevice: string | undefined;
    const removed: string[] = [];
    const decoded = q.cursor ? codec.decode(q.cursor) : undefined;
    if (decoded === undefined || decoded === 'legacy' || decoded.u !== userId) {
      // No cursor, an old unsigned one, or one issued to another user of this phone: the whole scope.
      head = await ctx.store.scopeHead(userId);
    } else {
      const events = await ctx.store.scopeEventsSince(userId, decoded.a);
      head = events.at(-1)?.seq ?? decoded.a;
      if (events.length === 0) {
        after = decoded.s;
        if (decoded.d === caller.session.deviceId) exceptDevice = decoded.d;
      }
      else {
        // The assignment changed: restart with the new scope; tombstones for what left it.
        const gone = [...new Set(events.filter((e) => e.kind === 'remove').map((e) => e.districtCode))];
        for (const d of gone) if (!(await ctx.store.districtInScope(caller.scope, d))) removed.push(d);
      }
    }
    // Districts that left the caller's scope: a tombstone one version past each of their records,
    // so the phone drops them (it keeps whatever it still has queued).
    const tombstones = (await ctx.store.recordsIn(removed)).map((r) => ({ entity: r.entity, id: r.id, version: r.version + 1, data: null, deleted: true }));
    const { changes, more } = await ctx.store.pull(caller.scope, after, q.limit ?? 500, exceptDevice);
    const last = changes.at(-1)?.seq ?? after;
    await ctx.store.touchDevice(caller.session.deviceId, userId, ctx.now().toISOString());
    const device = await ctx.store.getDevice(caller.session.deviceId);
    return {
      changes: [...tombstones, ...changes.filter((c) => !c.own).map((c) => ({ entity: c.entity, id: c.id, version: c.version, data: c.data, deleted: false }))],
      cursor: codec.encode({ v: 2, s: last, a: head, u: userId, d: caller.session.deviceId }),
      more,
      deviceSeq: device?.deviceSeq ?? 0,
    };
  });
}
