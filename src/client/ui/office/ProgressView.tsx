// A node's progress (GET /progress?area=): households by visit outcome, registrations, persons,
// the schedule share done against expected, open review work, phones with queued items; its
// children as a sortable table (those behind schedule first), or for a district its enumerators.
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { ProgressBar } from '../ProgressBar.tsx';
import { formatTime } from '../format.ts';
import { useServices } from '../services.ts';
import { fetchQualityEnumerators, type Progress, type Totals } from './office-api.ts';
import { CHILD_COLUMNS, doneShare, isBehind, nextSort, sortChildren, type ChildColumn, type ChildSort } from './children-sort.ts';
import { officeHref } from './office-route.ts';
import { NameCode, pct, useDesk, useLoad } from './office-ui.tsx';

export function ProgressView(props: { progress: Progress }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const p = props.progress;
  return (
    <>
      {p.asOf && <p className="muted">{t('asOf', { time: formatTime(p.asOf, i18n.language, now()) })}</p>}
      {p.totals.reopened > 0 && (
        // A push after acceptance reopens a district: the office is told here, not only in a count.
        <p className="alert alert-warning" role="status" data-testid="reopened-alert">
          {t('reopenedAlert', { count: p.totals.reopened })} <a href={officeHref({ kind: 'node', area: p.area || undefined, tab: 'acceptance' })}>{t('reopenedOpen')}</a>
        </p>
      )}
      <TotalsCard totals={p.totals} />
      {p.enumerators ? <DistrictEnumerators progress={p} /> : <ChildrenTable progress={p} />}
    </>
  );
}

export function ScheduleLine(props: { totals: Totals }) {
  const { t } = useTranslation('office');
  const s = props.totals.schedule;
  if (!s) return <p className="muted">{t('schedule.unknown')}</p>;
  return (
    <div className="schedule" data-testid="schedule">
      <p>
        <strong>{t(`schedule.phase.${s.phase ?? 'none'}`)}</strong> · {t('schedule.summary', { done: pct(s.done), expected: pct(s.expected) })}{' '}
        <span className={`badge ${s.behind ? 'badge-err' : 'badge-ok'}`}>{t(s.behind ? 'schedule.behind' : 'schedule.onTrack')}</span>
      </p>
      <div className="schedule-bar" aria-hidden="true">
        <span className="schedule-done" style={{ width: `${s.done * 100}%` }} />
        <span className="schedule-expected" style={{ left: `${s.expected * 100}%` }} />
      </div>
    </div>
  );
}

