// Long local run of the sync model test (reliability.md R15): random command sequences until at
// least N operations have run, against the fake server (default) or the real server on SQLite.
//   node --import tsx scripts/model-soak.ts [operations=100000] [fake|live] [seed]
// Prints the operation and run counts; exits 1 with the counterexample on the first failure.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { commandsArb, fakeBackend, liveBackend, runModel } from '../tests/client/sync-model.ts';
import { LiveServer } from '../tests/client/live-server.ts';

const target = Number(process.argv[2] ?? 100_000);
const mode = process.argv[3] === 'live' ? 'live' : 'fake';
const seed = Number(process.argv[4] ?? Date.now() % 2 ** 31);

const live = mode === 'live' ? await LiveServer.create({ households: 5 }) : undefined;
const started = Date.now();
let ops = 0;
let runs = 0;
let lastReport = started;
try {
  while (ops < target) {
    // Batches of runs, each batch a fresh fast-check property with its own seed (reproducible).
    const batchSeed = seed + runs;
    await fc.assert(
      fc.asyncProperty(commandsArb(200, 'max'), async (cmds) => {
        ops += await runModel(live ? liveBackend(live) : fakeBackend(() => Date.parse('2020-11-05T08:00:00Z')), cmds);
        runs++;
      }),
      { numRuns: 50, seed: batchSeed, endOnFailure: true },
    );
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`${ops} operations in ${runs} runs, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  console.log(`model soak (${mode}, seed ${seed}): ${ops} operations in ${runs} runs, ${Math.round((Date.now() - started) / 1000)} s, all invariants held`);
} catch (e) {
  console.error(`model soak (${mode}, seed ${seed}) FAILED after ${ops} operations in ${runs} runs`);
  console.error(e instanceof Error ? e.message : e);
  if (e instanceof Error && e.cause !== undefined) console.error('cause:', e.cause instanceof Error ? e.cause.message : e.cause);
  process.exitCode = 1;
} finally {
  await live?.dispose();
}
