// The early PIN screen (src/client/ui/lock/early-lock.ts, painted by boot.ts before the app runs)
// and the app's side of it (early-handover.ts, LockScreens.tsx, App.tsx): painted only when the
// app left the hint; its words are the app's; the app's unlock form starts with the digits typed
// into it and checks them as any other PIN; any other first screen removes it; the hint follows
// whether a PIN is set and a session stored. The browser side is tests/e2e/early-lock.test.ts.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import appEn from '../../../src/client/i18n/app.en.ts';
import appZh from '../../../src/client/i18n/app.zh.ts';
import { App } from '../../../src/client/ui/App.tsx';
import { EARLY_STRINGS, paintEarlyLock } from '../../../src/client/ui/lock/early-lock.ts';
import { UnlockForm } from '../../../src/client/ui/lock/LockScreens.tsx';
import { takeEarlyLock, writeLockHint } from '../../../src/client/ui/lock/early-handover.ts';
import { setMeta } from '../../../src/client/db/index.ts';
import { PIN, lockedPhone } from './locked-phone.ts';
import { fakeServices, renderWith } from './render.tsx';

const HINT = 'pucha.lockHint';
const phone = async (opts: { pin?: boolean; session?: boolean } = {}) => (await lockedPhone(opts)).db;

/** index.html's #root, as boot.ts finds it. */
function pageRoot(): void {
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);
}

/** Typing into the early field: the browser sets the value and fires `input`. */
function typeEarly(value: string): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('[data-testid="early-unlock"] #pin-unlock')!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return input;
}

beforeEach(() => {
  localStorage.clear();
  pageRoot();
});
afterEach(() => {
  cleanup();
  takeEarlyLock();
  document.getElementById('root')?.remove();
  localStorage.clear();
});

describe('the early PIN screen', () => {
  it('says what the app says on its unlock screen, in both languages', () => {
    for (const [lang, s] of [['zh-CN', appZh], ['en', appEn]] as const) {
      const t = EARLY_STRINGS[lang];
      const other = lang === 'zh-CN' ? appEn : appZh;
      expect(t).toEqual({
        title: `${s.appName} · ${s.lock.title}`,
        hint: s.lock.hint,
        pin: s.lock.pin,
        unlock: s.lock.unlock,
        forgot: s.lock.forgot,
        switchTo: s.language.switchTo,
        switchLabel: `${s.language.label}: ${s.language.switchTo}`,
        switchLang: lang === 'zh-CN' ? 'en' : 'zh-CN',
      });
      expect(other.language.switchTo).not.toBe(t.switchTo);
    }
  });

  it('is painted only when the app left the hint; focused, digits only, its buttons off, a submit does nothing', () => {
    expect(paintEarlyLock()).toBe(false);
    expect(document.getElementById('early-lock')).toBeNull();
    writeLockHint(true);
    localStorage.setItem('pucha.lang', 'en');
    expect(paintEarlyLock()).toBe(true);
    expect(paintEarlyLock()).toBe(false); // once
    expect(screen.getByRole('heading').textContent).toBe('Pucha · Locked');
    const input = document.getElementById('pin-unlock') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect([input.type, input.inputMode, input.maxLength, input.autocomplete]).toEqual(['password', 'numeric', 12, 'current-password']);
    typeEarly('48a03');
    expect(input.value).toBe('4803');
    for (const b of screen.getAllByRole('button')) expect((b as HTMLButtonElement).disabled).toBe(true);
    const submitted = new Event('submit', { bubbles: true, cancelable: true });
    screen.getByTestId('early-unlock').dispatchEvent(submitted);
    expect(submitted.defaultPrevented).toBe(true);
    // Painted before the app's root, which React renders into.
    expect(document.getElementById('early-lock')?.nextElementSibling?.id).toBe('root');
    expect(takeEarlyLock()).toEqual({ pin: '4803', focused: true });
    expect(input.value).toBe('');
    expect(document.getElementById('early-lock')).toBeNull();
    expect(takeEarlyLock()).toBeUndefined();
  });

  it("the app's unlock form takes over the typed digits and the focus; a wrong early PIN is refused and counted, the right one opens", async () => {
    const db = await phone();
    writeLockHint(true);
    expect(paintEarlyLock()).toBe(true);
    typeEarly('111222');
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    expect(document.getElementById('early-lock')).toBeNull();
    const input = document.getElementById('pin-unlock') as HTMLInputElement;
    expect(input.closest('[data-testid="unlock"]')).not.toBeNull();
    expect(input.value).toBe('111222');
    expect(document.activeElement).toBe(input);
    expect(input.selectionStart).toBe(6);
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('PIN 错误，还可尝试 9 次。'), { timeout: 5000 });
    expect(db.vault.state()).toBe('locked');
    fireEvent.change(input, { target: { value: PIN } });
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByText('首页')).toBeTruthy(), { timeout: 5000 });
    expect(localStorage.getItem(HINT)).toBe('1');
    db.close();
  });

  it('a digit typed between the form\'s render and its commit is kept', async () => {
    const db = await phone();
    writeLockHint(true);
    expect(paintEarlyLock()).toBe(true);
    typeEarly('48');
    // Rendered after the form in the same pass: the user types on while React has read the
    // early field but not yet committed (the gap a suspending lazy part or a yield leaves).
    function TypesOn() {
      const input = document.querySelector<HTMLInputElement>('[data-testid="early-unlock"] #pin-unlock');
      if (input && input.value === '48') input.value = '4803';
      return null;
    }
    renderWith(
      <>
        <UnlockForm onForgot={() => {}} onSignedOut={() => {}} />
        <TypesOn />
      </>,
      fakeServices(db),
    );
    await waitFor(() => expect(document.getElementById('early-lock')).toBeNull());
    const input = document.getElementById('pin-unlock') as HTMLInputElement;
    expect(input.closest('[data-testid="unlock"]')).not.toBeNull();
    expect(input.value).toBe('4803');
    db.close();
  });

  it('another first screen removes it and the hint follows: signed out, or no PIN yet', async () => {
    const signedOut = await phone({ session: false });
    writeLockHint(true);
    expect(paintEarlyLock()).toBe(true);
    typeEarly('1234');
    renderWith(<App />, fakeServices(signedOut));
    await waitFor(() => expect(document.getElementById('login-pass')).toBeTruthy());
    expect(document.getElementById('early-lock')).toBeNull();
    await waitFor(() => expect(localStorage.getItem(HINT)).toBeNull());
    signedOut.close();
    cleanup();

    const noPin = await phone({ pin: false });
    writeLockHint(true);
    expect(paintEarlyLock()).toBe(true);
    renderWith(<App />, fakeServices(noPin));
    await waitFor(() => expect(document.getElementById('early-lock')).toBeNull());
    await waitFor(() => expect(localStorage.getItem(HINT)).toBeNull());
    noPin.close();
  });

  it('the tenth wrong PIN in a row signs out, and the next start paints no early screen', async () => {
    const db = await phone();
    await setMeta(db, 'pinAttempts', { failures: 9, notBefore: 0 });
    writeLockHint(true);
    expect(paintEarlyLock()).toBe(true);
    typeEarly('111222');
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByTestId('login-notice').textContent).toMatch(/PIN 连续错误 10 次，已退出登录/), { timeout: 5000 });
    await waitFor(() => expect(localStorage.getItem(HINT)).toBeNull());
    cleanup();
    expect(paintEarlyLock()).toBe(false);
    db.close();
  });
});
