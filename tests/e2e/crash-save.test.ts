// Reliability scenario R9: the browser is killed (SIGKILL to its whole process group) at a random
// moment while the REAL phone store (openDb's 'pucha' database, saveRegistration) saves
// households back to back. After each kill Chromium is relaunched on the SAME profile and the same
// origin, and the store must show: (a) every save acknowledged to the caller before the kill is
// there (registration at >= that version) with its outbox entry; (b) records and outbox entries
// exist together or not at all (ST1); (c) outbox seq order is save order. The kill points are
// seeded (R9_SEED overrides the seed; the seed is in every failure message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { ROOT, browserAvailable, freePort, tempDir } from './harness.ts';
import { killMarked, launchChromium, markedPids, type ChromiumProcess } from './crash-save/chromium-process.ts';
import { ACK, FAIL, type Ack, type CrashApi } from './crash-save/api.ts';
import { violations } from './crash-save/invariants.ts';
import { mulberry32 } from '../../src/domain/index.ts';

const KILLS = 4;
const SEED = Number(process.env.R9_SEED ?? 20261129);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the built fixture on a FIXED 127.0.0.1 port: IndexedDB data belongs to the origin. */
async function serve(dir: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    readFile(join(dir, path === '/' ? 'index.html' : path))
      .then((body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html', 'cache-control': 'no-store' }).end(body))
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

const r9 = (page: Page) => ({
  setup: () => page.evaluate(() => (window as unknown as { __r9: CrashApi }).__r9.setup()),
  run: (round: number, seed: number) => page.evaluate(([r, s]) => (window as unknown as { __r9: CrashApi }).__r9.run(r, s), [round, seed] as const),
  inspect: () => page.evaluate(() => (window as unknown as { __r9: CrashApi }).__r9.inspect()),
});

/** The profile's storage files with sizes and times, for a failure's post-mortem. */
function storageFiles(profile: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      out.push(`${dir}: ${String(e)}`);
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        if (depth > 0) walk(path, depth - 1);
      } else out.push(`${path.slice(profile.length)} ${st.size} B ${st.mtime.toISOString()}`);
    }
  };
  walk(join(profile, 'Default', 'IndexedDB'), 3);
  return out;
}

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.runIf(browserAvailable())('R9: browser killed mid-save', () => {
  const mark = crypto.randomUUID();
  const profile = tempDir('pucha-e2e-r9-profile-');
  const outDir = tempDir('pucha-e2e-r9-page-');
  let server: Server | undefined;
  let url = '';

  beforeAll(async () => {
    await build({
      configFile: false,
      root: join(ROOT, 'tests/e2e/crash-save'),
      publicDir: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
    });
    const port = await freePort(); // chosen once; the server stays up across browser restarts
    server = await serve(outDir, port);
    url = `http://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    await killMarked(mark);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(profile, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged save with its outbox entry across ${KILLS} SIGKILLs (seed ${SEED})`, async () => {
    const rng = mulberry32(SEED);
    const acks: Ack[] = [];
    const failures: string[] = [];
    const perRound: { acked: number; killAfterMs: number; stored: number }[] = [];
    let proc: ChromiumProcess | undefined;
    // What the killed browser last wrote to stderr and which storage files the kill left: if a
    // relaunch finds the store gone, these say whether Chromium itself dropped it (and why).
    let killedStderr = '';
    let filesAfterKill: string[] = [];
    try {
      for (let round = 0; ; round++) {
        proc = await launchChromium(profile, mark);
        const { page } = proc;
        page.on('console', (msg) => {
          const text = msg.text();
          if (text.startsWith(ACK)) acks.push(JSON.parse(text.slice(ACK.length)) as Ack);
          else if (text.startsWith(FAIL)) failures.push(text);
        });
        page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
        await page.goto(url);
        await page.waitForFunction(() => document.title === 'r9-ready' || document.title === 'r9-failed', undefined, { timeout: 30_000 });
        expect(failures, `seed ${SEED}, round ${round}`).toEqual([]);

        const snap = await r9(page).inspect();
        const broken = violations(snap, acks);
        const postMortem = () =>
          [
            `storage files after the kill:\n${filesAfterKill.join('\n')}`,
            `storage files now:\n${storageFiles(profile).join('\n')}`,
            `stderr of the killed browser (tail):\n${killedStderr.slice(-4000)}`,
            `stderr of this browser (tail):\n${proc?.stderr().slice(-4000) ?? ''}`,
          ].join('\n');
        expect(broken, `seed ${SEED}, after kill ${round}: ${JSON.stringify(perRound)}${broken.length > 0 ? `\n${postMortem()}` : ''}`).toEqual([]);
        if (round > 0) perRound[round - 1]!.stored = snap.outbox.length;
        if (round === KILLS) break;

        if (round === 0) expect((await r9(page).setup()).households).toBeGreaterThan(0);
        const before = acks.length;
        r9(page).run(round, (SEED * 31 + round) >>> 0).catch(() => undefined); // never resolves: the browser dies under it
        await until(`the first save of round ${round}`, () => acks.length > before, 30_000);
        const killAfterMs = 50 + Math.floor(rng() * 351);
        await new Promise((r) => setTimeout(r, killAfterMs)); // the random crash point itself
        await proc.kill();
        killedStderr = proc.stderr();
        filesAfterKill = storageFiles(profile);
        proc = undefined;
        perRound.push({ acked: acks.length - before, killAfterMs, stored: 0 });
        expect(failures, `seed ${SEED}, round ${round}`).toEqual([]);
      }
      console.log(`R9 seed ${SEED}: ${KILLS} kills, ${acks.length} acknowledged saves, per round ${JSON.stringify(perRound)}`);
      expect(acks.length).toBeGreaterThanOrEqual(KILLS);
    } finally {
      await proc?.kill();
    }
    expect(markedPids(mark), 'Chromium processes left after the test').toEqual([]);
  });
});
