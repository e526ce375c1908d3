// One person's form: D1-D12 (short form) or C1-C29 (long form), showing only the items that apply
// to this person as answered so far (the domain's personApplicability, recomputed every render).
// Members of a household mostly share D6-D10 (ethnic group, residence, hukou, migration): one
// press copies them from the previous person and folds them into one line, which opens again on
// "change" and stays open while any of them has a finding.
import { memo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import * as C from '../../../domain/index.ts';
import { personApplicability, PersonDraftSchema, type CodeList, type PersonDraft } from '../../../domain/index.ts';
import { answerSetter, visible } from './answers.ts';
import { withAnswer } from './parse.ts';
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
  /** D6 codes offered as one-press buttons (comma-separated: the household's and 01). */
  commonEthnicity?: string;
  /** The person before this one in the roster, whose D6-D10 answers may be copied. */
  previous?: PersonDraft | undefined;
}

/** D6-D10: the answers "same as the previous person" copies. */
export const SHARED_KEYS = ['ethnicity', 'residence', 'hukou', 'leftHukouDuration', 'leftHukouReason'] as const;

/** Keys of person answers that are plain integer codes. */
export type PersonCodeKey = { [K in keyof PersonDraft]-?: NonNullable<PersonDraft[K]> extends number ? K : never }[keyof PersonDraft];

export const PersonEditor = memo(function PersonEditor({ person, index, onChange: onIndexed, commonEthnicity, previous }: PersonEditorProps) {
  const onChange = (next: PersonDraft) => onIndexed(index, next);
  const { t } = useTranslation('household');
  const { form, lang, findingsAt } = useFormEnv();
  const [folded, setFolded] = useState(false);
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

  const shared = SHARED_KEYS.filter((k) => person[k] !== undefined);
  const copyable = previous !== undefined && shared.length === 0 && previous.residence !== undefined && previous.hukou !== undefined;
  const copy = () => {
    if (!previous) return;
    let next: PersonDraft = person;
    for (const k of SHARED_KEYS) next = withAnswer(PersonDraftSchema, next, k, previous[k]) ?? next;
    onChange(next);
    setFolded(true);
  };
  const sharedFindings = SHARED_KEYS.some((k) => findingsAt([...base, k]).length > 0 || findingsAt([...base, k, 'place']).length > 0);
  const showFolded = folded && shared.length > 0 && !sharedFindings;
  const codeText = (list: CodeList<number>, v: number | undefined) => {
    const c = list.find((x) => x.code === v);
    return c && `${c.code} ${c[lang]}`;
  };
  const summary = [
    C.ETHNICITY.find((c) => c.code === person.ethnicity)?.[lang],
    codeText(C.RESIDENCE, person.residence?.code),
    codeText(C.HUKOU, person.hukou?.code),
    codeText(C.LEFT_HUKOU_DURATION, person.leftHukouDuration),
    codeText(C.LEFT_HUKOU_REASON, person.leftHukouReason),
  ].filter((x) => x !== undefined);

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
      {copyable && (
        <button type="button" className="btn btn-block hh-same" data-testid="same-as-previous" onClick={copy}>
          {t('same.copy', { from: no(6), to: no(10), n: index })}
        </button>
      )}
      {showFolded ? (
        <div className="hh-folded" data-testid="shared-folded">
          <p className="grow">
            <span className="hh-item">{no(6)}–{no(10)}</span> {t('same.folded', { n: index })}: {summary.join(' · ')}
          </p>
          <button type="button" className="btn btn-small" onClick={() => setFolded(false)}>
            {t('same.change')}
          </button>
        </div>
      ) : (
        <>
          <EthnicityField path={[...base, 'ethnicity']} item={no(6)} label={t('q.ethnicity')} value={person.ethnicity} onChange={set('ethnicity')} {...(commonEthnicity !== undefined ? { common: commonEthnicity } : {})} />
          {coded('residence', no(7), C.RESIDENCE)}
          {coded('hukou', no(8), C.HUKOU)}
          {code('leftHukouDuration', no(9), C.LEFT_HUKOU_DURATION)}
          {code('leftHukouReason', no(10), C.LEFT_HUKOU_REASON)}
        </>
      )}
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
