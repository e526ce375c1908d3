// Verification of a self-enumerated household at the door (issue 13): the enumerator goes through
// each person with the household and confirms it, or corrects it in its card (a corrected person
// counts as gone through). 核实完成 saves the registration complete with who verified and when,
// as a new version; "corrected" when anything differs from what the household submitted.
import type { PersonDraft, SelfVerification } from '../../../domain/index.ts';
import { useTranslation } from '../../i18n/index.ts';

export interface VerifyPanelProps {
  persons: readonly PersonDraft[];
  /** Ids of persons confirmed as submitted. */
  confirmed: ReadonlySet<string>;
  /** Ids of persons whose answers differ from the submitted version (or who were added). */
  changed: ReadonlySet<string>;
  /** The verification of the stored version, when there is one. */
  verification?: SelfVerification | undefined;
  busy: boolean;
  onConfirm: (personId: string) => void;
  onCorrect: (index: number) => void;
  onFinish: () => void;
}

export function VerifyPanel(p: VerifyPanelProps) {
  const { t, i18n } = useTranslation('household');
  if (p.verification) {
    const at = new Date(p.verification.at).toLocaleString(i18n.language.startsWith('zh') ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' });
    return (
      <p className="alert alert-info" role="note" data-testid="verified">
        {t(`verify.done.${p.verification.outcome}`, { at })}
      </p>
    );
  }
  const left = p.persons.filter((x) => !p.confirmed.has(x.id) && !p.changed.has(x.id)).length;
  return (
    <section className="alert alert-info stack" aria-labelledby="verify-title" data-testid="verify-panel">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p>{t('selfBanner')}</p>
      <ul className="verify-list">
        {p.persons.map((x, i) => {
          const state = p.changed.has(x.id) ? 'changed' : p.confirmed.has(x.id) ? 'confirmed' : 'open';
          return (
            <li key={x.id} data-state={state} data-testid="verify-person">
              <span>
                {i + 1}. {x.name ?? t('record.unnamed')}
                {state !== 'open' && <span className={`badge ${state === 'changed' ? 'badge-warn' : 'badge-ok'}`}>{t(`verify.state.${state}`)}</span>}
              </span>
              <span className="verify-actions">
                <button type="button" className="btn btn-small" disabled={state !== 'open'} onClick={() => p.onConfirm(x.id)}>
                  {t('verify.confirm')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => p.onCorrect(i)}>
                  {t('verify.correct')}
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <button type="button" className="btn btn-primary btn-block" disabled={left > 0 || p.busy} onClick={p.onFinish} data-testid="verify-finish">
        {left > 0 ? t('verify.left', { count: left }) : t('verify.finish')}
      </button>
    </section>
  );
}
