// A district's household list: search (address, head, number), filter by visit outcome, a
// virtualised list, outcome in two taps (row button, then the outcome), add a missed household.
import { useDeferredValue, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { VISIT_STATUS, type ListingEntry, type VisitStatus } from '../../../domain/index.ts';
import { setVisitOutcome } from '../../db/operations.ts';
import { useServices } from '../services.ts';
import { navigate } from '../router.ts';
import { opFailureText } from '../op-failure.ts';
import { filterRows, toRows } from './filter-listing.ts';
import { HouseholdRow, ROW_HEIGHT } from './HouseholdRow.tsx';
import { VirtualList } from './VirtualList.tsx';
import { OutcomeSheet } from './OutcomeSheet.tsx';
import { MissedHouseholdSheet } from './MissedHouseholdSheet.tsx';

export function DistrictScreen(props: { code: string }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const { db } = useServices();
  const data = useLiveQuery(async () => {
    const [district, entries, regs] = await Promise.all([
      db.districts.get(props.code),
      db.listing.where('districtCode').equals(props.code).toArray(),
      db.registrations.where('districtCode').equals(props.code).toArray(),
    ]);
    return { district, entries, completed: new Set(regs.filter((r) => r.status === 'complete').map((r) => r.listingId)) };
  }, [db, props.code]);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<VisitStatus | 'all'>('all');
  const [outcomeFor, setOutcomeFor] = useState<ListingEntry | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deferredQuery = useDeferredValue(query);

  const rows = useMemo(() => (data ? toRows(data.entries, data.completed) : []), [data]);
  const shown = useMemo(() => filterRows(rows, deferredQuery, status), [rows, deferredQuery, status]);

  async function choose(entry: ListingEntry, s: VisitStatus, callbackAt?: string) {
    setOutcomeFor(null);
    const r = await setVisitOutcome(db, entry.id, { status: s, ...(callbackAt ? { callbackAt } : {}) });
    setError(r.ok ? null : opFailureText(r, t));
  }

  if (!data) return <p className="page">{t('common.loading')}</p>;
  return (
    <main className="page district">
      <h1>{data.district?.name ?? props.code}</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="d-search">{t('district.searchLabel')}</label>
          <input id="d-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="d-filter">{t('district.filterLabel')}</label>
          <select id="d-filter" value={status} onChange={(e) => setStatus(e.target.value as VisitStatus | 'all')}>
            <option value="all">{t('common.all')}</option>
            {VISIT_STATUS.map((c) => (
              <option key={c.code} value={c.code}>
                {label(VISIT_STATUS, c.code)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
          + {t('district.addMissed')}
        </button>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted" aria-live="polite" data-testid="district-count" data-query={deferredQuery} data-status={status}>
        {t('district.count', { count: shown.length })}
      </p>
      {shown.length === 0 ? (
        <p className="alert alert-info">{t('district.noMatch')}</p>
      ) : (
        <VirtualList
          items={shown}
          rowHeight={ROW_HEIGHT}
          height="calc(100vh - 280px)"
          itemKey={(r) => r.entry.id}
          label={data.district?.name ?? props.code}
          renderRow={(r) => <HouseholdRow row={r} onOpen={() => navigate({ name: 'household', listingId: r.entry.id })} onOutcome={() => setOutcomeFor(r.entry)} />}
        />
      )}
      {outcomeFor && <OutcomeSheet entry={outcomeFor} onClose={() => setOutcomeFor(null)} onChoose={(s, cb) => void choose(outcomeFor, s, cb)} />}
      {adding && (
        <MissedHouseholdSheet
          districtCode={props.code}
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
