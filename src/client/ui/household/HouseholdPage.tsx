// The household screen. HouseholdPage loads the listing entry, its registration (or a new one) and
// a kept draft (unsaved input from last time) from the phone's database, and wires the form to the
// real edit checks, the store's save and the drafts table. HouseholdForm is the four census forms
// of one household with every dependency passed in, so tests may wire them to anything.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import {
  staleOverrides,
  validateRegistration,
  type DeathDraft,
  type Finding,
  type FindingPath,
  type HouseholdDraft,
  type ListingEntry,
  type OverrideReason,
  type OverseasPersonDraft,
  type PersonDraft,
  type RegistrationDraft,
  type ReviewQuery,
  ReviewQuerySchema,
} from '../../../domain/index.ts';
import type { PuchaDb } from '../../db/database.ts';
import { deleteDraft, putDraft, readDraft } from '../../db/drafts.ts';
import { saveRegistration, type OpResult, type ReviewLink } from '../../db/operations.ts';
import { listingEntry, registrationByListingId } from '../../db/queries.ts';
import { completionBlockers, isMissingAnswer, missingAnswers } from './completion.ts';
import { FormEnvContext, type FormEnv } from './context.ts';
import { DeathEditor } from './DeathEditor.tsx';
import { newRegistration } from './draft-ops.ts';
import { countFindings, FindingList } from './FindingList.tsx';
import { HouseholdItems } from './HouseholdItems.tsx';
import { OverseasEditor } from './OverseasEditor.tsx';
import { samePath } from './paths.ts';
import { PersonRoster } from './PersonRoster.tsx';
import { RestoredNotice } from './RestoredNotice.tsx';
import { RecordList } from './RecordList.tsx';
import { ReviewAddBanner } from './ReviewAddBanner.tsx';
import { addsThroughForm, findAdded, recordFromSubject } from './review-link.ts';
import { SaveBar, type Notice } from './SaveBar.tsx';
import { Section } from './Section.tsx';
import { useDraft } from './useDraft.ts';
import { VerifyPanel } from './VerifyPanel.tsx';
import { getSession } from '../../db/meta.ts';
import { useFindings, type Validate } from './useFindings.ts';
import { useJump, type SectionKey } from './useJump.ts';
import { serialDrafts, useKeepDraft, type DraftStore } from './useKeepDraft.ts';
import { DefinitionProvider } from '../definitions/DefinitionSheet.tsx';
import './household.css';

/** A save that has not finished by then is reported "not saved" (the form and draft stay). */
export const SAVE_TIMEOUT_MS = 4000;

export interface HouseholdPageProps {
  db: PuchaDb;
  listingId: string;
  onClose: () => void;
  onDirtyChange?: (dirty: boolean) => void;
  saveTimeoutMs?: number;
  draftDelayMs?: number;
  /** The review item (issue 12) whose person is added here: its answer is saved with the household. */
  reviewQueryId?: string | undefined;
  /** Practice mode: each 完成登记 tap, with the blocking findings left (the supervisor's training signal). */
  onCompleteAttempt?: ((a: CompleteAttempt) => Promise<void>) | undefined;
}

/** One tap of 完成登记: how many blocking findings and missing answers stood in the way, and whether it went through. */
export interface CompleteAttempt {
  errors: number;
  completed: boolean;
}

type Loaded =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'ready'; listing: ListingEntry; base: RegistrationDraft; restored?: { reg: RegistrationDraft; at: number }; review?: ReviewQuery; verifierId?: string; generation: number };

/** Loads once: a live query would overwrite the user's edits whenever a sync touches the row. */
function useLoaded(db: PuchaDb, listingId: string, reviewQueryId: string | undefined) {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    void (async () => {
      const listing = await listingEntry(db, listingId);
      if (!live) return;
      if (!listing) return setState({ kind: 'missing' });
      const existing = await registrationByListingId(db, listingId);
      const kept = await readDraft(db, listingId);
      // An item of another district is not this household's to answer.
      const item = reviewQueryId === undefined ? undefined : ReviewQuerySchema.safeParse(await db.queries.get(reviewQueryId));
      const review = item?.success && item.data.districtCode === listing.districtCode ? item.data : undefined;
      // The signed-in user verifies a self-enumerated household (issue 13).
      const verifierId = (await getSession(db))?.user.id;
      if (!live) return;
      let base = existing;
      if (!base) {
        const reg = newRegistration(listing, db.newId, new Date(db.now()));
        // Self-enumeration covers the short form only (census-forms.md §6I).
        const self = listing.selfEnumeration && !listing.longForm && listing.visit.status === 'selfReported';
        base = self ? { ...reg, source: 'self' } : reg;
      }
      // The kept input goes on top of what is stored now (a registration stored since the draft
      // was kept, by a pull or another tab, keeps its id).
      const reg = kept && (existing ? { ...kept.registration, id: existing.id, version: existing.version, updatedAt: existing.updatedAt } : kept.registration);
      const restored = kept && reg && { reg, at: kept.updatedAt };
      setState({ kind: 'ready', listing, base, ...(restored ? { restored } : {}), ...(review ? { review } : {}), ...(verifierId ? { verifierId } : {}), generation: 0 });
    })();
    return () => {
      live = false;
    };
  }, [db, listingId, reviewQueryId]);
  return [state, setState] as const;
}

