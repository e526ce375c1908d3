// Long-form person items C11-C29 (C15 / C17 are D11 / D12 renumbered).
import type { ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import * as C from '../../../domain/index.ts';
import type { Applicability, CodeList, PersonDraft, PersonField } from '../../../domain/index.ts';
import { visible } from './answers.ts';
import { BirthsLastYearField } from './BirthsLastYearField.tsx';
import { CodeField } from './CodeField.tsx';
import { CountsField } from './CountsField.tsx';
import type { PersonCodeKey } from './PersonEditor.tsx';
import { PlaceField } from './PlaceField.tsx';
import { TextField } from './TextField.tsx';
import { TextGroupField } from './TextGroupField.tsx';

export interface PersonLongItemsProps {
  person: PersonDraft;
  index: number;
  app: Record<PersonField, Applicability>;
  set: (key: string) => (value: unknown) => boolean;
  code: (key: PersonCodeKey, item: string, list: CodeList<number>) => ReactNode;
}

const CHILDREN_KEYS = ['male', 'female', 'survivingMale', 'survivingFemale'] as const;
const INDUSTRY_KEYS = ['employer', 'business'] as const;

export function PersonLongItems({ person: p, index, app, set, code }: PersonLongItemsProps) {
  const { t } = useTranslation('household');
  const base = ['persons', index] as const;
  const show = (key: PersonField, value: unknown) => visible(app[key], value);
  const birthPlace = show('birthPlace', p.birthPlace);
  const bpProvince = show('birthPlace.province', p.birthPlace?.province);
  const r5 = show('residence5y', p.residence5y);
  const r5Place = show('residence5y.place', p.residence5y?.place);
  const work = show('work', p.work);
  const hours = show('work.hours', p.work?.hours);
  const industry = show('industry', p.industry);
  const occupation = show('occupation', p.occupation);
  const firstMarriage = show('firstMarriage', p.firstMarriage);
  const children = show('childrenBorn', p.childrenBorn);
  const births = show('birthsLastYear', p.birthsLastYear);

  return (
    <>
      {code('hukouPlaceType', 'C11', C.HUKOU_PLACE_TYPE)}
      {code('ruralLandRights', 'C12', C.HAVE_NOT)}
      {birthPlace.show && (
        <CodeField
          path={[...base, 'birthPlace']}
          item="C13"
          label={t('q.birthPlace')}
          list={C.BIRTH_PLACE}
          value={p.birthPlace?.code}
          notApplicable={birthPlace.notApplicable}
          onChange={(c) => set('birthPlace')(c === undefined ? undefined : { ...p.birthPlace, code: c })}
        />
      )}
      {bpProvince.show && p.birthPlace && (
        <TextField
          kind="text"
          path={[...base, 'birthPlace', 'province']}
          item="C13"
          label={t('place.province')}
          value={p.birthPlace.province}
          notApplicable={bpProvince.notApplicable}
          onChange={(v) => set('birthPlace')(v === undefined ? { code: p.birthPlace?.code } : { ...p.birthPlace, province: v })}
        />
      )}
      {r5.show && (
        <CodeField
          path={[...base, 'residence5y']}
          item="C14"
          label={t('q.residence5y')}
          list={C.RESIDENCE_5Y}
          value={p.residence5y?.code}
          notApplicable={r5.notApplicable}
          onChange={(c) => set('residence5y')(c === undefined ? undefined : { ...p.residence5y, code: c })}
        />
      )}
      {r5Place.show && p.residence5y && (
        <PlaceField
          path={[...base, 'residence5y', 'place']}
          item="C14"
          label={t('q.residence5yPlace')}
          value={p.residence5y.place}
          onChange={(v) => set('residence5y')(v === undefined ? { code: p.residence5y?.code } : { ...p.residence5y, place: v })}
        />
      )}
      {code('education', 'C15', C.EDUCATION)}
      {code('schooling', 'C16', C.SCHOOLING)}
      {code('literate', 'C17', C.YES_NO)}
      {work.show && (
        <CodeField
          path={[...base, 'work']}
          item="C18"
          label={t('q.work')}
          list={C.WORK_STATUS}
          value={p.work?.status}
          notApplicable={work.notApplicable}
          onChange={(s) => set('work')(s === undefined ? undefined : { ...p.work, status: s })}
        />
      )}
      {hours.show && p.work && (
        <TextField
          kind="integer"
          path={[...base, 'work', 'hours']}
          item="C18"
          label={t('q.workHours')}
          value={p.work.hours}
          notApplicable={hours.notApplicable}
          onChange={(h) => set('work')(h === undefined ? { status: p.work?.status } : { ...p.work, hours: h })}
        />
      )}
      {code('employerType', 'C19', C.EMPLOYER_TYPE)}
      {industry.show && (
        <TextGroupField path={[...base, 'industry']} item="C20" label={t('q.industry')} keys={INDUSTRY_KEYS} value={p.industry} onChange={set('industry')} notApplicable={industry.notApplicable} />
      )}
      {occupation.show && (
        <TextField kind="text" path={[...base, 'occupation']} item="C21" label={t('q.occupation')} value={p.occupation} onChange={set('occupation')} notApplicable={occupation.notApplicable} />
      )}
      {code('notWorkingReason', 'C22', C.NOT_WORKING_REASON)}
      {code('livelihood', 'C23', C.LIVELIHOOD)}
      {code('marital', 'C24', C.MARITAL)}
      {firstMarriage.show && (
        <TextField kind="yearMonth" path={[...base, 'firstMarriage']} item="C25" label={t('q.firstMarriage')} value={p.firstMarriage} onChange={set('firstMarriage')} notApplicable={firstMarriage.notApplicable} />
      )}
      {children.show && (
        <CountsField path={[...base, 'childrenBorn']} item="C26" label={t('q.childrenBorn')} keys={CHILDREN_KEYS} value={p.childrenBorn} onChange={set('childrenBorn')} notApplicable={children.notApplicable} />
      )}
      {births.show && (
        <BirthsLastYearField path={[...base, 'birthsLastYear']} item="C27" label={t('q.birthsLastYear')} value={p.birthsLastYear} onChange={set('birthsLastYear')} notApplicable={births.notApplicable} />
      )}
      {code('livingArrangement', 'C28', C.LIVING_ARRANGEMENT)}
      {code('health', 'C29', C.HEALTH)}
    </>
  );
}
