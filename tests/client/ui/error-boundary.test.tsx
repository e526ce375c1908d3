// The error boundaries (src/client/ui/ErrorBoundary.tsx): a failing screen shows a message in the
// user's language with a reload button instead of a blank page; a chunk that cannot be loaded
// reloads the page once by itself, and a second failure soon after shows the message (no loop).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createI18n, I18nProvider, type Language } from '../../../src/client/i18n/index.ts';
import { CHUNK_RELOAD_GUARD_MS, CHUNK_RELOAD_KEY, ErrorBoundary, isChunkLoadError, reloadOnceForChunkError, type ReloadDeps } from '../../../src/client/ui/ErrorBoundary.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

const chunkError = () => new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/assets/HouseholdPage-Cf1ct41v.js');

function Boom(props: { error?: Error }): never {
  throw props.error ?? new Error('boom');
}

function deps(at = 1_000_000): ReloadDeps & { reloads: number; clock: { now: number } } {
  const clock = { now: at };
  const d = { storage: sessionStorage, now: () => clock.now, reloads: 0, clock, reload: () => void d.reloads++ };
  return d;
}

function renderBoundary(child: React.ReactNode, opts: { lang?: Language; reload?: ReloadDeps; resetKey?: string } = {}) {
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // React reports every caught error
  const i18n = createI18n(opts.lang ?? 'zh-CN');
  const ui = (key: string | undefined, c: React.ReactNode) => (
    <I18nProvider i18n={i18n}>
      <ErrorBoundary scope="page" {...(key !== undefined ? { resetKey: key } : {})} {...(opts.reload ? { reloadDeps: opts.reload } : {})}>
        {c}
      </ErrorBoundary>
    </I18nProvider>
  );
  const r = render(ui(opts.resetKey, child));
  return { ...r, rerenderWith: (key: string, c: React.ReactNode) => r.rerender(ui(key, c)) };
}

describe('ErrorBoundary', () => {
  it('shows a Chinese message and a reload button instead of a blank page', () => {
    const d = deps();
    renderBoundary(<Boom />, { reload: d });
    expect(screen.getByRole('alert').textContent).toContain('此页面出错，无法显示。');
    expect(screen.getByRole('alert').textContent).toContain('草稿不会因此丢失');
    fireEvent.click(screen.getByRole('button', { name: '重新加载' }));
    expect(d.reloads).toBe(1);
  });

  it('speaks English when the user chose it', () => {
    renderBoundary(<Boom />, { lang: 'en', reload: deps() });
    expect(screen.getByRole('alert').textContent).toContain('This page failed and cannot be shown.');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });

  it('reloads once by itself for a chunk that cannot be loaded', () => {
    const d = deps();
    renderBoundary(<Boom error={chunkError()} />, { reload: d });
    expect(d.reloads).toBe(1);
    expect(sessionStorage.getItem(CHUNK_RELOAD_KEY)).toBe(String(d.clock.now));
    expect(screen.getByRole('status').textContent).toBe('正在重新加载…');
    expect(screen.getByTestId('error-boundary').dataset.chunk).toBe('true');
  });

  it('does not loop: a second chunk error soon after the reload shows the message and the button', () => {
    const d = deps();
    sessionStorage.setItem(CHUNK_RELOAD_KEY, String(d.clock.now - CHUNK_RELOAD_GUARD_MS + 1));
    renderBoundary(<Boom error={chunkError()} />, { reload: d });
    expect(d.reloads).toBe(0);
    expect(screen.getByRole('alert').textContent).toContain('应用已更新');
    fireEvent.click(screen.getByRole('button', { name: '重新加载' }));
    expect(d.reloads).toBe(1);
  });

  it('reloads by itself again once the guard time has passed', () => {
    const d = deps();
    expect(reloadOnceForChunkError(d)).toBe(true);
    expect(reloadOnceForChunkError(d)).toBe(false);
    d.clock.now += CHUNK_RELOAD_GUARD_MS;
    expect(reloadOnceForChunkError(d)).toBe(true);
    expect(d.reloads).toBe(2);
    expect(reloadOnceForChunkError({ ...d, storage: undefined })).toBe(false); // no storage, no guard: never by itself
  });

  it('does not reload by itself for other errors', () => {
    const d = deps();
    renderBoundary(<Boom error={new TypeError("Cannot read properties of undefined (reading 'x')")} />, { reload: d });
    expect(d.reloads).toBe(0);
    expect(screen.getByTestId('error-boundary').dataset.chunk).toBe('false');
  });

  it('tries again on another route', () => {
    const r = renderBoundary(<Boom />, { reload: deps(), resetKey: '#/h/1' });
    expect(screen.getByTestId('error-boundary')).toBeTruthy();
    r.rerenderWith('#/sync', <p>sync screen</p>);
    expect(screen.getByText('sync screen')).toBeTruthy();
    expect(screen.queryByTestId('error-boundary')).toBeNull();
  });

  it('recognises the chunk load errors of Chromium, Firefox, Safari and Vite', () => {
    expect(isChunkLoadError(chunkError())).toBe(true);
    expect(isChunkLoadError(new TypeError('error loading dynamically imported module: /assets/x.js'))).toBe(true);
    expect(isChunkLoadError(new TypeError('Importing a module script failed.'))).toBe(true);
    expect(isChunkLoadError(new Error('Unable to preload CSS for /assets/HouseholdPage-CyRgf_EU.css'))).toBe(true);
    expect(isChunkLoadError(Object.assign(new Error('Loading chunk 7 failed.'), { name: 'ChunkLoadError' }))).toBe(true);
    expect(isChunkLoadError(new Error('boom'))).toBe(false);
    expect(isChunkLoadError('Failed to fetch dynamically imported module')).toBe(false);
  });
});
