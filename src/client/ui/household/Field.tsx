// The frame of one question: its label (with the item number printed on the paper form), the
// control, an input error (typed text that was not taken) and the findings that point at it.
import type { ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { FindingPath } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { FindingItem } from './FindingItem.tsx';
import { fieldId } from './paths.ts';
import { useDefinitionOpener, type DefinitionTarget } from '../definitions/DefinitionSheet.tsx';
import type { InputError } from './parse.ts';

export interface FieldFrameProps {
  path: FindingPath;
  item: string;
  label: string;
  /** Render as a fieldset (for radio groups and composite answers) instead of label + control. */
  group?: boolean;
  inputError?: InputError | undefined;
  /** Extra message shown at once, before the debounced findings arrive (the ID check). */
  instant?: string | undefined;
  /** The answer is present although the skip logic says the item does not apply. */
  notApplicable?: boolean;
  onClear?: (() => void) | undefined;
  children: (ids: { id: string; describedBy: string }) => ReactNode;
}

export function FieldFrame(p: FieldFrameProps) {
  const { t } = useTranslation('household');
  const env = useFormEnv();
  const id = fieldId(p.path);
  const msgId = `${id}-msg`;
  const findings = env.findingsAt(p.path);
  const showInstant = p.instant !== undefined && !findings.some((f) => f.severity === 'error');
  const defs = useDefinitionOpener();
  // The item number opens the item's definition (one tap, over the form: nothing moves).
  const label = (
    <>
      {defs && p.item ? (
        <button
          type="button"
          className="hh-item hh-item-def"
          aria-label={t('definition.open', { item: p.item })}
          aria-haspopup="dialog"
          onClick={(e) => defs.open(definitionTarget(p.path, p.item, env.form), e.currentTarget)}
        >
          {p.item}
        </button>
      ) : (
        <span className="hh-item">{p.item}</span>
      )}{' '}
      {p.label}
    </>
  );
  const messages = (
    <div id={msgId} className="hh-messages" aria-live="polite">
      {p.inputError && <p className="msg error-text">{t(`input.${p.inputError}`)}</p>}
      {showInstant && <p className="msg error-text">{p.instant}</p>}
      {p.notApplicable && <p className="msg error-text">{t('input.notApplicable')}</p>}
      {findings.map((f) => (
        <FindingItem key={f.rule} finding={f} />
      ))}
    </div>
  );
  // Beside the question's label, not below the choices: a row less to scroll past per answer.
  const clear = p.onClear && (
    <button type="button" className="btn btn-small hh-clear" onClick={p.onClear}>
      {t('action.clear')}
    </button>
  );
  const invalid = p.inputError !== undefined || showInstant || findings.some((f) => f.severity === 'error');
  const cls = `field${invalid ? " has-error" : ""}${p.notApplicable ? " has-warning" : ""}${clear ? " has-clear" : ""}`;
  if (p.group) {
    return (
      <fieldset className={cls} id={id} tabIndex={-1} aria-describedby={msgId}>
        <legend className="hh-label">{label}</legend>
        {p.children({ id: `${id}-input`, describedBy: msgId })}
        {clear}
        {messages}
      </fieldset>
    );
  }
  return (
    <div className={cls}>
      <label className="hh-label" htmlFor={id}>
        {label}
      </label>
      {p.children({ id, describedBy: msgId })}
      {clear}
      {messages}
    </div>
  );
}

/** The definition of the field at `path` (or of item `item` on the form the path is on). */
export function definitionTarget(path: FindingPath, item: string, form: 'short' | 'long'): DefinitionTarget {
  const head = path[0];
  const on = head === 'household' ? 'household' : head === 'deaths' ? 'death' : head === 'overseas' ? 'overseas' : form;
  return { path, ...(item ? { item: { form: on, id: item } } : {}) };
}
