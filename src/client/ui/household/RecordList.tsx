// A list of records (persons, deaths, overseas persons): each a collapsible card with move up /
// down and remove (asked twice: a removed person takes all their answers along), and "add". A
// collapsed card shows its summary line (`title`); an open one may end with a `footer` (the
// roster's previous / next person).
import { useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';

export interface RecordListProps<T extends { id: string }> {
  /** DOM id prefix, also the path head ("persons"): cards get `f-persons-2`. */
  list: string;
  items: readonly T[];
  title: (item: T, index: number) => string;
  /** Ids of the open cards (ids, not indexes: they survive reordering). */
  open: ReadonlySet<string>;
  onToggle: (id: string) => void;
  render: (item: T, index: number) => ReactNode;
  /** Shown beside the summary line (e.g. the count of errors in the record). */
  badge?: (item: T, index: number) => ReactNode;
  /** Shown at the end of an open card. */
  footer?: (item: T, index: number) => ReactNode;
  onAdd: () => void;
  addLabel: string;
  onRemove: (index: number) => void;
  onMove?: (index: number, by: -1 | 1) => void;
}

export function RecordList<T extends { id: string }>(p: RecordListProps<T>) {
  const { t } = useTranslation('household');
  const [removing, setRemoving] = useState<string | undefined>(undefined);
  return (
    <div className="hh-records">
      <ol className="list">
        {p.items.map((item, i) => {
          const open = p.open.has(item.id);
          const bodyId = `f-${p.list}-${i}-body`;
          return (
            <li key={item.id} className="hh-record" id={`f-${p.list}-${i}`} tabIndex={-1}>
              <div className="hh-record-head">
                <button type="button" className="hh-record-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => p.onToggle(item.id)}>
                  <span aria-hidden="true">{open ? '▾' : '▸'}</span> <span className="hh-record-title">{i + 1}. {p.title(item, i)}</span>
                  {p.badge?.(item, i)}
                </button>
                {p.onMove && (
                  <>
                    <button type="button" className="btn btn-small" disabled={i === 0} aria-label={t('action.moveUp', { n: i + 1 })} onClick={() => p.onMove?.(i, -1)}>
                      ↑
                    </button>
                    <button type="button" className="btn btn-small" disabled={i === p.items.length - 1} aria-label={t('action.moveDown', { n: i + 1 })} onClick={() => p.onMove?.(i, 1)}>
                      ↓
                    </button>
                  </>
                )}
                <button type="button" className="btn btn-small" aria-label={t('action.removeN', { n: i + 1 })} onClick={() => setRemoving(item.id)}>
                  ✕
                </button>
              </div>
              {removing === item.id && (
                <div className="alert alert-warning" role="alert">
                  <p>{t('action.reallyRemove', { name: p.title(item, i) })}</p>
                  <div className="row">
                    <button
                      type="button"
                      className="btn btn-danger"
                      onClick={() => {
                        setRemoving(undefined);
                        p.onRemove(i);
                      }}
                    >
                      {t('action.remove')}
                    </button>
                    <button type="button" className="btn" onClick={() => setRemoving(undefined)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              )}
              <div id={bodyId} hidden={!open}>
                {p.render(item, i)}
                {open && p.footer?.(item, i)}
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn-block" onClick={p.onAdd}>
        {p.addLabel}
      </button>
    </div>
  );
}
