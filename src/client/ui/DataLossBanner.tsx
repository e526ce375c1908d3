// Reliability R11: the server knows more of this phone's saves than the phone has (storage was
// wiped: eviction, Safari's 7-day rule, a cleared browser). Say so plainly; never a silent empty list.
import { useTranslation } from '../i18n/index.ts';
import { useServices } from './services.ts';
import { useSyncStatus } from './useSyncStatus.ts';

export function DataLossBanner() {
  const { t } = useTranslation();
  const { sync } = useServices();
  const loss = useSyncStatus().dataLoss;
  if (!loss) return null;
  return (
    <div className="alert alert-error row" role="alert" data-testid="data-loss">
      <span className="grow">{t('dataLoss.text', { serverSeq: loss.serverSeq, localSeq: loss.localSeq })}</span>
      <button type="button" className="btn btn-small" onClick={() => void sync.acknowledgeDataLoss()}>
        {t('install.dismiss')}
      </button>
    </div>
  );
}
