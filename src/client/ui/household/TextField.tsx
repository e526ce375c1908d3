// Text, whole-number, decimal and year-month questions: one input, parsed on every keystroke.
// Digit answers open the numeric keypad (inputMode, and `pattern` for iOS Safari).
import type { FindingPath } from '../../../domain/index.ts';
import { FieldFrame } from './Field.tsx';
import { parseDecimal, parseInteger, parseText, parseYearMonth, type Parsed } from './parse.ts';
import { str, useRawInput } from './useRawInput.ts';

interface Common {
  path: FindingPath;
  item: string;
  label: string;
  notApplicable?: boolean;
  placeholder?: string;
}

type StringProps = Common & { kind: 'text' | 'yearMonth'; value: string | undefined; onChange: (v: string | undefined) => boolean };
type NumberProps = Common & { kind: 'integer' | 'decimal'; value: number | undefined; onChange: (v: number | undefined) => boolean };
export type TextFieldProps = StringProps | NumberProps;

const isNumber = (p: TextFieldProps): p is NumberProps => p.kind === 'integer' || p.kind === 'decimal';

export function TextField(p: TextFieldProps) {
  return isNumber(p) ? <NumberInput {...p} /> : <StringInput {...p} />;
}

function StringInput(p: StringProps) {
  const parse: (raw: string) => Parsed<string> = p.kind === 'text' ? parseText : parseYearMonth;
  const input = useRawInput(p.value, str((v: string) => v), parse, p.onChange);
  const ym = p.kind === 'yearMonth';
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id, describedBy }) => (
        <input
          id={id}
          className="input"
          type="text"
          inputMode={ym ? 'numeric' : 'text'}
          {...(ym ? { pattern: '[0-9-]*' } : {})}
          placeholder={p.placeholder ?? (ym ? 'YYYY-MM' : undefined)}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={input.error !== undefined}
          value={input.raw}
          onChange={(e) => input.onChange(e.target.value)}
          onBlur={input.onBlur}
        />
      )}
    </FieldFrame>
  );
}

function NumberInput(p: NumberProps) {
  const input = useRawInput(p.value, str(String), p.kind === 'integer' ? parseInteger : parseDecimal, p.onChange);
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label} inputError={input.error} notApplicable={p.notApplicable ?? false}>
      {({ id, describedBy }) => (
        <input
          id={id}
          className="input hh-number"
          type="text"
          inputMode={p.kind === 'integer' ? 'numeric' : 'decimal'}
          pattern={p.kind === 'integer' ? '[0-9]*' : '[0-9.]*'}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={input.error !== undefined}
          value={input.raw}
          onChange={(e) => input.onChange(e.target.value)}
          onBlur={input.onBlur}
        />
      )}
    </FieldFrame>
  );
}
