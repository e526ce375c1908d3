// R15 in CI: >= 200 fast-check runs of the sync model against the fake server, plus a smaller
// number against the real server on SQLite (the long run is scripts/model-soak.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commandsArb, fakeBackend, liveBackend, runModel } from './sync-model.ts';
import { LiveServer } from './live-server.ts';

let live: LiveServer;
beforeAll(async () => {
  live = await LiveServer.create({ households: 5 });
});
afterAll(async () => {
  await live.dispose();
});

describe('sync model (R15)', () => {
  it('[PU3][PU7][ST3] 200 random runs against the fake server: subset always, equality after quiescence', async () => {
    let ops = 0;
    await fc.assert(
      fc.asyncProperty(commandsArb(30), async (cmds) => {
        ops += await runModel(fakeBackend(() => Date.parse('2020-11-05T08:00:00Z')), cmds);
      }),
      { numRuns: 200, seed: 20201101 },
    );
    expect(ops).toBeGreaterThan(200);
  }, 120_000);

  it('[PU7][LK2] random runs against the real server (SQLite, restarts included)', async () => {
    await fc.assert(
      fc.asyncProperty(commandsArb(25), async (cmds) => {
        await runModel(liveBackend(live), cmds);
      }),
      { numRuns: 15, seed: 1101 },
    );
  }, 120_000);
});
