// Always-visible sync state: queued count, last sync, offline / syncing / server busy / error. Tapping opens Sync.
import { useTranslation } from '../i18n/index.ts';
import { hrefOf } from './router.ts';
import { formatTime } from './format.ts';
import { useQueuedCount, useSyncStatus } from './useSyncStatus.ts';

export function SyncBadge() {
  const { t, i18n } = useTranslation();
  const status = useSyncStatus();
  const queued = useQueuedCount() ?? 0;
  const tone =
    status.phase === 'error' || status.phase === 'signedOut' ? 'badge-err' : status.phase === 'offline' || status.phase === 'serverBusy' || queued > 0 ? 'badge-warn' : 'badge-ok';
  // A busy server is not an error: it said when to come back, and the phone will.
  const busy = status.nextAttemptAt !== undefined ? t('syncStatus.serverBusy', { time: formatTime(status.nextAttemptAt, i18n.language) }) : t('syncStatus.serverBusySoon');
  const phase = { syncing: t('sync.syncing'), offline: t('sync.offline'), serverBusy: busy, idle: '', error: t('sync.error'), signedOut: t('sync.error') }[status.phase];
  // Queue empty: show when it last synced, so "synced" never hides a stale morning sync.
  const when = status.lastSuccessAt ? formatTime(status.lastSuccessAt, i18n.language) : '';
  const count = queued > 0 ? t('sync.badgeQueued', { count: queued }) : `${t('sync.badgeSynced')}${when ? ` ${when}` : ''}`;
  const last = status.lastSuccessAt ? t('sync.lastSync', { when: formatTime(status.lastSuccessAt, i18n.language) }) : t('sync.never');
  return (
    <a className={`badge ${tone} sync-badge`} href={hrefOf({ name: 'sync' })} data-testid="sync-badge" data-queued={queued} data-phase={status.phase} title={last}>
      <span>{count}</span>
      {phase && <span>· {phase}</span>}
      <span className="visually-hidden">{last}</span>
    </a>
  );
}
