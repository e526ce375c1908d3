// Group commit: pushes that arrive while a push transaction runs are applied together in the
// next transaction, with one read and one set of writes for the whole group. One commit (one
// fsync, a dozen statements) then serves many phones; every answer still waits for that commit.
// If the group's writes fail, the pushes are applied again one by one, each in its own savepoint,
// so a failing push rolls back alone.
import type { MutationResult } from '../../domain/index.ts';
import type { PushPlanner } from '../push-plan.ts';
import type { SqlDriver } from './sql-driver.ts';
import { applyGroup, applyPush, type PushOutcome } from './sql-push.ts';
import type { PushBatch } from './store.ts';

/** Pushes per group commit: bounds one transaction's size and lock set. */
const MAX_GROUP = 32;
/** Concurrent group transactions on PostgreSQL: their reads and first writes overlap; the
 * server_seq row lock still orders their ends. SQLite has one writer. */
const PG_GROUPS = 3;

interface Waiting {
  batch: PushBatch;
  planner: PushPlanner;
  resolve: (r: MutationResult[]) => void;
  reject: (e: unknown) => void;
}

export class PushGroups {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private readonly listeners = new Set<(pushes: number) => void>();
  constructor(private readonly db: SqlDriver) {}

  /** Observes each group's size (metrics); returns the unsubscribe. */
  onCommit(listener: (pushes: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(batch: PushBatch, planner: PushPlanner): Promise<MutationResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, planner, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running >= (this.db.kind === 'sqlite' ? 1 : PG_GROUPS)) return;
    this.running++;
    try {
      while (this.waiting.length > 0) await this.commit(this.waiting.splice(0, MAX_GROUP));
    } finally {
      this.running--;
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    for (const l of this.listeners) {
      try {
        l(group.length);
      } catch {
        // an observer's failure must never leave a group unanswered
      }
    }
    const lockAll = (q: Parameters<Parameters<SqlDriver['tx']>[0]>[0]) =>
      // all keys of the group first, in one sorted acquisition (no lock-order cycles)
      q.lockKeys(group.flatMap((g) => g.batch.keys.flatMap((k) => [`m:${k.mutationId}`, `${k.entity}:${k.entityId}`])));
    let outcomes: PushOutcome[];
    try {
      outcomes = await this.db.tx(async (q) => {
        await lockAll(q);
        return applyGroup(q, group);
      });
    } catch {
      try {
        outcomes = await this.db.tx(async (q) => {
          await lockAll(q);
          const out: PushOutcome[] = [];
          for (const g of group) {
            await q.run('SAVEPOINT push');
            try {
              out.push({ ok: true, results: await applyPush(q, g.batch, g.planner) });
              await q.run('RELEASE SAVEPOINT push');
            } catch (error) {
              await q.run('ROLLBACK TO SAVEPOINT push');
              await q.run('RELEASE SAVEPOINT push');
              out.push({ ok: false, error });
            }
          }
          return out;
        });
      } catch (error) {
        for (const g of group) g.reject(error);
        return;
      }
    }
    outcomes.forEach((o, i) => {
      const g = group[i];
      if (!g) return;
      if (o.ok) g.resolve(o.results);
      else g.reject(o.error);
    });
  }
}
