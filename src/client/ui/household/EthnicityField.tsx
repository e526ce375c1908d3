// D6 ethnic group: 58 codes are too many for buttons, so a search box narrows a native select
// (the native picker is the easiest to use one-handed on a phone). The groups already answered in
// the household, and 01 汉 (91% nationally), are one-press buttons above it.
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { ETHNICITY, type FindingPath } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { FieldFrame } from './Field.tsx';

export interface EthnicityFieldProps {
  path: FindingPath;
  item: string;
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined) => boolean;
  /** Codes offered as one-press buttons, comma-separated (a string, so the memoised editors stay equal). */
  common?: string;
}

export function EthnicityField(p: EthnicityFieldProps) {
  const { t } = useTranslation('household');
  const { lang } = useFormEnv();
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = ETHNICITY.filter(
    (c) => q === '' || c.code === p.value || c.code.startsWith(q) || c.zh.includes(q) || c.en.toLowerCase().includes(q),
  );
  const common = (p.common ?? '').split(',').flatMap((code) => ETHNICITY.filter((c) => c.code === code));
  return (
    <FieldFrame path={p.path} item={p.item} label={p.label}>
      {({ id, describedBy }) => (
        <div className="hh-ethnicity">
          {common.length > 0 && (
            <div className="choices" role="group" aria-label={t('action.commonEthnicity')}>
              {common.map((c) => (
                <button key={c.code} type="button" className="btn btn-small" aria-pressed={p.value === c.code} onClick={() => p.onChange(c.code)}>
                  {c.code} {c[lang]}
                </button>
              ))}
            </div>
          )}
          <input
            className="input"
            type="search"
            aria-label={t('action.searchEthnicity')}
            placeholder={t('action.searchEthnicity')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <select
            id={id}
            className="input"
            aria-describedby={describedBy}
            value={p.value ?? ''}
            onChange={(e) => p.onChange(e.target.value === '' ? undefined : e.target.value)}
          >
            <option value="">{t('action.choose')}</option>
            {shown.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {c[lang]}
              </option>
            ))}
          </select>
        </div>
      )}
    </FieldFrame>
  );
}
