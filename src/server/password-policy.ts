// Who may choose which password. Every account: at least 8 characters. Accounts that read many
// households (supervisor, office, admin): at least 10, not the username (nor containing it), and
// not a common password.
import type { Role } from '../domain/index.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export type PasswordCheck = { ok: true } | { ok: false; reason: 'too_short' | 'same_as_username' | 'common'; message: string };

const BROAD: ReadonlySet<Role> = new Set(['supervisor', 'office', 'admin']);

export function checkPassword(password: string, ctx: { username: string; role: Role }): PasswordCheck {
  const broad = BROAD.has(ctx.role);
  const min = broad ? 10 : 8;
  if ([...password].length < min) return { ok: false, reason: 'too_short', message: `the password needs at least ${min} characters` };
  if (!broad) return { ok: true };
  const p = password.toLowerCase();
  const u = ctx.username.toLowerCase();
  if (p === u || (u.length >= 4 && p.includes(u))) return { ok: false, reason: 'same_as_username', message: 'the password may not be or contain the username' };
  if (COMMON_PASSWORDS.has(p)) return { ok: false, reason: 'common', message: 'the password is too common; choose another' };
  return { ok: true };
}
