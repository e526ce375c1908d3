// Review queries and review items (比对复查) for this phone's districts. The screen itself loads
// with the tab (review/ReviewScreen.tsx); the unanswered count in the tab is part of start-up.
import { Suspense, lazy } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../i18n/index.ts';
import { openQueryCount } from '../db/queries.ts';
import { useServices } from './services.ts';

const ReviewScreen = lazy(() => import('./review/ReviewScreen.tsx').then((m) => ({ default: m.ReviewScreen })));

export function QueriesScreen() {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="page">{t('common.loading')}</p>}>
      <ReviewScreen />
    </Suspense>
  );
}

/** The number of unanswered review queries, for the queries tab (nothing when there are none). */
export function UnansweredBadge() {
  const { t } = useTranslation();
  const { db } = useServices();
  const count = useLiveQuery(() => openQueryCount(db), [db]);
  if (!count) return null;
  return (
    <span className="badge badge-warn nav-count" data-testid="unanswered-count">
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{t('review.unanswered', { count })}</span>
    </span>
  );
}
