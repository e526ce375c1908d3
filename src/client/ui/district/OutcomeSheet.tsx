// Second tap of "outcome in two taps": the row's outcome button opens this sheet, one button
// here records the visit. A callback time for "not at home" is optional and can be set first.
import { useState } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS, type ListingEntry, type VisitStatus } from '../../../domain/index.ts';
import { Sheet } from '../Sheet.tsx';

export const SETTABLE_OUTCOMES: readonly VisitStatus[] = ['notAtHome', 'refused', 'vacant', 'demolished', 'pending'];

export function OutcomeSheet(props: { entry: ListingEntry; onChoose: (status: VisitStatus, callbackAt?: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const [callback, setCallback] = useState('');
  const callbackIso = callback ? new Date(callback).toISOString() : undefined;
  return (
    <Sheet title={`${t('district.setOutcome')} · ${t('district.household', { no: props.entry.householdNo })} ${props.entry.headName}`} onClose={props.onClose}>
      <div className="stack">
        {SETTABLE_OUTCOMES.map((s) => (
          <button key={s} type="button" className={`btn btn-block ${props.entry.visit.status === s ? 'btn-primary' : ''}`} data-outcome={s} onClick={() => props.onChoose(s, s === 'notAtHome' ? callbackIso : undefined)}>
            {label(VISIT_STATUS, s)}
          </button>
        ))}
        <div className="field">
          <label htmlFor="callback-at">{t('district.callbackAt')}</label>
          <input id="callback-at" type="datetime-local" value={callback} onChange={(e) => setCallback(e.target.value)} />
        </div>
      </div>
    </Sheet>
  );
}
