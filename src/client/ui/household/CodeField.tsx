// A coded question as large radio-style buttons (every list but the ethnic groups is short).
import type { CodeList, FindingPath } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { FieldFrame } from './Field.tsx';

export interface CodeFieldProps {
  path: FindingPath;
  item: string;
  label: string;
  list: CodeList<number>;
  value: number | undefined;
  /** Returns false when the draft schema refused the value (it never should for a listed code). */
  onChange: (v: number | undefined) => boolean;
  notApplicable?: boolean;
}

export function CodeField(p: CodeFieldProps) {
  const { lang } = useFormEnv();
  return (
    <FieldFrame
      path={p.path}
      item={p.item}
      label={p.label}
      group
      notApplicable={p.notApplicable ?? false}
      onClear={p.value !== undefined ? () => p.onChange(undefined) : undefined}
    >
      {({ id }) => (
        <div className="choices" role="radiogroup">
          {p.list.map((c) => (
            <label key={c.code} className={`hh-choice${p.value === c.code ? ' hh-choice-on' : ''}`}>
              <input type="radio" name={id} value={c.code} checked={p.value === c.code} onChange={() => p.onChange(c.code)} />
              <span>
                <span className="hh-code">{c.code}</span> {c[lang]}
              </span>
            </label>
          ))}
        </div>
      )}
    </FieldFrame>
  );
}
