// Retry delays of api.md: exponential backoff with full jitter (base 2 s, cap 5 min), and never
// sooner than the server's Retry-After, which is itself capped at 5 minutes: a proxy's
// `Retry-After: 86400` must not stall a phone for a day. Pure, so the tests check the figures directly.
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 300_000;
/** The longest wait a Retry-After may impose (after it the phone tries again, and may be told to wait again). */
export const RETRY_AFTER_CAP_MS = BACKOFF_CAP_MS;

/**
 * Delay before retry number `attempt` (0 for the first retry): uniform in [0, min(cap, base * 2^attempt)),
 * raised to `retryAfterMs` (at most RETRY_AFTER_CAP_MS) when the server asked for that.
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(Math.min(retryAfterMs, RETRY_AFTER_CAP_MS), jittered);
}
