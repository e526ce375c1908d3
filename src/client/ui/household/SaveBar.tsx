// The sticky bar at the bottom: Save (draft, any time), Complete, Close; and what the last attempt
// said. "NOT saved" (storage full) is a blocking dialog: the enumerator must not walk away
// believing the household is stored. A save the store did not finish in time (Chromium's
// IndexedDB hangs on a full disk instead of failing) says "not saved" here, as an alert.
// Keyboard focus is never hidden under the bar (WCAG 2.4.11): it publishes its height (and, while
// the form is open, the sticky app header's) for app.css's scroll padding, so the browser scrolls
// a focused control clear of both.
import { useRef, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { SAVEBAR_HEIGHT, usePublishedHeight } from '../sticky-bars.ts';
import { useModalFocus } from '../Sheet.tsx';


export type Notice =
  | { kind: 'saved'; version: number }
  | { kind: 'completed'; version: number }
  | { kind: 'blocked'; errors: number; warnings: number; missing: number }
  | { kind: 'storageFull' }
  | { kind: 'notSaved' }
  | { kind: 'failed'; detail: string };

export interface SaveBarProps {
  busy: boolean;
  dirty: boolean;
  notice: Notice | undefined;
  onSave: () => void;
  onComplete: () => void;
  onClose: () => void;
  /** Leave and discard the unsaved input (asked first). */
  onLeave: () => void;
  onDismiss: () => void;
}

export function SaveBar(p: SaveBarProps) {
  const { t } = useTranslation('household');
  const [leaving, setLeaving] = useState(false);
  const n = p.notice;
  const publishBar = usePublishedHeight<HTMLDivElement>(SAVEBAR_HEIGHT);
  return (
    <>
      {n?.kind === 'storageFull' && <NotSavedDialog onDismiss={p.onDismiss} />}
      <div className="banner hh-savebar" ref={publishBar}>
        <div className="hh-notice" role="status" aria-live="polite">
          {n?.kind === 'saved' && t('save.saved', { version: n.version })}
          {n?.kind === 'completed' && t('save.completed', { version: n.version })}
          {n?.kind === 'blocked' && t('save.blocked', { errors: n.errors, warnings: n.warnings, missing: n.missing })}
          {n?.kind === 'failed' && t('save.failed', { detail: n.detail })}
          {n === undefined && p.dirty && t('save.unsaved')}
        </div>
        {n?.kind === 'notSaved' && (
          <p className="hh-notsaved" role="alert">
            {t('save.notSaved')}
          </p>
        )}
        <button type="button" className="btn" disabled={p.busy} onClick={p.onSave}>
          {t('action.save')}
        </button>
        <button type="button" className="btn btn-primary" disabled={p.busy} onClick={p.onComplete}>
          {t('action.complete')}
        </button>
        <button type="button" className="btn" onClick={() => (p.dirty ? setLeaving(true) : p.onClose())}>
          {t('action.close')}
        </button>
        {leaving && (
          <div className="hh-leave" role="alert">
            <p>{t('save.leaveUnsaved')}</p>
            <button type="button" className="btn btn-danger" onClick={p.onLeave}>
              {t('action.leave')}
            </button>
            <button type="button" className="btn" onClick={() => setLeaving(false)}>
              {t('action.stay')}
            </button>
          </div>
        )}
      </div>
    </>
  );
}

/** Blocking: only 知道了 closes it (no Escape), and focus stays in it until then. */
function NotSavedDialog(props: { onDismiss: () => void }) {
  const { t } = useTranslation('household');
  const ref = useRef<HTMLDivElement>(null);
  useModalFocus(ref);
  return (
    <div className="sheet-backdrop">
      <div className="sheet" role="alertdialog" aria-modal="true" aria-labelledby="hh-not-saved-title" aria-describedby="hh-not-saved-text" ref={ref} tabIndex={-1}>
        <h2 id="hh-not-saved-title" className="error-text">
          {t('save.notSavedTitle')}
        </h2>
        <p id="hh-not-saved-text">{t('save.notSavedText')}</p>
        <button type="button" className="btn btn-primary btn-block" onClick={props.onDismiss} autoFocus>
          {t('save.understood')}
        </button>
      </div>
    </div>
  );
}
