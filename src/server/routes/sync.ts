// POST /sync/push and GET /sync/pull (api.md). The pull cursor is opaque to the phone: the last
// server sequence it has seen plus a digest of its district set, so a changed assignment starts
// a full pull of the new scope instead of silently missing the older rows of a new district,
// and districts that left the scope come back as tombstones.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeviceReportSchema, DistrictCodeSchema, IdSchema, MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, type PullResponse, type PushResponse } from '../../domain/index.ts';
import { authenticate, type Ctx } from '../context.ts';
import { HttpError, forbidden, parseOr400 } from '../errors.ts';
import { runPush } from '../push-service.ts';

const PushEnvelopeSchema = z.strictObject({
  deviceId: IdSchema,
  protocolVersion: z.number().int().min(1).optional(),
  mutations: z.array(z.unknown()),
  device: DeviceReportSchema.optional(),
});

const PullQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const MAX_CURSOR_DISTRICTS = 50;

/** s: last sequence seen; h: digest of the district set; d: the districts themselves when few. */
const CursorSchema = z.strictObject({ v: z.literal(1), s: z.number().int().min(0), h: z.string(), d: z.array(DistrictCodeSchema).max(MAX_CURSOR_DISTRICTS).optional() });

const scopeDigest = (districts: readonly string[]) => createHash('sha256').update([...districts].sort().join(',')).digest('base64url').slice(0, 12);

function encodeCursor(seq: number, districts: readonly string[]) {
  const d = districts.length <= MAX_CURSOR_DISTRICTS ? { d: [...districts] } : {};
  return Buffer.from(JSON.stringify({ v: 1, s: seq, h: scopeDigest(districts), ...d })).toString('base64url');
}

function decodeCursor(cursor: string): z.infer<typeof CursorSchema> {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'validation_failed', 'the cursor is not one this server issued', [{ path: ['cursor'], message: 'invalid cursor' }]);
  }
}

export function syncRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (req): Promise<PushResponse> => {
    const caller = await authenticate(ctx, req);
    // Before any work: a device over its limit changes nothing and tries again later (S4).
    const wait = ctx.pushLimiter.take(caller.session.deviceId);
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
      mutations: body.mutations,
      ...(body.device ? { device: body.device } : {}),
      now,
    });
    return { results, serverTime: now.toISOString() };
  });

  app.get('/sync/pull', async (req): Promise<PullResponse> => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(PullQuerySchema, req.query);
    let after = 0;
    let removed: string[] = [];
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      if (c.h === scopeDigest(caller.districts)) after = c.s;
      else removed = (c.d ?? []).filter((d) => !caller.districts.includes(d));
    }
    // Districts that left the caller's scope: a tombstone one version past each of their records,
    // so the phone drops them (it keeps whatever it still has queued).
    const tombstones = (await ctx.store.recordsIn(removed)).map((r) => ({ entity: r.entity, id: r.id, version: r.version + 1, data: null, deleted: true }));
    const { changes, more } = await ctx.store.pull(caller.districts, after, q.limit ?? 500);
    const last = changes.at(-1)?.seq ?? after;
    await ctx.store.touchDevice(caller.session.deviceId, caller.user.id, ctx.now().toISOString());
    const device = await ctx.store.getDevice(caller.session.deviceId);
    return {
      changes: [...tombstones, ...changes.map((c) => ({ entity: c.entity, id: c.id, version: c.version, data: c.data, deleted: false }))],
      cursor: encodeCursor(last, caller.districts),
      more,
      deviceSeq: device?.deviceSeq ?? 0,
    };
  });
}
