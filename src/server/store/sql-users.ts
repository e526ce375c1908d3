// Accounts and assignments at province scale: the bulk users import (one transaction, multi-row
// writes, activation codes instead of password hashes), reassignment of a district with a grace
// period for the enumerator who lost it, and the assignment events that make a phone's next pull
// restart with its new scope.
import { randomUUID } from 'node:crypto';
import { marks, num, optStr, str, type Row, type SqlExec } from './sql-driver.ts';
import { ProgressDelta, applyProgress } from './sql-progress.ts';
import { insertRows, nextSeq } from './sql-push.ts';
import type { ImportUsersResult, UserImportFailure, UserImportOptions, UserImportRow } from './store.ts';

const CHUNK = 500;

async function selectIn(q: SqlExec, sql: (inList: string) => string, values: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const part = values.slice(i, i + CHUNK);
    out.push(...(await q.all(sql(marks(part.length)), part)));
  }
  return out;
}

/** For each district, the supervisors who see it through one of its enumerators. */
async function supervisorsSeeing(q: SqlExec, districts: readonly string[]): Promise<Map<string, Set<string>>> {
  const m = new Map<string, Set<string>>();
  for (const r of await selectIn(
    q,
    (l) => `SELECT de.district_code AS d, u.supervisor_id AS s FROM district_enumerators de JOIN users u ON u.id = de.user_id WHERE de.district_code IN (${l})`,
    districts,
  )) {
    const s = optStr(r, 's');
    if (s === undefined) continue;
    const set = m.get(str(r, 'd')) ?? new Set<string>();
    set.add(s);
    m.set(str(r, 'd'), set);
  }
  return m;
}

interface Assignment {
  district: string;
  userId: string;
}

/**
 * Applies assignment changes (added and removed enumerator-district pairs) with their events:
 * the enumerators concerned and the supervisors whose view gains or loses the district. A
 * supervisor who still sees the district through another enumerator gets no `remove`.
 */
async function writeAssignments(
  q: SqlExec,
  added: readonly Assignment[],
  removed: readonly Assignment[],
  at: string,
  graceUntil: string | undefined,
  bumpDistricts = true,
): Promise<void> {
  if (added.length === 0 && removed.length === 0) return;
  const touched = [...new Set([...added, ...removed].map((a) => a.district))];
  const pairs = (list: readonly Assignment[]) => ({ sql: list.map(() => '(district_code = ? AND user_id = ?)').join(' OR '), params: list.flatMap((a) => [a.district, a.userId]) });
  // Supervisors seeing each touched district before and after the change.
  const before = await supervisorsSeeing(q, touched);
  for (let i = 0; i < removed.length; i += CHUNK) {
    const p = pairs(removed.slice(i, i + CHUNK));
    await q.run(`DELETE FROM district_enumerators WHERE ${p.sql}`, p.params);
  }
  if (added.length > 0) await insertRows(q, 'district_enumerators', ['district_code', 'user_id'], added.map((a) => [a.district, a.userId]), 'ON CONFLICT DO NOTHING');
  const after = await supervisorsSeeing(q, touched);
  const seq = await nextSeq(q, 1);
  const events: unknown[][] = [];
  for (const a of removed) events.push([seq, a.userId, a.district, 'remove', at]);
  for (const a of added) events.push([seq, a.userId, a.district, 'add', at]);
  for (const d of touched) {
    const b = before.get(d) ?? new Set<string>();
    const n = after.get(d) ?? new Set<string>();
    for (const s of b) if (!n.has(s)) events.push([seq, s, d, 'remove', at]);
    for (const s of n) if (!b.has(s)) events.push([seq, s, d, 'add', at]);
  }
  await insertRows(q, 'scope_events', ['seq', 'user_id', 'district_code', 'kind', 'at'], events);
  if (graceUntil !== undefined && removed.length > 0) {
    await insertRows(q, 'district_grace', ['district_code', 'user_id', 'until'], removed.map((a) => [a.district, a.userId, graceUntil]), 'ON CONFLICT (district_code, user_id) DO UPDATE SET until = excluded.until');
  }
  // A district given back to an enumerator within its grace period is simply theirs again.
  const anyGrace = (await q.all('SELECT 1 AS x FROM district_grace LIMIT 1')).length > 0;
  for (let i = 0; anyGrace && i < added.length; i += CHUNK) {
    const p = pairs(added.slice(i, i + CHUNK));
    await q.run(`DELETE FROM district_grace WHERE ${p.sql}`, p.params);
  }
  if (!bumpDistricts) return;
  // The district rows change too (their enumerators), so the new versions reach the phones:
  // version + 1 and a fresh sequence number per district, one statement per chunk.
  let next = await nextSeq(q, touched.length);
  for (let i = 0; i < touched.length; i += CHUNK) {
    const part = touched.slice(i, i + CHUNK);
    await q.run(`UPDATE districts SET version = version + 1, seq = ${next} + (CASE code ${part.map((_, j) => `WHEN ? THEN ${j}`).join(' ')} END) WHERE code IN (${marks(part.length)})`, [...part, ...part]);
    next += part.length;
  }
}

