// One person's form: D1-D12 (short form) or C1-C29 (long form), showing only the items that apply
// to this person as answered so far (the domain's personApplicability, recomputed every render).
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import * as C from '../../../domain/index.ts';
import { personApplicability, PersonDraftSchema, type CodeList, type PersonDraft } from '../../../domain/index.ts';
import { answerSetter, visible } from './answers.ts';
import { CitizenIdField } from './CitizenIdField.tsx';
import { CodeField } from './CodeField.tsx';
import { useFormEnv } from './context.ts';
import { EthnicityField } from './EthnicityField.tsx';
import { PersonLongItems } from './PersonLongItems.tsx';
import { PlaceField } from './PlaceField.tsx';
import { TextField } from './TextField.tsx';

export interface PersonEditorProps {
  person: PersonDraft;
  index: number;
  /** Stable across renders (memo): the editor says which person changed. */
  onChange: (index: number, next: PersonDraft) => void;
}

/** Keys of person answers that are plain integer codes. */
export type PersonCodeKey = { [K in keyof PersonDraft]-?: NonNullable<PersonDraft[K]> extends number ? K : never }[keyof PersonDraft];

export const PersonEditor = memo(function PersonEditor({ person, index, onChange: onIndexed }: PersonEditorProps) {
  const onChange = (next: PersonDraft) => onIndexed(index, next);
  const { t } = useTranslation('household');
  const { form } = useFormEnv();
  const app = personApplicability(person, form);
  const set = answerSetter(PersonDraftSchema, person, onChange);
  const base = ['persons', index] as const;
  const long = form === 'long';
  // Long-form numbering: C1-C10 = D1-D10, D11 -> C15, D12 -> C17.
  const no = (d: number, c = d) => (long ? `C${c}` : `D${d}`);

  const code = (key: PersonCodeKey, item: string, list: CodeList<number>) => {
    const v = visible(app[key], person[key]);
    return (
      v.show && (
        <CodeField key={key} path={[...base, key]} item={item} label={t(`q.${key}`)} list={list} value={person[key]} onChange={set(key)} notApplicable={v.notApplicable} />
      )
    );
  };
  /** D7 / D8: a code, and a place for "another county". */
  const coded = (key: 'residence' | 'hukou', item: string, list: CodeList<number>) => {
    const cur = person[key];
    const place = visible(app[`${key}.place`], cur?.place);
    return (
      <>
        <CodeField
          path={[...base, key]}
          item={item}
          label={t(`q.${key}`)}
          list={list}
          value={cur?.code}
          onChange={(c) => set(key)(c === undefined ? undefined : { ...cur, code: c })}
        />
        {place.show && cur && (
          <PlaceField
            path={[...base, key, 'place']}
            item={item}
            label={t(`q.${key}Place`)}
            value={cur.place}
            onChange={(p) => set(key)(p === undefined ? { code: cur.code } : { ...cur, place: p })}
          />
        )}
      </>
    );
  };

  return (
    <div className="hh-person">
      <TextField kind="text" path={[...base, 'name']} item={no(1)} label={t('q.name')} value={person.name} onChange={set('name')} />
      {code('relationship', no(2), C.RELATIONSHIP)}
      <CitizenIdField
        path={[...base, 'citizenId']}
        item={no(3)}
        label={t('q.citizenId')}
        value={person.citizenId}
        onChange={(id, fill) => {
          const withId = { ...person, ...(fill ? { birth: fill.birth, sex: fill.sex } : {}) };
          return answerSetter(PersonDraftSchema, withId, onChange)('citizenId')(id);
        }}
      />
      {code('sex', no(4), C.SEX)}
      <TextField kind="yearMonth" path={[...base, 'birth']} item={no(5)} label={t('q.birth')} value={person.birth} onChange={set('birth')} />
      <EthnicityField path={[...base, 'ethnicity']} item={no(6)} label={t('q.ethnicity')} value={person.ethnicity} onChange={set('ethnicity')} />
      {coded('residence', no(7), C.RESIDENCE)}
      {coded('hukou', no(8), C.HUKOU)}
      {code('leftHukouDuration', no(9), C.LEFT_HUKOU_DURATION)}
      {code('leftHukouReason', no(10), C.LEFT_HUKOU_REASON)}
      {long ? (
        <PersonLongItems person={person} index={index} app={app} set={set} code={code} />
      ) : (
        <>
          {code('education', 'D11', C.EDUCATION)}
          {code('literate', 'D12', C.YES_NO)}
        </>
      )}
    </div>
  );
});
