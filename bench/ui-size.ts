// Gzip size of the built app: every JS and CSS file the browser may load (dist/assets, all
// chunks) and, apart, the service worker. Goal: JS + CSS at most 180 KB gzip.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './ui-lib/browser.ts';

const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) process.exit(1);
const dir = join(ROOT, 'dist/assets');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
let raw = 0;
for (const f of readdirSync(dir).filter((x) => /\.(js|css)$/.test(x)).sort()) {
  const body = readFileSync(join(dir, f));
  const gz = gzipSync(body, { level: 9 }).length;
  total += gz;
  raw += body.length;
  console.log(`  ${f.padEnd(32)} ${kb(body.length).padStart(10)} raw  ${kb(gz).padStart(9)} gzip`);
}
const sw = readFileSync(join(ROOT, 'dist/sw.js'));
console.log(`JS + CSS: ${kb(raw)} raw, ${kb(total)} gzip (level 9) · goal <= 180 KB`);
console.log(`service worker sw.js: ${kb(gzipSync(sw, { level: 9 }).length)} gzip (not counted above)`);
