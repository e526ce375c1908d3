// D3 citizen ID. The number is kept as typed, normalised on every keystroke (spaces dropped, x
// upper-cased), because a wrong number is a finding at this field, not a refused keystroke. At 18
// characters it is checked at once; a valid number fills D5 birth month and D4 sex. 17 of its 18
// characters are digits, so the field opens the numeric keypad and an X key sits beside it for
// the check character (numeric keypads have no letters).
import { useTranslation } from '../../i18n/index.ts';
import { checkCitizenId, normalizeCitizenId, type CitizenIdResult, type FindingPath } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import { str, useRawInput } from './useRawInput.ts';

export interface IdFill {
  birth: string;
  sex: 1 | 2;
}

export interface CitizenIdFieldProps {
  path: FindingPath;
  item: string;
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined, fill: IdFill | undefined) => boolean;
}

/** The instant check of what has been typed so far; undefined while it may still become valid. */
export function instantIdCheck(raw: string): CitizenIdResult | undefined {
  const id = normalizeCitizenId(raw);
  if (id === '') return undefined;
  if (id.length > 18 || !/^\d{0,17}[\dX]?$/.test(id)) return { ok: false, reason: 'format' };
  return id.length === 18 ? checkCitizenId(id) : undefined;
}

export function CitizenIdField(p: CitizenIdFieldProps) {
  const { t } = useTranslation('household');
  const input = useRawInput(
    p.value,
    str((v: string) => v),
    (raw) => {
      const id = normalizeCitizenId(raw);
      return { ok: true, value: id === '' ? undefined : id };
    },
    (v) => {
      const check = v === undefined ? undefined : instantIdCheck(v);
      return p.onChange(v, check?.ok ? { birth: check.birth.slice(0, 7), sex: check.sex } : undefined);
    },
  );
  const check = instantIdCheck(input.raw);
  const instant = check && !check.ok ? t(`idCheck.${check.reason}`) : undefined;
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} inputError={input.error} instant={instant}>
      {({ id, describedBy }) => (
        <div className="hh-id-row">
          <input
            id={id}
            className="input hh-id"
            type="text"
            inputMode="numeric"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            autoComplete="off"
            maxLength={22}
            aria-describedby={describedBy}
            aria-invalid={instant !== undefined}
            value={input.raw}
            onChange={(e) => input.onChange(normalizeCitizenId(e.target.value))}
            onBlur={input.onBlur}
          />
          <button
            type="button"
            className="btn btn-small hh-id-x"
            aria-label={t('action.typeX')}
            // Keeps the focus (and the keypad) in the number field.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => input.onChange(normalizeCitizenId(input.raw) + 'X')}
          >
            X
          </button>
        </div>
      )}
    </FieldFrame>
  );
}
