// The limit counters behind limiter.ts (table `limits`, migration 3). Every step is ONE statement
// (INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING, or a single UPDATE / DELETE): PostgreSQL
// locks the row for it, so concurrent nodes count together; SQLite has a single writer. Times are
// ms since the epoch. Columns: `count` (requests in the window, or attempts of a sign-in key not
// taken back), `window_start` (push: start of the window; sign-in: the last failure, or the start
// of the streak), `until` (sign-in: no attempt before), `expires_at` (push: end of the window;
// sign-in: end of the quiet period, after which the key starts from zero; the row may go).
import { num, optNum, type SqlExec } from './sql-driver.ts';
import type { DelaySteps } from './store.ts';

/** A time parameter inside arithmetic (PostgreSQL would otherwise take it for a 32-bit integer). */
const T = 'CAST(? AS BIGINT)';

function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('limit rule: expected a non-negative integer');
  return String(n);
}

/** The wait after the n-th failure, as SQL over the expression `n` (numbers of the rule, checked, inlined). */
function delaySql(n: string, rule: DelaySteps): string {
  const whens = rule.steps.map((s) => ` WHEN ${n} <= ${int(s.upTo)} THEN ${int(s.ms)}`).join('');
  return `(CASE WHEN ${n} <= 0 THEN 0${whens} ELSE ${int(rule.thenMs)} END)`;
}

function delayOf(n: number, rule: DelaySteps): number {
  if (n <= 0) return 0;
  return rule.steps.find((s) => n <= s.upTo)?.ms ?? rule.thenMs;
}

export async function limitHit(q: SqlExec, key: string, now: number, windowMs: number): Promise<{ count: number; windowStart: number }> {
  const end = now + windowMs;
  const rows = await q.all(
    `INSERT INTO limits (key, count, window_start, until, expires_at) VALUES (?, 1, ?, NULL, ?)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN limits.expires_at <= ? THEN 1 ELSE limits.count + 1 END,
       window_start = CASE WHEN limits.expires_at <= ? THEN ? ELSE limits.window_start END,
       expires_at = CASE WHEN limits.expires_at <= ? THEN ? ELSE limits.expires_at END
     RETURNING count, window_start`,
    [key, now, end, now, now, now, now, end],
  );
  const r = rows[0];
  if (!r) throw new Error('limit upsert returned no row');
  return { count: num(r, 'count'), windowStart: num(r, 'window_start') };
}

/**
 * Counts the attempt (and sets the wait its count would earn, so a parallel attempt waits too)
 * unless the key is waiting; a key past its quiet period starts again from one.
 */
export async function limitAdmit(q: SqlExec, key: string, now: number, rule: DelaySteps): Promise<{ ok: true } | { ok: false; until: number }> {
  const keep = now + rule.quietMs;
  const rows = await q.all(
    `INSERT INTO limits (key, count, window_start, until, expires_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN limits.expires_at <= ? THEN 1 ELSE limits.count + 1 END,
       window_start = CASE WHEN limits.expires_at <= ? THEN ? ELSE limits.window_start END,
       until = ${T} + CASE WHEN limits.expires_at <= ? THEN ${int(delayOf(1, rule))} ELSE ${delaySql('limits.count + 1', rule)} END,
       expires_at = CASE WHEN limits.expires_at <= ? THEN ? ELSE limits.expires_at END
     WHERE limits.expires_at <= ? OR limits.until IS NULL OR limits.until <= ?
     RETURNING count`,
    [key, now, now + delayOf(1, rule), keep, now, now, now, now, now, now, keep, now, now],
  );
  if (rows.length > 0) return { ok: true };
  const r = (await q.all('SELECT until FROM limits WHERE key = ?', [key]))[0];
  return { ok: false, until: (r ? optNum(r, 'until') : undefined) ?? now };
}

export async function limitSettle(q: SqlExec, key: string, now: number, rule: DelaySteps, outcome: 'failed' | 'undone' | 'reset'): Promise<void> {
  if (outcome === 'reset') {
    await q.run('DELETE FROM limits WHERE key = ?', [key]);
  } else if (outcome === 'undone') {
    // The wait goes back to what the remaining failures earn from the last one.
    await q.run(`UPDATE limits SET count = CASE WHEN count > 0 THEN count - 1 ELSE 0 END, until = window_start + ${delaySql('count - 1', rule)} WHERE key = ?`, [key]);
  } else {
    // Counted when admitted: the wait its count earns runs from now, the quiet period too. (The
    // row is gone only when a success of the same user reset it meanwhile: then it is the first.)
    const wait = `${T} + ${delaySql('limits.count', rule)}`;
    await q.run(
      `INSERT INTO limits (key, count, window_start, until, expires_at) VALUES (?, 1, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         window_start = ?,
         until = CASE WHEN limits.until > ${wait} THEN limits.until ELSE ${wait} END,
         expires_at = ?`,
      [key, now, now + delayOf(1, rule), now + rule.quietMs, now, now, now, now + rule.quietMs],
    );
  }
}

/** Bounded: at most `max` rows per call (the outer condition is checked again on rows changed meanwhile). */
export function limitPrune(q: SqlExec, now: number, max: number): Promise<number> {
  return q.run('DELETE FROM limits WHERE expires_at <= ? AND key IN (SELECT key FROM limits WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)', [now, now, max]);
}
