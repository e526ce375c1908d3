// The app shell: sign-in gate, header with the always-visible sync badge, navigation, routes,
// the update banner and the install hint. Everything concrete arrives through AppServices.
import { Suspense, lazy, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../i18n/index.ts';
import { getSession } from '../db/meta.ts';
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
import { SyncScreen } from './sync/SyncScreen.tsx';
import { InstallHint } from './InstallHint.tsx';
import { DataLossBanner } from './DataLossBanner.tsx';
import { useUnsavedGuard } from './useUnsavedGuard.ts';
import type { UpdateState } from './UpdateBanner.tsx';
import { UpdateBanner } from './UpdateBanner.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';

// Supervisors only: kept out of the enumerator's start-up bundle.
const SupervisorScreen = lazy(() => import('./supervisor/SupervisorScreen.tsx').then((m) => ({ default: m.SupervisorScreen })));

export function App(props: { update?: UpdateState; initialSession?: Session | null }) {
  const { db } = useServices();
  // undefined while loading, null when signed out; the composition root may know it already.
  const live = useLiveQuery(async () => (await getSession(db)) ?? null, [db]);
  const session = live === undefined ? props.initialSession : live;
  const [persist, setPersist] = useState<PersistOutcome | null>(null);
  if (session === undefined) return null;
  return (
    <div className="app">
      {session === null ? <LoginScreen onSignedIn={(p) => setPersist(p)} /> : <Shell session={session} persist={persist} onDismissPersist={() => setPersist(null)} />}
      {props.update && <UpdateBanner state={props.update} />}
    </div>
  );
}

const NAV: { route: Route; key: 'nav.home' | 'nav.queries' | 'nav.sync' | 'nav.supervisor'; roles: readonly Role[] }[] = [
  { route: { name: 'home' }, key: 'nav.home', roles: ['enumerator', 'admin'] },
  { route: { name: 'queries' }, key: 'nav.queries', roles: ['enumerator', 'admin'] },
  { route: { name: 'supervisor' }, key: 'nav.supervisor', roles: ['supervisor', 'office', 'admin'] },
  { route: { name: 'sync' }, key: 'nav.sync', roles: ['enumerator', 'supervisor', 'office', 'admin'] },
];

/** Roles with the field screens (NAV's home), whose work lives on the phone: they get the storage banner. */
const FIELD_ROLES: readonly Role[] = ['enumerator', 'admin'];

function Shell(props: { session: Session; persist: PersistOutcome | null; onDismissPersist: () => void }) {
  const { t } = useTranslation();
  useUnsavedGuard(t('unsaved.leave'));
  const route = useRoute();
  const role = props.session.user.role;
  const effective: Route = route.name === 'home' && (role === 'supervisor' || role === 'office') ? { name: 'supervisor' } : route;
  return (
    <>
      <header className="app-header">
        <h1>{t('appName')}</h1>
        <SyncBadge />
        <LanguageSwitch />
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
  switch (r.name) {
    case 'home':
      return <HomeScreen />;
    case 'district':
      return <DistrictScreen code={r.code} />;
    case 'household':
      return <HouseholdRoute listingId={r.listingId} />;
    case 'queries':
      return <QueriesScreen />;
    case 'sync':
      return <SyncScreen />;
    case 'supervisor':
      return (
        <Suspense fallback={null}>
          <SupervisorScreen session={props.session} />
        </Suspense>
      );
  }
}
