// Comparison review (issue 12) between the transport (CLI, routes) and the store: registers in,
// the national problem list in, the comparison run, each bounded by the caller's scope.
import { randomUUID } from 'node:crypto';
import type { ReviewQuery } from '../domain/index.ts';
import { parseProblemsCsv, parseRegisterCsv } from './registers-csv.ts';
import { compareRegisters } from './review-compare.ts';
import type { CompareHousehold, NationalProblem, RegisterKind, RegisterRecord } from './review-types.ts';
import { decodeUtf8Text } from './text-encoding.ts';
import { prefixCovers, type Scope } from './store/scope.ts';
import type { Store } from './store/store.ts';
import type { RecordKey, RegisterImportResult } from './store/sql-review.ts';

export interface RowProblem {
  line: number;
  message: string;
}

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 403; message: string; errors: RowProblem[] };

const refused = (status: 400 | 403, message: string, errors: RowProblem[] = []) => ({ ok: false as const, status, message, errors });

/** The districts among `codes` that the scope does not cover, or that do not exist. */
async function badDistricts(store: Store, scope: Scope, codes: readonly string[]): Promise<{ outside: string[]; unknown: string[] }> {
  const outside: string[] = [];
  const inside: string[] = [];
  for (const c of codes) (prefixCovers(scope, c) === false ? outside : inside).push(c);
  const known = new Set<string>();
  for (let i = 0; i < inside.length; i += 500) for (const d of await store.listDistricts(inside.slice(i, i + 500))) known.add(d.code);
  return { outside, unknown: inside.filter((c) => !known.has(c)) };
}

function districtProblems(rows: readonly { districtCode: string }[], bad: { outside: string[]; unknown: string[] }, lineOf: (i: number) => number): RowProblem[] {
  const outside = new Set(bad.outside);
  const unknown = new Set(bad.unknown);
  const out: RowProblem[] = [];
  rows.forEach((r, i) => {
    if (out.length >= 100) return;
    if (outside.has(r.districtCode)) out.push({ line: lineOf(i), message: `district ${r.districtCode} is outside your scope` });
    else if (unknown.has(r.districtCode)) out.push({ line: lineOf(i), message: `no such district ${r.districtCode}` });
  });
  return out;
}

/** A department register file: decoded (UTF-8 with or without BOM only), every row checked, all or nothing. */
export async function importRegisterFile(store: Store, scope: Scope, kind: RegisterKind, bytes: Uint8Array, userId: string | null, at: Date): Promise<ServiceResult<RegisterImportResult>> {
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) return refused(400, `${decoded.message}; nothing was imported`);
  const parsed = parseRegisterCsv(kind, decoded.text);
  if (!parsed.ok) return refused(400, `${parsed.errors.length} problem(s); nothing was imported`, parsed.errors);
  const bad = await badDistricts(store, scope, [...new Set(parsed.records.map((r) => r.districtCode))]);
  if (bad.outside.length > 0 || bad.unknown.length > 0) {
    return refused(bad.outside.length > 0 ? 403 : 400, 'rows name districts that are outside your scope or do not exist; nothing was imported', districtProblems(parsed.records, bad, (i) => parsed.lines[i] ?? 0));
  }
  return { ok: true, value: await store.importRegister(kind, parsed.records, randomUUID(), userId, at.toISOString()) };
}

async function householdIdsOf(store: Store, district: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let after: { districtCode: string; householdNo: string; id: string } | undefined;
  for (;;) {
    const page = await store.registrationsPage({ kind: 'district', code: district }, after, 1000);
    for (const r of page) if (!out.has(r.householdNo)) out.set(r.householdNo, r.id);
    const last = page.at(-1);
    if (!last || page.length < 1000) return out;
    after = { districtCode: last.districtCode, householdNo: last.householdNo, id: last.id };
  }
}

