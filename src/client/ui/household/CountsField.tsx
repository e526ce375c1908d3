// Counts answered together: H3 / H4 births and deaths by sex, C26 children born and surviving.
import type { FindingPath } from '../../../domain/index.ts';
import { GroupField } from './GroupField.tsx';
import { parseCounts } from './parse.ts';

export interface CountsFieldProps<K extends string> {
  path: FindingPath;
  item: string;
  label: string;
  keys: readonly K[];
  value: Record<K, number> | undefined;
  onChange: (v: Record<K, number> | undefined) => boolean;
  notApplicable?: boolean;
  /** Label of a "none" button that answers 0 for every part. */
  noneLabel?: string;
}

export function CountsField<K extends string>(p: CountsFieldProps<K>) {
  return (
    <GroupField
      {...p}
      numeric
      labelPrefix="count"
      quick={p.noneLabel === undefined ? undefined : { label: p.noneLabel, raw: p.keys.map(() => '0') }}
      format={(v) => p.keys.map((k) => (v === undefined ? '' : String(v[k])))}
      parse={(raw) => parseCounts(p.keys, raw)}
    />
  );
}
