// Texts answered together, all or none (C20 industry: employer's full name + main product).
import type { FindingPath } from '../../../domain/index.ts';
import { GroupField } from './GroupField.tsx';
import { parseTextGroup } from './parse.ts';

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
  return <GroupField {...p} labelPrefix="part" format={(v) => p.keys.map((k) => v?.[k] ?? '')} parse={(raw) => parseTextGroup(p.keys, raw)} />;
}