function TotalsCard(props: { totals: Totals }) {
  const { t } = useTranslation('office');
  const x = props.totals;
  const items: [string, number][] = [
    ['totals.districts', x.districts],
    ['totals.listing', x.listing],
    ['totals.complete', x.registrations.complete],
    ['totals.draft', x.registrations.draft],
    ['totals.persons', x.persons],
    ['totals.births', x.births],
    ['totals.deaths', x.deaths],
    ['totals.withErrors', x.withErrors],
    ['totals.withWarnings', x.withWarnings],
    ['totals.openReview', x.queries.open],
    ['totals.devicesWithQueue', x.devicesWithQueue],
    ['totals.accepted', x.accepted],
    ['totals.submitted', x.submitted],
    ['totals.reopened', x.reopened],
  ];
  return (
    <section className="card stack" aria-labelledby="office-totals" data-testid="node-totals">
      <h2 id="office-totals">{t('totals.heading')}</h2>
      <ScheduleLine totals={x} />
      <h3>{t('visits.heading')}</h3>
      <ProgressBar counts={x.visits} total={x.listing} label={t('visits.heading')} />
      <dl className="office-figures">
        {items.map(([key, v]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ChildrenTable(props: { progress: Progress }) {
  const { t } = useTranslation('office');
  const [sort, setSort] = useState<ChildSort>({ by: 'behind' });
  const rows = sortChildren(props.progress.children, sort);
  if (!rows.length)
    return (
      <section className="card">
        <h2>{t('children.heading')}</h2>
        <p>{t('children.none')}</p>
      </section>
    );
  const cell = (col: Exclude<ChildColumn, 'name'>, x: Totals): string | number => {
    switch (col) {
      case 'listing':
        return x.listing;
      case 'complete':
        return x.registrations.complete;
      case 'persons':
        return x.persons;
      case 'done':
        return pct(doneShare(x));
      case 'expected':
        return pct(x.schedule?.expected);
      case 'openReview':
        return x.queries.open;
      case 'devicesWithQueue':
        return x.devicesWithQueue;
      case 'withErrors':
        return x.withErrors;
    }
  };
  return (
    <section className="card" aria-labelledby="office-children">
      <h2 id="office-children">{t('children.heading')}</h2>
      <p className="muted">{t('children.hint')}</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('children.table')}>
        <table className="data cards-narrow" data-testid="children">
          <thead>
            <tr>
              {CHILD_COLUMNS.map((col) => {
                const active = sort.by === col;
                return (
                  <th key={col} scope="col" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="sort" onClick={() => setSort(nextSort(sort, col))} aria-label={t('children.sortBy', { col: t(`children.${col}`) })}>
                      {t(`children.${col}`)}
                      {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.area} className={isBehind(c.totals) ? 'at-risk' : ''} data-testid="child-row" data-area={c.area}>
                <th scope="row">
                  <a href={officeHref({ kind: 'node', area: c.area, tab: 'progress' })}>
                    <NameCode name={c.name} code={c.area} />
                  </a>
                  {isBehind(c.totals) && <span className="badge badge-err">{t('schedule.behind')}</span>}
                </th>
                {CHILD_COLUMNS.filter((col): col is Exclude<ChildColumn, 'name'> => col !== 'name').map((col) => (
                  <td key={col} data-label={t(`children.${col}`)}>
                    {cell(col, c.totals)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A district's enumerators (from /progress) with their quality figures where the server has them. */
function DistrictEnumerators(props: { progress: Progress }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const desk = useDesk();
  const area = props.progress.area ?? '';
  const quality = useLoad(() => fetchQualityEnumerators(desk.api, area), area);
  const figures = new Map((quality.state === 'ok' ? quality.value : []).map((e) => [e.username, e]));
  const list = props.progress.enumerators ?? [];
  return (
    <section className="card" aria-labelledby="office-enums">
      <h2 id="office-enums">{t('enumerators.heading')}</h2>
      {!list.length ? (
        <p>{t('enumerators.none')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('enumerators.table')}>
          <table className="data cards-narrow" data-testid="enumerators">
            <thead>
              <tr>
                <th scope="col">{t('enumerators.name')}</th>
                <th scope="col">{t('enumerators.complete')}</th>
                <th scope="col">{t('enumerators.pending')}</th>
                <th scope="col">{t('enumerators.lastSeen')}</th>
                <th scope="col">{t('enumerators.overrideShare')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => {
                const q = figures.get(e.username);
                return (
                  <tr key={e.username} data-testid="enumerator-row">
                    <th scope="row">
                      <a href={officeHref({ kind: 'enumerator', area, username: e.username })}>
                        {e.name || e.username} <span className="code">{e.username}</span>
                      </a>
                    </th>
                    <td data-label={t('enumerators.complete')}>{q ? q.complete : '—'}</td>
                    <td data-label={t('enumerators.pending')}>{e.pendingOnDevice ?? '—'}</td>
                    <td data-label={t('enumerators.lastSeen')}>{e.lastSeenAt ? formatTime(e.lastSeenAt, i18n.language, now()) : t('enumerators.never')}</td>
                    <td data-label={t('enumerators.overrideShare')}>{q && q.overrideShare !== null ? `${Math.round(q.overrideShare * 10) / 10}%` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
