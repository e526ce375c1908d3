// The comparison review's admin commands (issue 12): registers and the national list in, the
// comparison, release. The CLI acts for the whole installation and records its items as made by
// `admin-cli`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ReviewCategorySchema } from '../domain/index.ts';
import type { CliIo } from './cli-commands.ts';
import { importProblemsFile, importRegisterFile, runCompare, type ServiceResult } from './review-service.ts';
import { REGISTER_KINDS, type RegisterKind } from './review-types.ts';
import type { Scope } from './store/scope.ts';
import type { Store } from './store/store.ts';

const ALL: Scope = { kind: 'all' };
export const CLI_USER = 'admin-cli';

function args(rest: string[], options: Record<string, { type: 'string' }>): { values: Record<string, string | undefined>; positionals: string[] } | undefined {
  try {
    const r = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
    return { values: r.values, positionals: r.positionals };
  } catch {
    return undefined;
  }
}

function readBytes(file: string, io: CliIo): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    io.err(`${file}: cannot read the file`);
    return undefined;
  }
}

function report<T>(file: string, r: ServiceResult<T>, io: CliIo): r is { ok: true; value: T } {
  if (r.ok) return true;
  for (const e of r.errors) io.err(`${file}:${e.line}: ${e.message}`);
  io.err(`refused: ${r.message}`);
  return false;
}

/** `import-register --kind hukou|births|deaths FILE.csv` */
export async function importRegisterCmd(store: Store, rest: string[], io: CliIo): Promise<number> {
  const a = args(rest, { kind: { type: 'string' } });
  const kind = a?.values.kind;
  const file = a?.positionals[0];
  if (!a || file === undefined || a.positionals.length !== 1 || !(REGISTER_KINDS as readonly string[]).includes(kind ?? '')) return 2;
  const bytes = readBytes(file, io);
  if (!bytes) return 1;
  const r = await importRegisterFile(store, ALL, kind as RegisterKind, bytes, null, io.now());
  if (!report(file, r, io)) return 1;
  io.out(`import-register ${kind}: ${r.value.rows} row(s): ${r.value.inserted} new, ${r.value.updated} updated, ${r.value.unchanged} unchanged`);
  return 0;
}

/** `import-problems FILE.csv` */
export async function importProblemsCmd(store: Store, rest: string[], io: CliIo): Promise<number> {
  const a = args(rest, {});
  const file = a?.positionals[0];
  if (!a || file === undefined || a.positionals.length !== 1) return 2;
  const bytes = readBytes(file, io);
  if (!bytes) return 1;
  const r = await importProblemsFile(store, ALL, bytes, CLI_USER, io.now());
  if (!report(file, r, io)) return 1;
  io.out(`import-problems: ${r.value.created} new item(s), ${r.value.existing} already imported; release them with release-review`);
  return 0;
}

/** `compare --area PREFIX [--rules HEAD_AGE,...]` */
export async function compareCmd(store: Store, rest: string[], io: CliIo): Promise<number> {
  const a = args(rest, { area: { type: 'string' }, rules: { type: 'string' } });
  const area = a?.values.area;
  if (!a || area === undefined || !/^\d{0,15}$/.test(area) || a.positionals.length > 0) return 2;
  const rules = (a.values.rules ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = rules.find((r) => !/^[A-Z][A-Z0-9_]{1,59}$/.test(r));
  if (bad !== undefined) {
    io.err(`compare: ${bad} is not a rule id (e.g. HEAD_AGE)`);
    return 1;
  }
  const run = await runCompare(store, ALL, area, rules, CLI_USER, io.now());
  const cats = Object.entries(run.byCategory).map(([k, v]) => `${k} ${v}`).join(', ');
  io.out(`compare ${area || '(all)'}: ${run.records} register row(s) against ${run.households} household(s) in ${(run.ms / 1000).toFixed(1)} s: ${run.created} new item(s)${cats ? ` (${cats})` : ''}, ${run.existing} already known`);
  return 0;
}

/** `release-review [--area PREFIX] [--category C]` */
export async function releaseCmd(store: Store, rest: string[], io: CliIo): Promise<number> {
  const a = args(rest, { area: { type: 'string' }, category: { type: 'string' } });
  if (!a || a.positionals.length > 0) return 2;
  const area = a.values.area;
  if (area !== undefined && !/^\d{0,15}$/.test(area)) return 2;
  const category = a.values.category === undefined ? undefined : ReviewCategorySchema.safeParse(a.values.category);
  if (category && !category.success) {
    io.err(`release-review: unknown category ${a.values.category}`);
    return 1;
  }
  const n = await store.releaseReviewItems(ALL, { ...(area !== undefined ? { area } : {}), ...(category?.success ? { category: category.data } : {}) }, io.now().toISOString());
  io.out(`release-review: ${n} item(s) released to their districts`);
  return 0;
}
