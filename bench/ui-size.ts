// Gzip size of the built app: every JS and CSS file the browser may load (dist/assets, all
// chunks), the start-up path apart (what index.html loads before any lazy import: the entry, its
// static imports and their CSS, read from Vite's build manifest), and the service worker.
// Goal: start-up JS + CSS at most 180 KB gzip. Also prints the brotli size of the start-up path
// (what the server sends to a browser that accepts br, from the files precompressed at build).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { ROOT } from './ui-lib/browser.ts';

const MANIFEST = '.vite/bench-manifest.json';
const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--manifest', MANIFEST], { cwd: ROOT, stdio: 'inherit' });
if (r.status !== 0) process.exit(1);
const dist = join(ROOT, 'dist');
const dir = join(dist, 'assets');

const Chunk = z.object({ file: z.string(), isEntry: z.boolean().optional(), imports: z.array(z.string()).optional(), css: z.array(z.string()).optional() });
const manifest = z.record(z.string(), Chunk).parse(JSON.parse(readFileSync(join(dist, MANIFEST), 'utf8')));
// The manifest is for this bench only: the server must not serve it, nor the worker precache it.
rmSync(join(dist, '.vite'), { recursive: true, force: true });

/** Files loaded before any dynamic import: entries, their static imports (transitively), their CSS. */
const startup = new Set<string>();
const visit = (key: string) => {
  const c = manifest[key];
  if (!c || startup.has(c.file)) return;
  startup.add(c.file);
  for (const css of c.css ?? []) startup.add(css);
  for (const i of c.imports ?? []) visit(i);
};
for (const [key, c] of Object.entries(manifest)) if (c.isEntry) visit(key);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
let raw = 0;
let start = 0;
let startBr = 0;
let self = 0;
let selfBr = 0;
for (const f of readdirSync(dir).filter((x) => /\.(js|css)$/.test(x)).sort()) {
  const body = readFileSync(join(dir, f));
  // The respondent's page (/self) is a separate build: counted on its own line, not in the app's.
  const gz = gzipSync(body, { level: 9 }).length;
  if (f.startsWith('self-')) {
    self += gz;
    selfBr += brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`  ${f.padEnd(36)} ${kb(body.length).padStart(10)} raw  ${kb(gz).padStart(9)} gzip  /self`);
    continue;
  }
  const onStart = startup.has(`assets/${f}`);
  total += gz;
  raw += body.length;
  if (onStart) {
    start += gz;
    startBr += brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  console.log(`  ${f.padEnd(36)} ${kb(body.length).padStart(10)} raw  ${kb(gz).padStart(9)} gzip${onStart ? '  start-up' : '  lazy'}`);
}
const selfHtml = readFileSync(join(dist, 'self.html'));
self += gzipSync(selfHtml, { level: 9 }).length;
selfBr += brotliCompressSync(selfHtml, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sw = readFileSync(join(dist, 'sw.js'));
console.log(`JS + CSS, all chunks: ${kb(raw)} raw, ${kb(total)} gzip (level 9)`);
console.log(`JS + CSS, start-up path: ${kb(start)} gzip (level 9), ${kb(startBr)} brotli (q 11) · goal <= 180 KB gzip`);
console.log(`respondent's page /self (self.html + its JS + CSS): ${kb(self)} gzip (level 9), ${kb(selfBr)} brotli (q 11) · goal <= 60 KB gzip`);
console.log(`service worker sw.js: ${kb(gzipSync(sw, { level: 9 }).length)} gzip (not counted above)`);
