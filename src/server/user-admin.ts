// Account and assignment management shared by the admin CLI (the whole installation) and the
// API for offices (within their prefix): the users import, reassignment, disable / enable,
// password reset (a new activation code) and revoking a lost phone's tokens.
import type { Role } from '../domain/index.ts';
import { newActivationCode } from './activation.ts';
import { decodeUtf8Text } from './text-encoding.ts';
import { parseUsersCsv } from './users-csv.ts';
import type { Scope } from './store/scope.ts';
import type { ImportUsersResult, Store, StoredUser, UserImportRow } from './store/store.ts';

/** How long a new or reset account's activation code stays valid. */
export const ACTIVATION_DAYS = 60;

export type AdminResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 403 | 404; message: string; details?: { line?: number; message: string }[] };

const refuse = (status: 400 | 403 | 404, message: string, details?: { line?: number; message: string }[]): { ok: false; status: 400 | 403 | 404; message: string; details?: { line?: number; message: string }[] } => ({
  ok: false,
  status,
  message,
  ...(details ? { details } : {}),
});

/** Can an actor with this scope manage the user? Offices manage what lies wholly under their prefix. */
export async function managesUser(store: Store, actor: Scope, user: StoredUser): Promise<boolean> {
  if (actor.kind === 'all') return true;
  if (actor.kind !== 'prefix') return false;
  if (user.role === 'admin') return false;
  if (user.role === 'office') return user.scope !== undefined && user.scope.length > actor.prefix.length && user.scope.startsWith(actor.prefix);
  const districts = await store.districtsOf(user);
  return districts.length > 0 && districts.every((d) => d.startsWith(actor.prefix));
}

const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

/** Rows of a users file an office may import: everything in them must lie under its prefix. */
function outsideScope(actor: Scope, rows: readonly UserImportRow[], lines: readonly number[]): { line: number; message: string }[] {
  if (actor.kind === 'all') return [];
  const prefix = actor.kind === 'prefix' ? actor.prefix : undefined;
  const errors: { line: number; message: string }[] = [];
  rows.forEach((r, i) => {
    const line = lines[i] ?? 0;
    if (prefix === undefined) errors.push({ line, message: 'you may not manage accounts' });
    else if (r.role === 'office' && !(r.scope !== undefined && r.scope.length > prefix.length && r.scope.startsWith(prefix))) errors.push({ line, message: `scope ${r.scope ?? ''} is not below your office ${prefix}` });
    else if (r.role === 'enumerator' && r.districts.some((d) => !d.startsWith(prefix))) errors.push({ line, message: `a district is outside your office ${prefix}` });
  });
  return errors;
}

export interface ImportUsersOutcome extends ImportUsersResult {
  rows: number;
}

export async function importUsersFile(store: Store, actor: Scope, bytes: Uint8Array, now: Date, graceMs: number): Promise<AdminResult<ImportUsersOutcome>> {
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) return refuse(400, decoded.message);
  const parsed = parseUsersCsv(decoded.text);
  if (!parsed.ok) return refuse(400, `${parsed.errors.length} problem(s); nothing was imported`, parsed.errors);
  const rows: UserImportRow[] = parsed.rows.map((r) => ({
    username: r.username,
    name: r.name,
    role: r.role,
    districts: r.districts,
    ...(r.supervisor !== undefined ? { supervisorUsername: r.supervisor } : {}),
    ...(r.scope !== undefined ? { scope: r.scope } : {}),
  }));
  const lines = parsed.rows.map((r) => r.line);
  const scopeErrors = outsideScope(actor, rows, lines);
  if (scopeErrors.length > 0) return refuse(403, `${scopeErrors.length} row(s) outside your scope; nothing was imported`, scopeErrors);
  if (actor.kind === 'prefix') {
    // Existing accounts named by an office's file must be its own, and so must a supervisor it
    // gives its enumerators (a supervisor reads its enumerators' districts). A supervisor with no
    // enumerators yet belongs to no area and may be taken up.
    const inFile = new Set(rows.map((r) => r.username));
    for (const [i, r] of rows.entries()) {
      const u = await store.findUserByUsername(r.username);
      if (u && !(await managesUser(store, actor, u))) return refuse(403, 'an account in the file is outside your scope; nothing was imported', [{ line: lines[i] ?? 0, message: `${r.username} is managed by another office` }]);
      if (r.supervisorUsername === undefined || inFile.has(r.supervisorUsername)) continue;
      const sup = await store.findUserByUsername(r.supervisorUsername);
      if (sup && !(await managesUser(store, actor, sup)) && (await store.districtsOf(sup)).length > 0) {
        return refuse(403, 'a supervisor in the file works outside your scope; nothing was imported', [{ line: lines[i] ?? 0, message: `${r.supervisorUsername} supervises districts of another office` }]);
      }
    }
  }
  const result = await store.importUsers(rows, {
    newCode: newActivationCode,
    activationExpiresAt: daysFrom(now, ACTIVATION_DAYS),
    at: now.toISOString(),
    graceUntil: new Date(now.getTime() + graceMs).toISOString(),
  });
  if ('ok' in result) {
    const lineOf = new Map(rows.map((r, i) => [r.username, lines[i] ?? 0]));
    return refuse(400, `${result.errors.length} problem(s); nothing was imported`, result.errors.map((e) => ({ line: lineOf.get(e.username) ?? 0, message: e.message })));
  }
  return { ok: true, value: { ...result, rows: rows.length } };
}

