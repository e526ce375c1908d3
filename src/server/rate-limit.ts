// Per-device request limit on push (reliability.md S4): a fixed window counter per key, in
// memory. A phone over the limit gets `429 rate_limited` with Retry-After and sends the same
// batch again later (its outbox is untouched), so a runaway client cannot crowd out the others.
import type { LimitRule } from './auth.ts';

export class RequestLimiter {
  private readonly windows = new Map<string, { count: number; start: number }>();
  constructor(
    private readonly rule: LimitRule,
    private readonly now: () => number,
  ) {}

  /** Counts one request; returns 0 when it may go ahead, else the seconds until the window ends. */
  take(key: string): number {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.rule.windowMs) {
      if (this.windows.size >= 100_000) this.prune(t);
      this.windows.set(key, { count: 1, start: t });
      return 0;
    }
    if (w.count >= this.rule.max) return Math.max(1, Math.ceil((w.start + this.rule.windowMs - t) / 1000));
    w.count++;
    return 0;
  }

  private prune(t: number) {
    for (const [k, w] of this.windows) if (t - w.start >= this.rule.windowMs) this.windows.delete(k);
  }
}