/**
 * Replaces a district's enumerators (putDistrict, a listing import's new districts), writing the
 * assignment events; the caller has already given the district row its new version.
 */
export async function setDistrictEnumerators(q: SqlExec, code: string, userIds: readonly string[], at: string): Promise<void> {
  const old = (await q.all('SELECT user_id FROM district_enumerators WHERE district_code = ?', [code])).map((r) => str(r, 'user_id'));
  const want = new Set(userIds);
  const removed = old.filter((u) => !want.has(u)).map((userId) => ({ district: code, userId }));
  const added = [...want].filter((u) => !old.includes(u)).map((userId) => ({ district: code, userId }));
  await writeAssignments(q, added, removed, at, undefined, false);
}

export async function reassignDistrict(q: SqlExec, code: string, toUserId: string, graceUntil: string, at: string): Promise<{ ok: true; from: string[] } | { ok: false; reason: 'no_district' | 'not_enumerator' }> {
  if ((await q.all('SELECT code FROM districts WHERE code = ?', [code])).length === 0) return { ok: false, reason: 'no_district' };
  const to = (await q.all('SELECT role FROM users WHERE id = ?', [toUserId]))[0];
  if (!to || str(to, 'role') !== 'enumerator') return { ok: false, reason: 'not_enumerator' };
  const old = (await q.all('SELECT user_id FROM district_enumerators WHERE district_code = ?', [code])).map((r) => str(r, 'user_id'));
  const from = old.filter((u) => u !== toUserId);
  await writeAssignments(
    q,
    old.includes(toUserId) ? [] : [{ district: code, userId: toUserId }],
    from.map((userId) => ({ district: code, userId })),
    at,
    graceUntil,
  );
  return { ok: true, from };
}

interface ExistingUser {
  id: string;
  name: string;
  role: string;
  supervisorId?: string;
  scope?: string;
}

const placeholderName = (code: string) => `普查小区 ${code}`;

/**
 * The users import in one transaction. New accounts get an activation code (hashed, fast: the
 * code is random, unlike a password); existing ones are updated where the row differs. An
 * enumerator's districts are the row's list: districts missing from it are unassigned (with the
 * grace period), districts taken from another enumerator move to this one.
 */
