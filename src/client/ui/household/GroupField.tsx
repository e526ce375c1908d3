// Several inputs answered together as one item (H3/H4 by sex, C26 children, C20 industry): one
// frame, one finding path, the first input carries the field's id so "go to" focuses it.
import { useTranslation } from '../../i18n/index.ts';
import type { FindingPath } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import type { Parsed } from './parse.ts';
import { useRawInput } from './useRawInput.ts';

export interface GroupFieldProps<K extends string, V> {
  path: FindingPath;
  item: string;
  label: string;
  keys: readonly K[];
  value: V | undefined;
  onChange: (v: V | undefined) => boolean;
  notApplicable?: boolean | undefined;
  /** The raw text of each part for a stored value. */
  format: (v: V | undefined) => string[];
  parse: (raw: readonly string[]) => Parsed<V>;
  /** i18n key prefix of each part's label, e.g. "count" -> "count.male". */
  labelPrefix: string;
  numeric?: boolean;
  /** A one-press answer for every part (H3 / H4: "none" = 0 and 0). */
  quick?: { label: string; raw: readonly string[] } | undefined;
}

export function GroupField<K extends string, V>(p: GroupFieldProps<K, V>) {
  const { t } = useTranslation('household');
  const input = useRawInput(p.value, p.format, p.parse, p.onChange);
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} group inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id, describedBy }) => (
        <div className={p.numeric ? 'hh-counts' : 'hh-group'}>
          {p.keys.map((k, i) => (
            <label key={k} className={p.numeric ? 'hh-count' : 'hh-part'}>
              <span>{t(`${p.labelPrefix}.${k}`)}</span>
              <input
                id={i === 0 ? id : `${id}-${k}`}
                className="input"
                type="text"
                {...(p.numeric ? { inputMode: 'numeric' as const, pattern: '[0-9]*' } : {})}
                autoComplete="off"
                aria-describedby={describedBy}
                value={input.raw[i] ?? ''}
                onChange={(e) => input.onChange(input.raw.map((r, j) => (j === i ? e.target.value : r)))}
              />
            </label>
          ))}
          {p.quick && (
            <button type="button" className="btn btn-small hh-quick" data-testid="counts-none" onClick={() => input.onChange([...(p.quick?.raw ?? [])])}>
              {p.quick.label}
            </button>
          )}
        </div>
      )}
    </FieldFrame>
  );
}
