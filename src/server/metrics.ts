// The server's Prometheus metrics, one registry per app (tests build many apps in one process),
// rendered by hand in the text exposition format. Labels hold only closed values (route
// patterns, methods, statuses): never a raw URL, an id, a district code or a user name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MutationResult, MutationStatus } from '../domain/index.ts';
import { HttpError, errorLogLine, failureOf, sendError } from './errors.ts';

type Labels = Record<string, string>;

/** Label values escaped as the exposition format asks (backslash, quote, newline). */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

const numText = (n: number) => (n === Infinity ? '+Inf' : String(n));

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const cur = this.values.get(key);
    if (cur) cur.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines;
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.buckets.forEach((le, i) => {
      if (value <= le) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }

  snapshot(): { count: number; sum: number } {
    return { count: this.count, sum: this.sum };
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket{le="${numText(le)}"} ${this.counts[i] ?? 0}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

const STATUSES: readonly MutationStatus[] = ['applied', 'conflict', 'rejected', 'duplicate'];

export class Metrics {
  readonly httpRequests = new Counter('pucha_http_requests_total', 'HTTP requests answered, by route pattern, method and status.');
  readonly pushSeconds = new Histogram('pucha_push_duration_seconds', 'Time to answer a successful push (authentication to results), in seconds.', [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  readonly mutations = new Counter('pucha_push_mutations_total', 'Pushed mutations by result status.');
  readonly groupSize = new Histogram('pucha_group_commit_pushes', 'Pushes applied together in one group commit.', [1, 2, 4, 8, 16, 32]);
  readonly storeErrors = new Counter('pucha_store_errors_total', '5xx answers caused by a store or unexpected error, by route pattern.');
  readonly devicePending = new Histogram('pucha_device_pending_mutations', 'Mutations still queued on the phone, as reported with each push.', [0, 1, 10, 50, 100, 500, 1000, 5000]);

  constructor() {
    // Every status shows from the start, so a rate over a quiet counter is 0, not absent.
    for (const status of STATUSES) this.mutations.inc({ status }, 0);
  }

  /** A push answered with `results`, `seconds` after it arrived; `pending`: the phone's report. */
  recordPush(seconds: number, results: readonly MutationResult[], pending: number | undefined): void {
    this.pushSeconds.observe(seconds);
    for (const r of results) this.mutations.inc({ status: r.status });
    if (pending !== undefined) this.devicePending.observe(pending);
  }

  render(): string {
    const all = [this.httpRequests, this.pushSeconds, this.mutations, this.groupSize, this.storeErrors, this.devicePending];
    return `${all.flatMap((m) => m.render()).join('\n')}\n`;
  }
}

/** Where the 5xx log lines go: one line each, without its newline. */
export type ErrorLog = (line: string) => void;
export const stderrLog: ErrorLog = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * Hooks on every request: its id back as X-Request-Id, one count by route pattern, method and
 * status, and for a 5xx one log line (and a store-error count when the cause was not expected).
 */
export function instrument(app: FastifyInstance, metrics: Metrics, errorLog: ErrorLog): void {
  app.addHook('onRequest', (req, reply, done) => {
    void reply.header('X-Request-Id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpRequests.inc({ route, method: req.method, status: String(status) });
    if (status >= 500) {
      const cause = failureOf(req);
      if (cause !== undefined && !(cause instanceof HttpError)) metrics.storeErrors.inc({ route });
      try {
        errorLog(errorLogLine(req, status, cause));
      } catch {
        // a broken log sink must not break the server
      }
    }
    done();
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics: served only when a token is configured (else 404, like any unknown route), and
 * only to `Authorization: Bearer <token>` (else 401); compared in constant time.
 */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  const expected = token ? digest(token) : undefined;
  app.get('/metrics', (req, reply) => {
    if (!expected) return sendError(reply, 404, 'not_found', 'no route GET /metrics');
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), expected)) return sendError(reply, 401, 'unauthorized', 'a valid metrics token is required');
    return reply.header('Cache-Control', 'no-store').type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });
}
