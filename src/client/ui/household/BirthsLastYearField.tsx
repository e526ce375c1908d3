// C27 births in the last year (2019-11 .. 2020-10): "none", or one row per baby (month + sex).
import { useTranslation } from '../../i18n/index.ts';
import { SEX, type FindingPath } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { FieldFrame } from './Field.tsx';
import { parseBirthRows, type BirthRow } from './parse.ts';
import { useRawInput } from './useRawInput.ts';

type Births = { month: string; sex: number }[];
type Raw = { any: 'none' | 'some' | undefined; rows: BirthRow[] };

export interface BirthsLastYearFieldProps {
  path: FindingPath;
  item: string;
  label: string;
  value: Births | undefined;
  onChange: (v: Births | undefined) => boolean;
  notApplicable?: boolean;
}

const EMPTY_ROW: BirthRow = { month: '', sex: undefined };

export function BirthsLastYearField(p: BirthsLastYearFieldProps) {
  const { t } = useTranslation('household');
  const { lang } = useFormEnv();
  const input = useRawInput<Births, Raw>(
    p.value,
    (v) => (v === undefined ? { any: undefined, rows: [] } : v.length === 0 ? { any: 'none', rows: [] } : { any: 'some', rows: v.map((b) => ({ month: b.month, sex: b.sex })) }),
    parseBirthRows,
    p.onChange,
  );
  const { any, rows } = input.raw;
  const setRow = (i: number, row: BirthRow) => input.onChange({ any, rows: rows.map((r, j) => (j === i ? row : r)) });
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} group inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id }) => (
        <div className="hh-group">
          <div className="choices">
            {(['none', 'some'] as const).map((a) => (
              <label key={a}>
                <input type="radio" name={id} checked={any === a} onChange={() => input.onChange({ any: a, rows: a === 'some' && rows.length === 0 ? [EMPTY_ROW] : rows })} />
                <span>{t(`births.${a}`)}</span>
              </label>
            ))}
          </div>
          {any === 'some' &&
            rows.map((r, i) => (
              <div key={i} className="hh-birth-row">
                <label className="hh-part">
                  <span>{t('births.month', { n: i + 1 })}</span>
                  <input className="input" type="text" inputMode="numeric" placeholder="YYYY-MM" value={r.month} onChange={(e) => setRow(i, { ...r, month: e.target.value })} />
                </label>
                <div className="choices" role="radiogroup" aria-label={t('births.sex', { n: i + 1 })}>
                  {SEX.map((s) => (
                    <label key={s.code}>
                      <input type="radio" name={`${id}-${i}-sex`} checked={r.sex === s.code} onChange={() => setRow(i, { ...r, sex: s.code })} />
                      <span>{s[lang]}</span>
                    </label>
                  ))}
                </div>
                <button type="button" className="btn btn-small" onClick={() => input.onChange({ any, rows: rows.filter((_, j) => j !== i) })}>
                  {t('action.remove')}
                </button>
              </div>
            ))}
          {any === 'some' && (
            <button type="button" className="btn btn-small" onClick={() => input.onChange({ any, rows: [...rows, EMPTY_ROW] })}>
              {t('births.add')}
            </button>
          )}
        </div>
      )}
    </FieldFrame>
  );
}
