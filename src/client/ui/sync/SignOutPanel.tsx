// Sign-out is refused while anything is unsynced, unless the user exported it to a file first
// (the export is the only other copy; without it the queued answers would exist nowhere else).
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useServices } from '../services.ts';

export function SignOutPanel(props: { queued: number; exported: boolean; onExport: () => Promise<void> }) {
  const { t } = useTranslation();
  const { auth } = useServices();
  const [asking, setAsking] = useState(false);
  const refused = props.queued > 0 && !props.exported;
  return (
    <section className="card stack" aria-labelledby="sign-out">
      <h2 id="sign-out">{t('signOut.title')}</h2>
      {refused ? (
        <>
          <p className="alert alert-warning" role="alert" data-testid="signout-refused">
            {t('signOut.refused', { count: props.queued })}
          </p>
          <button type="button" className="btn" onClick={() => void props.onExport()}>
            {t('signOut.exportFirst')}
          </button>
        </>
      ) : asking ? (
        <>
          {props.queued > 0 && <p className="alert alert-ok">{t('signOut.exported')}</p>}
          <p>{t('signOut.confirm')}</p>
          <div className="row">
            <button type="button" className="btn btn-danger" onClick={() => void auth.signOut()}>
              {t('signOut.doIt')}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </>
      ) : (
        <button type="button" className="btn" onClick={() => setAsking(true)}>
          {t('nav.signOut')}
        </button>
      )}
    </section>
  );
}
