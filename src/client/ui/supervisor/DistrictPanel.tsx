// One district on the dashboard: progress by visit outcome as a chart and its counts, all from the
// status answer (the server's counters). The households themselves (the list with unconfirmed
// warnings, computed with the domain's edit checks and shown with the warnings, and the form to
// send a review query on one of them) are read from this district's JSON export only when the
// supervisor opens them: the dashboard never downloads an export to show counts.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { isOverridden, validateRegistration, type Finding, type RegistrationDraft, type ReviewQuery } from '../../../domain/index.ts';
import type { ApiPort } from '../services.ts';
import { ProgressBar } from '../ProgressBar.tsx';
import { doneOf } from '../progress.ts';
import { createQuery, districtCounts, fetchRegistrations, type DistrictStatus } from './supervision-api.ts';
import { WarnedHouseholds } from './WarnedHouseholds.tsx';

/** Warnings of a registration that have no override yet (what blocks "complete" besides errors). */
export function unconfirmedFindings(reg: RegistrationDraft): Finding[] {
  return validateRegistration(reg).filter((f) => f.severity === 'warning' && !isOverridden(f, reg.overrides));
}

export function unconfirmedWarnings(reg: RegistrationDraft): number {
  return unconfirmedFindings(reg).length;
}

export function DistrictPanel(props: { api: ApiPort; district: DistrictStatus; queries: readonly ReviewQuery[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const d = props.district;
  const [regs, setRegs] = useState<RegistrationDraft[] | null>(null);
  const [loadingRegs, setLoadingRegs] = useState(false);
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const { api } = props;

  async function loadHouseholds() {
    setLoadingRegs(true);
    const r = await fetchRegistrations(api, d.code);
    setLoadingRegs(false);
    if (r.ok) setRegs(r.value);
    else setNote({ ok: false, text: t('supervisor.loadFailed', { message: r.message }) });
  }

  const counts = districtCounts(d);
  const progress = t('home.progress', { done: doneOf(counts), total: d.listingSize });
  const sorted = useMemo(() => [...(regs ?? [])].sort((a, b) => (a.householdNo < b.householdNo ? -1 : a.householdNo > b.householdNo ? 1 : 0)), [regs]);
  const warned = useMemo(() => sorted.map((reg) => ({ reg, findings: unconfirmedFindings(reg) })).filter((x) => x.findings.length > 0), [sorted]);

  async function send(e: FormEvent) {
    e.preventDefault();
    const r = await createQuery(api, target, message.trim());
    if (r.ok) {
      setMessage('');
      setNote({ ok: true, text: t('supervisor.sent') });
      props.onChanged();
    } else setNote({ ok: false, text: t('supervisor.loadFailed', { message: r.message }) });
  }

  const idp = `sup-${d.code}`;
  return (
    <section className="card stack" aria-labelledby={idp} data-testid="district-panel">
      <h2 id={idp}>
        {d.name} <span className="muted">{d.code}</span>
      </h2>
      <p data-testid="district-counts">
        {progress} · {t('supervisor.persons')} {d.personsRegistered} · {t('supervisor.openQueries')} {d.openQueries} · {t('supDash.withErrors')}{' '}
        {d.householdsWithErrors}
      </p>
      {d.selfReported > 0 && (
        <p data-testid="self-counts">{t('supervisor.selfCounts', { reported: d.selfReported, verified: d.selfVerified, awaiting: d.selfAwaiting })}</p>
      )}
      <ProgressBar counts={counts} total={d.listingSize} label={`${t('supervisor.chart')}: ${progress}`} />
      <h3 data-testid="warned-count">
        {t('supervisor.withWarnings')} ({d.householdsWithWarnings})
      </h3>
      <div className="row">
        <button type="button" className="btn btn-small" onClick={() => void loadHouseholds()} disabled={loadingRegs}>
          {loadingRegs ? t('supDash.loadingHouseholds') : regs ? t('supDash.reloadHouseholds') : t('supDash.loadHouseholds')}
          <span className="visually-hidden"> {d.name}</span>
        </button>
        {!regs && <span className="muted">{t('supDash.householdsHint')}</span>}
      </div>
      {note && !regs && <p className={`alert ${note.ok ? 'alert-ok' : 'alert-error'}`}>{note.text}</p>}
      {regs && (
        <>
          <WarnedHouseholds
            households={warned}
            onQuery={(id) => {
              setTarget(id);
              messageRef.current?.focus();
            }}
          />
          <form onSubmit={(e) => void send(e)} className="stack">
            <h3>{t('supervisor.newQuery')}</h3>
            <div className="field">
              <label htmlFor={`${idp}-hh`}>{t('supervisor.householdId')}</label>
              <select id={`${idp}-hh`} value={target} onChange={(e) => setTarget(e.target.value)} required>
                <option value="">—</option>
                {sorted.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.householdNo} · {r.persons[0]?.name ?? ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${idp}-msg`}>{t('supervisor.message')}</label>
              <textarea id={`${idp}-msg`} ref={messageRef} value={message} onChange={(e) => setMessage(e.target.value)} required maxLength={2000} />
            </div>
            {note && <p className={`alert ${note.ok ? 'alert-ok' : 'alert-error'}`}>{note.text}</p>}
            <button type="submit" className="btn btn-primary" disabled={!target || !message.trim()}>
              {t('supervisor.send')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
