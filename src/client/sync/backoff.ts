// Retry delays of api.md: exponential backoff with full jitter (base 2 s, cap 5 min), and never
// sooner than the server's Retry-After. Pure, so the tests check the figures directly.
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 300_000;

/**
 * Delay before retry number `attempt` (0 for the first retry): uniform in [0, min(cap, base * 2^attempt)),
 * raised to `retryAfterMs` when the server asked for that.
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
