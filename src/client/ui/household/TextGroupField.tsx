// Texts answered together, all or none (C20 industry: employer's full name + main product).
import { useTranslation } from 'react-i18next';
import type { FindingPath } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import { parseTextGroup } from './parse.ts';
import { useRawInput } from './useRawInput.ts';

export interface TextGroupFieldProps<K extends string> {
  path: FindingPath;
  item: string;
  label: string;
  keys: readonly K[];
  value: Record<K, string> | undefined;
  onChange: (v: Record<K, string> | undefined) => boolean;
  notApplicable?: boolean;
}

export function TextGroupField<K extends string>(p: TextGroupFieldProps<K>) {
  const { t } = useTranslation('household');
  const input = useRawInput(
    p.value,
    (v) => p.keys.map((k) => v?.[k] ?? ''),
    (raw) => parseTextGroup(p.keys, raw),
    p.onChange,
  );
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} group inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id, describedBy }) => (
        <div className="hh-group">
          {p.keys.map((k, i) => (
            <label key={k} className="hh-part">
              <span>{t(`part.${k}`)}</span>
              <input
                id={i === 0 ? id : `${id}-${k}`}
                className="input"
                type="text"
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
