// The node a progress-like request names (`area`, a code prefix; omitted: the caller's own node)
// checked against the caller's scope, shared by /progress and the office's desk (docs/OFFICE.md):
// a supervisor sees its own districts (area null) and any one of them; an office its prefix and
// below; an admin everything.
import { z } from 'zod';
import type { Caller, Ctx } from '../context.ts';
import { HttpError, forbidden } from '../errors.ts';
import { LEVEL_OF_LENGTH, type Scope } from '../store/scope.ts';
import { zeroCounts, type Counts } from '../store/sql-progress.ts';

export const AreaSchema = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, 'area is a code prefix of 2, 4, 6, 9, 12 or 15 digits');

/** The level of a node: null is a supervisor's own districts, '' the whole installation. */
export const levelOf = (node: string | null) => (node === null ? 'supervisor' : node === '' ? 'installation' : (LEVEL_OF_LENGTH[node.length] ?? 'district'));

export const nodeScope = (area: string): Scope => (area === '' ? { kind: 'all' } : area.length === 15 ? { kind: 'district', code: area } : { kind: 'prefix', prefix: area });

export async function resolveArea(ctx: Ctx, caller: Caller, area: string | undefined): Promise<{ area: string | null; scope: Scope }> {
  if (caller.scope.kind === 'supervisor' && area === undefined) return { area: null, scope: caller.scope };
  const a = area ?? (caller.scope.kind === 'prefix' ? caller.scope.prefix : caller.scope.kind === 'all' ? '' : undefined);
  if (a === undefined) throw new HttpError(400, 'validation_failed', 'area is required', [{ path: ['area'], message: 'required' }]);
  if (caller.scope.kind === 'supervisor') {
    // A supervisor may look at any of its districts, and nothing above them.
    if (a.length !== 15 || !(await ctx.store.districtInScope(caller.scope, a))) throw forbidden('the area is outside your scope');
  } else if (caller.scope.kind === 'prefix') {
    if (!a.startsWith(caller.scope.prefix)) throw forbidden('the area is outside your scope');
  } else if (caller.scope.kind !== 'all') throw forbidden('the area is outside your scope');
  return { area: a, scope: nodeScope(a) };
}

/** The counters of several rows added up (a supervisor's node from its districts). */
export function sumCounts(rows: readonly { counts: Counts }[]): Counts {
  const acc = zeroCounts();
  for (const r of rows) for (const k of Object.keys(acc) as (keyof Counts)[]) acc[k] += r.counts[k];
  return acc;
}
