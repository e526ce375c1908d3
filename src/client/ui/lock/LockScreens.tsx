// The app lock's screens (issue 10): choose a PIN, unlock with it, and the inactivity lock that
// covers the running app. The PIN field opens the numeric keypad; errors are said at the field,
// in the user's language; the wait after wrong PINs counts down.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useLiveQuery } from 'dexie-react-hooks';
import { choosePin, createVaultWithPin, DEFAULT_LOCK_MINUTES, LOCK_MINUTE_CHOICES, lockAfterMinutes, pinAttempts, unlockWithPin, type UnlockResult } from '../../db/lock.ts';
import { setMeta } from '../../db/meta.ts';
import type { Vault } from '../../db/vault.ts';
import { PIN_MAX_LENGTH } from '../../db/vault.ts';
import { useServices } from '../services.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { takeEarlyLock } from './early-handover.ts';

export interface VaultView {
  state: ReturnType<Vault['state']>;
  hasPin: boolean;
  pinRequired: boolean;
}

/** Re-renders on every change of the vault (lock, unlock, a PIN chosen). */
export function useVaultView(vault: Vault): VaultView {
  const key = useSyncExternalStore(
    (l) => vault.subscribe(l),
    () => `${vault.state()}|${vault.hasPin() ? 1 : 0}|${vault.pinRequired() ? 1 : 0}`,
  );
  const [state, hasPin, pinRequired] = key.split('|');
  return { state: state as VaultView['state'], hasPin: hasPin === '1', pinRequired: pinRequired === '1' };
}

