// A modal bottom sheet (centred dialog on wide screens), closed by its button, Escape or the backdrop.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from '../i18n/index.ts';

export function Sheet(props: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref} tabIndex={-1}>
        <div className="row">
          <h2 id={id} className="grow">
            {props.title}
          </h2>
          <button type="button" className="btn btn-small" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}