async function target(store: Store, actor: Scope, username: string): Promise<AdminResult<StoredUser>> {
  const u = await store.findUserByUsername(username);
  if (!u) return refuse(404, `no user ${username}`);
  if (!(await managesUser(store, actor, u))) return refuse(403, `${username} is outside your scope`);
  return { ok: true, value: u };
}

export async function reassign(store: Store, actor: Scope, code: string, toUsername: string, now: Date, graceMs: number): Promise<AdminResult<{ from: string[]; to: string }>> {
  if (actor.kind === 'prefix' && !code.startsWith(actor.prefix)) return refuse(403, `district ${code} is outside your scope`);
  if (actor.kind !== 'all' && actor.kind !== 'prefix') return refuse(403, 'you may not reassign districts');
  const to = await store.findUserByUsername(toUsername);
  if (!to) return refuse(404, `no user ${toUsername}`);
  if (to.role !== 'enumerator') return refuse(400, `${toUsername} is not an enumerator`);
  // The new enumerator must be the office's own, or new to any district.
  if (actor.kind === 'prefix' && (await store.districtsOf(to)).some((d) => !d.startsWith(actor.prefix))) return refuse(403, `${toUsername} works outside your scope`);
  const r = await store.reassignDistrict(code, to.id, new Date(now.getTime() + graceMs).toISOString(), now.toISOString());
  if (!r.ok) return refuse(r.reason === 'no_district' ? 404 : 400, r.reason === 'no_district' ? `no district ${code}` : `${toUsername} is not an enumerator`);
  return { ok: true, value: { from: r.from, to: to.id } };
}

export async function setDisabled(store: Store, actor: Scope, username: string, disabled: boolean, now: Date): Promise<AdminResult<StoredUser>> {
  const t = await target(store, actor, username);
  if (!t.ok) return t;
  await store.setUserDisabled(t.value.id, disabled, now.toISOString());
  return t;
}

export async function resetPassword(store: Store, actor: Scope, username: string, now: Date): Promise<AdminResult<{ user: StoredUser; code: string; expiresAt: string }>> {
  const t = await target(store, actor, username);
  if (!t.ok) return t;
  const { code, hash } = newActivationCode();
  const expiresAt = daysFrom(now, ACTIVATION_DAYS);
  await store.setActivation(t.value.id, hash, expiresAt, now.toISOString());
  return { ok: true, value: { user: t.value, code, expiresAt } };
}

export async function revoke(store: Store, actor: Scope, username: string, deviceId: string | undefined, now: Date): Promise<AdminResult<number>> {
  const t = await target(store, actor, username);
  if (!t.ok) return t;
  return { ok: true, value: await store.revokeSessions(t.value.id, deviceId, now.toISOString()) };
}

/** Roles that read many households and so need the stricter password rules. */
export const BROAD_ROLES: readonly Role[] = ['supervisor', 'office', 'admin'];
