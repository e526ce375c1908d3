// The app lock as the enumerator meets it (issue 10): a restart opens on the PIN screen, a wrong
// PIN is said at the field with the tries left, the right one opens the app; the tenth wrong PIN
// signs out to the password screen with the reason; a PIN is chosen after a sign-in; leaving the
// app for the background or leaving it alone covers it until the PIN is entered again.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getMeta, setMeta } from '../../../src/client/db/index.ts';
import { App } from '../../../src/client/ui/App.tsx';
import { LockSetting } from '../../../src/client/ui/lock/LockScreens.tsx';
import { district } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

import { PIN, lockedPhone } from './locked-phone.ts';

function typePin(id: string, pin: string) {
  fireEvent.change(document.getElementById(id) as HTMLInputElement, { target: { value: pin } });
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('app lock', () => {
  it('a restart asks for the PIN; a wrong one is said at the field with the tries left; the right one opens the app', async () => {
    const { db } = await lockedPhone();
    expect(db.vault.state()).toBe('locked');
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    expect(screen.queryByText(district().name)).toBeNull();
    const input = document.getElementById('pin-unlock') as HTMLInputElement;
    expect(input.inputMode).toBe('numeric');
    expect(input.type).toBe('password');
    typePin('pin-unlock', '111222');
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('PIN 错误，还可尝试 9 次。'), { timeout: 5000 });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    typePin('pin-unlock', PIN);
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByText('首页')).toBeTruthy(), { timeout: 5000 });
    expect(db.vault.state()).toBe('unlocked');
    // the shell's header publishes its height for the scroll padding (sticky-bars.ts)
    expect(document.documentElement.style.getPropertyValue('--app-header-h')).toMatch(/^\d+px$/);
    db.close();
  });

  it('after the fourth wrong PIN in a row the next try waits: the field says until when, the button is off', async () => {
    const { db } = await lockedPhone();
    await setMeta(db, 'pinAttempts', { failures: 3, notBefore: 0 });
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    typePin('pin-unlock', '111222');
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^PIN 错误次数过多，请在 .+ 后再试。$/), { timeout: 5000 });
    typePin('pin-unlock', PIN);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '解锁' }).disabled).toBe(true);
    db.close();
  });

  it('the tenth wrong PIN signs out to the password screen, which says why; the queue stays', async () => {
    const { db } = await lockedPhone();
    await setMeta(db, 'pinAttempts', { failures: 9, notBefore: 0 });
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    typePin('pin-unlock', '111222');
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.getByTestId('login-notice').textContent).toMatch(/PIN 连续错误 10 次，已退出登录/), { timeout: 5000 });
    expect(document.getElementById('login-pass')).toBeTruthy();
    db.close();
  });

  it('"forgot the PIN" leads to the password sign-in, saying it needs a connection', async () => {
    const { db } = await lockedPhone();
    renderWith(<App />, fakeServices(db), { lang: 'en' });
    await waitFor(() => expect(screen.getByTestId('unlock')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Forgot the PIN? Sign in with your password' }));
    await waitFor(() => expect(screen.getByTestId('login-notice').textContent).toBe('Sign in with your password to open the data on this phone (needs a connection).'));
  });

  it('after a sign-in the PIN is chosen first: twice, digits only, not a trivial one; errors at the field', async () => {
    const { db } = await lockedPhone({ pin: false });
    // The password sign-in opened the store with the device key (as claimPhone does).
    expect(await db.vault.unlockWithDeviceKey('A'.repeat(43))).toBe(true);
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByTestId('set-pin')).toBeTruthy());
    typePin('pin-new', '123456');
    typePin('pin-again', '123456');
    fireEvent.submit(screen.getByTestId('set-pin'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/过于简单/));
    expect(document.getElementById('pin-new')?.getAttribute('aria-invalid')).toBe('true');
    typePin('pin-new', PIN);
    typePin('pin-again', '480362');
    fireEvent.submit(screen.getByTestId('set-pin'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('两次输入的 PIN 不一致'));
    expect(document.getElementById('pin-again')?.getAttribute('aria-invalid')).toBe('true');
    typePin('pin-again', PIN);
    fireEvent.submit(screen.getByTestId('set-pin'));
    await waitFor(() => expect(screen.getByText('首页')).toBeTruthy(), { timeout: 5000 });
    expect(db.vault.hasPin()).toBe(true);
    db.close();
  });

  it('going to the background covers the app until the PIN; the covered app is inert', async () => {
    const { db } = await lockedPhone();
    expect(await db.vault.unlockWithPin(PIN)).toBe(true);
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByText('首页')).toBeTruthy());
    expect(screen.queryByTestId('lock-overlay')).toBeNull();
    // the idle lock listens from a passive effect: let React run it before the tab is hidden
    await waitFor(() => expect(screen.getByTestId('lock-now')).toBeTruthy());
    await act(async () => {});
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    hidden.mockRestore();
    await waitFor(() => expect(screen.getByTestId('lock-overlay')).toBeTruthy());
    const app = document.querySelector('.app') as HTMLElement;
    expect(app.hasAttribute('inert')).toBe(true);
    typePin('pin-unlock', PIN);
    fireEvent.submit(screen.getByTestId('unlock'));
    await waitFor(() => expect(screen.queryByTestId('lock-overlay')).toBeNull(), { timeout: 5000 });
    expect(app.hasAttribute('inert')).toBe(false);
    db.close();
  });

  it('locks after the chosen minutes without a touch, not before; a touch restarts the count', async () => {
    const { db } = await lockedPhone();
    expect(await db.vault.unlockWithPin(PIN)).toBe(true);
    await setMeta(db, 'lockAfterMinutes', 2);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    renderWith(<App />, fakeServices(db));
    await waitFor(() => expect(screen.getByText('首页')).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId('lock-now')).toBeTruthy());
    act(() => void vi.advanceTimersByTime(90_000));
    fireEvent.pointerDown(document.body);
    act(() => void vi.advanceTimersByTime(90_000));
    expect(screen.queryByTestId('lock-overlay')).toBeNull(); // 90 s since the touch: not yet
    act(() => void vi.advanceTimersByTime(35_000));
    expect(screen.getByTestId('lock-overlay')).toBeTruthy();
    db.close();
  });
  it('the inactivity setting: 5 minutes unless chosen, and the choice is kept on the phone', async () => {
    const { db } = await lockedPhone();
    renderWith(<LockSetting />, fakeServices(db));
    const select = await screen.findByLabelText<HTMLSelectElement>('无操作多久后自动锁定');
    expect(select.value).toBe('5');
    fireEvent.change(select, { target: { value: '10' } });
    await waitFor(async () => expect(await getMeta(db, 'lockAfterMinutes')).toBe(10));
    db.close();
  });
});
