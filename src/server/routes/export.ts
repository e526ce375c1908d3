// GET /export?format=csv|json&district=<code>: the registrations of the caller's scope.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema, RegistrationDraftSchema } from '../../domain/index.ts';
import { authenticate, type Ctx } from '../context.ts';
import { forbidden, notFound, parseOr400 } from '../errors.ts';
import { registrationsToCsv } from '../export-csv.ts';
import type { Store } from '../store/store.ts';

const ExportQuerySchema = z.strictObject({ format: z.enum(['csv', 'json']).default('json'), district: DistrictCodeSchema.optional() });

/** Registrations of some districts, each parsed again on the way out. */
export async function exportRegistrations(store: Store, districts: readonly string[]) {
  const rows = await store.listRegistrations(districts);
  return rows.map((r) => RegistrationDraftSchema.parse(r.data));
}

export function exportRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get('/export', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(ExportQuerySchema, req.query);
    let districts = caller.districts;
    if (q.district !== undefined) {
      if (!caller.districts.includes(q.district)) {
        if (caller.user.role === 'admin') throw notFound('no such district');
        throw forbidden('the district is outside your scope');
      }
      districts = [q.district];
    }
    const regs = await exportRegistrations(ctx.store, districts);
    const name = `pucha-${q.district ?? 'all'}`;
    if (q.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}.csv"`)
        .send(registrationsToCsv(regs));
    }
    return reply.header('Content-Disposition', `attachment; filename="${name}.json"`).send({ districts, registrations: regs });
  });
}
