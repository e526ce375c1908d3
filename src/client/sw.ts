/// <reference lib="webworker" />
// Service worker: plumbing only (style.md 12). Precaches the built shell, answers navigations
// with index.html while offline, activates a new version only when the page asks (the user
// accepted the update), keeps serving the previous build's files to tabs still running it, and
// wakes open pages to sync. It never touches IndexedDB itself.
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { cacheNames, clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/** Background Sync's event (Chromium only; not in TypeScript's WebWorker lib). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/** Message types shared with the page (main.tsx uses the same strings). */
const SKIP_WAITING = 'SKIP_WAITING';
const SYNC_NOW = 'sync'; // what SyncEngine.onServiceWorkerMessage expects

/** The previous build's hashed files (/assets/*), for tabs that still run it after an update. */
const PREVIOUS_ASSETS = 'pucha-previous-assets';

const manifest = self.__WB_MANIFEST; // referenced once: the build replaces it with this build's list
precacheAndRoute(manifest);
cleanupOutdatedCaches();
// Offline, every in-app navigation gets the shell; the API is never answered from the cache, and
// the respondent's page (/self, self-enumeration) is not the app: it always comes from the server.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/self(?:[/?#]|\.html|$)/] }));

// Old chunks stay loadable. When this version activates, the precache drops every file of the
// build before it, but another tab may still run that build and lazily import its chunks
// (/assets/HouseholdPage-<old hash>.js), which the server no longer has. So, while this version
// installs (the old one still active, its files still precached), the old build's /assets/ files
// are copied to PREVIOUS_ASSETS and answered from there, online or offline, until the next
// version's install replaces them with this build's. Anything else under /assets/ goes to the
// network (the server answers an unknown asset with 404, never with index.html).
const isAsset = (url: URL) => url.origin === self.location.origin && url.pathname.startsWith('/assets/');

async function keepPreviousAssets(): Promise<void> {
  const current = new Set(manifest.map((e) => new URL(typeof e === 'string' ? e : e.url, self.location.href).pathname));
  const precache = await caches.open(cacheNames.precache);
  const previous = await caches.open(PREVIOUS_ASSETS);
  const old = (await precache.keys()).filter((r) => {
    const url = new URL(r.url);
    return isAsset(url) && !current.has(url.pathname);
  });
  const kept = new Set<string>();
  for (const request of old) {
    const response = await precache.match(request);
    if (!response) continue;
    await previous.put(request, response);
    kept.add(request.url);
  }
  for (const request of await previous.keys()) if (!kept.has(request.url)) await previous.delete(request);
}

self.addEventListener('install', (event) => {
  // Best effort: a failed copy (storage full) must not stop the update itself.
  event.waitUntil(keepPreviousAssets().catch(() => undefined));
});

registerRoute(
  ({ url, request }) => request.method === 'GET' && isAsset(url),
  async ({ request }) => (await caches.match(request, { cacheName: PREVIOUS_ASSETS })) ?? fetch(request),
);
// The first install takes control at once, so the very first visit already works offline.
// Later versions wait (no skipWaiting here) until a page sends SKIP_WAITING.
clientsClaim();

async function wakePages(reason: string): Promise<void> {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage({ type: SYNC_NOW, reason });
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  const type = typeof data === 'object' && data !== null && 'type' in data ? data.type : undefined;
  if (type === SKIP_WAITING) void self.skipWaiting();
  else if (type === SYNC_NOW) event.waitUntil(wakePages('request'));
});

self.addEventListener('sync', (event) => {
  const e = event as SyncEvent;
  e.waitUntil(wakePages(`sync:${e.tag}`));
});
