// "Restored unsaved input": the form opened with a kept draft (useKeepDraft). Discarding it is
// asked first: it takes every answer typed since the last save along.
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';

/** When a draft was kept, in the UI's language. */
const keptAt = (at: number, lang: string) =>
  new Date(at).toLocaleString(lang.startsWith('zh') ? 'zh-CN' : 'en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function RestoredNotice(props: { at: number; onDiscard: () => void }) {
  const { t, i18n } = useTranslation('household');
  const [asking, setAsking] = useState(false);
  return (
    <div className="alert alert-info hh-restored" role="status" data-testid="draft-restored">
      <p>{t('draft.restored', { time: keptAt(props.at, i18n.language) })}</p>
      {asking ? (
        <div className="row">
          <span className="grow">{t('draft.reallyDiscard')}</span>
          <button type="button" className="btn btn-danger btn-small" onClick={props.onDiscard}>
            {t('draft.discard')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
          {t('draft.discardAsk')}
        </button>
      )}
    </div>
  );
}
