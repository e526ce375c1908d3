// The supervisors' read models (sync status per enumerator and per district, conflicts,
// quarantine) as grouped SQL that both dialects accept.
import { ApiErrorSchema } from '../../domain/index.ts';
import { json, marks, num, optNum, optStr, str, type Row, type SqlExec } from './sql-driver.ts';
import type { ConflictRow, DistrictStatus, EnumeratorStatus, PracticeStatus, QuarantineRow } from './store.ts';
import { scopeSql, type Scope } from './scope.ts';
import { VISIT_COLS, toProgressRow, zeroCounts } from './sql-progress.ts';

function countBy(rows: Row[], keyCol: string): Map<string, number> {
  return new Map(rows.map((r) => [str(r, keyCol), num(r, 'n')]));
}

export async function enumeratorStatus(q: SqlExec, userIds: readonly string[]): Promise<EnumeratorStatus[]> {
  if (userIds.length === 0) return [];
  const users: Row[] = [];
  const assigned: Row[] = [];
  const devices: Row[] = [];
  const rejected = new Map<string, number>();
  const conflicts = new Map<string, number>();
  const practice = new Map<string, PracticeStatus>();
  for (let i = 0; i < userIds.length; i += 500) {
    const part = userIds.slice(i, i + 500);
    const inList = marks(part.length);
    users.push(...(await q.all(`SELECT id, username, name FROM users WHERE id IN (${inList})`, part)));
    assigned.push(...(await q.all(`SELECT user_id, district_code FROM district_enumerators WHERE user_id IN (${inList}) ORDER BY district_code`, part)));
    devices.push(...(await q.all(`SELECT user_id, last_seen_at, last_push_at, pending, app_version, clock FROM devices WHERE user_id IN (${inList}) ORDER BY last_seen_at`, part)));
    for (const [k, v] of countBy(await q.all(`SELECT user_id, count(*) AS n FROM quarantine WHERE user_id IN (${inList}) GROUP BY user_id`, part), 'user_id')) rejected.set(k, v);
    for (const [k, v] of countBy(await q.all(`SELECT user_id, count(*) AS n FROM revisions WHERE status = 'conflict' AND user_id IN (${inList}) GROUP BY user_id`, part), 'user_id')) conflicts.set(k, v);
    // Primary-key lookups of this page's users only (issue 15).
    for (const r of await q.all(`SELECT user_id, completed, attempts, errors_at_attempts, households, resets, created_at FROM practice_summaries WHERE user_id IN (${inList})`, part)) {
      practice.set(str(r, 'user_id'), {
        completed: num(r, 'completed'),
        attempts: num(r, 'attempts'),
        errorsAtAttempts: num(r, 'errors_at_attempts'),
        households: num(r, 'households'),
        resets: num(r, 'resets'),
        updatedAt: str(r, 'created_at'),
      });
    }
  }
  // Grouped once (maps), never filtered per user: O(users + devices + assignments).
  const districtsBy = groupBy(assigned, 'user_id');
  const devicesBy = groupBy(devices, 'user_id');
  users.sort((a, b) => (str(a, 'username') < str(b, 'username') ? -1 : 1));
  return users.map((u) => {
    const id = str(u, 'id');
    const mine = devicesBy.get(id) ?? [];
    // The most recently seen device speaks for the enumerator (a replaced phone stops reporting).
    const last = mine.at(-1);
    const lastSeenAt = last ? optStr(last, 'last_seen_at') : undefined;
    const lastPushAt = mine
      .map((d) => optStr(d, 'last_push_at'))
      .filter((x): x is string => x !== undefined)
      .sort()
      .at(-1);
    const pending = last ? optNum(last, 'pending') : undefined;
    const appVersion = last ? optStr(last, 'app_version') : undefined;
    const clock = last ? optStr(last, 'clock') : undefined;
    const pushedAt = last ? optStr(last, 'last_push_at') : undefined;
    const trained = practice.get(id);
    const clockSkewSeconds = clock !== undefined && pushedAt !== undefined ? Math.round((Date.parse(clock) - Date.parse(pushedAt)) / 1000) : undefined;
    return {
      userId: id,
      username: str(u, 'username'),
      name: str(u, 'name'),
      districts: (districtsBy.get(id) ?? []).map((a) => str(a, 'district_code')),
      ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
      ...(lastPushAt !== undefined ? { lastPushAt } : {}),
      ...(pending !== undefined ? { pendingOnDevice: pending } : {}),
      ...(appVersion !== undefined ? { appVersion } : {}),
      ...(clockSkewSeconds !== undefined && Number.isFinite(clockSkewSeconds) ? { clockSkewSeconds } : {}),
      rejected: rejected.get(id) ?? 0,
      conflicts: conflicts.get(id) ?? 0,
      ...(trained ? { practice: trained } : {}),
    };
  });
}

