// The sign-in screen says why another user may not sign in yet, in the user's language.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/client/db/index.ts';
import { LoginScreen } from '../../../src/client/ui/LoginScreen.tsx';
import { fakeServices, renderWith } from './render.tsx';

async function attempt(lang: 'zh-CN' | 'en') {
  const db = await openDb(`login-ho-${lang}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  let signedIn = false;
  const services = fakeServices(db, { auth: { login: () => Promise.resolve({ ok: false, reason: 'otherUserQueued' }), signOut: () => Promise.resolve() } });
  renderWith(<LoginScreen onSignedIn={() => void (signedIn = true)} />, services, { lang });
  fireEvent.change(document.getElementById('login-user') as HTMLInputElement, { target: { value: 'enum-b' } });
  fireEvent.change(document.getElementById('login-pass') as HTMLInputElement, { target: { value: 'secret-pass' } });
  fireEvent.submit(document.querySelector('form') as HTMLFormElement);
  return { signedIn: () => signedIn };
}

afterEach(cleanup);

describe('sign-in refused on a handed-over phone', () => {
  it('[HO2] shows the Chinese message: sync or export the previous user\'s data first', async () => {
    const r = await attempt('zh-CN');
    await waitFor(() => expect(screen.getByText(/上一位普查员未同步的数据/)).toBeTruthy());
    expect(screen.getByText(/同步或导出/)).toBeTruthy();
    expect(r.signedIn()).toBe(false);
  });
  it('[HO2] and the English one with the switch', async () => {
    await attempt('en');
    await waitFor(() => expect(screen.getByText(/previous enumerator that is not synced/)).toBeTruthy());
  });
});