function PinInput(props: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string | undefined; autoFocus?: boolean; autoComplete: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={PIN_MAX_LENGTH}
        autoComplete={props.autoComplete}
        autoFocus={props.autoFocus}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ''))}
      />
      {props.error && (
        <p className="error-text" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

function Frame(props: { title: string; children: ReactNode }) {
  return (
    <main className="page login stack" style={{ maxWidth: 420 }}>
      <div className="row">
        <h1 className="grow">{props.title}</h1>
        <LanguageSwitch />
      </div>
      {props.children}
    </main>
  );
}

/** Choose the PIN: right after a sign-in (first, or after a forgotten PIN), or on an upgraded phone. */
export function SetPinScreen(props: { upgrade?: boolean; reset?: boolean }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<{ field: 'pin' | 'again'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pin !== again) {
      setError({ field: 'again', text: t('lock.differ') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = props.upgrade ? await createVaultWithPin(db, pin) : await choosePin(db, pin);
      if (!r.ok) setError({ field: 'pin', text: t(r.problem === 'weak' ? 'lock.weak' : 'lock.format') });
    } catch (err) {
      setError({ field: 'pin', text: t('common.error', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Frame title={t('lock.setTitle')}>
      <p className="alert alert-info">{t(props.reset ? 'lock.resetHint' : 'lock.setHint')}</p>
      <form className="card" onSubmit={(e) => void submit(e)} data-testid="set-pin">
        <PinInput id="pin-new" label={t('lock.pin')} value={pin} onChange={setPin} error={error?.field === 'pin' ? error.text : undefined} autoFocus autoComplete="new-password" />
        <PinInput id="pin-again" label={t('lock.again')} value={again} onChange={setAgain} error={error?.field === 'again' ? error.text : undefined} autoComplete="new-password" />
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || pin.length === 0}>
          {busy ? t('lock.setting') : t('lock.set')}
        </button>
      </form>
    </Frame>
  );
}

function useNow(active: boolean): [number, () => void] {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const h = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(h);
  }, [active]);
  const read = useCallback(() => setNow(Date.now()), []);
  return [now, read];
}

/** The PIN form: the lock screen at start and the inactivity lock share it. */
export function UnlockForm(props: { onUnlocked?: () => void; onForgot: () => void; onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const { db } = useServices();
  const [pin, setPin] = useState('');
  useLayoutEffect(() => {
    // A cold start painted the PIN field before the app ran (early-lock.ts). In this form's first
    // commit, before it is painted, the early screen goes and what was typed there comes here,
    // read at that very moment: a digit typed while this form rendered is not lost. (The early
    // field is outside React: its value can only be read here, which is why this effect sets state.)
    const early = takeEarlyLock();
    if (!early) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPin(early.pin);
    // The early field (same id) is gone: this is the form's own.
    const el = document.getElementById('pin-unlock');
    // The caret goes after the digits by itself: setting an input's value puts it at the end.
    if (early.focused && el instanceof HTMLInputElement) el.focus();
    performance.mark('pucha:lock-ready'); // read by bench/ui-cold-start.ts
  }, []);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Exclude<UnlockResult, { ok: true }> | null>(null);
  const [notBefore, setNotBefore] = useState(0);
  const [now, readClock] = useNow(notBefore > 0);
  useEffect(() => {
    // A wait earned before a reload still holds.
    void pinAttempts(db).then((a) => {
      readClock();
      setNotBefore(a.notBefore);
    });
  }, [db, readClock]);
  const waiting = notBefore > now;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await unlockWithPin(db, pin);
    setBusy(false);
    setPin('');
    if (r.ok) {
      setResult(null);
      props.onUnlocked?.();
      return;
    }
    if (r.reason === 'signedOut') {
      props.onSignedOut();
      return;
    }
    setResult(r);
    readClock(); // the wait is counted from now, not from the last tick
    if (r.reason === 'wrong' || r.reason === 'wait') setNotBefore(r.notBefore);
  }

  // Formatted only while there is a wait to show: the first toLocaleTimeString builds the
  // locale's date formatter, ~160 ms at 4x CPU throttling on the cold start's critical path.
  const error = waiting
    ? t('lock.wait', { time: new Date(notBefore).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) })
    : result?.reason === 'wrong'
      ? t('lock.wrong', { count: result.left })
      : undefined;
  return (
    <form className="card" onSubmit={(e) => void submit(e)} data-testid="unlock">
      <p>{t('lock.hint')}</p>
      <PinInput id="pin-unlock" label={t('lock.pin')} value={pin} onChange={setPin} error={error} autoFocus autoComplete="current-password" />
      <button className="btn btn-primary btn-block" type="submit" disabled={busy || waiting || pin.length === 0}>
        {busy ? t('lock.checking') : t('lock.unlock')}
      </button>
      <button type="button" className="btn btn-link btn-block" onClick={props.onForgot}>
        {t('lock.forgot')}
      </button>
    </form>
  );
}

/** The store is locked (a restart): the PIN, or the password online. */
export function UnlockScreen(props: { onForgot: () => void; onSignedOut: () => void }) {
  const { t } = useTranslation();
  return (
    <Frame title={`${t('appName')} · ${t('lock.title')}`}>
      <UnlockForm onForgot={props.onForgot} onSignedOut={props.onSignedOut} />
    </Frame>
  );
}

const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

/**
 * The inactivity lock over the running app: after the chosen minutes without a touch or a key,
 * and on every return from the background, the app is covered (and made inert) until the PIN is
 * entered. The data key stays in the page's memory meanwhile, so sync goes on; a reload or a
 * killed tab forgets it and the store itself is locked.
 */
export function useIdleLock(enabled: boolean): { locked: boolean; lockNow: () => void; unlock: () => void } {
  const { db } = useServices();
  const [locked, setLocked] = useState(false);
  const last = useRef(0);
  const limit = useRef(DEFAULT_LOCK_MINUTES * 60_000);
  const minutes = useLiveQuery(() => lockAfterMinutes(db), [db]);
  useEffect(() => {
    if (minutes !== undefined) limit.current = minutes * 60_000;
  }, [minutes]);
  useEffect(() => {
    if (!enabled) return;
    last.current = Date.now();
    const touch = () => (last.current = Date.now());
    for (const ev of ACTIVITY) window.addEventListener(ev, touch, { capture: true, passive: true });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') setLocked(true);
    };
    document.addEventListener('visibilitychange', onVisibility);
    const h = setInterval(() => {
      if (Date.now() - last.current >= limit.current) setLocked(true);
    }, 5_000);
    return () => {
      for (const ev of ACTIVITY) window.removeEventListener(ev, touch, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(h);
    };
  }, [enabled]);
  return {
    locked: enabled && locked,
    lockNow: () => setLocked(true),
    unlock: () => {
      last.current = Date.now();
      setLocked(false);
    },
  };
}

/** The cover over the app while the inactivity lock holds. */
export function LockOverlay(props: { onUnlocked: () => void; onForgot: () => void; onSignedOut: () => void }) {
  const { t } = useTranslation();
  return (
    <div
      className="lock-overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="lock-title"
      data-testid="lock-overlay"
      // Opaque and above every sticky bar: nothing of the app shows through.
      style={{ position: 'fixed', inset: 0, zIndex: 1000, overflow: 'auto', background: 'var(--bg, #fff)' }}
    >
      <main className="page login stack" style={{ maxWidth: 420 }}>
        <h1 id="lock-title">
          {t('appName')} · {t('lock.title')}
        </h1>
        <UnlockForm onUnlocked={props.onUnlocked} onForgot={props.onForgot} onSignedOut={props.onSignedOut} />
      </main>
    </div>
  );
}

/** The user's inactivity setting (sync screen). */
export function LockSetting() {
  const { t } = useTranslation();
  const { db } = useServices();
  const [minutes, setMinutes] = useState<number | null>(null);
  useEffect(() => {
    void lockAfterMinutes(db).then(setMinutes);
  }, [db]);
  if (minutes === null) return null;
  return (
    <div className="field">
      <label htmlFor="lock-after">{t('lock.afterLabel')}</label>
      <select
        id="lock-after"
        value={minutes}
        onChange={(e) => {
          const m = Number(e.target.value);
          setMinutes(m);
          void setMeta(db, 'lockAfterMinutes', m);
        }}
      >
        {LOCK_MINUTE_CHOICES.map((m) => (
          <option key={m} value={m}>
            {t('lock.minutes', { count: m })}
          </option>
        ))}
      </select>
    </div>
  );
}
