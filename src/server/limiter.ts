// Limits shared by every node (issue 9): sign-in attempts per user and per client address, with
// growing delays instead of lockouts, and pushes per device in a fixed window (reliability.md S4).
// The counters live in the store (table `limits`, one atomic upsert per step, see
// store/sql-limits.ts), so N API nodes on one PostgreSQL database count together. A key is an
// HMAC-SHA-256 of the username, address or device id under a server secret shared by the nodes:
// the table never holds a name or an address in plain text.
//
// Sign-in, per key (user and address alike):
// - an attempt is counted when it is admitted, before the credentials are checked, so a burst of
//   parallel guesses cannot all pass the check before the first failure is recorded;
// - failures 1..free cost nothing; failure free+k makes the key wait firstDelayMs * 2^(k-1),
//   at most maxDelayMs; an attempt during the wait is refused with `429 rate_limited` and
//   Retry-After (and counts nothing);
// - a success resets the USER's counter; the ADDRESS's counter only takes the successful attempt
//   back (a success never resets it: one valid account would otherwise let an attacker wipe the
//   address's failures between guesses at other users);
// - a key without a failure for quietMs starts from zero again;
// - an attempt that ends in an error (or a refusal of the other key) is taken back: it told the
//   caller nothing about the credentials.
// A store error in any of these steps fails the request (500): never a silent bypass or lockout.
import { createHmac } from 'node:crypto';
import { HttpError } from './errors.ts';
import type { DelaySteps, Store } from './store/store.ts';

/** Fixed window: at most `max` requests per `windowMs`. */
export interface LimitRule {
  max: number;
  windowMs: number;
}

/** Growing delays: `free` failures cost nothing, then firstDelayMs, doubling up to maxDelayMs; all forgotten after quietMs without a failure. */
export interface DelayRule {
  free: number;
  firstDelayMs: number;
  maxDelayMs: number;
  quietMs: number;
}

export interface LoginLimits {
  perUser: DelayRule;
  /** Per client address (req.ip: the proxy's address unless the app trusts it). */
  perIp: DelayRule;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  // A low cap: whoever knows a username can make its owner wait at most a minute per attempt.
  perUser: { free: 5, firstDelayMs: 1000, maxDelayMs: 60_000, quietMs: 15 * 60_000 },
  perIp: { free: 20, firstDelayMs: 1000, maxDelayMs: 15 * 60_000, quietMs: 15 * 60_000 },
};

/** Generous: a phone pushes batches of 100 back to back only while draining a long queue. */
export const DEFAULT_PUSH_LIMIT: LimitRule = { max: 120, windowMs: 60_000 };

/** The wait (ms) after the n-th failure in a row (n >= 1). */
export function delayAfter(rule: DelayRule, n: number): number {
  if (n <= rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** (n - rule.free - 1));
}

