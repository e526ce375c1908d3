// Household items H1-H7 (and H8-H19 on the long form), only those that apply: H5 other than
// "ordinary dwelling" skips H6 onwards; H18 only for rented dwellings.
import { memo } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import * as C from '../../../domain/index.ts';
import { householdApplicability, HouseholdDraftSchema, type CodeList, type HouseholdDraft, type HouseholdField } from '../../../domain/index.ts';
import { answerSetter, visible } from './answers.ts';
import { CodeField } from './CodeField.tsx';
import { useFormEnv } from './context.ts';
import { CountsField } from './CountsField.tsx';
import { TextField } from './TextField.tsx';

type CodeKey = { [K in keyof HouseholdDraft]-?: NonNullable<HouseholdDraft[K]> extends number ? K : never }[keyof HouseholdDraft] & HouseholdField;

const LONG_CODES: readonly [CodeKey, string, CodeList<number>][] = [
  ['storeys', 'H8', C.STOREYS],
  ['structure', 'H9', C.STRUCTURE],
  ['builtPeriod', 'H10', C.BUILT_PERIOD],
  ['elevator', 'H11', C.HAVE_NOT],
  ['cookingFuel', 'H12', C.COOKING_FUEL],
  ['tapWater', 'H13', C.HAVE_NOT],
  ['kitchen', 'H14', C.KITCHEN],
  ['toilet', 'H15', C.TOILET],
  ['bathing', 'H16', C.BATHING],
  ['tenure', 'H17', C.TENURE],
];
const SEXES = ['male', 'female'] as const;

export interface HouseholdItemsProps {
  household: HouseholdDraft;
  onChange: (next: HouseholdDraft) => void;
  wholeHouseholdDeceased: boolean;
}

export const HouseholdItems = memo(function HouseholdItems({ household: h, onChange, wholeHouseholdDeceased }: HouseholdItemsProps) {
  const { t } = useTranslation('household');
  const { form } = useFormEnv();
  const app = householdApplicability(h, form, { wholeHouseholdDeceased });
  const set = answerSetter(HouseholdDraftSchema, h, onChange);
  const path = (k: HouseholdField) => ['household', k];
  const code = (key: CodeKey, item: string, list: CodeList<number>) => {
    const v = visible(app[key], h[key]);
    return v.show && <CodeField key={key} path={path(key)} item={item} label={t(`q.${key}`)} list={list} value={h[key]} onChange={set(key)} notApplicable={v.notApplicable} />;
  };
  const number = (key: 'floorArea' | 'rooms' | 'monthlyRent', item: string, kind: 'integer' | 'decimal') => {
    const v = visible(app[key], h[key]);
    return v.show && <TextField kind={kind} path={path(key)} item={item} label={t(`q.${key}`)} value={h[key]} onChange={set(key)} notApplicable={v.notApplicable} />;
  };

  return (
    <div className="hh-household">
      {code('householdType', 'H1', C.HOUSEHOLD_TYPE)}
      <TextField kind="integer" path={path('residents')} item="H2" label={t('q.residents')} value={h.residents} onChange={set('residents')} />
      <TextField kind="integer" path={path('hukouHereAbsent')} item="H2" label={t('q.hukouHereAbsent')} value={h.hukouHereAbsent} onChange={set('hukouHereAbsent')} />
      <CountsField path={path('births')} item="H3" label={t('q.births')} keys={SEXES} value={h.births} onChange={set('births')} noneLabel={t('count.none')} />
      <CountsField path={path('deaths')} item="H4" label={t('q.deaths')} keys={SEXES} value={h.deaths} onChange={set('deaths')} noneLabel={t('count.none')} />
      {code('dwellingType', 'H5', C.DWELLING_TYPE)}
      {number('floorArea', 'H6', 'decimal')}
      {number('rooms', 'H7', 'integer')}
      {LONG_CODES.map(([key, item, list]) => code(key, item, list))}
      {number('monthlyRent', 'H18', 'integer')}
      {code('carValue', 'H19', C.CAR_VALUE)}
    </div>
  );
});
