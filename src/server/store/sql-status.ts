// The supervisors' read models (sync status per enumerator and per district, conflicts,
// quarantine) as grouped SQL that both dialects accept.
import { ApiErrorSchema } from '../../domain/index.ts';
import { json, marks, num, optNum, optStr, str, type SqlExec } from './sql-driver.ts';
import type { ConflictRow, DistrictStatus, EnumeratorStatus, QuarantineRow } from './store.ts';

function countBy(rows: Record<string, unknown>[], keyCol: string): Map<string, number> {
  return new Map(rows.map((r) => [str(r, keyCol), num(r, 'n')]));
}

export async function enumeratorStatus(q: SqlExec, userIds: readonly string[]): Promise<EnumeratorStatus[]> {
  if (userIds.length === 0) return [];
  const inList = marks(userIds.length);
  const users = await q.all(`SELECT id, username, name FROM users WHERE id IN (${inList}) ORDER BY username`, userIds);
  const assigned = await q.all(`SELECT user_id, district_code FROM district_enumerators WHERE user_id IN (${inList}) ORDER BY district_code`, userIds);
  const devices = await q.all(`SELECT user_id, last_seen_at, last_push_at, pending, app_version, clock FROM devices WHERE user_id IN (${inList}) ORDER BY last_seen_at`, userIds);
  const rejected = countBy(await q.all(`SELECT user_id, count(*) AS n FROM quarantine WHERE user_id IN (${inList}) GROUP BY user_id`, userIds), 'user_id');
  const conflicts = countBy(await q.all(`SELECT user_id, count(*) AS n FROM revisions WHERE status = 'conflict' AND user_id IN (${inList}) GROUP BY user_id`, userIds), 'user_id');
  return users.map((u) => {
    const id = str(u, 'id');
    // The most recently seen device speaks for the enumerator (a replaced phone stops reporting).
    const last = devices.filter((d) => d.user_id === id).at(-1);
    const lastSeenAt = last ? optStr(last, 'last_seen_at') : undefined;
    const lastPushAt = devices
      .filter((d) => d.user_id === id)
      .map((d) => optStr(d, 'last_push_at'))
      .filter((x): x is string => x !== undefined)
      .sort()
      .at(-1);
    const pending = last ? optNum(last, 'pending') : undefined;
    const appVersion = last ? optStr(last, 'app_version') : undefined;
    const clock = last ? optStr(last, 'clock') : undefined;
    const pushedAt = last ? optStr(last, 'last_push_at') : undefined;
    const clockSkewSeconds = clock !== undefined && pushedAt !== undefined ? Math.round((Date.parse(clock) - Date.parse(pushedAt)) / 1000) : undefined;
    return {
      userId: id,
      username: str(u, 'username'),
      name: str(u, 'name'),
      districts: assigned.filter((a) => a.user_id === id).map((a) => str(a, 'district_code')),
      ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
      ...(lastPushAt !== undefined ? { lastPushAt } : {}),
      ...(pending !== undefined ? { pendingOnDevice: pending } : {}),
      ...(appVersion !== undefined ? { appVersion } : {}),
      ...(clockSkewSeconds !== undefined && Number.isFinite(clockSkewSeconds) ? { clockSkewSeconds } : {}),
      rejected: rejected.get(id) ?? 0,
      conflicts: conflicts.get(id) ?? 0,
    };
  });
}

export async function districtStatus(q: SqlExec, districts: readonly string[]): Promise<DistrictStatus[]> {
  if (districts.length === 0) return [];
  const inList = marks(districts.length);
  const ds = await q.all(`SELECT code, name FROM districts WHERE code IN (${inList}) ORDER BY code`, districts);
  const enumerators = await q.all(`SELECT district_code, user_id FROM district_enumerators WHERE district_code IN (${inList}) ORDER BY user_id`, districts);
  const visits = await q.all(`SELECT district_code, visit_status, count(*) AS n FROM listing WHERE district_code IN (${inList}) GROUP BY district_code, visit_status`, districts);
  const regs = await q.all(
    `SELECT district_code, count(*) AS n, sum(CASE WHEN status = 'complete' THEN 1 ELSE 0 END) AS complete, sum(persons) AS persons,
       sum(CASE WHEN errors > 0 THEN 1 ELSE 0 END) AS with_errors, sum(CASE WHEN warnings > 0 THEN 1 ELSE 0 END) AS with_warnings
     FROM registrations WHERE district_code IN (${inList}) GROUP BY district_code`,
    districts,
  );
  const open = countBy(await q.all(`SELECT district_code, count(*) AS n FROM queries WHERE status = 'open' AND district_code IN (${inList}) GROUP BY district_code`, districts), 'district_code');
  return ds.map((d) => {
    const code = str(d, 'code');
    const byVisitStatus: Record<string, number> = {};
    let listingSize = 0;
    for (const v of visits.filter((x) => x.district_code === code)) {
      byVisitStatus[str(v, 'visit_status')] = num(v, 'n');
      listingSize += num(v, 'n');
    }
    const r = regs.find((x) => x.district_code === code);
    return {
      code,
      name: str(d, 'name'),
      enumerators: enumerators.filter((e) => e.district_code === code).map((e) => str(e, 'user_id')),
      listingSize,
      byVisitStatus,
      registrations: r ? num(r, 'n') : 0,
      completeRegistrations: r ? num(r, 'complete') : 0,
      personsRegistered: r ? num(r, 'persons') : 0,
      householdsWithErrors: r ? num(r, 'with_errors') : 0,
      householdsWithWarnings: r ? num(r, 'with_warnings') : 0,
      openQueries: open.get(code) ?? 0,
    };
  });
}

export async function listConflicts(q: SqlExec, districts: readonly string[]): Promise<ConflictRow[]> {
  if (districts.length === 0) return [];
  const rows = await q.all(`SELECT * FROM revisions WHERE status = 'conflict' AND district_code IN (${marks(districts.length)}) ORDER BY id`, districts);
  return rows.map((r) => ({
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

export async function listQuarantine(q: SqlExec, districts: readonly string[], userIds: readonly string[]): Promise<QuarantineRow[]> {
  const conds: string[] = [];
  if (districts.length > 0) conds.push(`district_code IN (${marks(districts.length)})`);
  if (userIds.length > 0) conds.push(`user_id IN (${marks(userIds.length)})`);
  if (conds.length === 0) return [];
  const rows = await q.all(`SELECT * FROM quarantine WHERE ${conds.join(' OR ')} ORDER BY id`, [...districts, ...userIds]);
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
