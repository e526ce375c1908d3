// A stacked bar of visit outcomes with a legend (home screen and supervisor chart).
import { useTranslation } from '../i18n/index.ts';
import { VISIT_STATUS } from '../../domain/index.ts';
import { useCodeLabel } from '../i18n/index.ts';
import { VISIT_ORDER, type VisitCounts } from './progress.ts';

export function ProgressBar(props: { counts: VisitCounts; total: number; label: string; legend?: boolean }) {
  useTranslation();
  const label = useCodeLabel();
  const total = Math.max(props.total, 1);
  const shown = VISIT_ORDER.filter((s) => s !== 'pending' && props.counts[s] > 0);
  return (
    <div>
      <div className="progress" role="img" aria-label={props.label}>
        {shown.map((s) => (
          <span key={s} className={`seg-${s}`} style={{ width: `${(100 * props.counts[s]) / total}%` }} />
        ))}
      </div>
      {props.legend !== false && (
        <div className="legend">
          {VISIT_ORDER.filter((s) => props.counts[s] > 0).map((s) => (
            <span key={s}>
              <i className={`seg-${s}`} aria-hidden="true" />
              {label(VISIT_STATUS, s)} {props.counts[s]}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
