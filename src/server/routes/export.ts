// GET /export?format=xlsx|csv|json&district=<code>: the registrations of the caller's scope,
// streamed page by page on the export index (district, household number, id), so a county's
// export never sits in memory. XLSX is the file for people (export-xlsx.ts: one sheet per form,
// read once per sheet); CSV and JSON are for machines. The CSV header is the union of the columns
// the households use, so the CSV is read twice: once for the columns, once for the rows.
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DistrictCodeSchema, RegistrationDraftSchema, type RegistrationDraft } from '../../domain/index.ts';
import { authenticate, requireDistrict, type Ctx } from '../context.ts';
import { parseOr400 } from '../errors.ts';
import { CSV_BOM, CsvColumns, registrationCsvLines } from '../export-csv.ts';
import { XLSX_CONTENT_TYPE, writeXlsx } from '../export-xlsx.ts';
import type { Scope } from '../store/scope.ts';
import type { ExportKey, Store } from '../store/store.ts';

// JSON stays the default: it is what existing clients get without a format.
const ExportQuerySchema = z.strictObject({ format: z.enum(['xlsx', 'csv', 'json']).default('json'), district: DistrictCodeSchema.optional() });

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

/** What the "说明" sheet says was exported (codes only: no personal data). */
export function scopeLabel(scope: Scope): string {
  switch (scope.kind) {
    case 'district':
      return `普查小区 ${scope.code}`;
    case 'prefix':
      return `区划代码 ${scope.prefix} 下的全部普查小区`;
    case 'all':
      return '全部普查小区';
    case 'supervisor':
      return '本指导员负责的普查小区';
    case 'enumerator':
      return '本普查员的普查小区';
    case 'none':
      return '无';
  }
}

/**
 * The XLSX export as a stream. A failure after the first byte can only cut the download short
 * (a truncated zip never opens as a complete workbook); a reader that goes away stops the reads.
 */
export function exportXlsxStream(store: Store, scope: Scope, exportedAt: Date): PassThrough {
  const out = new PassThrough();
  writeXlsx(out, () => exportRegistrations(store, scope), { scopeLabel: scopeLabel(scope), exportedAt }).catch((e: unknown) => {
    if (!out.destroyed) out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return out;
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
    if (q.format === 'xlsx') {
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('Content-Disposition', `attachment; filename="${name}.xlsx"`)
        .send(exportXlsxStream(ctx.store, scope, ctx.now()));
    }
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
