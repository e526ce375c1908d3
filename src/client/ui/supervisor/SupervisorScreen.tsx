// Supervisor dashboard (phone and laptop widths): enumerators with those at risk on top, district
// progress by visit outcome, households with unconfirmed warnings, review queries (create, resolve
// answered ones) and the CSV download. Reads the server directly: supervisors need it online.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { ReviewQuery } from '../../../domain/index.ts';
import type { Session } from '../../db/rows.ts';
import { useServices } from '../services.ts';
import { fetchCsv, fetchQueries, fetchStatus, type SupervisionStatus } from './supervision-api.ts';
import { EnumeratorTable } from './EnumeratorTable.tsx';
import { DistrictPanel } from './DistrictPanel.tsx';
import { AnsweredQueries } from './AnsweredQueries.tsx';

export function SupervisorScreen(props: { session: Session }) {
  const { t } = useTranslation();
  const services = useServices();
  const api = useMemo(() => services.api(props.session), [services, props.session]);
  const [status, setStatus] = useState<SupervisionStatus | null>(null);
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
    void Promise.all([fetchStatus(api), fetchQueries(api)]).then(([s, q]) => {
      if (!live) return;
      setLoading(false);
      if (!s.ok) return setError(t('supervisor.loadFailed', { message: s.message }));
      setStatus(s.value);
      setQueries(q.ok ? q.value : []);
      setError(q.ok ? null : t('supervisor.loadFailed', { message: q.message }));
    });
    return () => {
      live = false;
    };
  }, [api, t, generation]);

  async function download() {
    const r = await fetchCsv(api);
    if (!r.ok) return setError(t('supervisor.loadFailed', { message: r.message }));
    // A Blob of the received Blob: the same bytes, BOM first, typed for the download.
    services.saveFile({ filename: `pucha-export-${new Date(services.now()).toISOString().slice(0, 10)}.csv`, blob: new Blob([r.value], { type: 'text/csv;charset=utf-8' }), count: 0 });
  }

  return (
    <main className="page stack supervisor">
      <div className="row">
        <h1 className="grow">{t('supervisor.title')}</h1>
        <button type="button" className="btn" onClick={() => reload()} disabled={loading}>
          {loading ? t('common.loading') : t('supervisor.refresh')}
        </button>
        <button type="button" className="btn" onClick={() => void download()}>
          {t('supervisor.download')}
        </button>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {status && (
        <>
          <EnumeratorTable enumerators={status.enumerators} now={services.now()} />
          <AnsweredQueries api={api} queries={queries} onChanged={() => reload()} />
          {status.districts.map((d) => (
            <DistrictPanel key={d.code} api={api} district={d} queries={queries.filter((q) => q.districtCode === d.code)} onChanged={() => reload()} />
          ))}
        </>
      )}
    </main>
  );
}
