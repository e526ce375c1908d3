// Reliability R11, said plainly and only when it is true. The alarm: the server's records say
// something this phone sent or had queued is missing (ST6: a device number neither on the server
// nor queued here; ST9: this phone starts empty while one of the user's devices still had items
// queued at its last push). The calm notice: this phone's local data was reset (a wiped store)
// and the server holds everything it had sent; the assignment came down again. Never a silent
// empty list, and never an alarm for a reset that lost nothing.
import { useTranslation } from '../i18n/index.ts';
import { formatTime } from './format.ts';
import { useServices, type DataLossReport } from './services.ts';
import { useSyncStatus } from './useSyncStatus.ts';

export function DataLossBanner() {
  const { t, i18n } = useTranslation();
  const { sync } = useServices();
  const { dataLoss: loss, notice } = useSyncStatus();
  const dismiss = (
    <button type="button" className="btn btn-small" onClick={() => void sync.acknowledgeDataLoss()}>
      {t('install.dismiss')}
    </button>
  );
  // Reports stored by earlier versions for a store that was reset (the server ahead of the phone) are no alarm.
  const legacyReset = loss?.kind === 'sameDevice' && loss.serverSeq >= loss.localSeq ? loss.serverSeq : undefined;
  if (loss && legacyReset === undefined) {
    return (
      <div className="alert alert-error row" role="alert" data-testid="data-loss">
        <span className="grow">{alarmText(loss)}</span>
        {dismiss}
      </div>
    );
  }
  const calm = legacyReset ?? notice?.serverSeq;
  if (calm === undefined) return null;
  return (
    <div className="alert alert-info row" role="status" data-testid="data-reset">
      <span className="grow">{t('syncStatus.localReset', { count: calm })}</span>
      {dismiss}
    </div>
  );

  function alarmText(l: DataLossReport): string {
    if (l.kind === 'sameDevice') return t('syncStatus.dataLossGap', { serverSeq: l.serverSeq, localSeq: l.localSeq });
    return t('dataLoss.otherDevice', {
      // the start of the id is enough for the supervisor to tell the phones apart
      device: l.deviceId.slice(0, 8),
      lastSeen: l.lastSeenAt ? formatTime(l.lastSeenAt, i18n.language) : t('supervisor.never'),
      count: l.pendingOnDevice,
    });
  }
}
