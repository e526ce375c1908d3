/// <reference types="vitest/config" />
// Build of the field app: React + an injectManifest service worker (src/client/sw.ts) that
// precaches the shell. The server (npm start) serves dist/; in dev, /api goes to it on :8080.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/client',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false, // main.tsx registers with workbox-window (update prompt)
      includeAssets: ['robots.txt', 'apple-touch-icon.png'],
      // png/webmanifest are added by the plugin itself (manifest icons); globbing them duplicates entries.
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,ico,woff2}'] },
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
  ],
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(pkg.version) },
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
    rollupOptions: { output: { intro: 'globalThis.__zod_globalConfig ??= { jitless: true };' } },
  },
});
