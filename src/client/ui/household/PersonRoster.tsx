// The persons of the household, one at a time: a card per person, the open one with its questions
// and "previous / next person" at its end (next on the last person adds one), the others folded
// to a summary line (name, relationship, sex, birth, and how many errors they still hold).
import { useTranslation } from '../../i18n/index.ts';
import { RELATIONSHIP, SEX, type Finding, type PersonDraft } from '../../../domain/index.ts';
import { isMissingAnswer } from './completion.ts';
import { PersonEditor } from './PersonEditor.tsx';
import { RecordList } from './RecordList.tsx';

export interface PersonRosterProps {
  persons: readonly PersonDraft[];
  lang: 'zh' | 'en';
  open: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onChange: (index: number, next: PersonDraft) => void;
  findings: readonly Finding[];
  /** Whether unanswered questions count as errors yet (after the first "complete"). */
  missingShown: boolean;
  /** Shows person `index`; with index = persons.length, adds one first. */
  onShow: (index: number) => void;
  onRemove: (index: number) => void;
  onMove: (index: number, by: -1 | 1) => void;
}

/** The household's ethnic groups and 01 汉, the one-press choices of D6 (at most three). */
export function commonEthnicities(persons: readonly PersonDraft[]): string {
  const codes = new Set(['01']);
  for (const x of persons) if (x.ethnicity !== undefined) codes.add(x.ethnicity);
  return [...codes].slice(0, 3).join(',');
}

export function PersonRoster(p: PersonRosterProps) {
  const { t } = useTranslation('household');
  const label = (list: readonly { code: number; zh: string; en: string }[], code: number | undefined) => list.find((c) => c.code === code)?.[p.lang];
  const summary = (x: PersonDraft) => [x.name ?? t('record.unnamed'), label(RELATIONSHIP, x.relationship), label(SEX, x.sex), x.birth].filter((s) => s !== undefined && s !== '').join(' · ');
  const errors = (i: number) => p.findings.filter((f) => f.severity === 'error' && f.path[0] === 'persons' && f.path[1] === i && (p.missingShown || !isMissingAnswer(f))).length;
  const common = commonEthnicities(p.persons);
  const last = p.persons.length - 1;
  return (
    <RecordList
      list="persons"
      items={p.persons}
      title={summary}
      badge={(_, i) => {
        const n = errors(i);
        return n > 0 && <span className="badge badge-err">{t('roster.errors', { count: n })}</span>;
      }}
      open={p.open}
      onToggle={p.onToggle}
      render={(x, i) => <PersonEditor person={x} index={i} onChange={p.onChange} commonEthnicity={common} previous={p.persons[i - 1]} />}
      footer={(_, i) => (
        <div className="hh-roster-nav">
          {i > 0 && (
            <button type="button" className="btn" data-testid="previous-person" onClick={() => p.onShow(i - 1)}>
              ◂ {t('roster.previous')}
            </button>
          )}
          <button type="button" className="btn btn-primary" data-testid="next-person" onClick={() => p.onShow(i + 1)}>
            {i < last ? t('roster.next') : t('roster.addNext')} ▸
          </button>
        </div>
      )}
      addLabel={t('action.addPerson')}
      onAdd={() => p.onShow(p.persons.length)}
      onRemove={p.onRemove}
      onMove={p.onMove}
    />
  );
}
