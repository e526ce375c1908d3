// One row of the district list: tap the row to register, tap the outcome button to mark a visit.
import { memo } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS } from '../../../domain/index.ts';
import type { ListRow } from './filter-listing.ts';
import { formatTime } from '../format.ts';

export const ROW_HEIGHT = 76;

const TONE: Record<string, string> = {
  registered: 'badge-ok',
  selfReported: 'badge-ok',
  pending: 'badge-info',
  notAtHome: 'badge-warn',
  refused: 'badge-err',
  vacant: 'badge-info',
  demolished: 'badge-info',
};

export const HouseholdRow = memo(function HouseholdRow(props: { row: ListRow; onOpen: () => void; onOutcome: () => void }) {
  const { t, i18n } = useTranslation();
  const label = useCodeLabel();
  const { entry, status } = props.row;
  const callback = status === 'notAtHome' && entry.visit.callbackAt ? ` · ${t('district.callback', { when: formatTime(entry.visit.callbackAt, i18n.language) })}` : '';
  return (
    <div className="list-item hh-row" style={{ height: ROW_HEIGHT }} data-testid="hh-row" data-no={entry.householdNo}>
      <button type="button" className="hh-open main" onClick={props.onOpen}>
        <span className="title">
          {entry.householdNo} · {entry.headName}
          {entry.longForm && <span className="badge badge-info">{t('district.longForm')}</span>}
          {entry.selfEnumeration && <span className="badge badge-info">{t('district.selfEnum')}</span>}
          {entry.origin === 'field' && <span className="badge badge-warn">{t('district.origin')}</span>}
        </span>
        <span className="sub">
          {entry.address}
          {callback}
        </span>
      </button>
      <button type="button" className={`btn btn-small hh-outcome badge ${TONE[status] ?? ''}`} onClick={props.onOutcome} aria-label={`${t('district.setOutcome')}: ${entry.householdNo}, ${label(VISIT_STATUS, status)}`}>
        {label(VISIT_STATUS, status)}
      </button>
    </div>
  );
});
