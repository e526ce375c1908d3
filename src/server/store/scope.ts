// What a caller may read, as a value the SQL is built from. A scope is never expanded into a
// list of district codes: an office's prefix becomes a range on the indexed district code, an
// enumerator's or supervisor's districts a sub-select on the assignment tables, so a query's
// parameters, a cursor or a login answer never grow with the scope.
import type { StoredUser } from './store.ts';

export type Scope =
  | { kind: 'all' }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'enumerator'; userId: string }
  | { kind: 'supervisor'; userId: string }
  /** Nothing (a role without data, or a district asked for outside the caller's scope). */
  | { kind: 'none' }
  /** Exactly one district (an export or a progress request narrowed to one district). */
  | { kind: 'district'; code: string };

/** Node prefix lengths of the hierarchy: province, city, county, township, area, district. */
export const NODE_LENGTHS = [2, 4, 6, 9, 12, 15] as const;
export type NodeLevel = 'province' | 'city' | 'county' | 'township' | 'area' | 'district';
export const LEVEL_OF_LENGTH: Record<number, NodeLevel> = { 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'area', 15: 'district' };

/** The length of the node one level below `node` ('' is the root above the provinces). */
export function childLength(node: string): number | undefined {
  if (node === '') return 2;
  const i = NODE_LENGTHS.indexOf(node.length as (typeof NODE_LENGTHS)[number]);
  return i >= 0 ? NODE_LENGTHS[i + 1] : undefined;
}

/** Every node above and at a district, root first: '', 2, 4, 6, 9, 12 and 15 digits. */
export function ancestorsOf(code: string): string[] {
  return ['', ...NODE_LENGTHS.map((n) => code.slice(0, n))];
}

export function parentOf(node: string): string | null {
  if (node === '') return null;
  const i = NODE_LENGTHS.indexOf(node.length as (typeof NODE_LENGTHS)[number]);
  return i <= 0 ? '' : node.slice(0, NODE_LENGTHS[i - 1]);
}

export function scopeOf(user: StoredUser): Scope {
  switch (user.role) {
    case 'admin':
      return { kind: 'all' };
    case 'office':
      return user.scope ? { kind: 'prefix', prefix: user.scope } : { kind: 'none' };
    case 'supervisor':
      return { kind: 'supervisor', userId: user.id };
    case 'enumerator':
      return { kind: 'enumerator', userId: user.id };
  }
}

/** Digits only, so ':' (the character after '9') bounds every code that starts with the prefix. */
const upper = (prefix: string) => `${prefix}:`;

/** A boolean SQL condition on the district-code column `col`, and its parameters. */
export function scopeSql(scope: Scope, col: string): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'all':
      return { sql: '1 = 1', params: [] };
    case 'none':
      return { sql: '1 = 0', params: [] };
    case 'district':
      return { sql: `${col} = ?`, params: [scope.code] };
    case 'prefix':
      return { sql: `(${col} >= ? AND ${col} < ?)`, params: [scope.prefix, upper(scope.prefix)] };
    case 'enumerator':
      return { sql: `${col} IN (SELECT se.district_code FROM district_enumerators se WHERE se.user_id = ?)`, params: [scope.userId] };
    case 'supervisor':
      return {
        sql: `${col} IN (SELECT se.district_code FROM district_enumerators se JOIN users su ON su.id = se.user_id WHERE su.supervisor_id = ?)`,
        params: [scope.userId],
      };
  }
}

/** True when a prefix scope covers the district without asking the database. */
export function prefixCovers(scope: Scope, code: string): boolean | undefined {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  if (scope.kind === 'prefix') return code.startsWith(scope.prefix);
  if (scope.kind === 'district') return code === scope.code;
  return undefined;
}
