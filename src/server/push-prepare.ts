// The checks of a pushed mutation that need no database: the envelope, the record with the
// domain's zod schemas, and for a `complete` household the domain's edit checks. Their outcome
// is a value (`Checked`); the planner then decides in the push transaction.
import { DistrictCodeSchema, IdSchema, ListingEntrySchema, MutationSchema, PracticeSummarySchema, QueryAnswerDataSchema, blockingFindings, parseRegistration, validateRegistration } from '../domain/index.ts';
import type { ApiError, Finding, Mutation, Override } from '../domain/index.ts';
import type { Checked, EntityKind, PreparedMutation } from './push-plan.ts';
import { cleanPath, zodDetails, type Detail } from './zod-details.ts';

const invalid = (message: string, details: Detail[]): ApiError => ({ code: 'validation_failed', message, details });

const samePath = (a: readonly (string | number)[], b: readonly (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Warnings not yet confirmed by an override. */
export function unconfirmedWarnings(findings: readonly Finding[], overrides: readonly Override[]): Finding[] {
  return findings.filter((f) => f.severity === 'warning' && !overrides.some((o) => o.rule === f.rule && samePath(o.path, f.path)));
}

/** The `validation_failed` of a complete household with blocking findings, or undefined when none block. */
export function blockedError(findings: readonly Finding[], overrides: readonly Override[]): ApiError | undefined {
  const blockers = blockingFindings(findings, overrides);
  if (blockers.length === 0) return undefined;
  const details = blockers.slice(0, 50).map((f) => ({ path: cleanPath(f.path, ['data']), message: `${f.rule}: ${f.message.en}` }));
  return invalid('a complete household has blocking edit-check findings', details);
}

const entityOf = (e: unknown): EntityKind => (e === 'listing' ? 'listing' : e === 'queryAnswer' ? 'query' : e === 'practiceSummary' ? 'practice' : 'household');

/** Best-effort district of an invalid record, so the quarantine shows it to that district's supervisor. */
function districtOf(data: unknown): { districtCode?: string } {
  if (typeof data !== 'object' || data === null || !('districtCode' in data)) return {};
  const d = DistrictCodeSchema.safeParse(data.districtCode);
  return d.success ? { districtCode: d.data } : {};
}

function checkData(entity: Mutation['entity'], entityId: string, data: unknown): Checked {
  if (entity === 'household') {
    const parsed = parseRegistration(data);
    if (!parsed.success) return { ok: false, error: invalid('the household does not match the form schema', zodDetails(parsed.error, ['data'])), ...districtOf(data) };
    const reg = parsed.data;
    if (reg.id !== entityId) return { ok: false, error: invalid('entityId must equal data.id', [{ path: ['entityId'], message: 'differs from data.id' }]), districtCode: reg.districtCode };
    const findings = validateRegistration(reg);
    if (reg.status === 'complete') {
      const blocked = blockedError(findings, reg.overrides);
      if (blocked) return { ok: false, error: blocked, districtCode: reg.districtCode };
    }
    return {
      ok: true,
      kind: 'household',
      districtCode: reg.districtCode,
      reg,
      persons: reg.persons.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: unconfirmedWarnings(findings, reg.overrides).length,
    };
  }
  if (entity === 'listing') {
    const parsed = ListingEntrySchema.safeParse(data);
    if (!parsed.success) return { ok: false, error: invalid('the listing entry does not match its schema', zodDetails(parsed.error, ['data'])), ...districtOf(data) };
    if (parsed.data.id !== entityId) return { ok: false, error: invalid('entityId must equal data.id', [{ path: ['entityId'], message: 'differs from data.id' }]), districtCode: parsed.data.districtCode };
    return { ok: true, kind: 'listing', districtCode: parsed.data.districtCode, entry: parsed.data };
  }
  if (entity === 'practiceSummary') {
    // Only counts: whose summary it is (entityId against the caller) is decided in the planner.
    const parsed = PracticeSummarySchema.safeParse(data);
    if (!parsed.success) return { ok: false, error: invalid('the practice summary does not match its schema', zodDetails(parsed.error, ['data'])) };
    return { ok: true, kind: 'practice', summary: parsed.data };
  }
  const parsed = QueryAnswerDataSchema.safeParse(data);
  if (!parsed.success) return { ok: false, error: invalid('the query answer does not match its schema', zodDetails(parsed.error, ['data'])) };
  return { ok: true, kind: 'query', answer: parsed.data };
}

/** Deepest nesting a mutation may have; a household is at most six levels deep. */
export const MAX_DEPTH = 32;

/** True when `value` nests deeper than `max` (iterative: a hostile depth cannot overflow the stack). */
export function nestedDeeper(value: unknown, max: number): boolean {
  // Two parallel stacks (objects and their depths), not a pair array per node: this walks every
  // pushed mutation.
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [0];
  for (;;) {
    const v = nodes.pop();
    const d = depths.pop();
    if (v === undefined || d === undefined) return false;
    if (d >= max) return true;
    const children: readonly unknown[] = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(d + 1);
      }
    }
  }
}

/**
 * A mutation refused before its envelope parsed: named by its id (when it has a usable one) so
 * it gets its own `rejected` result and its neighbours are unaffected.
 */
function refusedEarly(raw: unknown, payload: (id: string) => unknown, error: ApiError, districtCode: { districtCode?: string } = {}): PreparedMutation | undefined {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = IdSchema.safeParse(obj.id);
  if (!id.success) return undefined;
  const entityId = IdSchema.safeParse(obj.entityId);
  return { id: id.data, kind: entityOf(obj.entity), entityId: entityId.success ? entityId.data : '', baseVersion: 0, raw: payload(id.data), check: { ok: false, error, ...districtCode } };
}

/**
 * Prepare one raw mutation. Undefined when it has no usable id: then no per-mutation result can
 * name it and the whole request is a 400.
 */
export function prepareMutation(raw: unknown): PreparedMutation | undefined {
  if (nestedDeeper(raw, MAX_DEPTH)) {
    // Quarantined as a summary: the payload itself cannot be serialised safely.
    const entity = typeof raw === 'object' && raw !== null && 'entity' in raw && typeof raw.entity === 'string' ? raw.entity.slice(0, 40) : null;
    return refusedEarly(raw, (id) => ({ id, entity, truncated: `nested deeper than ${MAX_DEPTH} levels` }), invalid(`the mutation is nested deeper than ${MAX_DEPTH} levels`, [{ path: ['data'], message: 'too deeply nested' }]));
  }
  const env = MutationSchema.safeParse(raw);
  if (!env.success) {
    const data = typeof raw === 'object' && raw !== null && 'data' in raw ? raw.data : undefined;
    return refusedEarly(raw, () => raw, invalid('the mutation envelope is invalid', zodDetails(env.error)), districtOf(data));
  }
  const m = env.data;
  return {
    id: m.id,
    kind: entityOf(m.entity),
    entityId: m.entityId,
    baseVersion: m.baseVersion,
    createdAt: m.createdAt,
    ...(m.deviceSeq !== undefined ? { deviceSeq: m.deviceSeq } : {}),
    raw,
    check: checkData(m.entity, m.entityId, m.data),
  };
}
