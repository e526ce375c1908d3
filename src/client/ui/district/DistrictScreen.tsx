// A district's household list: search (household number, citizen ID, building, address, head),
// filter by visit outcome or 草稿, the 今日回访 list, a virtualised list, outcome in two taps (row
// button, then the outcome), add a missed household.
import { Suspense, lazy, useDeferredValue, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS, type ListingEntry, type RegistrationDraft, type VisitStatus } from '../../../domain/index.ts';
import { setVisitOutcome } from '../../db/operations.ts';
import { draftListingIds } from '../../db/drafts.ts';
import { useServices } from '../services.ts';
import { navigate } from '../router.ts';
import { opFailureText } from '../op-failure.ts';
import { filterRows, normalizeId, parseQuery, toRows, type ListFilter } from './filter-listing.ts';
import { callbacksDueToday } from './callbacks.ts';
import { HouseholdRow, ROW_HEIGHT } from './HouseholdRow.tsx';
import { VirtualList } from './VirtualList.tsx';
import { OutcomeSheet } from './OutcomeSheet.tsx';
import { MissedHouseholdSheet } from './MissedHouseholdSheet.tsx';

// With the QR library: loaded when a code is made, not with the district list.
const SelfCodeSheet = lazy(() => import('./SelfCodeSheet.tsx').then((m) => ({ default: m.SelfCodeSheet })));

/** Citizen IDs per household, for the ID search: built in memory, never indexed in IndexedDB. */
function citizenIdsOf(regs: readonly RegistrationDraft[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of regs) {
    const ids = (r.persons ?? []).flatMap((p) => (p.citizenId ? [normalizeId(p.citizenId)] : []));
    if (ids.length) out.set(r.listingId, ids);
  }
  return out;
}

export function DistrictScreen(props: { code: string }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const services = useServices();
  const { db } = services;
  const data = useLiveQuery(async () => {
    const [district, entries, regs, drafts] = await Promise.all([
      db.districts.get(props.code),
      db.listing.where('districtCode').equals(props.code).toArray(),
      db.registrations.where('districtCode').equals(props.code).toArray(),
      draftListingIds(db, props.code),
    ]);
    const completed = new Set(regs.filter((r) => r.status === 'complete').map((r) => r.listingId));
    const started = new Set([...drafts, ...regs.filter((r) => r.status !== 'complete').map((r) => r.listingId)]);
    // Self-enumerated households the enumerator has not verified at the door yet (issue 13).
    const toVerify = new Set(regs.filter((r) => r.source === 'self' && r.status === 'complete' && !r.verification).map((r) => r.listingId));
    // "Today" is read with the data, so the rows' memo holds until the data changes.
    return { district, entries, completed, started, toVerify, citizenIds: citizenIdsOf(regs), now: services.now() };
  }, [db, services, props.code]);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<ListFilter>('all');
  const [todayOnly, setTodayOnly] = useState(false);
  const [outcomeFor, setOutcomeFor] = useState<ListingEntry | null>(null);
  const [adding, setAdding] = useState(false);
  const [selfCodeFor, setSelfCodeFor] = useState<ListingEntry | null>(null);
  // The control that opened the sheet: focus goes back to it on close (a tap does not focus a
  // button in every browser, so it is passed rather than read from document.activeElement).
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const deferredQuery = useDeferredValue(query);

  const rows = useMemo(() => (data ? toRows(data.entries, data.completed, { drafts: data.started, citizenIds: data.citizenIds, toVerify: data.toVerify }) : []), [data]);
  const parsed = useMemo(() => parseQuery(deferredQuery), [deferredQuery]);
  const dueToday = useMemo(() => (data ? callbacksDueToday(rows, data.now) : []), [rows, data]);
  const shown = useMemo(() => filterRows(todayOnly ? dueToday : rows, parsed, status), [rows, dueToday, todayOnly, parsed, status]);

  async function choose(entry: ListingEntry, s: VisitStatus, callbackAt?: string) {
    setOutcomeFor(null);
    const r = await setVisitOutcome(db, entry.id, { status: s, ...(callbackAt ? { callbackAt } : {}) });
    setError(r.ok ? null : opFailureText(r, t));
  }

  if (!data) return <p className="page">{t('common.loading')}</p>;
  const now = data.now;
  return (
    <main className="page district">
      <h1>{data.district?.name ?? props.code}</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="d-search">{t('daily.searchLabel')}</label>
          <input id="d-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" aria-describedby="d-search-hint" />
          <span id="d-search-hint" className="hint">
            {t('daily.searchHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="d-filter">{t('district.filterLabel')}</label>
          <select id="d-filter" value={status} onChange={(e) => setStatus(e.target.value as ListFilter)}>
            <option value="all">{t('common.all')}</option>
            <option value="draft">{t('daily.draft')}</option>
            <option value="toVerify">{t('self.filterToVerify')}</option>
            {VISIT_STATUS.map((c) => (
              <option key={c.code} value={c.code}>
                {label(VISIT_STATUS, c.code)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn" aria-pressed={todayOnly} onClick={() => setTodayOnly(!todayOnly)} data-testid="callbacks-today">
          {t('daily.callbacksToday', { count: dueToday.length })}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={(e) => {
            setOpener(e.currentTarget);
            setAdding(true);
          }}
        >
          + {t('district.addMissed')}
        </button>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted" aria-live="polite" data-testid="district-count" data-query={deferredQuery} data-status={status} data-view={todayOnly ? 'callbacks' : 'all'}>
        {todayOnly ? t('daily.callbacksCount', { count: shown.length }) : t('district.count', { count: shown.length })}
      </p>
      {shown.length === 0 ? (
        <p className="alert alert-info">{parsed.kind === 'tooShort' ? t('daily.idTooShort') : todayOnly ? t('daily.noCallbacks') : t('district.noMatch')}</p>
      ) : (
        <VirtualList
          items={shown}
          rowHeight={ROW_HEIGHT}
          height="calc(100vh - 280px)"
          itemKey={(r) => r.entry.id}
          label={todayOnly ? t('daily.callbacksTitle') : (data.district?.name ?? props.code)}
          renderRow={(r) => (
            <HouseholdRow
              row={r}
              now={now}
              onOpen={() => navigate({ name: 'household', listingId: r.entry.id })}
              onOutcome={(el) => {
                setOpener(el);
                setOutcomeFor(r.entry);
              }}
            />
          )}
        />
      )}
      {outcomeFor && (
        <OutcomeSheet
          entry={outcomeFor}
          opener={opener}
          onClose={() => setOutcomeFor(null)}
          onChoose={(s, cb) => void choose(outcomeFor, s, cb)}
          onSelfCode={
            !outcomeFor.longForm && !data.completed.has(outcomeFor.id)
              ? () => {
                  setSelfCodeFor(outcomeFor);
                  setOutcomeFor(null);
                }
              : undefined
          }
        />
      )}
      {selfCodeFor && (
        <Suspense fallback={null}>
          <SelfCodeSheet db={db} entry={selfCodeFor} origin={window.location.origin} opener={opener} onClose={() => setSelfCodeFor(null)} />
        </Suspense>
      )}
      {adding && (
        <MissedHouseholdSheet
          districtCode={props.code}
          opener={opener}
          onClose={() => setAdding(false)}
          onAdded={(id) => {
            setAdding(false);
            navigate({ name: 'household', listingId: id });
          }}
        />
      )}
    </main>
  );
}
