/// <reference lib="webworker" />
// Service worker: plumbing only (style.md 12). Precaches the built shell, answers navigations
// with index.html while offline, activates a new version only when the page asks (the user
// accepted the update), and wakes open pages to sync. It never touches IndexedDB itself.
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/** Background Sync's event (Chromium only; not in TypeScript's WebWorker lib). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/** Message types shared with the page (main.tsx uses the same strings). */
const SKIP_WAITING = 'SKIP_WAITING';
const SYNC_NOW = 'sync'; // what SyncEngine.onServiceWorkerMessage expects

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Offline, every in-app navigation gets the shell; the API is never answered from the cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));
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
