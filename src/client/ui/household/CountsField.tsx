// Counts answered together: H3 / H4 births and deaths by sex, C26 children born and surviving.
import { useTranslation } from 'react-i18next';
import type { FindingPath } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import { parseCounts } from './parse.ts';
import { useRawInput } from './useRawInput.ts';

export interface CountsFieldProps<K extends string> {
  path: FindingPath;
  item: string;
  label: string;
  keys: readonly K[];
  value: Record<K, number> | undefined;
  onChange: (v: Record<K, number> | undefined) => boolean;
  notApplicable?: boolean;
}

export function CountsField<K extends string>(p: CountsFieldProps<K>) {
  const { t } = useTranslation('household');
  const input = useRawInput(
    p.value,
    (v) => p.keys.map((k) => (v === undefined ? '' : String(v[k]))),
    (raw) => parseCounts(p.keys, raw),
    p.onChange,
  );
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} group inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id, describedBy }) => (
        <div className="hh-counts">
          {p.keys.map((k, i) => (
            <label key={k} className="hh-count">
              <span>{t(`count.${k}`)}</span>
              <input
                id={i === 0 ? id : `${id}-${k}`}
                className="input"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                aria-describedby={describedBy}
                value={input.raw[i] ?? ''}
                onChange={(e) => input.onChange(input.raw.map((r, j) => (j === i ? e.target.value : r)))}
              />
            </label>
          ))}
        </div>
      )}
    </FieldFrame>
  );
}
