// Home: the enumerator's districts with progress by visit outcome and today's callbacks, and the
// review queries still to answer.
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../i18n/index.ts';
import { openQueryCount } from '../db/queries.ts';
import { useServices } from './services.ts';
import { hrefOf } from './router.ts';
import { countByStatus, doneOf, effectiveStatus } from './progress.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { callbacksDueToday } from './district/callbacks.ts';
import { PracticeEntry } from './practice/PracticeMode.tsx';

export function HomeScreen() {
  const { t } = useTranslation();
  const services = useServices();
  const { db } = services;
  const rows = useLiveQuery(async () => {
    const [districts, listing, regs] = await Promise.all([db.districts.toArray(), db.listing.toArray(), db.registrations.toArray()]);
    const completed = new Set(regs.filter((r) => r.status === 'complete').map((r) => r.listingId));
    const now = services.now();
    return districts
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map((d) => {
        const entries = listing.filter((e) => e.districtCode === d.code);
        const callbacks = callbacksDueToday(
          entries.map((entry) => ({ entry, status: effectiveStatus(entry, completed) })),
          now,
        ).length;
        return { district: d, total: entries.length, counts: countByStatus(entries, completed), callbacks };
      });
  }, [db, services]);
  const unanswered = useLiveQuery(() => openQueryCount(db), [db]);

  if (!rows) return <p className="page">{t('common.loading')}</p>;
  return (
    <main className="page stack">
      <h1>{t('home.title')}</h1>
      {rows.length === 0 && <p className="alert alert-info">{t('home.empty')}</p>}
      {unanswered ? (
        <p className="alert alert-warning">
          <a href={hrefOf({ name: 'queries' })} data-testid="home-unanswered">
            {t('review.homeLink', { count: unanswered })}
          </a>
        </p>
      ) : null}
      <ul className="list stack">
        {rows.map(({ district, total, counts, callbacks }) => {
          const progress = t('home.progress', { done: doneOf(counts), total });
          return (
            <li key={district.code} className="card">
              <a href={hrefOf({ name: 'district', code: district.code })} className="district-link" data-testid="district-link">
                <span className="title">{district.name}</span>
                <span className="muted"> {district.code}</span>
              </a>
              <p>
                {progress}
                {callbacks > 0 && (
                  <span className="badge badge-warn" data-testid="home-callbacks">
                    {t('daily.homeCallbacks', { count: callbacks })}
                  </span>
                )}
              </p>
              <ProgressBar counts={counts} total={total} label={progress} />
            </li>
          );
        })}
      </ul>
      <PracticeEntry />
    </main>
  );
}
