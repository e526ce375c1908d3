// The summary of all findings: errors first, then warnings still to confirm, then confirmed ones.
// "Go to" opens the section and record that hold the field and focuses it.
import { useTranslation } from '../../i18n/index.ts';
import type { Finding } from '../../../domain/index.ts';
import { useFormEnv } from './context.ts';
import { FindingItem } from './FindingItem.tsx';
import { isMissingAnswer } from './completion.ts';
import { findingKey, overrideFor } from './paths.ts';

export interface FindingListProps {
  findings: readonly Finding[];
  where: (f: Finding) => string;
  onJump: (f: Finding) => void;
}

export function FindingList({ findings, where, onJump }: FindingListProps) {
  const { t } = useTranslation('household');
  const { overrides } = useFormEnv();
  // Real errors first, then unanswered questions, warnings to confirm, confirmed warnings.
  const rank = (f: Finding) => (f.severity === 'error' ? (isMissingAnswer(f) ? 1 : 0) : overrideFor(f, overrides) ? 3 : 2);
  const sorted = [...findings].sort((a, b) => rank(a) - rank(b));
  if (sorted.length === 0) return <p className="alert alert-ok">{t('finding.none')}</p>;
  return (
    <ul className="list hh-finding-list">
      {sorted.map((f) => (
        <li key={findingKey(f)} className="hh-finding-entry">
          <p className="hh-where">{where(f)}</p>
          <FindingItem finding={f} onJump={() => onJump(f)} />
        </li>
      ))}
    </ul>
  );
}

/** Counts for the summary badge and the "complete" explanation. */
export function countFindings(findings: readonly Finding[], overrides: Parameters<typeof overrideFor>[1]) {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (!overrideFor(f, overrides)) warnings++;
  }
  return { errors, warnings };
}
