// The four census forms of one household, with every dependency passed in: the listing entry, the
// draft to start from, the edit checks and the save operation. HouseholdPage wires these to the
// phone's database; tests may wire them to anything.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RELATIONSHIP,
  staleOverrides,
  type DeathDraft,
  type Finding,
  type FindingPath,
  type HouseholdDraft,
  type ListingEntry,
  type OverrideReason,
  type OverseasPersonDraft,
  type PersonDraft,
  type RegistrationDraft,
} from '../../../domain/index.ts';
import type { OpResult } from '../../db/operations.ts';
import { FormEnvContext, type FormEnv } from './context.ts';
import { DeathEditor } from './DeathEditor.tsx';
import { countFindings, FindingList } from './FindingList.tsx';
import { HouseholdItems } from './HouseholdItems.tsx';
import { completionBlockers, isMissingAnswer, missingAnswers } from './completion.ts';
import { OverseasEditor } from './OverseasEditor.tsx';
import { samePath } from './paths.ts';
import { PersonEditor } from './PersonEditor.tsx';
import { RecordList } from './RecordList.tsx';
import { SaveBar, type Notice } from './SaveBar.tsx';
import { Section } from './Section.tsx';
import { useDraft } from './useDraft.ts';
import { useFindings, type Validate } from './useFindings.ts';
import { useJump, type SectionKey } from './useJump.ts';

export type SaveResult = OpResult<{ registration: RegistrationDraft }>;

export interface HouseholdFormProps {
  listing: ListingEntry;
  initial: RegistrationDraft;
  validate: Validate;
  save: (reg: RegistrationDraft) => Promise<SaveResult>;
  newId: () => string;
  onClose: () => void;
  onDirtyChange?: ((dirty: boolean) => void) | undefined;
  validationDelayMs?: number;
}

