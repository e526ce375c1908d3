// Per enumerator: last contact, last push, queued on the phone, rejected, conflicts, practice
// (issue 15: completed practice households and errors left at completion), app version; at-risk rows (no contact for a day, many queued) sorted to the top and marked.
import { useTranslation } from '../../i18n/index.ts';
import { formatTime } from '../format.ts';
import { riskOf, sortByRisk, type EnumeratorStatus } from './supervision-api.ts';

export function EnumeratorTable(props: { enumerators: readonly EnumeratorStatus[]; now: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const rows = sortByRisk(props.enumerators, props.now);
  const when = (iso: string | null | undefined) => (iso ? formatTime(iso, lng, props.now) : t('supervisor.never'));
  return (
    <section className="card" aria-labelledby="sup-enum">
      <h2 id="sup-enum">{t('supervisor.enumerators')}</h2>
      {/* The scroll container is focusable, so it is a region too; its own name keeps the two
          landmarks apart (the section is already "普查员"). */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('supDash.enumTable')}>
        <table className="data cards-narrow">
          <thead>
            <tr>
              <th scope="col">{t('supervisor.enumerators')}</th>
              <th scope="col">{t('supervisor.lastSeen')}</th>
              <th scope="col">{t('supervisor.lastPush')}</th>
              <th scope="col">{t('supervisor.pending')}</th>
              <th scope="col">{t('supervisor.rejected')}</th>
              <th scope="col">{t('supervisor.conflicts')}</th>
              <th scope="col">{t('supervisor.practice')}</th>
              <th scope="col">{t('supervisor.appVersion')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const risks = riskOf(e, props.now);
              return (
                <tr key={e.userId} className={risks.length ? 'at-risk' : ''} data-testid="enumerator-row" data-username={e.username}>
                  <th scope="row">
                    {e.name || e.username}
                    {risks.map((r) => (
                      <span key={r} className="badge badge-err">
                        {t(r === 'stale' ? 'supervisor.riskStale' : 'supervisor.riskQueued')}
                      </span>
                    ))}
                  </th>
                  <td data-label={t('supervisor.lastSeen')}>{when(e.lastSeenAt)}</td>
                  <td data-label={t('supervisor.lastPush')} data-testid="last-push">{when(e.lastPushAt)}</td>
                  <td data-label={t('supervisor.pending')} data-testid="pending">{e.pendingOnDevice ?? '?'}</td>
                  <td data-label={t('supervisor.rejected')}>{e.rejected}</td>
                  <td data-label={t('supervisor.conflicts')}>{e.conflicts}</td>
                  <td data-label={t('supervisor.practice')} data-testid="practice">
                    {e.practice ? (
                      <span
                        title={t('supervisor.practiceDetail', {
                          households: e.practice.households,
                          attempts: e.practice.attempts,
                          resets: e.practice.resets,
                          when: when(e.practice.updatedAt),
                        })}
                      >
                        {t('supervisor.practiceFigures', { completed: e.practice.completed, errors: e.practice.errorsAtAttempts })}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('supervisor.appVersion')} data-testid="app-version" className="app-version">
                    {e.appVersion ?? ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
