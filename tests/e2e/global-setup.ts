// Builds dist/ once before the browser suites (the server serves it). Skipped when dist is newer
// than every source file, so a re-run after a build costs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

function newest(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    max = Math.max(max, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return max;
}

export default function setup(): void {
  const index = join(ROOT, 'dist/index.html');
  const sources = Math.max(newest(join(ROOT, 'src/client')), newest(join(ROOT, 'src/domain')), newest(join(ROOT, 'public')), statSync(join(ROOT, 'index.html')).mtimeMs, statSync(join(ROOT, 'self.html')).mtimeMs, statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}
