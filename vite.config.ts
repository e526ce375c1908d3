/// <reference types="vitest/config" />
// Build of the field app: React + an injectManifest service worker (src/client/sw.ts) that
// precaches the shell. The server (npm start) serves dist/; in dev, /api goes to it on :8080.
import { build, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { execFileSync } from 'node:child_process';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

function git(args: string[]): string | undefined {
  try {
    // GIT_OPTIONAL_LOCKS=0: `git status` must not take the index lock (others may be using git).
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The build id (src/client/build-info.ts, sent as the device report's appVersion, at most 40
 * characters): `0.1.0+a6d0a21` for a clean commit; `-dirty.<UTC yyyymmddhhmm>` appended for a tree with
 * uncommitted changes (or `+<minute>` without git), so two such builds still differ. PUCHA_BUILD_ID overrides it.
 */
function buildId(): string {
  const fixed = process.env.PUCHA_BUILD_ID?.trim();
  if (fixed) return fixed.replace(/[^\w.+-]/g, '').slice(0, 40);
  const minute = new Date().toISOString().slice(0, 16).replace(/\D/g, '');
  const hash = git(['rev-parse', '--short=7', 'HEAD']);
  if (!hash) return `${pkg.version}+${minute}`.slice(0, 40);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  return `${pkg.version}+${hash}${dirty ? `-dirty.${minute}` : ''}`.slice(0, 40);
}

/**
 * Test builds only (tests/e2e/update.test.ts): PUCHA_BUILD_VARIANT=<word> adds one statement to
 * every UI module, so every chunk (the lazily loaded ones included) gets a new hash, as a real
 * release that changes them would.
 */
function buildVariant(): Plugin | undefined {
  const variant = process.env.PUCHA_BUILD_VARIANT;
  if (!variant) return undefined;
  return {
    name: 'pucha-build-variant',
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/client\/ui\/.*\.tsx$/.test(id)) return null;
      return { code: `${code}\n;(globalThis.__puchaBuildVariant ??= []).push(${JSON.stringify(variant)});\n`, map: null };
    },
  };
}

/**
 * src/domain is pure (eslint forbids platform globals there; its modules only declare schemas,
 * code lists and functions), but the bundler cannot know that its top-level `z.object(...)` calls
 * have no side effects, so the barrel src/domain/index.ts would keep every module it re-exports
 * in the start-up chunk (the edit checks, the generator) even where only a code list is used.
 * Declaring the modules side-effect free lets a module no start-up code uses leave the start-up
 * path (issue 10); tests/e2e still run the built app.
 */
function pureDomain(): Plugin {
  return {
    name: 'pucha-pure-domain',
    apply: 'build',
    transform: {
      filter: { id: /[\\/]src[\\/]domain[\\/].*\.ts$/ },
      handler: () => ({ moduleSideEffects: false }),
    },
  };
}

/**
 * Issue 13: the respondent's page (self.html, served at /self) is built on its own, after the field
 * app and into the same dist/, so the app's shared start-up chunk (React, zod) never reaches a
 * respondent's phone: a second build with one entry and none of the app's plugins (goal ≤ 60 KB
 * gzip, `npm run bench ui-size`). It runs after vite-plugin-pwa has written sw.js, so none of its
 * files is precached (the field app's worker does not need them), and before precompress(), so
 * they get .br/.gz siblings too.
 */
function selfPage(): Plugin {
  let root = '';
  let outDir = '';
  return {
    name: 'pucha-self-page',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler(error?: Error) {
        if (error) return;
        await build({
          configFile: false,
          root,
          logLevel: 'warn',
          plugins: [pureDomain()],
          build: {
            outDir,
            emptyOutDir: false,
            target: 'es2022',
            sourcemap: false,
            copyPublicDir: false,
            rollupOptions: {
              input: { self: resolve(root, 'self.html') },
              output: { entryFileNames: 'assets/self-[hash].js', chunkFileNames: 'assets/self-[hash].js', assetFileNames: 'assets/self-[hash][extname]' },
            },
          },
        });
      },
    },
  };
}

/** Files worth compressing: text formats (images and fonts are compressed already). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/;

/**
 * Issue 16: writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside every
 * compressible file of the build, served by @fastify/static's `preCompressed` (src/server/app.ts),
 * so the server spends nothing per request on the app's files and the phone gets the smallest
 * bytes. A sibling is written only when it is smaller than the file. Runs last, after
 * vite-plugin-pwa has built sw.js in its own closeBundle, so the worker is covered too; the
 * worker's precache globs (`injectManifest.globPatterns` below) end in .js/.css/..., so the
 * .br/.gz files are never precached (tests/e2e/pwa.test.ts reads the manifest).
 */
function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  let outDir = '';
  const files = async (dir: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.push(...(await files(join(dir, e.name))));
      else out.push(join(dir, e.name));
    }
    return out;
  };
  return {
    name: 'pucha-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler(error?: Error) {
        if (error) return;
        for (const file of (await files(outDir)).filter((f) => COMPRESSIBLE.test(f))) {
          const body = await readFile(file);
          const [b, g] = await Promise.all([
            br(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
            gz(body, { level: 9 }),
          ]);
          if (b.length < body.length) await writeFile(`${file}.br`, b);
          if (g.length < body.length) await writeFile(`${file}.gz`, g);
        }
      },
    },
  };
}

