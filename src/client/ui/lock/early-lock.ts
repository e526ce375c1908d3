// The lock screen painted before the app (cold start at 4x CPU: the start-up bundle takes about a
// second to parse and run on a slow phone). boot.ts paints it in plain DOM from this small module,
// then loads the app; the user can type the PIN meanwhile. It is only a PIN field: its buttons
// stay disabled, a submit does nothing, and the PIN never leaves the field until the app's own
// unlock form (LockScreens.tsx) takes the typed digits over and checks them itself (failed-PIN
// waits, the sign-out after 10 failures). Whatever else the app shows at start (the sign-in, the
// PIN choice, an unlocked store) removes it (App.tsx).
//
// Whether to paint it is a hint the app keeps in localStorage (a PIN is set and a session is
// stored, App.tsx): a stale hint only shows this screen until the app replaces it.
//
// No imports, and imported by boot.ts only: a module the app's start-up chunk also imports would
// be drawn into that chunk (vite.config.ts, the `startup` group) and the boot entry with it. The
// app's side (reading the typed PIN, removing the screen, the hint) is early-handover.ts; the
// ids and the key below are the same there (tests/client/early-lock.test.ts checks both together).

const HINT_KEY = 'pucha.lockHint';
const ROOT_ID = 'early-lock';
const PIN_ID = 'pin-unlock';
/** As in vault.ts (PIN_MAX_LENGTH), not imported: vault.ts pulls zod in. */
const PIN_MAX = 12;

/** The unlock screen's strings (app.zh.ts / app.en.ts; tests/client checks they agree). */
export const EARLY_STRINGS = {
  'zh-CN': { title: '普查 · 已锁定', hint: '请输入 PIN 解锁。', pin: 'PIN', unlock: '解锁', forgot: '忘记 PIN？用账号密码登录', switchTo: 'English', switchLabel: '语言: English', switchLang: 'en' },
  en: { title: 'Pucha · Locked', hint: 'Enter your PIN to unlock.', pin: 'PIN', unlock: 'Unlock', forgot: 'Forgot the PIN? Sign in with your password', switchTo: '中文', switchLabel: 'Language: 中文', switchLang: 'zh-CN' },
} as const;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<Record<string, string>>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/**
 * Paints the PIN screen when the hint says the app will ask for the PIN; true when it did. The
 * markup is the app's UnlockScreen (same classes, same field id), with the buttons disabled.
 */
export function paintEarlyLock(doc: Document = document): boolean {
  let lang: keyof typeof EARLY_STRINGS = 'zh-CN';
  try {
    const s = globalThis.localStorage;
    if (s?.getItem(HINT_KEY) !== '1') return false;
    if (s.getItem('pucha.lang') === 'en') lang = 'en';
  } catch {
    return false; // storage denied: no hint
  }
  const root = doc.getElementById('root');
  if (!root || doc.getElementById(ROOT_ID)) return false;
  const t = EARLY_STRINGS[lang];
  doc.documentElement.lang = lang;
  const input = el(doc, 'input', { id: PIN_ID, type: 'password', inputmode: 'numeric', pattern: '[0-9]*', maxlength: String(PIN_MAX), autocomplete: 'current-password' });
  // Digits only, as the app's field (LockScreens.tsx) keeps them.
  input.addEventListener('input', () => {
    const digits = input.value.replace(/\D/g, '');
    if (digits !== input.value) input.value = digits;
  });
  const unlock = el(doc, 'button', { class: 'btn btn-primary btn-block', type: 'submit', disabled: '' }, t.unlock);
  const forgot = el(doc, 'button', { class: 'btn btn-link btn-block', type: 'button', disabled: '' }, t.forgot);
  const form = el(doc, 'form', { class: 'card', 'data-testid': 'early-unlock' }, el(doc, 'p', {}, t.hint), el(doc, 'div', { class: 'field' }, el(doc, 'label', { for: PIN_ID }, t.pin), input), unlock, forgot);
  // Nothing is submitted from here (the submit button is disabled; Enter must not navigate either).
  form.addEventListener('submit', (e) => e.preventDefault());
  const langSwitch = el(doc, 'button', { class: 'btn btn-small', type: 'button', lang: t.switchLang, 'aria-label': t.switchLabel, disabled: '' }, t.switchTo);
  const main = el(doc, 'main', { class: 'page login stack' }, el(doc, 'div', { class: 'row' }, el(doc, 'h1', { class: 'grow' }, t.title), langSwitch), form);
  main.style.maxWidth = '420px'; // CSSOM: the CSP has no inline styles
  const screen = el(doc, 'div', { id: ROOT_ID, class: 'app', 'aria-busy': 'true' }, main);
  root.before(screen);
  input.focus();
  return true;
}
