// Second tap of "outcome in two taps": the row's outcome button opens this sheet, one button here
// records the visit. The callback time (约定回访时间) comes first, so it is entered before the
// outcome and saved with it; 无人在家 with no time asks for one once more (with a skip) instead of
// closing without a callback, because "not at home" is exactly when one is agreed.
// A callback time typed but not yet saved with an outcome is unsaved input (dirty.ts): the update
// prompt does not reload over it. Choosing an outcome (saved with it) or closing the sheet (the
// enumerator's own discard) ends the report: the sheet unmounts.
import { useState } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS, type ListingEntry, type VisitStatus } from '../../../domain/index.ts';
import { Sheet } from '../Sheet.tsx';
import { useUnsavedInput } from '../dirty.ts';
import { CALLBACK_OUTCOMES, fromLocalInput, toLocalInput } from './callbacks.ts';

export const SETTABLE_OUTCOMES: readonly VisitStatus[] = ['notAtHome', 'refused', 'vacant', 'demolished', 'pending'];

/** `onSelfCode`: offered for a short-form household not yet registered (self-enumeration, issue 13). */
export function OutcomeSheet(props: { entry: ListingEntry; onChoose: (status: VisitStatus, callbackAt?: string) => void; onClose: () => void; opener?: HTMLElement | null | undefined; onSelfCode?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const [stored] = useState(() => toLocalInput(props.entry.visit.callbackAt));
  const [callback, setCallback] = useState(stored);
  useUnsavedInput(`outcome:${props.entry.id}`, callback !== stored);
  const [askCallback, setAskCallback] = useState(false);
  const callbackIso = fromLocalInput(callback);
  const title = `${t('district.setOutcome')} · ${t('district.household', { no: props.entry.householdNo })} ${props.entry.headName}`;

  function choose(s: VisitStatus) {
    if (s === 'notAtHome' && !callbackIso) return setAskCallback(true);
    props.onChoose(s, CALLBACK_OUTCOMES.includes(s) ? callbackIso : undefined);
  }

  const field = (
    <div className="field">
      <label htmlFor="callback-at">{t('district.callbackAt')}</label>
      <input id="callback-at" type="datetime-local" value={callback} onChange={(e) => setCallback(e.target.value)} aria-describedby="callback-hint" autoFocus={askCallback} />
      <span id="callback-hint" className="hint">
        {askCallback ? t('daily.askCallback') : t('daily.callbackHint')}
      </span>
    </div>
  );

  if (askCallback)
    return (
      <Sheet title={`${label(VISIT_STATUS, 'notAtHome')} · ${t('district.household', { no: props.entry.householdNo })} ${props.entry.headName}`} onClose={props.onClose} opener={props.opener}>
        <div className="stack" key="ask" data-testid="ask-callback">
          {field}
          <button type="button" className="btn btn-primary btn-block" disabled={!callbackIso} onClick={() => props.onChoose('notAtHome', callbackIso)}>
            {t('daily.saveWithCallback')}
          </button>
          <button type="button" className="btn btn-block" onClick={() => props.onChoose('notAtHome')}>
            {t('daily.skipCallback')}
          </button>
        </div>
      </Sheet>
    );

  return (
    <Sheet title={title} onClose={props.onClose} opener={props.opener}>
      <div className="stack" key="choose">
        {field}
        <div className="stack" role="group" aria-label={t('district.outcome')}>
          {SETTABLE_OUTCOMES.map((s) => (
            <button key={s} type="button" className={`btn btn-block ${props.entry.visit.status === s ? 'btn-primary' : ''}`} data-outcome={s} onClick={() => choose(s)}>
              {label(VISIT_STATUS, s)}
            </button>
          ))}
        </div>
        {props.onSelfCode && (
          <button type="button" className="btn btn-block" data-testid="make-self-code" onClick={props.onSelfCode}>
            {t('self.make')}
          </button>
        )}
      </div>
    </Sheet>
  );
}
