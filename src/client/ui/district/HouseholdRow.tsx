// One row of the district list: tap the row to register, tap the outcome button to mark a visit
// (the button is handed on as the sheet's opener: focus comes back to it when the sheet closes).
// An open callback is shown first on the second line, in a short format, so the address is what
// gets cut at 360 px and never the time.
import { memo } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS } from '../../../domain/index.ts';
import type { ListRow, ListStatus } from './filter-listing.ts';
import { openCallback, shortCallbackTime } from './callbacks.ts';

export const ROW_HEIGHT = 76;

const TONE: Record<ListStatus, string> = {
  registered: 'badge-ok',
  selfReported: 'badge-ok',
  pending: 'badge-info',
  draft: 'badge-draft',
  notAtHome: 'badge-warn',
  refused: 'badge-err',
  vacant: 'badge-info',
  demolished: 'badge-info',
};

/** The label of a row's badge: a visit outcome from the domain's code list, or 草稿. */
export function useStatusLabel(): (s: ListStatus) => string {
  const { t } = useTranslation();
  const label = useCodeLabel();
  return (s) => (s === 'draft' ? t('daily.draft') : label(VISIT_STATUS, s));
}

export const HouseholdRow = memo(function HouseholdRow(props: { row: ListRow; now: number; onOpen: () => void; onOutcome: (opener: HTMLElement) => void }) {
  const { t, i18n } = useTranslation();
  const statusLabel = useStatusLabel();
  const { entry, shown, draft } = props.row;
  const callbackAt = openCallback(props.row);
  return (
    <div className="list-item hh-row" style={{ height: ROW_HEIGHT }} data-testid="hh-row" data-no={entry.householdNo} data-status={shown} data-kind={entry.kind} data-form={entry.longForm ? 'long' : 'short'}>
      <button type="button" className="hh-open main" onClick={props.onOpen}>
        <span className="title">
          {entry.householdNo} · {entry.headName}
          {draft && shown !== 'draft' && <span className="badge badge-draft">{t('daily.draft')}</span>}
          {entry.longForm && <span className="badge badge-info">{t('district.longForm')}</span>}
          {entry.selfEnumeration && <span className="badge badge-info">{t('district.selfEnum')}</span>}
          {props.row.toVerify && (
            <span className="badge badge-warn" data-testid="to-verify">
              {t('self.toVerify')}
            </span>
          )}
          {entry.origin === 'field' && <span className="badge badge-warn">{t('district.origin')}</span>}
        </span>
        <span className="sub">
          {callbackAt && (
            <time className="hh-callback" dateTime={callbackAt} data-testid="callback">
              {t('district.callback', { when: shortCallbackTime(callbackAt, i18n.language, props.now, t('daily.today')) })}
            </time>
          )}
          <span className="hh-address">{entry.address}</span>
        </span>
      </button>
      <button type="button" className={`btn btn-small hh-outcome badge ${TONE[shown]}`} onClick={(e) => props.onOutcome(e.currentTarget)} aria-label={`${t('district.setOutcome')}: ${entry.householdNo}, ${statusLabel(shown)}`}>
        {statusLabel(shown)}
      </button>
    </div>
  );
});
