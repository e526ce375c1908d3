// The census office's desk (issue 14), lazily loaded for supervisors, offices and admins: a node
// of the hierarchy with its views (progress drill-down, daily report, quality signals,
// acceptance), an enumerator's households, the households behind a signal, one household
// read-only. Reads the server directly (docs/OFFICE.md): these users work online.
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { Session } from '../../db/rows.ts';
import { useServices } from '../services.ts';
import { parseOffice, officeHref, TABS, levelOf, type Tab } from './office-route.ts';
import { DeskContext, LoadState, NameCode, remember, useDesk, useLoad } from './office-ui.tsx';
import { fetchProgress, type Progress } from './office-api.ts';
import { Crumbs } from './Crumbs.tsx';
import { ProgressView } from './ProgressView.tsx';
import { DailyReport } from './DailyReport.tsx';
import { QualityView } from './QualityView.tsx';
import { AcceptanceView } from './AcceptanceView.tsx';
import { EnumeratorView, HouseholdsView } from './HouseholdsView.tsx';
import { HouseholdView } from './HouseholdView.tsx';
import './office.css';

export function OfficeScreen(props: { session: Session; path: readonly string[] }) {
  return (
    <Suspense fallback={<p className="page">…</p>}>
      <OfficeDesk {...props} />
    </Suspense>
  );
}

function OfficeDesk(props: { session: Session; path: readonly string[] }) {
  const { t } = useTranslation('office');
  const services = useServices();
  const [names] = useState(() => new Map<string, string>());
  const desk = useMemo(() => ({ api: services.api(props.session), session: props.session, names }), [services, props.session, names]);
  const view = parseOffice(props.path);
  let body;
  switch (view.kind) {
    case 'node':
      body = <NodeView key={`${view.area ?? ''}`} area={view.area} tab={view.tab} />;
      break;
    case 'enumerator':
      body = <EnumeratorView area={view.area} username={view.username} />;
      break;
    case 'households':
      body = <HouseholdsView area={view.area} signal={view.signal} enumerator={view.enumerator} day={view.day} />;
      break;
    case 'household':
      body = <HouseholdView id={view.id} />;
      break;
  }
  return (
    <DeskContext.Provider value={desk}>
      <main className="page stack office" aria-label={t('title')}>
        {body}
      </main>
    </DeskContext.Provider>
  );
}

/** A node of the hierarchy: its name and code, the breadcrumbs, the views as tabs. */
function NodeView(props: { area: string | undefined; tab: Tab }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const progress = useLoad(() => fetchProgress(desk.api, props.area), props.area ?? '');
  const p: Progress | null = progress.state === 'ok' ? progress.value : null;
  if (p) remember(desk.names, [p, ...p.children]);
  const area = p?.area ?? props.area ?? null;
  const level = levelOf(area);
  return (
    <>
      <Crumbs area={props.area} />
      <div className="row office-title">
        <h1 className="grow">
          <span className="level">{t(`levels.${level}`)}</span>{' '}
          {area ? <NameCode name={p?.name ?? desk.names.get(area)} code={area} /> : p?.name || t('title')}
        </h1>
        <button type="button" className="btn" onClick={progress.reload}>
          {t('refresh')}
        </button>
      </div>
      <nav className="office-tabs" aria-label={t('tabs.label')}>
        {TABS.map((tab) => (
          <a key={tab} href={officeHref({ kind: 'node', area: props.area, tab })} aria-current={tab === props.tab ? 'page' : undefined}>
            {t(`tabs.${tab}`)}
          </a>
        ))}
      </nav>
      {props.tab === 'progress' && (p ? <ProgressView progress={p} /> : <LoadState loaded={progress} />)}
      {props.tab === 'report' && <DailyReport area={props.area} />}
      {props.tab === 'quality' && <QualityView area={props.area} />}
      {props.tab === 'acceptance' && <AcceptanceView area={props.area} progress={p} />}
    </>
  );
}
