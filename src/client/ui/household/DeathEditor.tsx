// One record of the death form (deaths 2019-11 .. 2020-10 of this household).
import { memo } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import * as C from '../../../domain/index.ts';
import { deathApplicability, DeathDraftSchema, type DeathDraft } from '../../../domain/index.ts';
import { answerSetter, visible } from './answers.ts';
import { CitizenIdField } from './CitizenIdField.tsx';
import { CodeField } from './CodeField.tsx';
import { EthnicityField } from './EthnicityField.tsx';
import { TextField } from './TextField.tsx';

export interface DeathEditorProps {
  death: DeathDraft;
  index: number;
  onChange: (index: number, next: DeathDraft) => void;
}

export const DeathEditor = memo(function DeathEditor({ death: d, index, onChange: onIndexed }: DeathEditorProps) {
  const onChange = (next: DeathDraft) => onIndexed(index, next);
  const { t } = useTranslation('household');
  const app = deathApplicability(d);
  const set = answerSetter(DeathDraftSchema, d, onChange);
  const base = ['deaths', index] as const;
  const edu = visible(app.education, d.education);
  const marital = visible(app.marital, d.marital);
  return (
    <div className="hh-death">
      <TextField kind="text" path={[...base, 'name']} item="S2" label={t('q.name')} value={d.name} onChange={set('name')} />
      <CitizenIdField
        path={[...base, 'citizenId']}
        item=""
        label={t('q.citizenId')}
        value={d.citizenId}
        onChange={(id, fill) => answerSetter(DeathDraftSchema, { ...d, ...(fill ? { birth: fill.birth, sex: fill.sex } : {}) }, onChange)('citizenId')(id)}
      />
      <CodeField path={[...base, 'sex']} item="S3" label={t('q.sex')} list={C.SEX} value={d.sex} onChange={set('sex')} />
      <TextField kind="yearMonth" path={[...base, 'birth']} item="S4" label={t('q.birth')} value={d.birth} onChange={set('birth')} />
      <TextField kind="yearMonth" path={[...base, 'death']} item="S5" label={t('q.death')} value={d.death} onChange={set('death')} />
      <EthnicityField path={[...base, 'ethnicity']} item="S6" label={t('q.ethnicity')} value={d.ethnicity} onChange={set('ethnicity')} />
      {edu.show && <CodeField path={[...base, 'education']} item="S7" label={t('q.deathEducation')} list={C.EDUCATION} value={d.education} onChange={set('education')} notApplicable={edu.notApplicable} />}
      {marital.show && <CodeField path={[...base, 'marital']} item="S8" label={t('q.deathMarital')} list={C.MARITAL} value={d.marital} onChange={set('marital')} notApplicable={marital.notApplicable} />}
    </div>
  );
});