export function HouseholdForm(p: HouseholdFormProps) {
  const { t, i18n } = useTranslation('household');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const { draft, revision, dirty, edit, saved } = useDraft(p.initial);
  const [completeTried, setCompleteTried] = useState(false);
  const [busy, setBusy] = useState(false);
  // A notice belongs to the revision it was about; a later edit makes it stale (except "NOT saved").
  const [noticeAt, setNoticeAt] = useState<{ notice: Notice; revision: number } | undefined>(undefined);
  const { validate } = p;
  // After a first "complete" attempt, missing always-asked answers show as findings too.
  const validateAll = useCallback<Validate>((reg, ctx) => {
    const f = validate(reg, ctx);
    return completeTried ? [...f, ...missingAnswers(reg, f)] : f;
  }, [validate, completeTried]);
  const { findings, validateNow } = useFindings(draft, p.listing, validateAll, p.validationDelayMs);
  const jump = useJump(draft, p.initial.persons.slice(0, 1).map((x) => x.id));
  const { onDirtyChange } = p;
  // Stable callbacks, so a keystroke re-renders only the record it changed (the editors are memo).
  const onHousehold = useCallback((household: HouseholdDraft) => edit({ type: 'household', household }), [edit]);
  const onPerson = useCallback((index: number, item: PersonDraft) => edit({ type: 'person', index, item }), [edit]);
  const onDeath = useCallback((index: number, item: DeathDraft) => edit({ type: 'death', index, item }), [edit]);
  const onOverseas = useCallback((index: number, item: OverseasPersonDraft) => edit({ type: 'overseasPerson', index, item }), [edit]);

  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);
  // Leaving the screen (saved or discarded) leaves nothing unsaved behind in it.
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);
  const notice = noticeAt && (noticeAt.notice.kind === 'storageFull' || noticeAt.revision === revision) ? noticeAt.notice : undefined;
  const setNotice = (n: Notice | undefined, at = revision) => setNoticeAt(n && { notice: n, revision: at });

  const env = useMemo<FormEnv>(
    () => ({
      lang,
      form: draft.form,
      // An unanswered question is not flagged beside its field until the first "complete": a new
      // form would otherwise open as a wall of red. The summary lists them from the start.
      findingsAt: (path: FindingPath) => findings.filter((f) => samePath(f.path, path) && (completeTried || !isMissingAnswer(f))),
      overrides: draft.overrides,
      confirm: (finding: Finding, reason: OverrideReason, note: string) => edit({ type: 'confirm', finding, reason, note }),
      unconfirm: (finding: Finding) => edit({ type: 'unconfirm', finding }),
    }),
    [lang, draft.form, draft.overrides, findings, edit, completeTried],
  );

  const runSave = async (status: 'draft' | 'complete') => {
    setBusy(true);
    const at = revision;
    try {
      // Confirmations of warnings that are gone (the answer changed since) are not sent along.
      const stale = staleOverrides(validate(draft, { listing: p.listing }), draft.overrides);
      const r = await p.save({ ...draft, status, overrides: draft.overrides.filter((o) => !stale.includes(o)) });
      if (r.ok) {
        saved(at, r.registration);
        setNotice({ kind: status === 'complete' ? 'completed' : 'saved', version: r.registration.version });
      } else if (r.reason === 'storageFull') setNotice({ kind: 'storageFull' });
      else if (r.reason === 'incomplete') setNotice({ kind: 'blocked', ...countFindings(r.findings, draft.overrides), missing: 0 });
      else setNotice({ kind: 'failed', detail: r.reason === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : r.what });
    } finally {
      setBusy(false);
    }
  };

  const complete = async () => {
    setCompleteTried(true);
    const f = validateNow();
    const missing = missingAnswers(draft, f);
    const blockers = completionBlockers(f, draft);
    if (blockers.length > 0 || missing.length > 0) {
      setNotice({ kind: 'blocked', ...countFindings(blockers, draft.overrides), missing: missing.length });
      jump.jumpTo(['findings']);
      return;
    }
    await runSave('complete');
  };

  const wholeHouseholdDeceased = p.listing.kind === 'allDeceased' || p.listing.householdNo === '999';
  const relLabel = (code: number | undefined) => RELATIONSHIP.find((r) => r.code === code)?.[lang];
  const where = (f: Finding): string => {
    const [head, index] = f.path;
    if (head === 'persons' || head === 'deaths' || head === 'overseas') {
      const rec = typeof index === 'number' ? draft[head][index] : undefined;
      const name = rec?.name ?? t('record.unnamed');
      return typeof index === 'number' ? t(`where.${head}`, { n: index + 1, name }) : t(`section.${head}`);
    }
    return head === 'household' ? t('section.household') : t('section.whole');
  };
  const counts = countFindings(findings, draft.overrides);
  const section = (key: SectionKey, count?: number) => ({
    id: `f-${key}`,
    title: t(`section.${key}`) + (count !== undefined ? ` (${count})` : ''),
    open: jump.sections.has(key),
    onToggle: () => jump.toggleSection(key),
  });

  return (
    <FormEnvContext.Provider value={env}>
      <div className="hh-form stack">
        <header className="hh-header">
          <h1>{t('title', { no: p.listing.householdNo, head: p.listing.headName })}</h1>
          <p className="muted">{p.listing.address}</p>
          <p>
            <span className="badge badge-info">{t(`formKind.${draft.form}`)}</span>{' '}
            <span className={`badge ${draft.status === 'complete' ? 'badge-ok' : 'badge-warn'}`}>{t(`status.${draft.status}`)}</span>
          </p>
          {draft.source === 'self' && <p className="alert alert-info" role="note">{t('selfBanner')}</p>}
        </header>

        <Section {...section('household')}>
          <HouseholdItems household={draft.household} wholeHouseholdDeceased={wholeHouseholdDeceased} onChange={onHousehold} />
        </Section>

        <Section {...section('persons', draft.persons.length)}>
          <RecordList
            list="persons"
            items={draft.persons}
            title={(x) => `${x.name ?? t('record.unnamed')}${x.relationship !== undefined ? ` · ${relLabel(x.relationship)}` : ''}`}
            open={jump.cards}
            onToggle={jump.toggleCard}
            render={(x, i) => <PersonEditor person={x} index={i} onChange={onPerson} />}
            addLabel={t('action.addPerson')}
            onAdd={() => addRecord('persons')}
            onRemove={(i) => edit({ type: 'remove', list: 'persons', index: i })}
            onMove={(i, by) => edit({ type: 'move', list: 'persons', index: i, by })}
          />
        </Section>

        <Section {...section('deaths', draft.deaths.length)}>
          <p className="muted">{t('hint.deaths')}</p>
          <RecordList
            list="deaths"
            items={draft.deaths}
            title={(x) => x.name ?? t('record.unnamed')}
            open={jump.cards}
            onToggle={jump.toggleCard}
            render={(x, i) => <DeathEditor death={x} index={i} onChange={onDeath} />}
            addLabel={t('action.addDeath')}
            onAdd={() => addRecord('deaths')}
            onRemove={(i) => edit({ type: 'remove', list: 'deaths', index: i })}
          />
        </Section>

        <Section {...section('overseas', draft.overseas.length)}>
          <p className="muted">{t('hint.overseas')}</p>
          <RecordList
            list="overseas"
            items={draft.overseas}
            title={(x) => x.name ?? t('record.unnamed')}
            open={jump.cards}
            onToggle={jump.toggleCard}
            render={(x, i) => <OverseasEditor person={x} index={i} onChange={onOverseas} />}
            addLabel={t('action.addOverseas')}
            onAdd={() => addRecord('overseas')}
            onRemove={(i) => edit({ type: 'remove', list: 'overseas', index: i })}
          />
        </Section>

        <Section {...section('findings')} badge={<span className={`badge ${counts.errors ? 'badge-err' : counts.warnings ? 'badge-warn' : 'badge-ok'}`}>{t('finding.badge', counts)}</span>}>
          <FindingList findings={findings} where={where} onJump={(f) => jump.jumpTo(f.path)} />
        </Section>

        <SaveBar
          busy={busy}
          dirty={dirty}
          notice={notice}
          onSave={() => void runSave('draft')}
          onComplete={() => void complete()}
          onClose={p.onClose}
          onDismiss={() => setNotice(undefined)}
        />
      </div>
    </FormEnvContext.Provider>
  );

  function addRecord(list: 'persons' | 'deaths' | 'overseas') {
    const id = p.newId();
    edit({ type: 'add', list, id });
    jump.openCard(id);
  }
}
