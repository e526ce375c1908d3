// Sign in (online once; the session then works offline). Asks for persistent storage right after
// a successful sign-in and shows what the browser granted (reliability findings 5 and 6).
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { useServices } from './services.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** `unanswered`: the browser asks the user (Firefox) and the prompt is still open. */
export type PersistOutcome = 'granted' | 'denied' | 'unsupported' | 'unanswered';

/** How long the sign-in waits for the browser's answer before it says the prompt is open. */
export const PERSIST_WAIT_MS = 5000;

export function LoginScreen(props: { onSignedIn: (persist: PersistOutcome) => void; notice?: string | undefined; persistWaitMs?: number }) {
  const { t } = useTranslation();
  const { auth, storage } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await auth.login(username.trim(), password);
    if (!result.ok) {
      setBusy(false);
      setError(
        result.reason === 'unauthorized' ? t('login.failed') : result.reason === 'rateLimited' ? t('login.rateLimited') : result.reason === 'network' ? t('login.networkError') : result.reason === 'otherUserQueued' ? t('login.otherUserQueued') : result.reason === 'vaultKey' ? t('lock.vaultKey') : t('common.error', { message: result.message ?? '' }),
      );
      return;
    }
    // Firefox answers with a permission prompt and leaves the promise pending until the user
    // answers: the sign-in goes on and says so instead of waiting for ever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), props.persistWaitMs ?? PERSIST_WAIT_MS)));
    const granted = await Promise.race([storage.persist().catch(() => undefined), unanswered]);
    clearTimeout(timer);
    setBusy(false);
    props.onSignedIn(granted === 'unanswered' ? 'unanswered' : granted === undefined ? 'unsupported' : granted ? 'granted' : 'denied');
  }

  return (
    <main className="page login stack" style={{ maxWidth: 420 }}>
      <div className="row">
        <h1 className="grow">
          {t('appName')} · {t('login.title')}
        </h1>
        <LanguageSwitch />
      </div>
      {props.notice && (
        <p className="alert alert-warning" role="status" data-testid="login-notice">
          {props.notice}
        </p>
      )}
      {!navigator.onLine && <p className="alert alert-info">{t('login.offline')}</p>}
      <form onSubmit={(e) => void submit(e)} className="card">
        <div className="field">
          <label htmlFor="login-user">{t('login.username')}</label>
          <input id="login-user" name="username" autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="login-pass">{t('login.password')}</label>
          <input id="login-pass" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

/** The message shown once after sign-in about persistent storage. */
export function persistMessageKey(p: PersistOutcome): 'login.persisted' | 'login.notPersisted' | 'login.persistUnknown' | 'login.persistUnanswered' {
  return p === 'granted' ? 'login.persisted' : p === 'denied' ? 'login.notPersisted' : p === 'unanswered' ? 'login.persistUnanswered' : 'login.persistUnknown';
}
