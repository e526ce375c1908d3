// The office's users file: `username,name,role,districts,supervisor,scope`, one account per row,
// districts separated by `;`. Every row is checked on its own and problems come back with their
// line numbers, so the whole file can be refused before anything is written.
import { z } from 'zod';
import { DistrictCodeSchema, OfficeScopeSchema, RoleSchema, type Role } from '../domain/index.ts';
import { parseCsv } from './csv.ts';

export const USERS_COLUMNS = ['username', 'name', 'role', 'districts', 'supervisor', 'scope'] as const;

export interface UserCsvRow {
  line: number;
  username: string;
  name: string;
  role: Role;
  districts: string[];
  supervisor?: string;
  scope?: string;
}

export type UsersCsvResult = { ok: true; rows: UserCsvRow[] } | { ok: false; errors: { line: number; message: string }[] };

const UsernameSchema = z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'a username is 2-64 letters, digits, ".", "_" or "-"');
// eslint-disable-next-line no-control-regex
const NameSchema = z.string().min(1, 'a name is required').max(100).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'a name may not hold control characters');

const MAX_ERRORS = 1000;

export function parseUsersCsv(text: string): UsersCsvResult {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) return { ok: false, errors: [{ line: 1, message: 'the file is empty' }] };
  const cols = header.fields.map((f) => f.trim());
  const missing = USERS_COLUMNS.filter((c) => !cols.includes(c));
  const extra = cols.filter((c, i) => !(USERS_COLUMNS as readonly string[]).includes(c) || cols.indexOf(c) !== i);
  if (missing.length > 0 || extra.length > 0) {
    const parts = [...(missing.length ? [`missing column(s) ${missing.join(', ')}`] : []), ...(extra.length ? [`unknown column(s) ${extra.join(', ')}`] : [])];
    return { ok: false, errors: [{ line: header.line, message: `the header must be ${USERS_COLUMNS.join(',')}: ${parts.join('; ')}` }] };
  }
  const at = Object.fromEntries(USERS_COLUMNS.map((c) => [c, cols.indexOf(c)])) as Record<(typeof USERS_COLUMNS)[number], number>;
  const errors: { line: number; message: string }[] = [];
  const rows: UserCsvRow[] = [];
  const byUsername = new Map<string, number>();
  const byDistrict = new Map<string, { line: number; username: string }>();
  const err = (line: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, message });
  };

  for (const rec of records.slice(1)) {
    const line = rec.line;
    if (rec.fields.length !== cols.length) {
      err(line, `expected ${cols.length} fields, found ${rec.fields.length}`);
      continue;
    }
    const get = (c: (typeof USERS_COLUMNS)[number]) => (rec.fields[at[c]] ?? '').trim();
    const before = errors.length;
    const username = UsernameSchema.safeParse(get('username'));
    if (!username.success) err(line, `username: ${username.error.issues[0]?.message ?? 'invalid'}`);
    const name = NameSchema.safeParse(get('name'));
    if (!name.success) err(line, `name: ${name.error.issues[0]?.message ?? 'invalid'}`);
    const role = RoleSchema.safeParse(get('role'));
    if (!role.success) err(line, `role: expected enumerator, supervisor or office, got "${get('role')}"`);
    else if (role.data === 'admin') err(line, 'role: admin accounts are not imported from a file (create them one by one with add-user)');
    const districtsRaw = get('districts');
    const districts = districtsRaw === '' ? [] : districtsRaw.split(';').map((d) => d.trim());
    const supervisor = get('supervisor');
    const scope = get('scope');
    if (role.success) {
      if (role.data !== 'enumerator' && districts.length > 0) err(line, 'districts: only enumerators are assigned districts (a supervisor sees those of its enumerators)');
      if (role.data !== 'enumerator' && supervisor !== '') err(line, 'supervisor: only enumerators have a supervisor');
      if (role.data === 'office' && scope === '') err(line, 'scope: an office needs its code prefix (2, 4, 6, 9 or 12 digits)');
      if (role.data !== 'office' && scope !== '') err(line, 'scope: only offices have a scope');
    }
    const seen = new Set<string>();
    for (const d of districts) {
      if (!DistrictCodeSchema.safeParse(d).success) err(line, `districts: "${d}" is not a 15-digit district code`);
      else if (seen.has(d)) err(line, `districts: ${d} is listed twice`);
      seen.add(d);
    }
    if (supervisor !== '' && !UsernameSchema.safeParse(supervisor).success) err(line, `supervisor: "${supervisor}" is not a username`);
    if (scope !== '' && !OfficeScopeSchema.safeParse(scope).success) err(line, `scope: "${scope}" is not a code prefix of 2, 4, 6, 9 or 12 digits`);
    if (username.success) {
      const first = byUsername.get(username.data);
      if (first !== undefined) err(line, `username ${username.data} is also on line ${first}`);
      else byUsername.set(username.data, line);
      for (const d of seen) {
        const other = byDistrict.get(d);
        if (other && other.username !== username.data) err(line, `district ${d} is also assigned to ${other.username} on line ${other.line} (one enumerator per district)`);
        else byDistrict.set(d, { line, username: username.data });
      }
    }
    if (errors.length > before || !username.success || !name.success || !role.success) continue;
    rows.push({
      line,
      username: username.data,
      name: name.data,
      role: role.data,
      districts,
      ...(supervisor !== '' ? { supervisor } : {}),
      ...(scope !== '' ? { scope } : {}),
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (rows.length === 0) return { ok: false, errors: [{ line: 2, message: 'the file has no accounts' }] };
  // A supervisor named in the file must be a supervisor there, when it is in the file at all.
  const roles = new Map(rows.map((r) => [r.username, r]));
  for (const r of rows) {
    const s = r.supervisor !== undefined ? roles.get(r.supervisor) : undefined;
    if (s && s.role !== 'supervisor') err(r.line, `supervisor: ${r.supervisor} is an account of role ${s.role} on line ${s.line}, not a supervisor`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}