/** The schedule as the store applies it: one step per distinct delay below the cap, then the cap. */
export function delaySteps(rule: DelayRule): DelaySteps {
  const ok = (n: number, min: number) => Number.isSafeInteger(n) && n >= min;
  if (!ok(rule.free, 0) || !ok(rule.firstDelayMs, 1) || !ok(rule.maxDelayMs, rule.firstDelayMs) || !ok(rule.quietMs, 1)) {
    throw new Error('login limits: free >= 0, 1 <= firstDelayMs <= maxDelayMs and quietMs >= 1 (integers)');
  }
  const steps: { upTo: number; ms: number }[] = [{ upTo: rule.free, ms: 0 }];
  for (let n = rule.free + 1; delayAfter(rule, n) < rule.maxDelayMs; n++) steps.push({ upTo: n, ms: delayAfter(rule, n) });
  // A wait never outlives the counter: it is kept at least as long as its longest wait.
  return { steps, thenMs: rule.maxDelayMs, quietMs: Math.max(rule.quietMs, rule.maxDelayMs) };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const rateLimited = (ms: number) => new HttpError(429, 'rate_limited', 'too many failed sign-ins; try again later', [], { 'Retry-After': String(seconds(ms)) });

/** Expired rows are deleted, at most PRUNE_ROWS at a time, on one limiter call in PRUNE_EVERY. */
const PRUNE_EVERY = 50;
const PRUNE_ROWS = 200;

export class Limiter {
  private readonly user: DelaySteps;
  private readonly address: DelaySteps;
  private secret: Promise<string> | undefined;
  private calls = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    login: LoginLimits,
    private readonly pushRule: LimitRule,
  ) {
    this.user = delaySteps(login.perUser);
    this.address = delaySteps(login.perIp);
  }

  /** Counts one push of the device: 0 when it may go ahead, else the seconds until its window ends. */
  async push(deviceId: string): Promise<number> {
    const t = this.now();
    const { count, windowStart } = await this.store.limitHit(await this.key('p', deviceId), t, this.pushRule.windowMs);
    await this.maybePrune(t);
    return count <= this.pushRule.max ? 0 : seconds(windowStart + this.pushRule.windowMs - t);
  }

  /**
   * Counts one self-enumeration code attempt (issue 13) of a client address and of all addresses
   * together: 0 when it may go ahead, else the seconds until the window that refused it ends.
   * Every attempt counts, valid or not: a code is never told apart by how it is limited.
   */
  async selfAttempt(address: string, rules: { perIp: LimitRule; total: LimitRule }): Promise<number> {
    const t = this.now();
    const [a, all] = await Promise.all([this.key('s', address), this.key('s', '*total*')]);
    const ip = await this.store.limitHit(a, t, rules.perIp.windowMs);
    if (ip.count > rules.perIp.max) return seconds(ip.windowStart + rules.perIp.windowMs - t);
    // An address over its own limit is not counted in the total: one client cannot use up everyone's.
    const total = await this.store.limitHit(all, t, rules.total.windowMs);
    await this.maybePrune(t);
    return total.count <= rules.total.max ? 0 : seconds(total.windowStart + rules.total.windowMs - t);
  }

  /**
   * One sign-in attempt under both limits. Throws `429 rate_limited` while the address or the
   * user waits; else runs `check`, which returns the signed-in value, or undefined for wrong
   * credentials (a failure of both keys). What `check` throws takes the attempt back.
   */
  async signIn<T>(username: string, address: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const t = this.now();
    const [a, u] = await Promise.all([this.key('a', address), this.key('u', username.toLowerCase())]);
    // The address first: a refused address never touches the user's counter.
    await this.admit(a, t, this.address);
    let result: T | undefined;
    try {
      await this.admit(u, t, this.user);
      try {
        result = await check();
      } catch (e) {
        await this.takeBack([[u, this.user]], e);
      }
    } catch (e) {
      await this.takeBack([[a, this.address]], e);
    }
    const end = this.now();
    if (result === undefined) {
      await Promise.all([this.store.limitSettle(u, end, this.user, 'failed'), this.store.limitSettle(a, end, this.address, 'failed')]);
    } else {
      await Promise.all([this.store.limitSettle(u, end, this.user, 'reset'), this.store.limitSettle(a, end, this.address, 'undone')]);
    }
    await this.maybePrune(end);
    return result;
  }

  private async admit(key: string, t: number, rule: DelaySteps): Promise<void> {
    const r = await this.store.limitAdmit(key, t, rule);
    if (!r.ok) throw rateLimited(r.until - t);
  }

  /** Takes admitted attempts back, then rethrows `e` (the error the request answers with, even when the take-back fails too). */
  private async takeBack(keys: [string, DelaySteps][], e: unknown): Promise<never> {
    const t = this.now();
    // A failed take-back leaves the attempt counted: stricter, never looser.
    await Promise.allSettled(keys.map(([k, rule]) => this.store.limitSettle(k, t, rule, 'undone')));
    throw e;
  }

  private async key(kind: 'p' | 'u' | 'a' | 's', value: string): Promise<string> {
    this.secret ??= this.store.secret('limit-keys').catch((e: unknown) => {
      this.secret = undefined; // a store error now is not cached for good
      throw e;
    });
    return `${kind}:${createHmac('sha256', await this.secret).update(value).digest('base64url')}`;
  }

  private async maybePrune(t: number): Promise<void> {
    if (++this.calls % PRUNE_EVERY === 0) await this.store.limitPrune(t, PRUNE_ROWS);
  }
}