/** The national office's problem list: drafts in their districts (linked to the household when its number is registered). */
export async function importProblemsFile(store: Store, scope: Scope, bytes: Uint8Array, userId: string, at: Date): Promise<ServiceResult<{ created: number; existing: number }>> {
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) return refused(400, `${decoded.message}; nothing was imported`);
  const parsed = parseProblemsCsv(decoded.text);
  if (!parsed.ok) return refused(400, `${parsed.errors.length} problem(s); nothing was imported`, parsed.errors);
  const districts = [...new Set(parsed.problems.map((p) => p.districtCode))];
  const bad = await badDistricts(store, scope, districts);
  if (bad.outside.length > 0 || bad.unknown.length > 0) {
    return refused(bad.outside.length > 0 ? 403 : 400, 'rows name districts that are outside your scope or do not exist; nothing was imported', districtProblems(parsed.problems, bad, (i) => parsed.lines[i] ?? 0));
  }
  const ids = new Map<string, Map<string, string>>();
  for (const d of new Set(parsed.problems.filter((p) => p.householdNo !== undefined).map((p) => p.districtCode))) ids.set(d, await householdIdsOf(store, d));
  const iso = at.toISOString();
  const items = parsed.problems.map((p: NationalProblem) => {
    const householdId = p.householdNo === undefined ? undefined : ids.get(p.districtCode)?.get(p.householdNo);
    const item: ReviewQuery = {
      id: randomUUID(),
      ...(householdId !== undefined ? { householdId } : {}),
      districtCode: p.districtCode,
      ...(p.householdNo !== undefined ? { householdNo: p.householdNo } : {}),
      category: p.category,
      origin: 'national',
      message: p.message,
      subject: { ...(p.name !== undefined ? { name: p.name } : {}), ...(p.citizenId !== undefined ? { citizenId: p.citizenId } : {}) },
      match: { method: 'national', confidence: 1 },
      status: 'draft',
      createdBy: userId,
      createdAt: iso,
      version: 1,
    };
    return { key: p.key, item };
  });
  const r = await store.insertReviewItems(items);
  return { ok: true, value: { created: r.created, existing: r.existing } };
}

export interface CompareRun {
  area: string;
  households: number;
  records: number;
  created: number;
  existing: number;
  /** Candidates whose household lies outside the caller's scope (left for the office that holds it). */
  outsideScope: number;
  byCategory: Record<string, number>;
  ms: number;
}

/** Every registered household of the store (people are registered where they live). */
export async function readCompareHouseholds(store: Store, pageSize = 2000): Promise<CompareHousehold[]> {
  const out: CompareHousehold[] = [];
  let after = '';
  for (;;) {
    const page = await store.compareHouseholdsPage(after, pageSize);
    for (const h of page) out.push(h);
    const last = page.at(-1);
    if (!last || page.length < pageSize) return out;
    after = last.registrationId;
  }
}

export async function readRegisterRecords(store: Store, scope: Scope, area: string, pageSize = 5000): Promise<RegisterRecord[]> {
  const out: RegisterRecord[] = [];
  let after: RecordKey | undefined;
  for (;;) {
    const page = await store.registerRecordsPage(scope, area, after, pageSize);
    for (const r of page) out.push(r);
    const last = page.at(-1);
    if (!last || page.length < pageSize) return out;
    after = { districtCode: last.districtCode, kind: last.kind, key: last.key };
  }
}

/** Compares the registers of `area` with everything registered and inserts the new items as drafts. */
export async function runCompare(store: Store, scope: Scope, area: string, rules: readonly string[], userId: string, at: Date): Promise<CompareRun> {
  const started = Date.now();
  const households = await readCompareHouseholds(store);
  const records = await readRegisterRecords(store, scope, area);
  const { candidates } = compareRegisters({ households, records, area, rules });
  const iso = at.toISOString();
  let outsideScope = 0;
  const items: { key: string; item: ReviewQuery }[] = [];
  for (const c of candidates) {
    if (prefixCovers(scope, c.districtCode) === false || !c.districtCode.startsWith(area)) {
      outsideScope++;
      continue;
    }
    items.push({
      key: c.key,
      item: {
        id: randomUUID(),
        ...(c.householdId !== undefined ? { householdId: c.householdId } : {}),
        districtCode: c.districtCode,
        ...(c.householdNo !== undefined ? { householdNo: c.householdNo } : {}),
        category: c.category,
        origin: 'compare',
        message: c.message,
        subject: c.subject,
        match: c.match,
        status: 'draft',
        createdBy: userId,
        createdAt: iso,
        version: 1,
      },
    });
  }
  const r = await store.insertReviewItems(items);
  return { area, households: households.length, records: records.length, created: r.created, existing: r.existing, outsideScope, byCategory: r.byCategory, ms: Date.now() - started };
}
