// Shared plumbing of the UI benchmarks: statistics, a built bench page served over HTTP, Chromium.
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CHROMIUM = '/usr/bin/chromium';
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
export const fmt = (x: number) => x.toFixed(1);
export function summary(label: string, xs: readonly number[]): string {
  return `${label}: n=${xs.length} median ${fmt(pct(xs, 50))} ms, p95 ${fmt(pct(xs, 95))} ms, max ${fmt(Math.max(...xs))} ms`;
}

/** Builds bench/ui-lib/index.html (the real modules, production mode) into a temp dir. */
export async function buildBenchPage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'pucha-bench-page-'));
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true, maxRetries: 5 }));
  await build({ configFile: false, root: join(ROOT, 'bench/ui-lib'), plugins: [react()], logLevel: 'warn', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 } });
  return outDir;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
export function serveDir(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    readFile(join(dir, path === '/' ? 'index.html' : path))
      .then((body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/html' }).end(body))
      .catch(() => res.writeHead(404).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, server });
  }));
}

/**
 * A persistent Chromium context. A profile made here (4-23 MB) is removed when the context
 * closes and, should the bench die first, when the process exits or is interrupted (SIGINT,
 * SIGTERM); a profile the caller passed in is the caller's.
 */
export async function browser(userDataDir?: string): Promise<BrowserContext> {
  const own = userDataDir === undefined;
  const dir = userDataDir ?? mkdtempSync(join(tmpdir(), 'pucha-bench-profile-'));
  const remove = () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (e) {
      console.warn(`could not remove the bench profile ${dir}: ${String(e)}`);
    }
  };
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 360, height: 740 } });
  if (!own) return context;
  process.once('exit', remove);
  // Ctrl-C or a timeout's SIGTERM end the process without 'exit' handlers running: remove it then too.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void context.close().catch(() => undefined).finally(() => {
        remove();
        process.exit(130);
      });
    });
  }
  // after close() resolves the browser has exited, so the profile is no longer being written
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    remove();
  };
  return context;
}
