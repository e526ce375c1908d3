// GET /export?format=csv|json&district=<code>: the registrations of the caller's scope, streamed
// page by page on the export index (district, household number, id), so a county's export never
// sits in memory. The CSV header is the union of the columns the households use, so the CSV is
// read twice: once for the columns, once for the rows.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema, RegistrationDraftSchema, type RegistrationDraft } from '../../domain/index.ts';
import { authenticate, requireDistrict, type Ctx } from '../context.ts';
import { parseOr400 } from '../errors.ts';
import { CSV_BOM, CsvColumns, registrationCsvLines } from '../export-csv.ts';
import type { Scope } from '../store/scope.ts';
import type { ExportKey, Store } from '../store/store.ts';

const ExportQuerySchema = z.strictObject({ format: z.enum(['csv', 'json']).default('json'), district: DistrictCodeSchema.optional() });

const PAGE = 500;

/** Registrations of a scope, page by page, each parsed again on the way out. */
export async function* exportRegistrations(store: Store, scope: Scope): AsyncGenerator<RegistrationDraft[]> {
  let after: ExportKey | undefined;
  for (;;) {
    const rows = await store.registrationsPage(scope, after, PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) => RegistrationDraftSchema.parse(r.data));
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return;
    after = { districtCode: last.districtCode, householdNo: last.householdNo, id: last.id };
  }
}

export async function* exportCsv(store: Store, scope: Scope): AsyncGenerator<string> {
  const columns = new CsvColumns();
  for await (const page of exportRegistrations(store, scope)) for (const r of page) columns.add(r);
  const cols = columns.ordered();
  yield `${CSV_BOM}${cols.join(',')}\r\n`;
  for await (const page of exportRegistrations(store, scope)) {
    const lines = page.flatMap((r) => registrationCsvLines(r, cols));
    if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
  }
}

export async function* exportJson(store: Store, scope: Scope): AsyncGenerator<string> {
  yield '{"districts":[';
  let after = '';
  let first = true;
  for (;;) {
    const codes = await store.districtCodes(scope, after, 5000);
    if (codes.length === 0) break;
    yield `${first ? '' : ','}${codes.map((c) => JSON.stringify(c)).join(',')}`;
    first = false;
    after = codes[codes.length - 1] ?? after;
    if (codes.length < 5000) break;
  }
  yield '],"registrations":[';
  first = true;
  for await (const page of exportRegistrations(store, scope)) {
    yield `${first ? '' : ','}${page.map((r) => JSON.stringify(r)).join(',')}`;
    first = false;
  }
  yield ']}';
}

export function exportRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get('/export', async (req, reply) => {
    const caller = await authenticate(ctx, req);
    const q = parseOr400(ExportQuerySchema, req.query);
    let scope = caller.scope;
    if (q.district !== undefined) {
      await requireDistrict(ctx, caller, q.district);
      scope = { kind: 'district', code: q.district };
    }
    const name = `pucha-${q.district ?? 'all'}`;
    void reply.header('Cache-Control', 'no-store');
    if (q.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}.csv"`)
        .send(Readable.from(exportCsv(ctx.store, scope)));
    }
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${name}.json"`)
      .send(Readable.from(exportJson(ctx.store, scope)));
  });
}