export function HouseholdPage({ db, listingId, reviewQueryId, onClose, onDirtyChange, saveTimeoutMs, draftDelayMs, onCompleteAttempt }: HouseholdPageProps) {
  const { t } = useTranslation('household');
  const [state, setState] = useLoaded(db, listingId, reviewQueryId);
  const drafts = useMemo<DraftStore>(() => serialDrafts({ keep: (reg) => putDraft(db, reg), discard: () => deleteDraft(db, listingId) }), [db, listingId]);
  const discardRestored = useCallback(() => {
    drafts.discard().catch((e: unknown) => console.warn('draft not discarded', e));
    // A fresh form on what is stored (remounted: nothing of the discarded input stays in it).
    setState((s) => (s.kind === 'ready' ? { kind: 'ready', listing: s.listing, base: s.base, ...(s.review ? { review: s.review } : {}), ...(s.verifierId ? { verifierId: s.verifierId } : {}), generation: s.generation + 1 } : s));
  }, [drafts, setState]);
  if (state.kind === 'loading') return <p className="page">{t('loading')}</p>;
  if (state.kind === 'missing')
    return (
      <main className="page stack">
        <p className="alert alert-error">{t('missing')}</p>
        <button type="button" className="btn" onClick={onClose}>
          {t('action.close')}
        </button>
      </main>
    );
  return (
    <main className="page">
      <HouseholdForm
        key={`${state.base.id}:${state.generation}`}
        listing={state.listing}
        initial={state.restored?.reg ?? state.base}
        stored={state.base}
        {...(state.verifierId ? { verifierId: state.verifierId } : {})}
        validate={validateRegistration}
        save={(reg, review) => saveRegistration(db, reg, review)}
        {...(state.review ? { review: state.review } : {})}
        newId={db.newId}
        onClose={onClose}
        onDirtyChange={onDirtyChange}
        drafts={drafts}
        {...(state.restored ? { restored: { at: state.restored.at }, onDiscardRestored: discardRestored } : {})}
        {...(saveTimeoutMs !== undefined ? { saveTimeoutMs } : {})}
        {...(draftDelayMs !== undefined ? { draftDelayMs } : {})}
        {...(onCompleteAttempt ? { onCompleteAttempt } : {})}
      />
    </main>
  );
}

export type SaveResult = OpResult<{ registration: RegistrationDraft }>;

export interface HouseholdFormProps {
  listing: ListingEntry;
  initial: RegistrationDraft;
  validate: Validate;
  /** `review`: the review item this save answers (the person added for it). */
  save: (reg: RegistrationDraft, review?: ReviewLink) => Promise<SaveResult>;
  /** The review item the form was opened for (issue 12). */
  review?: ReviewQuery;
  /** The version stored on the phone (a self-enumeration's submitted answers), when `initial` is restored input. */
  stored?: RegistrationDraft;
  /** The signed-in user: with it a self-enumerated household is verified here (issue 13). */
  verifierId?: string;
  newId: () => string;
  onClose: () => void;
  onDirtyChange?: ((dirty: boolean) => void) | undefined;
  validationDelayMs?: number;
  saveTimeoutMs?: number;
  /** Where unsaved input is kept; without it nothing is kept. */
  drafts?: DraftStore;
  draftDelayMs?: number;
  /** `initial` is input kept from last time (kept at `at`): the form opens unsaved, and says so. */
  restored?: { at: number };
  onDiscardRestored?: () => void;
  onCompleteAttempt?: (a: CompleteAttempt) => Promise<void>;
}

const TIMED_OUT = Symbol('timed out');

