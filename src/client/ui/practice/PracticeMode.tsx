// Practice mode in the shell (issue 15): entering swaps the store the field screens read and write
// for the practice store (practice.ts, loaded lazily), marks every screen with the practice bar in
// the header, and leaves the real store, the sync engine and the export alone. The mode is kept
// per tab (sessionStorage): a reload stays in practice, a new start opens the real districts.
import { Suspense, createContext, lazy, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { PracticeSession } from '../../practice/practice.ts';
import { ServicesContext, useServices, type AppServices } from '../services.ts';
import { navigate } from '../router.ts';

export const PRACTICE_MODE_KEY = 'pucha.practice';

export interface PracticeMode {
  /** Practice is on (its store may still be opening). */
  active: boolean;
  /** The practice store failed to open. */
  failed: boolean;
  enter: () => void;
  leave: () => void;
  reset: () => Promise<void>;
}

const PracticeContext = createContext<PracticeMode>({ active: false, failed: false, enter: () => {}, leave: () => {}, reset: async () => {} });

export const usePracticeMode = (): PracticeMode => useContext(PracticeContext);

function readMode(): boolean {
  try {
    return window.sessionStorage.getItem(PRACTICE_MODE_KEY) === '1';
  } catch {
    return false;
  }
}

function writeMode(on: boolean): void {
  try {
    if (on) window.sessionStorage.setItem(PRACTICE_MODE_KEY, '1');
    else window.sessionStorage.removeItem(PRACTICE_MODE_KEY);
  } catch {
    // Private mode without storage: the mode lasts until a reload.
  }
}

/** Holds the mode and the open practice store; `children` render with the mode in context. */
export function PracticeProvider(props: { userId: string; children: ReactNode }) {
  const services = useServices();
  const [active, setActive] = useState(readMode);
  const [session, setSession] = useState<PracticeSession | undefined>(undefined);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!active) return undefined;
    let cancelled = false;
    let opened: PracticeSession | undefined;
    import('../../practice/practice.ts')
      .then((m) => m.openPractice(services.db, props.userId))
      .then((s) => {
        opened = s;
        if (cancelled) s.close();
        else setSession(s);
      })
      .catch((e: unknown) => {
        console.warn('practice store not opened', e);
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      opened?.close();
      setSession(undefined);
    };
  }, [active, services.db, props.userId]);

  const enter = useCallback(() => {
    setFailed(false);
    writeMode(true);
    setActive(true);
    navigate({ name: 'home' });
  }, []);
  const leave = useCallback(() => {
    writeMode(false);
    setActive(false);
    navigate({ name: 'home' });
  }, []);
  const reset = useCallback(async () => {
    if (!session) return;
    setSession(undefined);
    const next = await session.reset();
    setSession(next);
    navigate({ name: 'home' });
  }, [session]);

  const mode = useMemo<PracticeMode>(() => ({ active, failed, enter, leave, reset }), [active, failed, enter, leave, reset]);
  const practiceServices = useMemo<AppServices | undefined>(
    () => (session ? { ...services, db: session.db, practice: { recordAttempt: session.recordAttempt } } : undefined),
    [services, session],
  );
  return (
    <PracticeContext.Provider value={mode}>
      <PracticeServices.Provider value={practiceServices}>{props.children}</PracticeServices.Provider>
    </PracticeContext.Provider>
  );
}

const PracticeServices = createContext<AppServices | undefined>(undefined);

/**
 * The field screens: inside practice mode they get the practice store, and wait for it (never the
 * real store meanwhile, or a practice tap could write a real household).
 */
export function FieldScreens(props: { children: ReactNode }) {
  const { active, failed } = usePracticeMode();
  const practice = useContext(PracticeServices);
  const { t } = useTranslation();
  if (!active) return <>{props.children}</>;
  if (failed) return <p className="page alert alert-error">{t('practice.failed')}</p>;
  if (!practice) return <p className="page">{t('common.loading')}</p>;
  return <ServicesContext.Provider value={practice}>{props.children}</ServicesContext.Provider>;
}

const Views = () => import('./PracticeViews.tsx');
const LazyBar = lazy(() => Views().then((m) => ({ default: m.PracticeBar })));
const LazyEntry = lazy(() => Views().then((m) => ({ default: m.PracticeEntry })));

/** The practice bar (in the header), loaded when practice is on. */
export function PracticeBar() {
  const { active } = usePracticeMode();
  if (!active) return null;
  return (
    <Suspense fallback={<div className="practice-bar" data-testid="practice-bar-loading" />}>
      <LazyBar />
    </Suspense>
  );
}

/** The way into practice on the real home screen, loaded after start-up. */
export function PracticeEntry() {
  const { active } = usePracticeMode();
  if (active) return null;
  return (
    <Suspense fallback={null}>
      <LazyEntry />
    </Suspense>
  );
}
