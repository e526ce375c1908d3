// The unsaved-input guard after a language switch (issue 10): with a half-typed household open in
// the real app, switching the language and then leaving by a link or the back button still asks
// first, and refusing keeps the form with its input.
//
// A browser runs microtasks (where React renders the new route) between two hashchange listeners;
// jsdom calls them all in one go. To test what Chromium does, every hashchange listener here is
// followed by flushing React's pending work, as the browser's microtask checkpoint would.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeSession, type Session } from '../../../src/client/db/index.ts';
import { App } from '../../../src/client/ui/App.tsx';
import { DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { seedAssignment, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

const SESSION: Session = {
  token: 't-enum',
  expiresAt: '2020-12-31T00:00:00.000Z',
  user: { id: 'u-enum-1', username: 'demo-enumerator', name: '王芳', role: 'enumerator', districts: ['130102003003001'] },
};

type Listener = Parameters<typeof window.addEventListener>[1];
const wrapped = new WeakMap<object, EventListener>();

beforeEach(() => {
  const add = window.addEventListener.bind(window);
  const remove = window.removeEventListener.bind(window);
  vi.spyOn(window, 'addEventListener').mockImplementation((type: string, listener: Listener, options?: boolean | AddEventListenerOptions) => {
    if (type !== 'hashchange' || listener === null || typeof listener !== 'function') return add(type, listener, options);
    const w: EventListener = (e) => {
      listener.call(window, e);
      flushSync(() => undefined); // the browser's microtask checkpoint after a listener
    };
    wrapped.set(listener, w);
    add(type, w, options);
  });
  vi.spyOn(window, 'removeEventListener').mockImplementation((type: string, listener: Listener, options?: boolean | EventListenerOptions) => {
    remove(type, (listener && wrapped.get(listener)) ?? listener, options);
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  window.location.hash = '';
});

const hashChanged = () => new Promise<void>((r) => window.addEventListener('hashchange', () => r(), { once: true }));

async function openHousehold() {
  const db = await testDb();
  const [entry] = await seedAssignment(db, 1);
  if (!entry) throw new Error('no listing');
  await storeSession(db, SESSION);
  window.location.hash = `#/h/${entry.id}`;
  await hashChanged();
  const dirty = new DirtyTracker();
  renderWith(<App initialSession={SESSION} />, fakeServices(db), { lang: 'zh-CN', dirty });
  await waitFor(() => expect(document.getElementById('f-household-rooms')).not.toBeNull(), { timeout: 5000 });
  fireEvent.change(document.getElementById('f-household-rooms') as HTMLInputElement, { target: { value: '4' } });
  await waitFor(() => expect(dirty.keys()).toEqual([`household:${entry.id}`]));
  return { entry, dirty };
}

describe('unsaved input and the language switch', () => {
  it('still asks before leaving by a link after switching to English, and keeps the form when refused', async () => {
    const { entry, dirty } = await openHousehold();
    fireEvent.click(screen.getByRole('button', { name: /English/ }));
    await screen.findByRole('button', { name: 'Save' });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    const link = [...document.querySelectorAll<HTMLAnchorElement>('.app-nav a')].find((a) => a.getAttribute('href') === '#/queries');
    if (!link) throw new Error('no queries link');
    fireEvent.click(link);
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/unsaved input/)));
    await waitFor(() => expect(window.location.hash).toBe(`#/h/${entry.id}`));
    expect((document.getElementById('f-household-rooms') as HTMLInputElement | null)?.value).toBe('4');
    expect(dirty.any()).toBe(true);
  });

  it('asks in the new language on the back-button path, switched twice, and lets go when confirmed', async () => {
    const { dirty } = await openHousehold();
    fireEvent.click(screen.getByRole('button', { name: /English/ }));
    await screen.findByRole('button', { name: 'Save' });
    fireEvent.click(screen.getByRole('button', { name: /中文/ }));
    await screen.findByRole('button', { name: '保存' });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    window.location.hash = '#/'; // what the back button does to a hash route
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/未保存/)));
    await waitFor(() => expect(document.getElementById('f-household-rooms')).toBeNull());
    expect(dirty.any()).toBe(false);
  });
});