export async function importUsers(q: SqlExec, rows: readonly UserImportRow[], opts: UserImportOptions): Promise<ImportUsersResult | UserImportFailure> {
  const result: ImportUsersResult = { created: [], updated: 0, unchanged: 0, newDistricts: 0 };
  const existing = new Map<string, ExistingUser>();
  for (const r of await selectIn(q, (l) => `SELECT id, username, name, role, supervisor_id, scope FROM users WHERE username IN (${l})`, rows.map((r) => r.username))) {
    const supervisorId = optStr(r, 'supervisor_id');
    const scope = optStr(r, 'scope');
    existing.set(str(r, 'username'), { id: str(r, 'id'), name: str(r, 'name'), role: str(r, 'role'), ...(supervisorId !== undefined ? { supervisorId } : {}), ...(scope !== undefined ? { scope } : {}) });
  }
  const errors: { username: string; message: string }[] = [];
  for (const r of rows) {
    const e = existing.get(r.username);
    if (e && e.role !== r.role) errors.push({ username: r.username, message: `the account exists with the role ${e.role}; a role is not changed by an import` });
  }
  // Supervisors: in the file, or already in the store.
  const ids = new Map<string, string>();
  for (const r of rows) ids.set(r.username, existing.get(r.username)?.id ?? randomUUID());
  const supNames = [...new Set(rows.map((r) => r.supervisorUsername).filter((s): s is string => s !== undefined))];
  const fileSups = new Set(rows.filter((r) => r.role === 'supervisor').map((r) => r.username));
  const storeSups = new Map<string, string>();
  for (const r of await selectIn(q, (l) => `SELECT id, username FROM users WHERE role = 'supervisor' AND username IN (${l})`, supNames.filter((s) => !fileSups.has(s)))) {
    storeSups.set(str(r, 'username'), str(r, 'id'));
  }
  const supId = (name: string | undefined) => (name === undefined ? undefined : fileSups.has(name) ? ids.get(name) : storeSups.get(name));
  for (const r of rows) if (r.supervisorUsername !== undefined && supId(r.supervisorUsername) === undefined) errors.push({ username: r.username, message: `no supervisor named ${r.supervisorUsername}` });
  if (errors.length > 0) return { ok: false, errors };

  // Users: insert new, update changed (name, supervisor, scope).
  const inserts: unknown[][] = [];
  const changedScope: string[] = [];
  const supervisorChanged: { userId: string }[] = [];
  for (const r of rows) {
    const id = ids.get(r.username) ?? randomUUID();
    const sup = supId(r.supervisorUsername);
    const e = existing.get(r.username);
    if (!e) {
      const { code, hash } = opts.newCode();
      inserts.push([id, r.username, r.name, r.role, '', sup ?? null, r.scope ?? null, hash, opts.activationExpiresAt, opts.at]);
      result.created.push({ username: r.username, name: r.name, code });
      continue;
    }
    const changes = e.name !== r.name || e.supervisorId !== sup || e.scope !== r.scope;
    if (changes) {
      await q.run('UPDATE users SET name = ?, supervisor_id = ?, scope = ? WHERE id = ?', [r.name, sup ?? null, r.scope ?? null, e.id]);
      if (e.scope !== r.scope) changedScope.push(e.id);
      if (e.supervisorId !== sup) supervisorChanged.push({ userId: e.id });
    }
    if (changes) result.updated++;
  }
  // Supervisors before the enumerators that name them (foreign key): sort by role.
  const order = (row: unknown[]) => (row[3] === 'supervisor' ? 0 : 1);
  inserts.sort((a, b) => order(a) - order(b));
  await insertRows(q, 'users', ['id', 'username', 'name', 'role', 'password_hash', 'supervisor_id', 'scope', 'activation_hash', 'activation_expires_at', 'created_at'], inserts);

  // Districts: placeholders for unknown codes.
  const allCodes = [...new Set(rows.flatMap((r) => r.districts))];
  const known = new Set((await selectIn(q, (l) => `SELECT code FROM districts WHERE code IN (${l})`, allCodes)).map((r) => str(r, 'code')));
  const missing = allCodes.filter((c) => !known.has(c));
  if (missing.length > 0) {
    let seq = await nextSeq(q, missing.length);
    await insertRows(q, 'districts', ['code', 'name', 'urban_rural', 'version', 'seq'], missing.map((c) => [c, placeholderName(c), null, 1, seq++]));
    const delta = new ProgressDelta();
    for (const c of missing) delta.district(c, placeholderName(c));
    // Placeholder names say nothing of the areas above: keep only the district's own.
    for (const k of [...delta.names.keys()]) if (k.length !== 15) delta.names.delete(k);
    await applyProgress(q, delta);
    result.newDistricts = missing.length;
  }

  // Assignments of the enumerators in the file.
  const enumRows = rows.filter((r) => r.role === 'enumerator');
  const enumIds = enumRows.map((r) => ids.get(r.username) ?? '');
  const current = new Map<string, Set<string>>();
  for (const r of await selectIn(q, (l) => `SELECT user_id, district_code FROM district_enumerators WHERE user_id IN (${l})`, enumIds)) {
    const set = current.get(str(r, 'user_id')) ?? new Set<string>();
    set.add(str(r, 'district_code'));
    current.set(str(r, 'user_id'), set);
  }
  // Holders of the file's districts who are not the file's enumerator for it.
  const holders = await selectIn(q, (l) => `SELECT user_id, district_code FROM district_enumerators WHERE district_code IN (${l})`, allCodes);
  const wantBy = new Map<string, string>();
  for (const r of enumRows) for (const d of r.districts) wantBy.set(d, ids.get(r.username) ?? '');
  const added: Assignment[] = [];
  const removed: Assignment[] = [];
  for (const h of holders) {
    const d = str(h, 'district_code');
    const u = str(h, 'user_id');
    if (wantBy.get(d) !== u) removed.push({ district: d, userId: u });
  }
  const removedKeys = new Set(removed.map((a) => `${a.district}|${a.userId}`));
  for (const [i, r] of enumRows.entries()) {
    const id = enumIds[i] ?? '';
    const have = current.get(id) ?? new Set<string>();
    const want = new Set(r.districts);
    for (const d of want) if (!have.has(d)) added.push({ district: d, userId: id });
    for (const d of have) if (!want.has(d) && !removedKeys.has(`${d}|${id}`)) removed.push({ district: d, userId: id });
    const e = existing.get(r.username);
    if (e && (added.some((a) => a.userId === id) || removed.some((a) => a.userId === id))) {
      // An assignment change makes an otherwise identical row "updated".
      const sameOtherwise = e.name === r.name && e.supervisorId === supId(r.supervisorUsername) && e.scope === r.scope;
      if (sameOtherwise) result.updated++;
    }
  }
  await writeAssignments(q, added, removed, opts.at, opts.graceUntil);

  // A supervisor change moves the enumerator's districts between supervisors' views.
  if (supervisorChanged.length > 0) await supervisorEvents(q, supervisorChanged.map((s) => s.userId), existing, opts.at);
  if (changedScope.length > 0) {
    const seq = await nextSeq(q, 1);
    await insertRows(q, 'scope_events', ['seq', 'user_id', 'district_code', 'kind', 'at'], changedScope.map((u) => [seq, u, '', 'scope', opts.at]));
  }
  result.unchanged = rows.length - result.created.length - result.updated;
  return result;
}

