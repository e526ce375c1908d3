// Renders a screen with the app's providers and fake ports (fake-indexeddb db, scripted sync).
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { createI18n, I18nProvider, type Language } from '../../../src/client/i18n/index.ts';
import { ServicesContext, type AppServices, type SyncStatus } from '../../../src/client/ui/services.ts';
import { DirtyContext, DirtyTracker } from '../../../src/client/ui/dirty.ts';
import type { PuchaDb } from '../../../src/client/db/index.ts';

export class FakeSync {
  status: SyncStatus = { phase: 'idle' };
  calls = 0;
  private listeners = new Set<() => void>();
  getStatus = (): SyncStatus => this.status;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };
  syncNow = async (): Promise<void> => {
    this.calls++;
    await Promise.resolve();
  };
  acknowledged = 0;
  acknowledgeDataLoss = (): Promise<void> => {
    this.acknowledged++;
    this.set({ phase: this.status.phase });
    return Promise.resolve();
  };
  set(s: SyncStatus): void {
    this.status = s;
    for (const l of this.listeners) l();
  }
}

export function fakeServices(db: PuchaDb, over: Partial<AppServices> = {}): AppServices & { sync: FakeSync; saved: string[]; exportPassphrases: string[]; counters: { signedOut: number } } {
  const saved: string[] = [];
  const exportPassphrases: string[] = [];
  const box = { signedOut: 0 };
  const sync = new FakeSync();
  const s: AppServices = {
    db,
    sync,
    auth: { login: () => Promise.resolve({ ok: true }), signOut: () => Promise.resolve(void box.signedOut++) },
    storage: { persist: () => Promise.resolve(true), info: () => Promise.resolve({ usage: 1024, quota: 1024 ** 3, persisted: true }) },
    exporter: { exportUnsynced: async (passphrase) => (exportPassphrases.push(passphrase), { filename: 'x.json', blob: new Blob(['{}']), count: await db.outbox.count() }) },
    api: () => ({ get: () => Promise.resolve({ ok: false, status: 0, message: 'offline' }), getBlob: () => Promise.resolve({ ok: false, status: 0, message: 'offline' }), send: () => Promise.resolve({ ok: false, status: 0, message: 'offline' }) }),
    saveFile: (f) => void saved.push(f.filename),
    now: () => Date.parse('2020-11-05T08:00:00Z'),
    appVersion: 'test',
    ...over,
  };
  return Object.assign(s, { sync, saved, exportPassphrases, counters: box });
}

export function renderWith(ui: ReactElement, services: AppServices, opts: { lang?: Language; dirty?: DirtyTracker } = {}) {
  const i18n = createI18n(opts.lang ?? 'zh-CN');
  return render(
    <I18nProvider i18n={i18n}>
      <ServicesContext.Provider value={services}>
        <DirtyContext.Provider value={opts.dirty ?? new DirtyTracker()}>{ui}</DirtyContext.Provider>
      </ServicesContext.Provider>
    </I18nProvider>,
  );
}
