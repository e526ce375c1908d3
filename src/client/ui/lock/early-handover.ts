// The app's side of the early PIN screen (early-lock.ts, painted by boot.ts before the app runs):
// the unlock form takes the digits typed there and the focus as it removes it (LockScreens.tsx), any
// other first screen just removes it (App.tsx), and the app keeps the hint that decides whether
// the next cold start paints it. The ids and the key are early-lock.ts's (not imported from it:
// see there; tests/client/early-lock.test.ts checks the two together).

const HINT_KEY = 'pucha.lockHint';
const ROOT_ID = 'early-lock';
const PIN_ID = 'pin-unlock';
const PIN_MAX = 12;

/** Remembered for the next start: whether it shows the PIN screen (a PIN is set and a session stored). */
export function writeLockHint(expected: boolean): void {
  try {
    const s = globalThis.localStorage;
    if (!s) return;
    if (expected) s.setItem(HINT_KEY, '1');
    else s.removeItem(HINT_KEY);
  } catch {
    // storage full or denied: no early screen next time, nothing else changes
  }
}

/**
 * Removes the early screen; returns what was typed and whether its field had the focus, or
 * undefined when there was none. The typed digits are cleared from the removed field.
 */
export function takeEarlyLock(doc: Document = document): { pin: string; focused: boolean } | undefined {
  const screen = doc.getElementById(ROOT_ID);
  if (!screen) return undefined;
  const input = screen.querySelector<HTMLInputElement>(`#${PIN_ID}`);
  const out = { pin: input ? input.value.replace(/\D/g, '').slice(0, PIN_MAX) : '', focused: input !== null && doc.activeElement === input };
  if (input) input.value = '';
  screen.remove();
  return out;
}
