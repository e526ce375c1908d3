// One finding: its message, and for a warning the confirmation (reason + note) that turns it into
// an Override. Used beside the field and in the summary list.
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { OVERRIDE_REASON, OverrideReasonSchema, type Finding, type OverrideReason } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { overrideFor } from './paths.ts';
import { useDefinitionOpener } from '../definitions/DefinitionSheet.tsx';

export function FindingItem({ finding, onJump }: { finding: Finding; onJump?: () => void }) {
  const { t } = useTranslation('household');
  const env = useFormEnv();
  const defs = useDefinitionOpener();
  const [confirming, setConfirming] = useState(false);
  const confirmed = finding.severity === 'warning' ? overrideFor(finding, env.overrides) : undefined;
  const kind = finding.severity === 'error' ? 'error' : confirmed ? 'confirmed' : 'warning';
  const reasonLabel = confirmed ? OVERRIDE_REASON.find((r) => r.code === confirmed.reason)?.[env.lang] : undefined;

  return (
    <div className={`hh-finding hh-finding-${kind}`} data-rule={finding.rule}>
      <p>
        <strong>{t(`finding.${kind}`)}</strong> {finding.message[env.lang]}
      </p>
      {confirmed && (
        <p className="hh-finding-note">
          {t('override.confirmedAs', { reason: reasonLabel ?? confirmed.reason })}
          {confirmed.note ? ` — ${confirmed.note}` : ''}
        </p>
      )}
      <div className="hh-finding-actions">
        {onJump && (
          <button type="button" className="btn" onClick={onJump}>
            {t('finding.goTo')}
          </button>
        )}
        {defs && finding.path.length > 0 && (
          <button type="button" className="btn" aria-haspopup="dialog" onClick={(e) => defs.open({ path: finding.path }, e.currentTarget)}>
            {t('finding.definition')}
          </button>
        )}
        {finding.severity === 'warning' && !confirmed && !confirming && (
          <button type="button" className="btn" onClick={() => setConfirming(true)}>
            {t('override.confirm')}
          </button>
        )}
        {confirmed && (
          <button type="button" className="btn" onClick={() => env.unconfirm(finding)}>
            {t('override.undo')}
          </button>
        )}
      </div>
      {confirming && !confirmed && (
        <OverrideForm
          onCancel={() => setConfirming(false)}
          onDone={(reason, note) => {
            env.confirm(finding, reason, note);
            setConfirming(false);
          }}
        />
      )}
    </div>
  );
}

function OverrideForm({ onDone, onCancel }: { onDone: (reason: OverrideReason, note: string) => void; onCancel: () => void }) {
  const { t } = useTranslation('household');
  const { lang } = useFormEnv();
  const [reason, setReason] = useState<string>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState(false);
  const submit = () => {
    const r = OverrideReasonSchema.safeParse(reason);
    const text = note.trim();
    // "Other" says nothing on its own, so it needs the note to explain it.
    if (!r.success || (r.data === 'other' && text === '') || text.length > 500) {
      setError(true);
      return;
    }
    onDone(r.data, text);
  };
  return (
    <fieldset className="hh-override">
      <legend>{t('override.reason')}</legend>
      <div className="choices">
        {OVERRIDE_REASON.map((r) => (
          <label key={r.code} className="hh-choice">
            <input type="radio" name="override-reason" value={r.code} checked={reason === r.code} onChange={() => setReason(r.code)} />
            <span>{r[lang]}</span>
          </label>
        ))}
      </div>
      <label className="hh-label">
        {t('override.note')}
        <textarea className="input" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && <p className="msg error-text" role="alert">{t('override.needReason')}</p>}
      <div className="hh-finding-actions">
        <button type="button" className="btn btn-primary" onClick={submit}>
          {t('override.ok')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
