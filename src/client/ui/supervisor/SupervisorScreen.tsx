// Supervisor dashboard (phone and laptop widths): the scope's totals (GET /progress), enumerators
// with those at risk on top, district progress by visit outcome (GET /supervision/status), review
// queries (create, resolve answered ones), citizen IDs held by two households, and the downloads: XLSX first (for people), CSV second
// (for machines, its BOM kept byte for byte). Every count on load comes from the status and
// progress answers; an export is fetched only when the user asks for a file or a district's
// households. Reads the server directly: supervisors need it online.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { ReviewQuery } from '../../../domain/index.ts';
import type { Session } from '../../db/rows.ts';
import { useServices } from '../services.ts';
import { XLSX_TYPE, fetchCsv, fetchProgress, fetchQueries, fetchStatus, fetchXlsx, type ProgressTotals, type SupervisionStatus } from './supervision-api.ts';
import { EnumeratorTable } from './EnumeratorTable.tsx';
import { DistrictPanel } from './DistrictPanel.tsx';
import { AnsweredQueries } from './AnsweredQueries.tsx';
import { DuplicateIds } from './DuplicateIds.tsx';

export function SupervisorScreen(props: { session: Session }) {
  const { t } = useTranslation();
  const services = useServices();
  const api = useMemo(() => services.api(props.session), [services, props.session]);
  const [status, setStatus] = useState<SupervisionStatus | null>(null);
  const [totals, setTotals] = useState<ProgressTotals | null>(null);
  const [preparing, setPreparing] = useState<'xlsx' | 'csv' | null>(null);
  const [queries, setQueries] = useState<ReviewQuery[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => {
    setLoading(true);
    setGeneration((g) => g + 1);
  }, []);

  useEffect(() => {
    let live = true;
    void Promise.all([fetchStatus(api), fetchQueries(api), fetchProgress(api)]).then(([s, q, p]) => {
      if (!live) return;
      setLoading(false);
      // The totals are a summary: without them (an older server, no district yet) the rest stands.
      setTotals(p.ok ? p.value : null);
      if (!s.ok) return setError(t('supervisor.loadFailed', { message: s.message }));
      setStatus(s.value);
      setQueries(q.ok ? q.value : []);
      setError(q.ok ? null : t('supervisor.loadFailed', { message: q.message }));
    });
    return () => {
      live = false;
    };
  }, [api, t, generation]);

  async function download(format: 'xlsx' | 'csv') {
    setPreparing(format);
    const r = format === 'xlsx' ? await fetchXlsx(api) : await fetchCsv(api);
    setPreparing(null);
    if (!r.ok) return setError(t('supervisor.loadFailed', { message: r.message }));
    const day = new Date(services.now()).toISOString().slice(0, 10);
    // A Blob of the received Blob: the same bytes (the CSV's BOM first), typed for the download.
    const type = format === 'xlsx' ? XLSX_TYPE : 'text/csv;charset=utf-8';
    services.saveFile({ filename: `pucha-export-${day}.${format}`, blob: new Blob([r.value], { type }), count: 0 });
  }

  return (
    <main className="page stack supervisor">
      <div className="row">
        <h1 className="grow">{t('supervisor.title')}</h1>
        <button type="button" className="btn" onClick={() => reload()} disabled={loading}>
          {loading ? t('common.loading') : t('supervisor.refresh')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void download('xlsx')} disabled={preparing !== null}>
          {preparing === 'xlsx' ? t('supDash.preparing') : t('supDash.downloadXlsx')}
        </button>
        <button type="button" className="btn" onClick={() => void download('csv')} disabled={preparing !== null}>
          {preparing === 'csv' ? t('supDash.preparing') : t('supervisor.download')}
        </button>
      </div>
      <p className="muted">{t('supDash.filesHint')}</p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {totals && (
        <section className="card" aria-labelledby="sup-totals" data-testid="totals">
          <h2 id="sup-totals">{t('supDash.totals')}</h2>
          <p>
            {t('supDash.districts')} {totals.districts} · {t('supDash.listing')} {totals.listing} · {t('supDash.complete')} {totals.registrations.complete} ·{' '}
            {t('supDash.draft')} {totals.registrations.draft} · {t('supDash.persons')} {totals.persons}
          </p>
          <p>
            {t('supDash.births')} {totals.births} · {t('supDash.deaths')} {totals.deaths} · {t('supDash.withErrors')} {totals.withErrors} · {t('supDash.withWarnings')}{' '}
            {totals.withWarnings}
          </p>
          <p>
            {t('supDash.queriesOpen')} {totals.queries.open} · {t('supDash.queriesAnswered')} {totals.queries.answered} · {t('supDash.queriesResolved')}{' '}
            {totals.queries.resolved} · {t('supDash.devicesWithQueue')} {totals.devicesWithQueue}
          </p>
        </section>
      )}
      {status && (
        <>
          <EnumeratorTable enumerators={status.enumerators} now={services.now()} />
          <AnsweredQueries api={api} queries={queries} onChanged={() => reload()} />
          <DuplicateIds api={api} generation={generation} onChanged={() => reload()} />
          {status.districts.map((d) => (
            <DistrictPanel key={d.code} api={api} district={d} queries={queries.filter((q) => q.districtCode === d.code)} onChanged={() => reload()} />
          ))}
        </>
      )}
    </main>
  );
}
