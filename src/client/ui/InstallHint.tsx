// Install prompt: Android/Chromium fires beforeinstallprompt (we keep it and offer a button);
// iOS Safari has no prompt, so it gets a one-line "Add to Home Screen" hint (iOS keeps the data
// of installed apps; see reliability finding 5). Hidden when already running standalone.
import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/index.ts';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
}

const DISMISS_KEY = 'pucha.installHintDismissed';

function standalone(): boolean {
  const nav = navigator as Navigator & { standalone?: boolean };
  return nav.standalone === true || (typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches);
}

function isIos(): boolean {
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

export function InstallHint() {
  const { t } = useTranslation();
  const [prompt, setPrompt] = useState<BeforeInstallPromptEvent | null>(null);
  const [dismissed, setDismissed] = useState(() => {
    try {
      return localStorage.getItem(DISMISS_KEY) === '1';
    } catch {
      return false;
    }
  });
  useEffect(() => {
    const onPrompt = (e: Event) => {
      e.preventDefault();
      setPrompt(e as BeforeInstallPromptEvent);
    };
    window.addEventListener('beforeinstallprompt', onPrompt);
    return () => window.removeEventListener('beforeinstallprompt', onPrompt);
  }, []);
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(DISMISS_KEY, '1');
    } catch {
      // private mode: hide for this session only
    }
  };
  if (dismissed || standalone()) return null;
  if (prompt)
    return (
      <div className="alert alert-info row">
        <button type="button" className="btn btn-primary" onClick={() => void prompt.prompt().then(() => setPrompt(null))}>
          {t('install.android')}
        </button>
        <button type="button" className="btn btn-small" onClick={dismiss}>
          {t('install.dismiss')}
        </button>
      </div>
    );
  if (isIos())
    return (
      <div className="alert alert-info row">
        <span className="grow">{t('install.iosHint')}</span>
        <button type="button" className="btn btn-small" onClick={dismiss}>
          {t('install.dismiss')}
        </button>
      </div>
    );
  return null;
}
