// The app shell: sign-in gate, header with the always-visible sync badge, navigation, routes,
// the update banner and the install hint. Everything concrete arrives through AppServices.
import { Suspense, lazy, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../i18n/index.ts';
import { getSession, hasSession } from '../db/meta.ts';
import { LockOverlay, SetPinScreen, UnlockScreen, useIdleLock, useVaultView } from './lock/LockScreens.tsx';
import { takeEarlyLock, writeLockHint } from './lock/early-handover.ts';
import type { Session } from '../db/rows.ts';
import type { Role } from '../../domain/index.ts';
import { useServices } from './services.ts';
import { hrefOf, useRoute, type Route } from './router.ts';
import { LoginScreen, persistMessageKey, type PersistOutcome } from './LoginScreen.tsx';
import { SyncBadge } from './SyncBadge.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { HomeScreen } from './HomeScreen.tsx';
import { DistrictScreen } from './district/DistrictScreen.tsx';
import { HouseholdRoute } from './HouseholdRoute.tsx';
import { QueriesScreen, UnansweredBadge } from './QueriesScreen.tsx';
import { InstallHint } from './InstallHint.tsx';
import { DataLossBanner } from './DataLossBanner.tsx';
import { useUnsavedGuard } from './useUnsavedGuard.ts';
import type { UpdateState } from './UpdateBanner.tsx';
import { UpdateBanner } from './UpdateBanner.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { HEADER_HEIGHT, usePublishedHeight } from './sticky-bars.ts';
import { FieldScreens, PracticeBar, PracticeProvider, usePracticeMode } from './practice/PracticeMode.tsx';

// Supervisors only: kept out of the enumerator's start-up bundle.
// The definitions (text of every item) load when first searched: out of the start-up bundle.
const DefinitionsScreen = lazy(() => import('./definitions/DefinitionsScreen.tsx').then((m) => ({ default: m.DefinitionsScreen })));
// The sync screen (queue lines, export, sign-out) is opened now and then, not at every start.
const SyncScreen = lazy(() => import('./sync/SyncScreen.tsx').then((m) => ({ default: m.SyncScreen })));
const OfficeScreen = lazy(() => import('./office/OfficeScreen.tsx').then((m) => ({ default: m.OfficeScreen })));
const SupervisorScreen = lazy(() => import('./supervisor/SupervisorScreen.tsx').then((m) => ({ default: m.SupervisorScreen })));

export function App(props: { update?: UpdateState; initialSession?: Session | null | undefined }) {
  const { db } = useServices();
  const vault = useVaultView(db.vault);
  // Whether a session is stored can be read while locked (its row is encrypted, its key is not).
  const stored = useLiveQuery(() => hasSession(db), [db]);
  const [forgot, setForgot] = useState(false);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [persist, setPersist] = useState<PersistOutcome | null>(null);
  const { t } = useTranslation();
  const decided = stored !== undefined;
  // The early PIN screen (boot.ts) stays until the app knows what to show: then the unlock form
  // has taken it over (its layout effect runs first), or another screen replaces it.
  useLayoutEffect(() => {
    if (decided) takeEarlyLock();
  }, [decided]);
  // What the next cold start paints before the app runs: the PIN screen when a PIN is set and a session stored.
  const lockExpected = stored === undefined ? undefined : stored && vault.hasPin;
  useEffect(() => {
    if (lockExpected !== undefined) writeLockHint(lockExpected);
  }, [lockExpected]);
  const signedIn = (p: PersistOutcome) => {
    setPersist(p);
    setForgot(false);
    setNotice(undefined);
  };
  let gate: ReactNode = null;
  if (vault.state === 'locked') {
    gate =
      stored === undefined ? null : stored && vault.hasPin && !forgot ? (
        <UnlockScreen onForgot={() => setForgot(true)} onSignedOut={() => setNotice(t('lock.signedOut'))} />
      ) : (
        <LoginScreen onSignedIn={signedIn} notice={notice ?? (stored ? t('lock.signInToOpen') : undefined)} />
      );
    if (stored === undefined) return null;
  } else if (vault.state === 'none' && stored) gate = <SetPinScreen upgrade />;
  else if (vault.pinRequired) gate = <SetPinScreen reset={vault.hasPin} />;
  if (gate)
    return (
      <div className="app">
        {gate}
        {props.update && <UpdateBanner state={props.update} />}
      </div>
    );
  return (
    <Unlocked
      update={props.update}
      initialSession={props.initialSession}
      hasPin={vault.hasPin}
      persist={persist}
      onSignedIn={signedIn}
      onDismissPersist={() => setPersist(null)}
      onForgot={() => {
        // The password instead of the PIN: the key leaves the page; the sign-in brings it back.
        db.vault.forget();
        setForgot(true);
      }}
      onSignedOut={() => setNotice(t('lock.signedOut'))}
    />
  );
}

function Unlocked(props: {
  update: UpdateState | undefined;
  initialSession: Session | null | undefined;
  hasPin: boolean;
  persist: PersistOutcome | null;
  onSignedIn: (p: PersistOutcome) => void;
  onDismissPersist: () => void;
  onForgot: () => void;
  onSignedOut: () => void;
}) {
  const { db } = useServices();
  // undefined while loading, null when signed out; the composition root may know it already.
  const live = useLiveQuery(async () => (await getSession(db)) ?? null, [db]);
  const session = live === undefined ? props.initialSession : live;
  const idle = useIdleLock(props.hasPin && !!session);
  if (session === undefined) return null;
  return (
    <>
      <div className="app" inert={idle.locked} aria-hidden={idle.locked ? true : undefined}>
        {session === null ? <LoginScreen onSignedIn={props.onSignedIn} /> : <Shell session={session} persist={props.persist} onDismissPersist={props.onDismissPersist} onLock={props.hasPin ? idle.lockNow : undefined} />}
        {props.update && <UpdateBanner state={props.update} />}
      </div>
      {idle.locked && <LockOverlay onUnlocked={idle.unlock} onForgot={props.onForgot} onSignedOut={props.onSignedOut} />}
    </>
  );
}

const NAV: { route: Route; key: 'nav.home' | 'nav.queries' | 'nav.sync' | 'nav.supervisor' | 'nav.office' | 'nav.help'; roles: readonly Role[] }[] = [
  { route: { name: 'home' }, key: 'nav.home', roles: ['enumerator', 'admin'] },
  { route: { name: 'queries' }, key: 'nav.queries', roles: ['enumerator', 'admin'] },
  { route: { name: 'supervisor' }, key: 'nav.supervisor', roles: ['supervisor', 'admin'] },
  { route: { name: 'office', path: [] }, key: 'nav.office', roles: ['supervisor', 'office', 'admin'] },
  { route: { name: 'sync' }, key: 'nav.sync', roles: ['enumerator', 'supervisor', 'office', 'admin'] },
  { route: { name: 'help' }, key: 'nav.help', roles: ['enumerator', 'supervisor', 'office', 'admin'] },
];

/** Roles with the field screens (NAV's home), whose work lives on the phone: they get the storage banner. */
const FIELD_ROLES: readonly Role[] = ['enumerator', 'admin'];

function Shell(props: { session: Session; persist: PersistOutcome | null; onDismissPersist: () => void; onLock: (() => void) | undefined }) {
  return (
    <PracticeProvider userId={props.session.user.id}>
      <ShellFrame {...props} />
    </PracticeProvider>
  );
}

function ShellFrame(props: { session: Session; persist: PersistOutcome | null; onDismissPersist: () => void; onLock: (() => void) | undefined }) {
  const { t } = useTranslation();
  const practice = usePracticeMode();
  useUnsavedGuard(t('unsaved.leave'));
  const route = useRoute();
  const role = props.session.user.role;
  const publishHeader = usePublishedHeight<HTMLElement>(HEADER_HEIGHT);
  // Supervisors start on their dashboard, census offices on their desk.
  const effective: Route = route.name === 'home' && role === 'supervisor' ? { name: 'supervisor' } : route.name === 'home' && role === 'office' ? { name: 'office', path: [] } : route;
  return (
    <>
      <header className={`app-header${practice.active ? ' is-practice' : ''}`} ref={publishHeader}>
        <div className="app-header-row">
          <h1>{t('appName')}</h1>
          <SyncBadge />
          <LanguageSwitch />
          {props.onLock && (
            <button type="button" className="btn btn-small" onClick={props.onLock} data-testid="lock-now">
              {t('lock.lockNow')}
            </button>
          )}
        </div>
        <PracticeBar />
      </header>
      <nav className="app-nav" aria-label={t('appName')}>
        {NAV.filter((n) => n.roles.includes(role)).map((n) => (
          <a key={n.key} href={hrefOf(n.route)} aria-current={n.route.name === effective.name || (n.route.name === 'home' && ['district', 'household'].includes(effective.name)) ? 'page' : undefined}>
            {t(n.key)}
            {n.key === 'nav.queries' && <UnansweredBadge />}
          </a>
        ))}
      </nav>
      {props.persist && FIELD_ROLES.includes(role) && (
        <div className={`alert ${props.persist === 'granted' ? 'alert-ok' : 'alert-warning'} row`} role="status" data-testid="persist-result">
          <span className="grow">{t(persistMessageKey(props.persist))}</span>
          <button type="button" className="btn btn-small" onClick={props.onDismissPersist}>
            {t('install.dismiss')}
          </button>
        </div>
      )}
      <DataLossBanner />
      <InstallHint />
      <ErrorBoundary scope="page" resetKey={hrefOf(effective)}>
        <RouteView route={effective} session={props.session} />
      </ErrorBoundary>
    </>
  );
}

function RouteView(props: { route: Route; session: Session }) {
  const r = props.route;
  // The field screens read the practice store in practice mode; sync and supervision never do.
  switch (r.name) {
    case 'home':
      return (
        <FieldScreens>
          <HomeScreen />
        </FieldScreens>
      );
    case 'district':
      return (
        <FieldScreens>
          <DistrictScreen code={r.code} />
        </FieldScreens>
      );
    case 'household':
      return (
        <FieldScreens>
          <HouseholdRoute key={`${r.listingId}:${r.review ?? ''}`} listingId={r.listingId} {...(r.review !== undefined ? { review: r.review } : {})} />
        </FieldScreens>
      );
    case 'queries':
      return (
        <FieldScreens>
          <QueriesScreen />
        </FieldScreens>
      );
    case 'sync':
      return (
        <Suspense fallback={<p className="page">…</p>}>
          <SyncScreen />
        </Suspense>
      );
    case 'help':
      return (
        <Suspense fallback={<p className="page">…</p>}>
          <DefinitionsScreen />
        </Suspense>
      );
    case 'supervisor':
      return (
        <Suspense fallback={null}>
          <SupervisorScreen session={props.session} />
        </Suspense>
      );
    case 'office':
      return (
        <Suspense fallback={<p className="page">…</p>}>
          <OfficeScreen session={props.session} path={r.path} />
        </Suspense>
      );
  }
}
