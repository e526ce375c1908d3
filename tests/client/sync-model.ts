// The model test of reliability.md R15: random sequences of save, edit, visit, offline/online,
// push, dropped answer, server error, server restart and engine reload (a killed tab, possibly
// mid-sync) against a backend (the fake server, or the real one on SQLite). Invariants after every
// step: the server holds only versions the phone saved, each at most once; the outbox is exactly
// "saved minus acknowledged". After quiescence: every saved version is on the server exactly once.
// Shared by tests/client/sync-model.test.ts (CI) and scripts/model-soak.ts (long local runs).
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openDb, outboxEntries, recordStates, saveRegistration, setVisitOutcome, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine, type FetchLike } from '../../src/client/sync/index.ts';
import type { ListingEntry, VisitStatus } from '../../src/domain/index.ts';
import { district, draftFor, idFactory, listingEntry, TEST_KEY } from './fixtures.ts';
import { FakeServer, ManualTimers } from './fake-server.ts';
import { LIVE_BASE, type LiveServer } from './live-server.ts';

export type Injection = 'dropAfterCommit' | 'network' | 500 | 503 | 401 | 413;

export interface Backend {
  readonly baseUrl: string;
  readonly districtCode: string;
  readonly fetch: FetchLike;
  setOffline(offline: boolean): void;
  /** A fault for the next push. */
  inject(fault: Injection): void;
  restart(): Promise<void>;
  /** Drops faults injected but not yet consumed (the network heals). */
  clearFaults(): void;
  /** The office imports the phone's listing entries; false when the backend keeps no listing. */
  importListing(entries: ListingEntry[]): Promise<boolean>;
  /** Revision rows per mutation id (only ids in `ids`), with the server's recorded result. */
  stored(ids: ReadonlySet<string>): Promise<Map<string, { revisions: number; status: string | undefined }>>;
}

const asFault = (f: Injection) =>
  typeof f === 'number'
    ? ({ kind: 'status', status: f, ...(f === 503 ? { retryAfter: '3' } : {}) } as const)
    : f === 'network'
      ? ({ kind: 'network' } as const)
      : ({ kind: 'dropAfterCommit' } as const);

export function fakeBackend(now: () => number): Backend {
  const server = new FakeServer(now);
  return {
    baseUrl: 'http://fake.test',
    districtCode: '130102003003001',
    fetch: server.fetch,
    setOffline: (v) => void (server.offline = v),
    inject: (f) => void server.faults.push({ when: 'push', fault: f === 401 ? { kind: 'status', status: 401, code: 'unauthorized' } : asFault(f) }),
    // The fake keeps its state like a database file; a restart loses only the request in flight.
    restart: () => Promise.resolve(void server.faults.push({ when: 'any', fault: { kind: 'network' } })),
    clearFaults: () => void server.faults.splice(0),
    // the fake server does not check listing entries
    importListing: () => Promise.resolve(false),
    stored: (ids) => {
      const out = new Map<string, { revisions: number; status: string | undefined }>();
      for (const r of server.revisions) if (ids.has(r.mutationId)) out.set(r.mutationId, { revisions: (out.get(r.mutationId)?.revisions ?? 0) + 1, status: undefined });
      for (const [id, v] of out) v.status = server.results.get(id)?.status;
      return Promise.resolve(out);
    },
  };
}

export function liveBackend(server: LiveServer): Backend {
  return {
    baseUrl: LIVE_BASE,
    districtCode: '130102001003001',
    fetch: server.fetch,
    setOffline: (v) => void (server.offline = v),
    inject: (f) => void server.faults.push({ when: 'push', fault: f === 401 ? { kind: 'status', status: 401, code: 'unauthorized' } : asFault(f) }),
    restart: () => server.restart(),
    clearFaults: () => void server.faults.splice(0),
    importListing: async (entries) => (await server.importListing(entries), true),
    stored: (ids) => {
      const out = new Map<string, { revisions: number; status: string | undefined }>();
      for (const r of server.revisions()) if (ids.has(r.mutationId)) out.set(r.mutationId, { revisions: (out.get(r.mutationId)?.revisions ?? 0) + 1, status: undefined });
      const statuses = server.mutationStatuses();
      for (const [id, v] of out) v.status = statuses.get(id);
      return Promise.resolve(out);
    },
  };
}

