// Province / city / county where D7=5, D8=4, C14=2 (and province only for C13=3).
import { useTranslation } from '../../i18n/index.ts';
import type { FindingPath, Place } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import { parsePlace } from './parse.ts';
import { useRawInput } from './useRawInput.ts';

const PARTS = ['province', 'city', 'county'] as const;

export interface PlaceFieldProps {
  path: FindingPath;
  item: string;
  label: string;
  value: Place | undefined;
  onChange: (v: Place | undefined) => boolean;
  provinceOnly?: boolean;
}

export function PlaceField(p: PlaceFieldProps) {
  const { t } = useTranslation('household');
  const input = useRawInput<Place, [string, string, string]>(
    p.value,
    (v) => [v?.province ?? '', v?.city ?? '', v?.county ?? ''],
    parsePlace,
    p.onChange,
  );
  const parts = p.provinceOnly ? PARTS.slice(0, 1) : PARTS;
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} group inputError={input.error}>
      {({ id, describedBy }) => (
        <div className="hh-place">
          {parts.map((part, i) => (
            <label key={part} className="hh-count">
              <span>{t(`place.${part}`)}</span>
              <input
                id={i === 0 ? id : `${id}-${part}`}
                className="input"
                type="text"
                autoComplete="off"
                aria-describedby={describedBy}
                value={input.raw[i]}
                onChange={(e) => {
                  const next: [string, string, string] = [...input.raw];
                  next[i] = e.target.value;
                  input.onChange(next);
                }}
              />
            </label>
          ))}
        </div>
      )}
    </FieldFrame>
  );
}