function groupBy(rows: readonly Row[], col: string): Map<string, Row[]> {
  const m = new Map<string, Row[]>();
  for (const r of rows) {
    const k = str(r, col);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Per-district status from the rollup counters (one row per district), paged by code. */
export async function districtStatus(q: SqlExec, scope: Scope, after: string, limit: number): Promise<DistrictStatus[]> {
  const w = scopeSql(scope, 'd.code');
  const ds = await q.all(
    `SELECT d.code, d.name, p.* FROM districts d LEFT JOIN progress p ON p.node = d.code WHERE ${w.sql} AND d.code > ? ORDER BY d.code LIMIT ?`,
    [...w.params, after, limit],
  );
  if (ds.length === 0) return [];
  const codes = ds.map((d) => str(d, 'code'));
  const enumerators = groupBy(await q.all(`SELECT district_code, user_id FROM district_enumerators WHERE district_code IN (${marks(codes.length)}) ORDER BY user_id`, codes), 'district_code');
  return ds.map((d) => {
    const code = str(d, 'code');
    const c = d.node === null || d.node === undefined ? zeroCounts() : toProgressRow({ ...d, node: code }).counts;
    const byVisitStatus: Record<string, number> = {};
    for (const [status, col] of Object.entries(VISIT_COLS)) if (c[col] > 0) byVisitStatus[status] = c[col];
    return {
      code,
      name: str(d, 'name'),
      enumerators: (enumerators.get(code) ?? []).map((e) => str(e, 'user_id')),
      listingSize: c.listing,
      byVisitStatus,
      registrations: c.r_complete + c.r_draft,
      completeRegistrations: c.r_complete,
      personsRegistered: c.persons,
      householdsWithErrors: c.with_errors,
      householdsWithWarnings: c.with_warnings,
      openQueries: c.q_open,
      selfReported: c.s_reported,
      selfVerified: c.s_verified,
      selfAwaiting: c.s_reported - c.s_verified,
    };
  });
}

export async function listConflicts(q: SqlExec, scope: Scope, afterId: number, limit: number): Promise<ConflictRow[]> {
  const w = scopeSql(scope, 'district_code');
  const rows = await q.all(`SELECT * FROM revisions WHERE status = 'conflict' AND ${w.sql} AND id > ? ORDER BY id LIMIT ?`, [...w.params, afterId, limit]);
  return rows.map((r) => ({
    id: num(r, 'id'),
    mutationId: str(r, 'mutation_id'),
    entity: str(r, 'entity'),
    entityId: str(r, 'entity_id'),
    districtCode: str(r, 'district_code'),
    baseVersion: num(r, 'base_version'),
    currentVersion: num(r, 'version'),
    userId: str(r, 'user_id'),
    deviceId: str(r, 'device_id'),
    receivedAt: str(r, 'received_at'),
    data: json(r, 'data'),
  }));
}

export async function listQuarantine(q: SqlExec, scope: Scope, afterId: number, limit: number): Promise<QuarantineRow[]> {
  const w = scopeSql(scope, 'district_code');
  // A supervisor also sees everything its enumerators had refused (a push to another district too).
  const extra = scope.kind === 'supervisor' ? { sql: ' OR user_id IN (SELECT id FROM users WHERE supervisor_id = ?)', params: [scope.userId] } : { sql: '', params: [] };
  const rows = await q.all(`SELECT * FROM quarantine WHERE (${w.sql}${extra.sql}) AND id > ? ORDER BY id LIMIT ?`, [...w.params, ...extra.params, afterId, limit]);
  return rows.map((r) => {
    const mutationId = optStr(r, 'mutation_id');
    const districtCode = optStr(r, 'district_code');
    return {
      id: num(r, 'id'),
      ...(mutationId !== undefined ? { mutationId } : {}),
      userId: str(r, 'user_id'),
      deviceId: str(r, 'device_id'),
      ...(districtCode !== undefined ? { districtCode } : {}),
      error: ApiErrorSchema.parse(json(r, 'error')),
      payload: json(r, 'payload'),
      receivedAt: str(r, 'received_at'),
    };
  });
}
