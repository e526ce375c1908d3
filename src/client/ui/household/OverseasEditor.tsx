// One record of the HK / Macao / Taiwan residents and foreign nationals form.
import { memo } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import * as C from '../../../domain/index.ts';
import { overseasApplicability, OverseasPersonDraftSchema, type OverseasPersonDraft } from '../../../domain/index.ts';
import { answerSetter, visible } from './answers.ts';
import { CodeField } from './CodeField.tsx';
import { TextField } from './TextField.tsx';

export interface OverseasEditorProps {
  person: OverseasPersonDraft;
  index: number;
  onChange: (index: number, next: OverseasPersonDraft) => void;
}

export const OverseasEditor = memo(function OverseasEditor({ person: o, index, onChange: onIndexed }: OverseasEditorProps) {
  const onChange = (next: OverseasPersonDraft) => onIndexed(index, next);
  const { t } = useTranslation('household');
  const app = overseasApplicability(o);
  const set = answerSetter(OverseasPersonDraftSchema, o, onChange);
  const base = ['overseas', index] as const;
  const nationality = visible(app.nationality, o.nationality);
  const edu = visible(app.education, o.education);
  return (
    <div className="hh-overseas">
      <TextField kind="text" path={[...base, 'name']} item="R1" label={t('q.name')} value={o.name} onChange={set('name')} />
      <TextField kind="text" path={[...base, 'foreignName']} item="R1" label={t('q.foreignName')} value={o.foreignName} onChange={set('foreignName')} />
      <CodeField path={[...base, 'relationship']} item="R2" label={t('q.relationship')} list={C.RELATIONSHIP} value={o.relationship} onChange={set('relationship')} />
      <CodeField path={[...base, 'sex']} item="R3" label={t('q.sex')} list={C.SEX} value={o.sex} onChange={set('sex')} />
      <TextField kind="yearMonth" path={[...base, 'birth']} item="" label={t('q.birth')} value={o.birth} onChange={set('birth')} />
      <CodeField path={[...base, 'status']} item="" label={t('q.status')} list={C.OVERSEAS_STATUS} value={o.status} onChange={set('status')} />
      {nationality.show && (
        <TextField
          kind="text"
          path={[...base, 'nationality']}
          item=""
          label={t('q.nationality')}
          placeholder="KOR"
          value={o.nationality}
          notApplicable={nationality.notApplicable}
          onChange={(v) => set('nationality')(v?.toUpperCase())}
        />
      )}
      <CodeField path={[...base, 'documentType']} item="" label={t('q.documentType')} list={C.DOCUMENT_TYPE} value={o.documentType} onChange={set('documentType')} />
      <TextField kind="text" path={[...base, 'documentNumber']} item="" label={t('q.documentNumber')} value={o.documentNumber} onChange={set('documentNumber')} />
      <CodeField path={[...base, 'purpose']} item="" label={t('q.purpose')} list={C.PURPOSE} value={o.purpose} onChange={set('purpose')} />
      <CodeField path={[...base, 'stay']} item="" label={t('q.stay')} list={C.STAY} value={o.stay} onChange={set('stay')} />
      {edu.show && <CodeField path={[...base, 'education']} item="" label={t('q.education')} list={C.EDUCATION} value={o.education} onChange={set('education')} notApplicable={edu.notApplicable} />}
    </div>
  );
});
