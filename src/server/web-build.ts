// Builds the field app with Vite when dist/ is missing or older than its sources, so `npm start`
// always serves the current app. A failed build leaves the API running and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src/client', 'src/domain', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

export type WebBuild = { ok: true; dir: string; built: boolean } | { ok: false; reason: 'build_failed' | 'no_build'; dir: string };

export function ensureWebBuild(root: string, allowBuild: boolean): WebBuild {
  const dir = join(root, 'dist');
  const index = join(dir, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const stale = built === 0 || SOURCES.some((s) => newestMtime(join(root, s)) > built);
  if (!stale) return { ok: true, dir, built: false };
  if (!allowBuild) return built ? { ok: true, dir, built: false } : { ok: false, reason: 'no_build', dir };
  const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status === 0 && existsSync(index)) return { ok: true, dir, built: true };
  return { ok: false, reason: 'build_failed', dir };
}
