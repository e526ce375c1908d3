// The real sync server in-process on a temp SQLite file (port 0, real fetch), that a test can
// stop and restart on the same file, behind a "network" that can fail on purpose: synthetic
// error answers, connection failures, answers dropped after the server committed, offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { buildApp, openSqliteStore, type AppOptions, type Store } from '../../src/server/index.ts';
import { seedDemo } from '../../src/server/seed.ts';
import type { FetchLike } from '../../src/client/sync/index.ts';
import type { ListingEntry } from '../../src/domain/index.ts';

const RevisionRows = z.array(z.object({ mutationId: z.string(), entity: z.string(), entityId: z.string(), version: z.number(), status: z.string(), data: z.string() }));
const DataVersion = z.object({ version: z.number() });

/** How long a stop waits for requests in progress before it cuts their connections. */
const CLOSE_GRACE_MS = 10_000;

/** The engine always talks to this base; the network maps it to the server's current port. */
export const LIVE_BASE = 'http://pucha.test';

export type NetFault =
  | { kind: 'status'; status: number; retryAfter?: string; code?: string }
  | { kind: 'network' }
  | { kind: 'dropAfterCommit' };

export class LiveServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'pucha-client-live-'));
  readonly path = join(this.dir, 'server.sqlite');
  private app: FastifyInstance | undefined;
  private store: Store | undefined;
  private port = 0;
  offline = false;
  private sent = 0;
  faults: { when: 'push' | 'pull' | 'any'; fault: NetFault }[] = [];
  /** Called with each request before it goes out (e.g. to kill the server mid-run). */
  onRequest: ((path: string) => Promise<void>) | undefined;

  /** Server options kept across restarts (e.g. a low push limit and the test's clock). */
  private options: Pick<AppOptions, 'pushLimit' | 'now'> = {};

  static async create(opts: { households?: number } & Pick<AppOptions, 'pushLimit' | 'now'> = {}): Promise<LiveServer> {
    const s = new LiveServer();
    s.options = { ...(opts.pushLimit ? { pushLimit: opts.pushLimit } : {}), ...(opts.now ? { now: opts.now } : {}) };
    const store = await openSqliteStore(s.path);
    await seedDemo(store, { households: opts.households ?? 20, registeredShare: 0.3 });
    await store.close();
    await s.start();
    return s;
  }

  get running(): boolean {
    return this.app !== undefined;
  }

  async start(): Promise<void> {
    this.store = await openSqliteStore(this.path);
    this.app = await buildApp({ store: this.store, ...this.options });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = this.app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  /** Requests sent and not yet answered, for the message when a stop hangs. */
  private readonly inFlight = new Set<string>();
  /** What was in flight when a stop did not finish in time (dispose fails with it). */
  private stuck: string[] | undefined;

  async stop(): Promise<void> {
    const app = this.app;
    if (app) {
      // A graceful close waits for requests in progress. One that never ends would hang the
      // caller until its hook timeout with no word of why: after CLOSE_GRACE_MS the connections
      // are cut (as a killed server would) and the requests then in flight are kept for dispose.
      const timer = setTimeout(() => {
        this.stuck ??= [...this.inFlight];
        app.server.closeAllConnections();
      }, CLOSE_GRACE_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(timer);
      }
    }
    await this.store?.close();
    this.app = undefined;
    this.store = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    // A close that hangs is a server fault (a request never answered, or a connection the close
    // cannot end: tests/server/tls.test.ts [TO4]) and fails the file, saying what was in flight.
    if (this.stuck) throw new Error(`the server did not close within ${CLOSE_GRACE_MS} ms; requests in flight then: ${this.stuck.join(', ') || 'none'}`);
  }

  readonly fetch: FetchLike = async (input, init) => {
    const url = input.replace(LIVE_BASE, `http://127.0.0.1:${this.port}`);
    const path = new URL(url).pathname.replace('/api/v1', '');
    await this.onRequest?.(path);
    if (this.offline || !this.running) throw new TypeError('fetch failed');
    const kind = path === '/sync/push' ? 'push' : path === '/sync/pull' ? 'pull' : 'other';
    const i = this.faults.findIndex((f) => f.when === 'any' || f.when === kind);
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]?.fault : undefined;
    if (fault?.kind === 'network') throw new TypeError('fetch failed');
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      return new Response(JSON.stringify({ error: { code: fault.code ?? 'internal', message: `injected ${fault.status}` } }), { status: fault.status, headers });
    }
    const tag = `${init?.method ?? 'GET'} ${path} #${++this.sent}`;
    this.inFlight.add(tag);
    let res: Response;
    try {
      res = await fetch(url, init);
    } finally {
      this.inFlight.delete(tag);
    }
    if (fault?.kind === 'dropAfterCommit') {
      await res.arrayBuffer(); // the server has answered, so it has committed
      throw new TypeError('socket hang up');
    }
    return res;
  };

  /** Every revision row on the server (read straight from the SQLite file). */
  revisions(): { mutationId: string; entity: string; entityId: string; version: number; status: string; dataVersion: number | undefined }[] {
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      const rows = RevisionRows.parse(db.prepare('SELECT mutation_id AS mutationId, entity, entity_id AS entityId, version, status, data FROM revisions WHERE mutation_id IS NOT NULL').all());
      return rows.map(({ data, ...r }) => {
        const parsed = DataVersion.safeParse(JSON.parse(data));
        return { ...r, dataVersion: parsed.success ? parsed.data.version : undefined };
      });
    } finally {
      db.close();
    }
  }

  /** Listing entries the office imported (the server refuses households without theirs). */
  async importListing(entries: ListingEntry[]): Promise<void> {
    if (!this.store) throw new Error('the server is not running');
    await this.store.importListing(entries);
  }

  /** Results the server recorded per mutation id. */
  mutationStatuses(): Map<string, string> {
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      const rows = z.array(z.object({ id: z.string(), status: z.string() })).parse(db.prepare('SELECT id, status FROM mutations').all());
      return new Map(rows.map((r) => [r.id, r.status]));
    } finally {
      db.close();
    }
  }
}
