// The households behind a signal or a rule (GET /quality/households, docs/OFFICE.md), paged
// with the server's `next`; and an enumerator's households, the same list filtered by enumerator:
// all the enumerator's registrations (signal `sexRatio`, which the contract defines as every
// registration of the node, by district and household number) or only those with confirmed warnings
// (signal `overrideShare`). Each row opens the household read-only.
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { formatTime } from '../format.ts';
import { useServices } from '../services.ts';
import { Crumbs } from './Crumbs.tsx';
import { fetchHouseholds, type HouseholdQuery, type HouseholdRow } from './office-api.ts';
import { officeHref } from './office-route.ts';
import { LoadState, useDesk, useLoad } from './office-ui.tsx';

/** The signal id that lists every registration of a node (OFFICE.md: sexRatio, sexRatioAtBirth, familySize do). */
export const ALL_REGISTRATIONS = 'sexRatio';

/** A signal's or rule's name for a heading: `rule:X` names the rule. */
export function useSignalLabel(): (signal: string) => string {
  const { t } = useTranslation('office');
  return (signal) => (signal.startsWith('rule:') ? t('households.rule', { rule: signal.slice(5) }) : t(`quality.signals.${signal}`));
}

export function HouseholdsView(props: { area: string | undefined; signal: string; enumerator?: string | undefined; day?: string | undefined }) {
  const { t } = useTranslation('office');
  const label = useSignalLabel();
  const what = [label(props.signal), props.enumerator ? t('households.ofEnumerator', { name: props.enumerator }) : '', props.day ? t('households.onDay', { day: props.day }) : ''].filter(Boolean).join(' · ');
  const heading = t('households.behind', { what });
  return (
    <>
      <Crumbs area={props.area} extra={[{ label: t('tabs.quality'), href: officeHref({ kind: 'node', area: props.area, tab: 'quality' }) }, { label: heading }]} />
      <h1>{heading}</h1>
      <HouseholdList query={{ area: props.area, signal: props.signal, enumerator: props.enumerator, day: props.day }} />
    </>
  );
}

export function EnumeratorView(props: { area: string; username: string }) {
  const { t } = useTranslation('office');
  const [signal, setSignal] = useState<string>(ALL_REGISTRATIONS);
  const heading = t('households.ofEnumerator', { name: props.username });
  return (
    <>
      <Crumbs area={props.area} extra={[{ label: heading }]} />
      <h1>{heading}</h1>
      <div className="row" role="group" aria-label={t('households.show')}>
        <button type="button" className="btn btn-small" aria-pressed={signal === ALL_REGISTRATIONS} onClick={() => setSignal(ALL_REGISTRATIONS)}>
          {t('households.all')}
        </button>
        <button type="button" className="btn btn-small" aria-pressed={signal === 'overrideShare'} onClick={() => setSignal('overrideShare')}>
          {t('households.withOverrides')}
        </button>
      </div>
      <HouseholdList query={{ area: props.area, signal, enumerator: props.username }} />
    </>
  );
}

interface More {
  key: string;
  rows: HouseholdRow[];
  next: string | null | undefined;
  loading: boolean;
  error: string | null;
}

/** The first page, then each next page appended on "more" (a page for another query is dropped). */
export function HouseholdList(props: { query: HouseholdQuery }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const desk = useDesk();
  const q = props.query;
  const key = JSON.stringify([q.area ?? '', q.signal, q.enumerator ?? '', q.day ?? '']);
  const first = useLoad(() => fetchHouseholds(desk.api, q), key);
  const [more, setMore] = useState<More | null>(null);
  if (first.state !== 'ok') return <LoadState loaded={first} />;
  const extra = more?.key === key ? more : null;
  const rows = [...first.value.households, ...(extra?.rows ?? [])];
  const next = extra ? extra.next : first.value.next;

  async function loadMore(after: string) {
    const base = extra ?? { key, rows: [], next: after, loading: false, error: null };
    setMore({ ...base, loading: true, error: null });
    const r = await fetchHouseholds(desk.api, { ...q, after });
    setMore((m) => {
      if (m?.key !== key) return m;
      return r.ok ? { key, rows: [...m.rows, ...r.value.households], next: r.value.next, loading: false, error: null } : { ...m, loading: false, error: r.message };
    });
  }

  if (!rows.length) return <p>{t('households.none')}</p>;
  return (
    <section className="card" aria-label={t('households.heading')}>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('households.table')}>
        <table className="data cards-narrow" data-testid="households">
          <thead>
            <tr>
              <th scope="col">{t('households.no')}</th>
              <th scope="col">{t('households.head')}</th>
              <th scope="col">{t('households.enumerator')}</th>
              <th scope="col">{t('households.persons')}</th>
              <th scope="col">{t('households.births')}</th>
              <th scope="col">{t('households.deaths')}</th>
              <th scope="col">{t('households.overrides')}</th>
              <th scope="col">{t('households.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr key={h.householdId} data-testid="household-row" data-id={h.householdId}>
                <th scope="row">
                  <a href={officeHref({ kind: 'household', id: h.householdId })} aria-label={t('households.open', { district: h.districtCode, no: h.householdNo })}>
                    <span className="code">{h.districtCode}</span> {h.householdNo}
                  </a>
                </th>
                <td data-label={t('households.head')}>{h.headName || '—'}</td>
                <td data-label={t('households.enumerator')}>{h.enumerator || '—'}</td>
                <td data-label={t('households.persons')}>{h.persons}</td>
                <td data-label={t('households.births')}>{h.births}</td>
                <td data-label={t('households.deaths')}>{h.deaths}</td>
                <td data-label={t('households.overrides')}>{h.overrides.length ? h.overrides.map((r) => <code key={r}>{r} </code>) : '—'}</td>
                <td data-label={t('households.updated')}>{h.updatedAt ? formatTime(h.updatedAt, i18n.language, now()) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {extra?.error && (
        <p className="alert alert-error" role="alert">
          {t('loadFailed', { message: extra.error })}
        </p>
      )}
      {next && (
        <button type="button" className="btn" disabled={extra?.loading} onClick={() => void loadMore(next)}>
          {extra?.loading ? t('loading') : t('households.more')}
        </button>
      )}
    </section>
  );
}
