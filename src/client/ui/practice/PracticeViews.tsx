// The practice mark and the way into practice (issue 15), loaded with the household strings
// after start-up: the start-up bundle carries only the mode itself (PracticeMode.tsx).
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { usePracticeMode } from './PracticeMode.tsx';
import './practice.css';

/** The mark on every screen in practice mode, in the header (a colour no real screen uses). */
export function PracticeBar() {
  const { active, leave, reset } = usePracticeMode();
  const { t } = useTranslation('household');
  const [confirming, setConfirming] = useState(false);
  if (!active) return null;
  return (
    <div className="practice-bar" role="status" data-testid="practice-bar">
      <span className="practice-tag">{t('practice.tag')}</span>
      <span className="grow">{t('practice.notice')}</span>
      {confirming ? (
        <>
          <button
            type="button"
            className="btn btn-small"
            data-testid="practice-reset-confirm"
            onClick={() => {
              setConfirming(false);
              void reset();
            }}
          >
            {t('practice.resetConfirm')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </>
      ) : (
        <button type="button" className="btn btn-small" data-testid="practice-reset" onClick={() => setConfirming(true)}>
          {t('practice.reset')}
        </button>
      )}
      <button type="button" className="btn btn-small" data-testid="practice-leave" onClick={leave}>
        {t('practice.leave')}
      </button>
    </div>
  );
}

/** On the real home screen: the way into practice. */
export function PracticeEntry() {
  const { active, enter } = usePracticeMode();
  const { t } = useTranslation('household');
  if (active) return null;
  return (
    <section className="card practice-entry">
      <h2>{t('practice.entryTitle')}</h2>
      <p className="muted">{t('practice.entryText')}</p>
      <button type="button" className="btn" data-testid="practice-enter" onClick={enter}>
        {t('practice.enter')}
      </button>
    </section>
  );
}