/** Events for the supervisors of enumerators whose supervisor changed. */
async function supervisorEvents(q: SqlExec, enumeratorIds: readonly string[], existing: ReadonlyMap<string, ExistingUser>, at: string): Promise<void> {
  const oldSup = new Map<string, string | undefined>();
  for (const e of existing.values()) oldSup.set(e.id, e.supervisorId);
  const rows = await selectIn(q, (l) => `SELECT de.user_id AS u, de.district_code AS d, us.supervisor_id AS s FROM district_enumerators de JOIN users us ON us.id = de.user_id WHERE de.user_id IN (${l})`, enumeratorIds);
  if (rows.length === 0) return;
  const seq = await nextSeq(q, 1);
  const events: unknown[][] = [];
  for (const r of rows) {
    const d = str(r, 'd');
    const before = oldSup.get(str(r, 'u'));
    const now = optStr(r, 's');
    if (before !== undefined) {
      // Still seen through another enumerator of the old supervisor?
      const still = await q.all('SELECT 1 AS x FROM district_enumerators de JOIN users u ON u.id = de.user_id WHERE de.district_code = ? AND u.supervisor_id = ?', [d, before]);
      if (still.length === 0) events.push([seq, before, d, 'remove', at]);
    }
    if (now !== undefined) events.push([seq, now, d, 'add', at]);
  }
  if (events.length > 0) await insertRows(q, 'scope_events', ['seq', 'user_id', 'district_code', 'kind', 'at'], events);
}

export async function graceDistrictsOf(q: SqlExec, userId: string, now: string): Promise<string[]> {
  return (await q.all('SELECT district_code FROM district_grace WHERE user_id = ? AND until > ? ORDER BY district_code', [userId, now])).map((r) => str(r, 'district_code'));
}

export async function scopeHead(q: SqlExec, userId: string): Promise<number> {
  const r = (await q.all('SELECT max(seq) AS s FROM scope_events WHERE user_id = ?', [userId]))[0];
  return r && r.s !== null && r.s !== undefined ? num(r, 's') : 0;
}
