// One district on the dashboard: progress by visit outcome as a chart, the households with
// unconfirmed warnings (computed with the domain's edit checks on the JSON export, shown with the
// warnings themselves), and a form to send a review query on one of its households.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
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
  const [regs, setRegs] = useState<RegistrationDraft[]>([]);
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const { api } = props;

  useEffect(() => {
    let live = true;
    void fetchRegistrations(api, d.code).then((r) => live && r.ok && setRegs(r.value));
    return () => {
      live = false;
    };
  }, [api, d.code, d.registrations]);

  const counts = districtCounts(d);
  const progress = t('home.progress', { done: doneOf(counts), total: d.listingSize });
  const sorted = useMemo(() => [...regs].sort((a, b) => (a.householdNo < b.householdNo ? -1 : a.householdNo > b.householdNo ? 1 : 0)), [regs]);
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
      <p>
        {progress} · {t('supervisor.persons')} {d.personsRegistered} · {t('supervisor.openQueries')} {d.openQueries}
      </p>
      <ProgressBar counts={counts} total={d.listingSize} label={`${t('supervisor.chart')}: ${progress}`} />
      <h3>
        {t('supervisor.withWarnings')} ({Math.max(warned.length, d.householdsWithWarnings)})
      </h3>
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
    </section>
  );
}
