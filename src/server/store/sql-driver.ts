// The small SQL surface the shared store code needs, implemented once for better-sqlite3 and
// once for pg. SQL is written with `?` placeholders and portable syntax (ON CONFLICT, RETURNING,
// UNION ALL); the pg driver renumbers them to `$n`.
import type { StoreKind } from './store.ts';

export type Row = Record<string, unknown>;

export interface SqlExec {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement; returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Serialises transactions that touch the same keys until this transaction ends (pg advisory
   * transaction locks, taken in sorted order so two batches cannot deadlock). SQLite has a
   * single writer, so there it is a no-op.
   */
  lockKeys(keys: readonly string[]): Promise<void>;
}

export interface SqlDriver extends SqlExec {
  readonly kind: StoreKind;
  /** Runs `fn` in one transaction: committed (durably) when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: SqlExec) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Row readers: a column of the wrong type is a bug in our own schema, so it throws.
export function str(row: Row, col: string): string {
  const v = row[col];
  if (typeof v !== 'string') throw new Error(`column ${col}: expected text`);
  return v;
}
export function optStr(row: Row, col: string): string | undefined {
  const v = row[col];
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`column ${col}: expected text`);
  return v;
}
export function num(row: Row, col: string): number {
  const v = row[col];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  throw new Error(`column ${col}: expected a number`);
}
export function optNum(row: Row, col: string): number | undefined {
  const v = row[col];
  return v === null || v === undefined ? undefined : num(row, col);
}
export function json(row: Row, col: string): unknown {
  return JSON.parse(str(row, col)) as unknown;
}

/** The rows' values in one parameter list (a plain loop: Array.prototype.flat is many times slower, and a push binds thousands). */
export function flatRows(rows: readonly (readonly unknown[])[]): unknown[] {
  const out: unknown[] = [];
  for (const row of rows) for (const v of row) out.push(v);
  return out;
}

const MARKS: string[] = [];
/** `?, ?, ?` for an IN list; callers pass at least one value. Made once per length (a push builds thousands). */
export function marks(n: number): string {
  let m = MARKS[n];
  if (m === undefined) {
    m = Array.from({ length: n }, () => '?').join(', ');
    if (n <= 4096) MARKS[n] = m;
  }
  return m;
}
