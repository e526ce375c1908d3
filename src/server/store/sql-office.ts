// Issue 14 (docs/OFFICE.md), store side: acceptance (验收) state changes that happen inside a push.
import { marks, num, str, type SqlExec } from './sql-driver.ts';
import type { ProgressDelta } from './sql-progress.ts';

/**
 * A write to an accepted district is stored as always and reopens it, in the push's own
 * transaction: state `reopened`, a `reopen` history entry, and the counters moved.
 */
export async function reopenAccepted(q: SqlExec, touched: ReadonlyMap<string, { userId: string; at: string }>, delta: ProgressDelta): Promise<void> {
  const codes = [...touched.keys()].sort();
  for (let i = 0; i < codes.length; i += 500) {
    const part = codes.slice(i, i + 500);
    const rows = await q.all(`SELECT district_code, pending_at_accept FROM acceptance WHERE state = 'accepted' AND district_code IN (${marks(part.length)})`, part);
    for (const r of rows) {
      const d = str(r, 'district_code');
      const who = touched.get(d);
      const at = who?.at ?? new Date().toISOString();
      await q.run("UPDATE acceptance SET state = 'reopened', updated_at = ?, pending_at_accept = 0 WHERE district_code = ?", [at, d]);
      await q.run("INSERT INTO acceptance_history (district_code, action, user_id, at) VALUES (?, 'reopen', ?, ?)", [d, who?.userId ?? null, at]);
      delta.add(d, 'a_accepted', -1);
      delta.add(d, 'a_reopened', 1);
      delta.add(d, 'a_pending', -num(r, 'pending_at_accept'));
    }
  }
}
