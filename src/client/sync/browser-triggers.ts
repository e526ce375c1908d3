// Wires the browser's events to the engine's triggers (RT3, ST2). The composition root passes
// window, document and the service-worker container in, so the engine itself stays free of globals.
import type { SyncEngine } from './sync-engine.ts';

interface EventSource {
  addEventListener(type: string, listener: (ev: Event) => void): void;
  removeEventListener(type: string, listener: (ev: Event) => void): void;
}

export interface BrowserTargets {
  window: EventSource;
  document: EventSource & { visibilityState: DocumentVisibilityState };
  serviceWorker?: EventSource;
}

/** Connects online/offline, visibility and service-worker messages; returns a disconnect function. */
export function connectBrowserTriggers(engine: SyncEngine, t: BrowserTargets): () => void {
  const online = () => engine.onOnline();
  const offline = () => engine.onOffline();
  const visible = () => {
    if (t.document.visibilityState === 'visible') engine.onForeground();
  };
  const message = (ev: Event) => {
    if (ev instanceof MessageEvent) engine.onServiceWorkerMessage(ev.data);
  };
  t.window.addEventListener('online', online);
  t.window.addEventListener('offline', offline);
  t.document.addEventListener('visibilitychange', visible);
  t.serviceWorker?.addEventListener('message', message);
  return () => {
    t.window.removeEventListener('online', online);
    t.window.removeEventListener('offline', offline);
    t.document.removeEventListener('visibilitychange', visible);
    t.serviceWorker?.removeEventListener('message', message);
  };
}
