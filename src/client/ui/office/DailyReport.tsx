// The daily report (日报) of a node (GET /reports/daily, docs/OFFICE.md): one row per frozen day
// with the households registered that day and so far, the persons likewise, against the listing;
// the CSV and XLSX files as the server wrote them (byte for byte, the CSV's BOM first); and a
// chart of the same figures drawn with uPlot, imported only when this view draws it (never in the
// start-up chunk). Without window.matchMedia (jsdom) or when the import fails there is only the table.
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { useTranslation } from '../../i18n/index.ts';
import { useServices } from '../services.ts';
import { fetchDaily, fetchDailyFile, type DailyDay } from './office-api.ts';
import { LoadState, failureText, pct, useDesk, useLoad } from './office-ui.tsx';

const DAY_MS = 86_400_000;
/** China has no daylight saving time: a China-time date is the UTC date 8 hours later. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** The most days one request may span (OFFICE.md). */
export const MAX_DAYS = 92;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function chinaDay(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
/** Days from `from` to `to`, both counted. */
export function spanDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export interface DailyRow {
  day: string;
  late: boolean;
  /** Complete registrations at the day's freeze (the counters are running totals). */
  households: number;
  /** Registered that day: this freeze less the previous one; null when the previous one is unknown. */
  newHouseholds: number | null;
  persons: number;
  newPersons: number | null;
  births: number;
  deaths: number;
  accepted: number;
}

/**
 * The table's rows from `from` on. A daily row freezes the node's counters, so each is a running
 * total; the day's new households are the difference from the freeze before it. A freeze before
 * `from` (asked for as a baseline) is not shown. Without one the first day counts from zero when
 * `baseline` says the day before was asked for and had nothing, else its new counts are unknown.
 */
export function dailyRows(days: readonly DailyDay[], from: string, baseline: boolean): DailyRow[] {
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
  let prev: { households: number; persons: number } | null = baseline ? { households: 0, persons: 0 } : null;
  const rows: DailyRow[] = [];
  for (const d of sorted) {
    const households = d.totals.registrations.complete;
    const persons = d.totals.persons;
    if (d.day >= from)
      rows.push({
        day: d.day,
        late: d.late,
        households,
        newHouseholds: prev ? households - prev.households : null,
        persons,
        newPersons: prev ? persons - prev.persons : null,
        births: d.totals.births,
        deaths: d.totals.deaths,
        accepted: d.totals.accepted,
      });
    prev = { households, persons };
  }
  return rows;
}

export function DailyReport(props: { area: string | undefined }) {
  const { t } = useTranslation('office');
  const services = useServices();
  const desk = useDesk();
  const today = chinaDay(services.now());
  const [range, setRange] = useState({ from: addDays(today, -30), to: today });
  const [draft, setDraft] = useState(range);
  const [preparing, setPreparing] = useState<'csv' | 'xlsx' | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  // One day more than shown, when the limit allows it: the first day's new counts need the freeze before it.
  const baseline = spanDays(range.from, range.to) < MAX_DAYS;
  const askFrom = baseline ? addDays(range.from, -1) : range.from;
  const daily = useLoad(() => fetchDaily(desk.api, props.area, askFrom, range.to), `${props.area ?? ''}|${askFrom}|${range.to}`);

  const rangeError = draft.from > draft.to ? t('report.rangeOrder') : spanDays(draft.from, draft.to) > MAX_DAYS ? t('report.rangeTooLong', { max: MAX_DAYS }) : null;

  async function download(format: 'csv' | 'xlsx') {
    setPreparing(format);
    setFileError(null);
    const r = await fetchDailyFile(desk.api, format, props.area, range.from, range.to);
    setPreparing(null);
    if (!r.ok) return setFileError(t('loadFailed', { message: failureText(t, r) }));
    // A Blob of the received Blob: the same bytes (the CSV's BOM first), typed for the download.
    const type = format === 'xlsx' ? XLSX_TYPE : 'text/csv;charset=utf-8';
    services.saveFile({ filename: `daily-${props.area || 'all'}-${range.from}-${range.to}.${format}`, blob: new Blob([r.value], { type }), count: 0 });
  }

  const answer = daily.state === 'ok' ? daily.value : null;
  // The same array while the answer stands: the chart redraws only when the figures change.
  const rows = useMemo(() => (answer ? dailyRows(answer.days, range.from, baseline) : []), [answer, range.from, baseline]);
  const listing = answer?.expected.listing ?? 0;
  return (
    <section className="stack" aria-labelledby="office-daily">
      <h2 id="office-daily">{t('report.heading')}</h2>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (!rangeError) setRange(draft);
        }}
      >
        <div className="field">
          <label htmlFor="daily-from">{t('report.from')}</label>
          <input id="daily-from" type="date" value={draft.from} max={today} onChange={(e) => setDraft({ ...draft, from: e.target.value })} aria-invalid={rangeError ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor="daily-to">{t('report.to')}</label>
          <input id="daily-to" type="date" value={draft.to} max={today} onChange={(e) => setDraft({ ...draft, to: e.target.value })} aria-invalid={rangeError ? true : undefined} />
        </div>
        <button type="submit" className="btn" disabled={rangeError !== null}>
          {t('report.apply')}
        </button>
      </form>
      {rangeError && (
        <p className="error-text" role="alert">
          {rangeError}
        </p>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={() => void download('xlsx')} disabled={preparing !== null}>
          {preparing === 'xlsx' ? t('report.preparing') : t('report.downloadXlsx')}
        </button>
        <button type="button" className="btn" onClick={() => void download('csv')} disabled={preparing !== null}>
          {preparing === 'csv' ? t('report.preparing') : t('report.downloadCsv')}
        </button>
      </div>
      {fileError && (
        <p className="alert alert-error" role="alert">
          {fileError}
        </p>
      )}
      {daily.state !== 'ok' ? (
        <LoadState loaded={daily} />
      ) : !rows.length ? (
        <p>{t('report.none')}</p>
      ) : (
        <>
          <p>{t('report.expected', { listing })}</p>
          <DailyChart rows={rows} listing={listing} />
          <DailyTable rows={rows} listing={listing} />
          {rows.some((r) => r.late) && <p className="muted">{t('report.lateHint')}</p>}
        </>
      )}
    </section>
  );
}

function DailyTable(props: { rows: readonly DailyRow[]; listing: number }) {
  const { t } = useTranslation('office');
  const signed = (n: number | null) => (n === null ? '—' : String(n));
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('report.table')}>
      <table className="data cards-narrow" data-testid="daily">
        <thead>
          <tr>
            <th scope="col">{t('report.day')}</th>
            <th scope="col">{t('report.newHouseholds')}</th>
            <th scope="col">{t('report.complete')}</th>
            <th scope="col">{t('report.share')}</th>
            <th scope="col">{t('report.newPersons')}</th>
            <th scope="col">{t('report.persons')}</th>
            <th scope="col">{t('report.births')}</th>
            <th scope="col">{t('report.deaths')}</th>
            <th scope="col">{t('report.accepted')}</th>
            <th scope="col">{t('report.late')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.day} data-testid="daily-row" data-day={r.day}>
              <th scope="row">{r.day}</th>
              <td data-label={t('report.newHouseholds')} data-col="newHouseholds">
                {signed(r.newHouseholds)}
              </td>
              <td data-label={t('report.complete')} data-col="households">
                {r.households}
              </td>
              <td data-label={t('report.share')}>{props.listing ? pct(r.households / props.listing) : '—'}</td>
              <td data-label={t('report.newPersons')} data-col="newPersons">
                {signed(r.newPersons)}
              </td>
              <td data-label={t('report.persons')} data-col="persons">
                {r.persons}
              </td>
              <td data-label={t('report.births')}>{r.births}</td>
              <td data-label={t('report.deaths')}>{r.deaths}</td>
              <td data-label={t('report.accepted')}>{r.accepted}</td>
              <td data-label={t('report.late')}>{r.late ? <span className="badge badge-warn">{t('report.yes')}</span> : t('report.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const canChart = (): boolean => typeof window !== 'undefined' && typeof window.matchMedia === 'function';

/** The chart, drawn once uPlot (and its CSS) are imported; nothing at all where that cannot happen. */
function DailyChart(props: { rows: readonly DailyRow[]; listing: number }) {
  const { t } = useTranslation('office');
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const [supported] = useState(canChart);
  const { rows, listing } = props;
  const labels = {
    day: t('report.day'),
    households: t('report.seriesHouseholds'),
    expected: t('report.seriesExpected'),
    newHouseholds: t('report.newHouseholds'),
    persons: t('report.seriesPersons'),
    newPersons: t('report.newPersons'),
  };
  const labelKey = Object.values(labels).join('|');
  useEffect(() => {
    const el = box.current;
    if (!supported || !el) return;
    let live = true;
    let plot: uPlot | undefined;
    let observer: ResizeObserver | undefined;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([mod]) => {
        if (!live) return;
        const UPlot = mod.default;
        const width = () => Math.max(280, el.clientWidth || 640);
        const bars = UPlot.paths.bars?.({ size: [0.5, 24] });
        const data: uPlot.AlignedData = [
          rows.map((r) => Date.parse(`${r.day}T00:00:00+08:00`) / 1000),
          rows.map((r) => r.households),
          rows.map(() => listing),
          rows.map((r) => r.newHouseholds),
          rows.map((r) => r.persons),
          rows.map((r) => r.newPersons),
        ];
        plot = new UPlot(
          {
            width: width(),
            height: 300,
            tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai'),
            scales: { x: { time: true }, hh: { auto: true }, persons: { auto: true } },
            series: [
              { label: labels.day },
              { label: labels.households, scale: 'hh', stroke: '#0b4fa3', width: 2 },
              { label: labels.expected, scale: 'hh', stroke: '#3d3d3d', width: 2, dash: [8, 5] },
              { label: labels.newHouseholds, scale: 'hh', stroke: '#16782f', fill: 'rgba(22, 120, 47, 0.35)', ...(bars ? { paths: bars } : {}) },
              { label: labels.persons, scale: 'persons', stroke: '#a40e0e', width: 2 },
              { label: labels.newPersons, scale: 'persons', stroke: '#c98a00', width: 1, dash: [3, 3] },
            ],
            axes: [{}, { scale: 'hh' }, { scale: 'persons', side: 1, grid: { show: false } }],
          },
          data,
          el,
        );
        if (typeof ResizeObserver === 'function') {
          observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: 300 }));
          observer.observe(el);
        }
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
    };
    // The labels change with the language only; `labelKey` stands for them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [supported, rows, listing, labelKey]);
  if (!supported || failed) return null;
  return (
    <figure className="daily-chart">
      <figcaption>{t('report.chart')}</figcaption>
      <div ref={box} className="daily-chart-box" role="img" aria-label={t('report.chartAlt', { listing })} />
    </figure>
  );
}