/** The app's entry (main.tsx): loaded by the boot entry (src/client/boot.ts) after the early PIN screen. */
const APP_ENTRY = 'src/client/main.tsx';

/**
 * index.html's script is the small boot entry (src/client/boot.ts: the early PIN screen, then the
 * app). The app (main.tsx) is an entry of its own, which boot.ts imports by the URL this adds to
 * index.html: `<meta name="pucha-app" content=...>` (in dev, the source module). Not a
 * modulepreload: the browser would compile the 0.55 MB chunk on the main thread before boot.ts
 * runs and hold the early screen's first frame back by about 0.1 s at 4x CPU (a `preload` fetch
 * did as much); offline the worker serves the chunk in a few ms once boot.ts asks for it.
 */
function appEntryMeta(): Plugin {
  let base = '/';
  return {
    name: 'pucha-app-entry-meta',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const meta = (href: string) => ({ tag: 'meta', attrs: { name: 'pucha-app', content: href }, injectTo: 'head' as const });
        if (!ctx.bundle) return [meta(`${base}${APP_ENTRY}`)];
        const chunk = Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${APP_ENTRY}`));
        if (chunk?.type !== 'chunk') throw new Error(`pucha-app-entry-meta: no chunk for ${APP_ENTRY}`);
        // Its static imports (the bundler's runtime, under 1 KB) are preloaded, as Vite does an entry's.
        return [meta(`${base}${chunk.fileName}`), ...chunk.imports.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${f}` }, injectTo: 'head' as const }))];
      },
    },
  };
}

/**
 * Whether a module belongs with the start-up code: everything but what only lazily loaded
 * screens use (household form and checks, supervision, definitions, practice, the generator and
 * the household strings). A module listed here wrongly shows up in the start-up size bench.
 */
function startupModule(id: string): boolean {
  const path = id.replaceAll('\\', '/');
  // The boot entry (index.html's module, Vite's modulepreload polyfill it imports, boot.ts, the
  // early PIN screen and the CSS, painted before this chunk runs) stays apart: any of them in the
  // group makes index.html load the whole chunk before the early screen (the html module would
  // draw boot.ts in with it: dependencies are included recursively).
  if (path.endsWith('.html') || path === '\0vite/modulepreload-polyfill.js' || /\/src\/client\/(boot\.ts|ui\/lock\/early-lock\.ts|ui\/app\.css)/.test(path)) return false;
  if (path.includes('/node_modules/')) return !/\/node_modules\/(read-excel-file|fflate|qrcode|uplot)/.test(path);
  return !/\/src\/(client\/ui\/(household|supervisor|office|definitions|review)\/|client\/ui\/sync\/(SyncScreen|ExportPassForm|SignOutPanel)|client\/ui\/district\/SelfCodeSheet|client\/ui\/progress-totals|client\/ui\/practice\/(PracticeViews|practice\.css)|client\/practice\/|client\/i18n\/(household\.|office\.|app\.en)|domain\/(checks\/|validate|generate|definitions|findings|rules|applicability|unsynced|age|citizen-id))/.test(path);
}

export default defineConfig({
  plugins: [
    pureDomain(),
    buildVariant(),
    appEntryMeta(),
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/client',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false, // main.tsx registers with workbox-window (update prompt)
      includeAssets: ['robots.txt', 'apple-touch-icon.png'],
      // png/webmanifest are added by the plugin itself (manifest icons); globbing them duplicates entries.
      // self.html and assets/self-* are built after this (selfPage), and are not the app's: never precached.
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,ico,woff2}'], globIgnores: ['self.html', 'assets/self-*'] },
      manifest: {
        name: '普查 Pucha',
        short_name: '普查',
        description: '人口普查入户登记 · census field app',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0b4fa3',
        background_color: '#ffffff',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
    selfPage(),
    precompress(),
  ],
  define: { __PUCHA_BUILD_ID__: JSON.stringify(buildId()) },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: {
    target: 'es2022',
    sourcemap: false,
    // The server's CSP has no 'unsafe-eval' (src/server/security.ts). Building an object schema,
    // zod probes once with `new Function` for its JIT parser: the CSP blocks it and zod catches
    // the error, but Chromium reports a violation. zod keeps its global config on
    // globalThis.__zod_globalConfig (an existing one is kept); jitless there skips the probe and
    // parses as it would under the CSP anyway. Set at the top of every chunk, so it is in place
    // before the chunk holding zod runs; tests/e2e fails on the violation if this stops working.
    rollupOptions: {
      input: { index: resolve(import.meta.dirname, 'index.html'), app: resolve(import.meta.dirname, APP_ENTRY) },
      output: {
        intro: 'globalThis.__zod_globalConfig ??= { jitless: true };',
        // Modules the start-up path shares with lazy chunks would otherwise be cut into several
        // common chunks (react, zod + api, codes), and every cut costs exported bindings and a gzip
        // stream: 4.5 KB gzip of the 180 KB budget (npm run bench ui-size). One group keeps them
        // together; what only lazy screens use stays out of it.
        codeSplitting: { groups: [{ name: 'startup', test: startupModule }] },
      },
    },
  },
});
