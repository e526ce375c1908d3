// The sign-in screen says why another user may not sign in yet, in the user's language; wired to
// the real sync engine (fake server), the refusal happens on the phone and nothing changes.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { getSession, openDb, outboxStats, saveRegistration, type Session } from '../../../src/client/db/index.ts';
import { App } from '../../../src/client/ui/App.tsx';
import { LoginScreen } from '../../../src/client/ui/LoginScreen.tsx';
import { authPort } from '../../../src/client/ui/platform.ts';
import { draftFor, TEST_KEY } from '../fixtures.ts';
import { rig } from '../sync-helpers.ts';
import { fakeServices, renderWith } from './render.tsx';

function submit(username: string, password: string): void {
  fireEvent.change(document.getElementById('login-user') as HTMLInputElement, { target: { value: username } });
  fireEvent.change(document.getElementById('login-pass') as HTMLInputElement, { target: { value: password } });
  fireEvent.submit(document.querySelector('form') as HTMLFormElement);
}

async function attempt(lang: 'zh-CN' | 'en') {
  const db = await openDb(`login-ho-${lang}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });
  let signedIn = false;
  const services = fakeServices(db, { auth: { login: () => Promise.resolve({ ok: false, reason: 'otherUserQueued' }), signOut: () => Promise.resolve() } });
  renderWith(<LoginScreen onSignedIn={() => void (signedIn = true)} />, services, { lang });
  submit('enum-b', 'secret-pass');
  return { signedIn: () => signedIn };
}

afterEach(cleanup);

describe('sign-in refused on a handed-over phone', () => {
  it('[HO1] shows the Chinese message: sync or export the previous user\'s data first', async () => {
    const r = await attempt('zh-CN');
    await waitFor(() => expect(screen.getByText(/上一位普查员未同步的数据/)).toBeTruthy());
    expect(screen.getByText(/同步或导出/)).toBeTruthy();
    expect(r.signedIn()).toBe(false);
  });

  it('[HO1] and the English one with the switch', async () => {
    await attempt('en');
    await waitFor(() => expect(screen.getByText(/previous enumerator that is not synced/)).toBeTruthy());
  });

  it('[HO1] through the real engine: enumerator A has a queue, B is refused with the Chinese message, no credentials sent, A stays', async () => {
    const { db, server, engine, entries } = await rig();
    server.users.set('demo-enumerator-2', { password: 'pucha-b', user: { id: 'u-enum-2', username: 'demo-enumerator-2', name: '李四', role: 'enumerator', districts: ['130102003003002'] } });
    const entry = entries[0];
    if (!entry) throw new Error('no household');
    server.offline = true;
    expect((await saveRegistration(db, draftFor(entry, 2, 'ui'))).ok).toBe(true);
    server.offline = false;
    const sent = server.requests.length;
    let signedIn = false;
    const services = fakeServices(db, { auth: authPort(engine, () => Promise.resolve()) });
    renderWith(<LoginScreen onSignedIn={() => void (signedIn = true)} />, services, { lang: 'zh-CN' });

    submit('demo-enumerator-2', 'pucha-b');

    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/上一位普查员未同步的数据.*同步或导出/));
    expect(signedIn).toBe(false);
    expect(server.requests.length).toBe(sent);
    expect((await getSession(db))?.user.id).toBe('u-enum-1');
    expect((await outboxStats(db)).count).toBe(1);
    engine.stop();
  });
});

describe('office users', () => {
  it('[HO6] get the office desk as their home, not the field screens', async () => {
    const db = await openDb('office-nav', { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY });
    const session: Session = {
      token: 't-office',
      expiresAt: '2020-12-31T00:00:00.000Z',
      user: { id: 'u-office-1', username: 'office-1301', name: '区普查办', role: 'office', scope: '1301', districts: [] },
    };
    renderWith(<App initialSession={session} />, fakeServices(db), { lang: 'en' });
    const nav = await screen.findByRole('navigation');
    const links = [...nav.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['#/office', '#/sync', '#/help']);
    // Home is the office's desk for them (the supervisor's dashboard is for a handful of districts).
    expect(nav.querySelector('a[aria-current="page"]')?.getAttribute('href')).toBe('#/office');
  });
});
