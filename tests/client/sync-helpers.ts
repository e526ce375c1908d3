// Wiring for engine tests: a fresh store with an assignment, a fake server, manual timers and
// an engine signed in as the demo enumerator.
import { SyncEngine, type FetchLike, type SyncEngineDeps } from '../../src/client/sync/index.ts';
import type { PuchaDb } from '../../src/client/db/index.ts';
import { FakeServer, ManualTimers } from './fake-server.ts';
import { fakeClock, seedAssignment, testDb, type Clock } from './fixtures.ts';
import type { ListingEntry } from '../../src/domain/index.ts';

export const REQUEST_TIMEOUT = 45_000;
export const POLL = 60_000;

export interface Rig {
  db: PuchaDb;
  clock: Clock;
  server: FakeServer;
  timers: ManualTimers;
  engine: SyncEngine;
  entries: ListingEntry[];
}

export async function rig(
  opts: { households?: number; signIn?: boolean; random?: () => number; deps?: Partial<SyncEngineDeps>; wrapFetch?: (f: FetchLike) => FetchLike } = {},
): Promise<Rig> {
  const clock = fakeClock();
  const db = await testDb({ clock });
  const entries = await seedAssignment(db, opts.households ?? 5);
  const server = new FakeServer(clock.now);
  const timers = new ManualTimers();
  const engine = new SyncEngine({
    db,
    fetch: opts.wrapFetch ? opts.wrapFetch(server.fetch) : server.fetch,
    now: clock.now,
    baseUrl: 'http://fake.test',
    random: opts.random ?? (() => 0.5),
    setTimer: timers.setTimer,
    requestTimeoutMs: REQUEST_TIMEOUT,
    periodMs: POLL,
    ...opts.deps,
  });
  if (opts.signIn !== false) {
    const r = await engine.signIn('demo-enumerator', 'pucha-demo');
    if (!r.ok) throw new Error(`sign-in failed: ${r.message}`);
    await engine.syncNow(); // the sync started by signIn, drained
  }
  return { db, clock, server, timers, engine, entries };
}

/** The retry/poll delays the engine asked for, without the per-request timeouts. */
export const scheduled = (t: ManualTimers): number[] => t.delays.filter((ms) => ms !== REQUEST_TIMEOUT);
