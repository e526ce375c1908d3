// The passphrase of the unsynced export: typed twice, at least 8 characters, errors at the field.
import { useState, type FormEvent } from 'react';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/unsynced-crypto.ts';
import { useTranslation } from '../../i18n/index.ts';

export function ExportPassForm(props: { onExport: (passphrase: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<'tooShort' | 'differ' | null>(null);
  const [working, setWorking] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pass.length < MIN_PASSPHRASE_LENGTH) return setError('tooShort');
    if (pass !== again) return setError('differ');
    setError(null);
    setWorking(true);
    try {
      await props.onExport(pass);
    } finally {
      setWorking(false);
    }
  }

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-labelledby="export-pass-title" data-testid="export-pass">
      <h3 id="export-pass-title">{t('exportPass.title')}</h3>
      <p className="hint">{t('exportPass.hint')}</p>
      <label>
        {t('exportPass.pass')}
        <input type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} aria-invalid={error === 'tooShort'} aria-describedby={error === 'tooShort' ? 'export-pass-error' : undefined} />
      </label>
      <label>
        {t('exportPass.again')}
        <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={error === 'differ'} aria-describedby={error === 'differ' ? 'export-pass-error' : undefined} />
      </label>
      {error && (
        <p className="alert alert-error" id="export-pass-error" role="alert">
          {t(`exportPass.${error}`)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={working}>
          {working ? t('exportPass.working') : t('exportPass.go')}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
