// Sign-in and persistent storage: Firefox answers navigator.storage.persist() with a permission
// prompt and leaves the promise pending until the user answers, so the sign-in must not wait for
// it; the message then says the prompt is open.
import { cleanup, fireEvent, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginScreen, persistMessageKey, type PersistOutcome } from '../../../src/client/ui/LoginScreen.tsx';
import { testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

afterEach(cleanup);

async function signInWith(persist: () => Promise<boolean | undefined>): Promise<PersistOutcome> {
  cleanup();
  const db = await testDb();
  let outcome: PersistOutcome | undefined;
  renderWith(<LoginScreen onSignedIn={(p) => void (outcome = p)} persistWaitMs={50} />, fakeServices(db, { storage: { persist, info: () => Promise.resolve({}) } }));
  fireEvent.change(document.getElementById('login-user') as HTMLInputElement, { target: { value: 'enum' } });
  fireEvent.change(document.getElementById('login-pass') as HTMLInputElement, { target: { value: 'secret-pass' } });
  fireEvent.submit(document.querySelector('form') as HTMLFormElement);
  await waitFor(() => expect(outcome).toBeDefined());
  db.close();
  return outcome ?? 'unsupported';
}

describe('persistent storage at sign-in', () => {
  it('a prompt left open does not hold the sign-in: the outcome is "unanswered", with its own message', async () => {
    expect(await signInWith(() => new Promise<boolean>(() => undefined))).toBe('unanswered');
    expect(persistMessageKey('unanswered')).toBe('login.persistUnanswered');
  });
  it('an answer in time is taken as it is', async () => {
    expect(await signInWith(() => Promise.resolve(true))).toBe('granted');
    expect(await signInWith(() => Promise.resolve(false))).toBe('denied');
    expect(await signInWith(() => Promise.resolve(undefined))).toBe('unsupported');
  });
});