function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export function HouseholdForm(p: HouseholdFormProps) {
  const { t, i18n } = useTranslation('household');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const { draft, revision, dirty, edit, saved } = useDraft(p.initial, p.restored !== undefined);
  const keeper = useKeepDraft(p.drafts, draft, dirty, p.draftDelayMs);
  const [restoredShown, setRestoredShown] = useState(p.restored !== undefined);
  const [completeTried, setCompleteTried] = useState(false);
  const { review } = p;
  // The record added for the review item: found again in a restored draft; the item answered once.
  const [reviewLinked, setReviewLinked] = useState(false);
  const reviewAdded = review ? findAdded(review, draft) : undefined;
  const [busy, setBusy] = useState(false);
  const saveSeq = useRef(0);
  // Self-enumeration: persons the enumerator confirmed with the household as submitted.
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(() => new Set());
  const submitted = p.stored ?? p.initial;
  const changed = useMemo(() => changedPersons(submitted, draft), [submitted, draft]);
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
  // Leaving the screen leaves nothing unsaved behind in it (what was typed stays in the draft).
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);
  const sticky = (n: Notice) => n.kind === 'storageFull' || n.kind === 'notSaved';
  const notice = noticeAt && (sticky(noticeAt.notice) || noticeAt.revision === revision) ? noticeAt.notice : undefined;
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

  const applySaved = (r: SaveResult, status: 'draft' | 'complete', at: number) => {
    if (r.ok) {
      // The store deleted the draft with the save; later edits are kept again by useKeepDraft.
      saved(at, r.registration);
      setRestoredShown(false);
      setNotice({ kind: status === 'complete' ? 'completed' : 'saved', version: r.registration.version }, at);
      return;
    }
    keeper.flush(true); // not stored: the draft must hold everything typed
    if (r.reason === 'storageFull') setNotice({ kind: 'storageFull' });
    else if (r.reason === 'incomplete') setNotice({ kind: 'blocked', ...countFindings(r.findings, draft.overrides), missing: 0 });
    else setNotice({ kind: 'failed', detail: r.reason === 'invalid' ? r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : r.what });
  };

  const runSave = async (status: 'draft' | 'complete', extra?: Pick<RegistrationDraft, 'verification'>) => {
    const seq = ++saveSeq.current;
    setBusy(true);
    // The save stores this very state: a draft write still due would only outlive it.
    keeper.cancel();
    const at = revision;
    try {
      // Confirmations of warnings that are gone (the answer changed since) are not sent along.
      const stale = staleOverrides(validate(draft, { listing: p.listing }), draft.overrides);
      const link: ReviewLink | undefined = review && !reviewLinked && addsThroughForm(review) && reviewAdded !== undefined ? { queryId: review.id, personId: reviewAdded } : undefined;
      const input: RegistrationDraft = { ...draft, ...extra, status, overrides: draft.overrides.filter((o) => !stale.includes(o)) };
      // After any draft write still on its way (the save deletes the draft; it must be the last).
      const pending = keeper.settled().then(() => p.save(input, link)).then((r) => {
        if (r.ok && link) setReviewLinked(true);
        return r;
      });
      const r = await within(pending, p.saveTimeoutMs ?? SAVE_TIMEOUT_MS);
      if (r !== TIMED_OUT) {
        // Practice: counted before the notice, so what the notice reports is also counted.
        if (p.onCompleteAttempt && status === 'complete' && (r.ok || r.reason === 'incomplete')) {
          await p.onCompleteAttempt(r.ok ? { errors: 0, completed: true } : { errors: completionBlockers(r.findings, draft).length, completed: false });
        }
        return applySaved(r, status, at);
      }
      // Chromium's IndexedDB hangs on a full disk instead of failing: say so, keep everything,
      // and take the answer should the store finish after all.
      keeper.flush(true);
      setNotice({ kind: 'notSaved' });
      pending.then(
        // A later save has the last word: an older one finishing late says nothing over it.
        (late) => {
          if (seq === saveSeq.current) applySaved(late, status, at);
        },
        (e: unknown) => console.error('save failed late', e),
      );
    } finally {
      setBusy(false);
    }
  };

  const complete = async (extra?: Pick<RegistrationDraft, 'verification'>) => {
    setCompleteTried(true);
    const f = validateNow();
    const missing = missingAnswers(draft, f);
    const blockers = completionBlockers(f, draft);
    if (blockers.length > 0 || missing.length > 0) {
      // Only practice waits for its count; the real form answers at once.
      if (p.onCompleteAttempt) await p.onCompleteAttempt({ errors: blockers.length + missing.length, completed: false });
      keeper.flush(); // refused: what was typed stays kept
      setNotice({ kind: 'blocked', ...countFindings(blockers, draft.overrides), missing: missing.length });
      jump.jumpTo(['findings']);
      return;
    }
    await runSave('complete', extra);
  };

  const finishVerification = () => {
    if (!p.verifierId) return;
    const corrected = changed.size > 0 || differs(submitted, draft);
    void complete({ verification: { by: p.verifierId, at: new Date().toISOString(), outcome: corrected ? 'corrected' : 'confirmed' } });
  };

  const leave = () => {
    keeper.stop();
    p.drafts?.discard().catch((e: unknown) => console.warn('draft not discarded', e));
    p.onClose();
  };
  const discardRestored = () => {
    keeper.stop();
    setRestoredShown(false);
    p.onDiscardRestored?.();
  };

  /** Shows person `index`; one past the last adds a person first. */
  const showPerson = (index: number) => {
    if (index < draft.persons.length) return jump.showPerson(index);
    const id = p.newId();
    edit({ type: 'add', list: 'persons', id });
    jump.showPerson(index, id);
  };

  const wholeHouseholdDeceased = p.listing.kind === 'allDeceased' || p.listing.householdNo === '999';
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
      <DefinitionProvider>
      <div className="hh-form stack">
        <header className="hh-header">
          <h1>{t('title', { no: p.listing.householdNo, head: p.listing.headName })}</h1>
          <p className="muted">{p.listing.address}</p>
          <p>
            <span className="badge badge-info">{t(`formKind.${draft.form}`)}</span>{' '}
            <span className={`badge ${draft.status === 'complete' ? 'badge-ok' : 'badge-warn'}`}>{t(`status.${draft.status}`)}</span>
          </p>
          {draft.source === 'self' && p.verifierId && draft.status === 'complete' ? (
            <VerifyPanel
              persons={draft.persons}
              confirmed={confirmed}
              changed={changed}
              verification={draft.verification}
              busy={busy}
              onConfirm={(id) => setConfirmed((c) => new Set([...c, id]))}
              onCorrect={(i) => showPerson(i)}
              onFinish={finishVerification}
            />
          ) : (
            draft.source === 'self' && <p className="alert alert-info" role="note">{t('selfBanner')}</p>
          )}
          {restoredShown && p.restored && <RestoredNotice at={p.restored.at} onDiscard={discardRestored} />}
          {review && (
            <ReviewAddBanner
              query={review}
              added={reviewAdded !== undefined}
              addedName={[...draft.persons, ...draft.deaths].find((x) => x.id === reviewAdded)?.name}
              linked={reviewLinked}
              onAdd={addReviewRecord}
            />
          )}
        </header>

        <Section {...section('household')}>
          <HouseholdItems household={draft.household} wholeHouseholdDeceased={wholeHouseholdDeceased} onChange={onHousehold} />
        </Section>

        <Section {...section('persons', draft.persons.length)}>
          <PersonRoster
            persons={draft.persons}
            lang={lang}
            open={jump.cards}
            onToggle={jump.toggleCard}
            onChange={onPerson}
            findings={findings}
            missingShown={completeTried}
            onShow={showPerson}
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
          onLeave={leave}
          onDismiss={() => setNotice(undefined)}
        />
      </div>
      </DefinitionProvider>
    </FormEnvContext.Provider>
  );

  function addReviewRecord() {
    if (!review) return;
    const rec = recordFromSubject(review, p.newId());
    if (rec.list === 'persons') {
      edit({ type: 'addPerson', item: rec.item });
      jump.showPerson(draft.persons.length, rec.item.id);
    } else {
      edit({ type: 'addDeath', item: rec.item });
      jump.openCard(rec.item.id);
    }
  }

  function addRecord(list: 'deaths' | 'overseas') {
    const id = p.newId();
    edit({ type: 'add', list, id });
    jump.openCard(id);
  }
}

/** Persons whose answers differ from the submitted version, or who were not in it. */
function changedPersons(submitted: RegistrationDraft, draft: RegistrationDraft): ReadonlySet<string> {
  const before = new Map(submitted.persons.map((x) => [x.id, JSON.stringify(x)]));
  return new Set(draft.persons.filter((x) => before.get(x.id) !== JSON.stringify(x)).map((x) => x.id));
}

/** Anything but the persons' own answers changed: household items, deaths, overseas, persons removed. */
function differs(submitted: RegistrationDraft, draft: RegistrationDraft): boolean {
  return (
    JSON.stringify(submitted.household) !== JSON.stringify(draft.household) ||
    JSON.stringify(submitted.deaths) !== JSON.stringify(draft.deaths) ||
    JSON.stringify(submitted.overseas) !== JSON.stringify(draft.overseas) ||
    submitted.persons.length !== draft.persons.length
  );
}