export type Op =
  | { op: 'save'; h: number; persons: number }
  | { op: 'visit'; h: number; status: VisitStatus }
  | { op: 'offline' }
  | { op: 'online' }
  | { op: 'push' }
  | { op: 'fault'; fault: Injection }
  | { op: 'restart' }
  | { op: 'reload'; midSync: boolean };

const HOUSEHOLDS = 4;
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('save' as const), h: fc.nat(HOUSEHOLDS - 1), persons: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('visit' as const), h: fc.nat(HOUSEHOLDS - 1), status: fc.constantFrom<VisitStatus>('notAtHome', 'refused', 'registered') }) },
  { weight: 1, arbitrary: fc.constant({ op: 'offline' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'online' as const }) },
  { weight: 4, arbitrary: fc.constant({ op: 'push' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('fault' as const), fault: fc.constantFrom<Injection>('dropAfterCommit', 'network', 500, 503, 401, 413) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reload' as const), midSync: fc.boolean() }) },
);

let worlds = 0;
const worldNo = (name: string): number => Number(name.replace(/\D/g, ''));

/** One phone (store + engine) and one backend; `saved` is every mutation id the phone made. */
export class World {
  readonly saved = new Set<string>();
  private readonly idb = new IDBFactory();
  private readonly name = `model-${++worlds}`;
  private readonly tag = `m${worlds}x${Math.floor(Math.random() * 1e6).toString(36)}`;
  private t = Date.parse('2020-11-05T08:00:00Z');
  readonly now = () => this.t;
  private readonly timers = new ManualTimers();
  entries: ListingEntry[] = [];
  db!: PuchaDb;
  engine!: SyncEngine;
  ops = 0;

  constructor(readonly backend: Backend) {}

  async init(): Promise<void> {
    this.db = await this.open();
    this.entries = Array.from({ length: HOUSEHOLDS }, (_, i) => ({ ...listingEntry(i + 1, this.backend.districtCode), id: `L-${this.tag}-${i}` }));
    await this.db.districts.put(district(this.backend.districtCode));
    // The office imports the listing on the server; the phone gets it (with the server's
    // versions) from its first pull. The fake server keeps no listing: the phone starts with it.
    const onServer = await this.backend.importListing(this.entries);
    if (!onServer) await this.db.listing.bulkPut(this.entries);
    this.engine = this.newEngine();
    await this.engine.start();
    if (!(await this.signIn())) throw new Error('first sign-in failed');
    if (onServer) {
      await this.engine.syncNow();
      if ((await this.db.listing.bulkGet(this.entries.map((e) => e.id))).some((e) => e === undefined)) throw new Error('the first pull did not bring the listing');
    }
  }

  private open(): Promise<PuchaDb> {
    return openDb(this.name, { indexedDB: this.idb, IDBKeyRange, dataKey: TEST_KEY, now: this.now, newId: idFactory(this.tag) });
  }

  private newEngine(): SyncEngine {
    // Every other world pushes in batches of 2, so a drain is many pipelined batches: an answer
    // being written while the next push is out, and faults and reloads in between.
    const batchSize = worldNo(this.name) % 2 === 0 ? 2 : undefined;
    return new SyncEngine({ db: this.db, fetch: this.backend.fetch, now: this.now, baseUrl: this.backend.baseUrl, setTimer: this.timers.setTimer, random: () => 0.5, ...(batchSize ? { batchSize } : {}) });
  }

  /** The enumerator signs in again; over a failing network that may fail too (tried again later). */
  private async signIn(): Promise<boolean> {
    const r = await this.engine.signIn('demo-enumerator', 'pucha-demo');
    if (!r.ok && r.reason !== 'network' && r.reason !== 'server') throw new Error(`sign-in: ${r.message}`);
    return r.ok;
  }

  async run(o: Op): Promise<void> {
    this.ops++;
    this.t += 1000;
    switch (o.op) {
      case 'save': {
        const e = this.entries[o.h];
        if (!e) throw new Error('no entry');
        const r = await saveRegistration(this.db, draftFor(e, o.persons, `p${this.ops}`));
        if (!r.ok) throw new Error(`save: ${r.reason}`);
        this.saved.add(r.mutationId);
        break;
      }
      case 'visit': {
        const r = await setVisitOutcome(this.db, this.entries[o.h]?.id ?? '', { status: o.status });
        if (!r.ok) throw new Error(`visit: ${r.reason}`);
        this.saved.add(r.mutationId);
        break;
      }
      case 'offline':
        this.backend.setOffline(true);
        this.engine.onOffline();
        break;
      case 'online':
        this.backend.setOffline(false);
        this.engine.onOnline();
        await this.engine.syncNow();
        break;
      case 'push':
        if (this.engine.getState().status === 'signedOut') await this.signIn();
        await this.engine.syncNow();
        break;
      case 'fault':
        this.backend.inject(o.fault);
        await this.engine.syncNow();
        break;
      case 'restart':
        await this.backend.restart();
        break;
      case 'reload':
        await this.reload(o.midSync);
        break;
    }
    await this.check();
  }

  /** The tab dies (optionally mid-sync) and the app starts again on the same store. */
  private async reload(midSync: boolean): Promise<void> {
    // Mid-sync: the cycle has started (and may have pushed) when the tab dies.
    const inFlight = midSync ? this.engine.syncNow().catch(() => undefined) : undefined;
    if (midSync) for (let i = 0; i < this.ops % 40; i++) await Promise.resolve();
    this.engine.stop();
    this.db.close();
    await inFlight;
    // A killed tab leaves its sync lease behind: the next start waits for it to expire.
    this.t += 121_000;
    this.db = await this.open();
    this.engine = this.newEngine();
    await this.engine.start();
  }

  /** R15 invariants, checked after every step. */
  async check(): Promise<void> {
    const stored = await this.backend.stored(this.saved);
    const outbox = new Set((await outboxEntries(this.db)).map((m) => m.id));
    for (const id of outbox) if (!this.saved.has(id)) throw new Error(`outbox holds ${id} that was never saved`);
    for (const [id, s] of stored) {
      if (s.revisions !== 1) throw new Error(`mutation ${id} stored ${s.revisions} times`);
      // ST3: a single writer never conflicts and never gets rejected.
      if (s.status !== 'applied') throw new Error(`mutation ${id} is ${s.status ?? 'unknown'} on the server`);
    }
    // Acknowledged = saved - outbox; each of those must be on the server.
    for (const id of this.saved) if (!outbox.has(id) && !stored.has(id)) throw new Error(`mutation ${id} left the outbox but is not on the server`);
  }

  /** Faults stop; sync until nothing is queued. Then every saved version is on the server exactly once. */
  async quiesce(): Promise<void> {
    this.backend.setOffline(false);
    this.backend.clearFaults();
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (this.engine.getState().status === 'signedOut') await this.signIn();
      this.t += 300_000;
      const out = await this.engine.syncNow();
      outcomes.push(out.kind === 'offline' || out.kind === 'error' ? `${out.kind}:${out.error.message}` : out.kind);
      if (out.kind === 'ok' && (await outboxEntries(this.db)).length === 0) break;
    }
    if ((await outboxEntries(this.db)).length !== 0) throw new Error(`outbox not empty after quiescence: ${outcomes.slice(-3).join(' | ')}`);
    await this.check();
    const stored = await this.backend.stored(this.saved);
    if ((await outboxEntries(this.db)).length !== 0) throw new Error('outbox not empty after quiescence');
    if (stored.size !== this.saved.size) throw new Error(`server has ${stored.size} of ${this.saved.size} saved mutations`);
    const states = await recordStates(this.db);
    const bad = states.filter((s) => s.state !== 'synced');
    if (bad.length > 0) throw new Error(`records not synced after quiescence: ${bad.map((s) => `${s.key}=${s.state}`).join(', ')}`);
  }

  async dispose(): Promise<void> {
    this.engine.stop();
    this.db.close();
    await Promise.resolve();
  }
}

/** fast-check command wrapping one Op (the model state lives in the World). */
class OpCommand implements fc.AsyncCommand<object, World> {
  constructor(readonly o: Op) {}
  check = () => true;
  run = (_m: object, w: World) => w.run(this.o);
  toString = () => JSON.stringify(this.o);
}

export const commandsArb = (maxCommands: number, size?: fc.SizeForArbitrary) =>
  fc.commands([opArb.map((o) => new OpCommand(o))], { maxCommands, ...(size !== undefined ? { size } : {}) });

/** One model run: a fresh world, the commands, then quiescence. Returns the operations run. */
export async function runModel(backend: Backend, cmds: Iterable<fc.AsyncCommand<object, World>>): Promise<number> {
  const world = new World(backend);
  await world.init();
  try {
    await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds);
    await world.quiesce();
    return world.ops;
  } finally {
    await world.dispose();
  }
}
