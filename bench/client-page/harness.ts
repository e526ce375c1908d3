// Node side of the Chromium client benchmarks (bench/client-chromium.ts, bench/client-drain.ts):
// builds the bench page (the real src/client modules bundled by Vite in production mode) and
// starts seeded local servers on temp SQLite files that serve it, so every request of the page is
// same-origin. Not part of the page bundle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { ROOT } from '../ui-lib/browser.ts';
import { buildApp, openSqliteStore, seedDemo, type Store } from '../../src/server/index.ts';
import { generateDistrict } from '../../src/domain/index.ts';
import type { ClientBench } from './entry.ts';

/** The district the page's households belong to, as entry.ts generates it; its listing ids as the page renames them. */
export const BENCH_DISTRICT = '130102001003001';
export function benchListing() {
  const gen = generateDistrict({ seed: 7, code: BENCH_DISTRICT, enumerators: ['u-demo-enumerator'], households: 500, registeredShare: 1 });
  return gen.listing.map((e, i) => ({ ...e, id: `BL-${i}` }));
}

export type BenchWindow = Window & { __clientBench: ClientBench; __sixPersons: number };

export interface BenchServer {
  app: FastifyInstance;
  store: Store;
  url: string;
}

export interface Harness {
  /**
   * A seeded server (the demo users, 5 households a district) on a new SQLite file, with the
   * listing entries the page's households are registered on (so the pushes are applied, as in the
   * field), serving the page and a sink that only reads bodies.
   */
  server(file: string, pushLimit: number): Promise<BenchServer>;
  stop(s: BenchServer): Promise<void>;
  /** Removes the page build and the SQLite files. */
  dispose(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const pageDir = mkdtempSync(join(tmpdir(), 'pucha-bench-client-page-'));
  await build({
    configFile: false,
    root: join(ROOT, 'bench/client-page'),
    logLevel: 'warn',
    // Profiling (BENCH_PROFILE) wants the functions' own names in the page's profile.
    build: { outDir: pageDir, emptyOutDir: true, chunkSizeWarningLimit: 4096, ...(process.env.BENCH_PROFILE ? { minify: false } : {}) },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'pucha-bench-chromium-'));
  const running = new Set<BenchServer>();
  /** Chromium keeps (and pre-opens) sockets that Fastify's close() would wait for: all our requests are done. */
  const stop = async (s: BenchServer): Promise<void> => {
    if (!running.delete(s)) return;
    s.app.server.closeAllConnections();
    await s.app.close();
    await s.store.close();
  };
  return {
    async server(file, pushLimit) {
      const store = await openSqliteStore(join(dataDir, file));
      await seedDemo(store, { households: 5 });
      await store.importListing(benchListing());
      // The per-device push limit (default 120 a minute) stays as deployed unless N needs more pushes.
      const app = await buildApp({ store, staticDir: pageDir, pushLimit: { max: pushLimit, windowMs: 60_000 } });
      await app.register((sink, _o, done) => {
        sink.removeAllContentTypeParsers();
        sink.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, next) => next(null, body));
        sink.post('/bench-sink', { bodyLimit: 64 * 1024 * 1024 }, (_req, reply) => reply.header('content-type', 'application/json').send('{}'));
        done();
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const a = app.server.address();
      const s = { app, store, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
      running.add(s);
      return s;
    },
    stop,
    async dispose() {
      for (const s of [...running]) await stop(s);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(pageDir, { recursive: true, force: true });
    },
  };
}

export async function openBenchPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'bench-ready');
}
