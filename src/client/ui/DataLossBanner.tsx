// Reliability R11: the server knows more of this phone's saves than the phone has (storage was
// wiped: eviction, Safari's 7-day rule, a cleared browser), or this phone started empty while the
// user's previous device still had saves queued. Say so plainly; never a silent empty list.
import { useTranslation } from '../i18n/index.ts';
import { formatTime } from './format.ts';
import { useServices } from './services.ts';
import { useSyncStatus } from './useSyncStatus.ts';

export function DataLossBanner() {
  const { t, i18n } = useTranslation();
  const { sync } = useServices();
  const loss = useSyncStatus().dataLoss;
  if (!loss) return null;
  return (
    <div className="alert alert-error row" role="alert" data-testid="data-loss">
      <span className="grow">
        {loss.kind === 'sameDevice'
          ? t('dataLoss.text', { serverSeq: loss.serverSeq, localSeq: loss.localSeq })
          : t('dataLoss.otherDevice', {
              // the start of the id is enough for the supervisor to tell the phones apart
              device: loss.deviceId.slice(0, 8),
              lastSeen: loss.lastSeenAt ? formatTime(loss.lastSeenAt, i18n.language) : t('supervisor.never'),
              count: loss.pendingOnDevice,
            })}
      </span>
      <button type="button" className="btn btn-small" onClick={() => void sync.acknowledgeDataLoss()}>
        {t('install.dismiss')}
      </button>
    </div>
  );
}
