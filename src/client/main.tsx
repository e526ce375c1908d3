// Composition root of the field app: the only place that knows concrete classes. It opens the
// Dexie database, creates the SyncEngine on window.fetch, wires browser events and the service
// worker (workbox-window) to it, and renders the React app with its ports.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createI18n, I18nProvider, prepareLanguage } from './i18n/index.ts';
import { Workbox } from 'workbox-window';
import { liveQuery } from 'dexie';
import { openDb, type PuchaDb } from './db/database.ts';
import { ensureDevice, getSession } from './db/meta.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { App } from './ui/App.tsx';
import { ServicesContext, type AppServices } from './ui/services.ts';
import { DirtyContext, DirtyTracker } from './ui/dirty.ts';
import type { UpdateState } from './ui/UpdateBanner.tsx';
import { apiPort, authPort, deviceIdHint, rememberDeviceId, saveFile, storagePort, syncPort } from './ui/platform.ts';
import { exportUnsynced } from './ui/export-unsynced.ts';
import { ErrorBoundary } from './ui/ErrorBoundary.tsx';
import { BUILD_ID } from './build-info.ts';
import { takeEarlyLock } from './ui/lock/early-handover.ts';
// ui/app.css: imported by boot.ts, the entry (index.html links it before the early screen paints).

/** The build id (build-info.ts): the device report's appVersion, shown to supervisors. */
const APP_VERSION = BUILD_ID;

async function main(): Promise<void> {
  performance.mark('pucha:start'); // start-up marks, read by bench/ui-cold-start.ts
  document.documentElement.dataset.build = BUILD_ID; // which build this page runs (support, tests/e2e)
  // The English shell strings are a chunk of their own: load them first when English was chosen.
  await prepareLanguage();
  const i18n = createI18n();
  document.documentElement.lang = i18n.language;
  const db = await openDb('pucha');
  performance.mark('pucha:db-open');
  // Read before the first render so the shell does not wait for a live query round trip.
  // Locked (the PIN not yet entered since the start): the session is encrypted, the gate decides.
  const initialSession = db.vault.state() === 'locked' ? undefined : ((await getSession(db)) ?? null);
  const fetchFn = window.fetch.bind(window);
  const hint = deviceIdHint();
  const engine = new SyncEngine({
    db,
    fetch: fetchFn,
    now: () => Date.now(),
    baseUrl: '',
    appVersion: APP_VERSION,
    ...(navigator.locks ? { locks: navigator.locks } : {}),
    ...(hint !== undefined ? { deviceIdHint: hint } : {}),
  });
  const dirty = new DirtyTracker();
  const update = registerServiceWorker(engine, dirty, db);

  const services: AppServices = {
    db,
    sync: syncPort(engine),
    auth: authPort(engine, async () => rememberDeviceId((await ensureDevice(db)).deviceId)),
    storage: storagePort(navigator.storage),
    exporter: { exportUnsynced: (passphrase) => exportUnsynced(db, APP_VERSION, passphrase) },
    api: (session) => apiPort(fetchFn, session),
    saveFile,
    now: () => Date.now(),
    appVersion: APP_VERSION,
    backgroundSync: 'serviceWorker' in navigator && 'SyncManager' in window,
  };

  window.addEventListener('online', () => engine.onOnline());
  window.addEventListener('offline', () => engine.onOffline());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && engine.onForeground());
  // Every named operation adds to the outbox; a growing queue means a local change to push.
  let queued = -1;
  liveQuery(() => db.outbox.count()).subscribe({
    next: (n) => {
      if (queued >= 0 && n > queued) {
        engine.notifyLocalChange();
        if (!navigator.onLine) void requestBackgroundSync();
      }
      queued = n;
    },
  });

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider i18n={i18n}>
        <ServicesContext.Provider value={services}>
          <DirtyContext.Provider value={dirty}>
            <ErrorBoundary scope="app">
              <App initialSession={initialSession} {...(update ? { update } : {})} />
            </ErrorBoundary>
          </DirtyContext.Provider>
        </ServicesContext.Provider>
      </I18nProvider>
    </StrictMode>,
  );
  performance.mark('pucha:rendered');
  // The engine's start-up writes (device marker, sync log) and its first sync compete with the
  // first screen's reads on a slow phone: start it once the page is idle (or after 1.5 s at most).
  // Not before the store is unlocked: the token and the queue are encrypted (db/encryption.ts).
  const startEngine = () => {
    if (db.vault.state() !== 'locked') return void engine.start();
    const off = db.vault.subscribe(() => {
      if (db.vault.state() !== 'unlocked') return;
      off();
      void engine.start();
    });
  };
  if ('requestIdleCallback' in window) requestIdleCallback(startEngine, { timeout: 1500 });
  else setTimeout(startEngine, 200);
}

/** Background Sync (Chromium): the worker wakes the page when the connection is back. */
async function requestBackgroundSync(): Promise<void> {
  const reg = (await navigator.serviceWorker?.ready) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
  await reg?.sync?.register('pucha-sync').catch(() => undefined);
}

function registerServiceWorker(engine: SyncEngine, dirty: DirtyTracker, db: PuchaDb): UpdateState | undefined {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return undefined;
  const wb = new Workbox('/sw.js', { scope: '/' });
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  let waiting = false;
  let replaced = false;
  // Set once a newer worker took control of this page while it still runs the old code (another
  // tab accepted the update): the update is then applied by reloading, there is nothing waiting.
  let outdated = false;
  wb.addEventListener('waiting', () => {
    waiting = true;
    changed();
  });
  // Reliability R12: a newer version in another tab upgrades the database; Dexie closes this
  // tab's connection so the upgrade can proceed, and this page must be reloaded.
  db.on('versionchange', (ev) => {
    if (ev.newVersion !== null && ev.newVersion > 0) {
      replaced = true;
      changed();
    }
  });
  // Reload only after the user accepted and only if no form has unsaved input (the banner
  // disables its button while dirty; this is the second guard). The first worker's claim of a
  // page loaded from the network is not an update: that page already runs the worker's build.
  let accepted = false;
  let controlled = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlled && !accepted) {
      outdated = true;
      changed();
    }
    controlled = true;
  });
  wb.addEventListener('controlling', () => {
    if (accepted && !dirty.any()) window.location.reload();
  });
  wb.addEventListener('message', (e) => engine.onServiceWorkerMessage(e.data));
  void wb.register();
  return {
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    available: () => waiting || outdated,
    replaced: () => replaced,
    apply: () => {
      if (dirty.any()) return;
      if (outdated || (replaced && !waiting)) return window.location.reload();
      accepted = true;
      wb.messageSkipWaiting();
    },
  };
}

/** Without a working database nothing can be saved: say so instead of showing a blank page. */
function startupFailed(e: unknown): void {
  takeEarlyLock();
  const root = document.getElementById('root');
  if (!root) return;
  const p = document.createElement('p');
  p.className = 'alert alert-error';
  p.setAttribute('role', 'alert');
  p.textContent = `无法打开本机存储，不能登记。请关闭其他标签页后重试，或换用普通（非无痕）窗口。 Local storage cannot be opened: ${e instanceof Error ? e.message : String(e)}`;
  const retry = document.createElement('button');
  retry.className = 'btn';
  retry.textContent = '重试 Retry';
  retry.onclick = () => window.location.reload();
  root.replaceChildren(p, retry);
}

main().catch(startupFailed);
