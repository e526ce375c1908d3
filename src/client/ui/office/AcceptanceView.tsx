// Acceptance (验收, docs/OFFICE.md). A district (15-digit code): its state, what still blocks its
// submission (in words, with counts), its history, and the actions its state allows: submit (the
// district's supervisor, an office, admin), accept or return with a reason (an office of the
// township or above, admin). A refusal shows the server's own message; after one, and after every
// success, the district is read again, so the blockers shown are those the server just checked
// (the API port hands the message over, not the error's `details`). Above a district: the
// township's inbox (districts submitted) and its alerts (accepted districts reopened by a later push).
import { useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { formatTime } from '../format.ts';
import { useServices } from '../services.ts';
import { actOnAcceptance, fetchAcceptance, fetchAcceptanceList, type Acceptance, type AcceptanceAction, type AcceptanceList, type AcceptanceState, type Progress } from './office-api.ts';
import { levelOf, officeHref } from './office-route.ts';
import { LoadState, NameCode, useDesk, useLoad } from './office-ui.tsx';

export const MAX_REASON = 500;
const CAN_SUBMIT: readonly AcceptanceState[] = ['open', 'returned', 'reopened'];

export function AcceptanceView(props: { area: string | undefined; progress: Progress | null }) {
  const { t } = useTranslation('office');
  if (props.area !== undefined && levelOf(props.area) === 'district') return <DistrictAcceptance district={props.area} />;
  const totals = props.progress?.totals;
  return (
    <>
      {totals && (
        <dl className="office-figures" data-testid="acceptance-totals">
          {(['submitted', 'accepted', 'reopened'] as const).map((k) => (
            <div key={k}>
              <dt>{t(`totals.${k}`)}</dt>
              <dd>{totals[k]}</dd>
            </div>
          ))}
        </dl>
      )}
      <AcceptanceListSection area={props.area} state="submitted" />
      <AcceptanceListSection area={props.area} state="reopened" />
      <p className="muted">{t('acceptance.districtsHint')}</p>
    </>
  );
}

function AcceptanceListSection(props: { area: string | undefined; state: 'submitted' | 'reopened' }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const desk = useDesk();
  const key = `${props.area ?? ''}|${props.state}`;
  const first = useLoad(() => fetchAcceptanceList(desk.api, props.area, props.state), key);
  const [more, setMore] = useState<{ key: string; rows: Acceptance[]; next: string | null | undefined; loading: boolean; error: string | null } | null>(null);
  const inbox = props.state === 'submitted';
  const id = `office-acc-${props.state}`;
  const extra = more?.key === key ? more : null;
  async function loadMore(page: AcceptanceList, after: string) {
    const base = extra ?? { key, rows: [], next: page.next, loading: false, error: null };
    setMore({ ...base, loading: true, error: null });
    const r = await fetchAcceptanceList(desk.api, props.area, props.state, after);
    setMore((m) => (m?.key !== key ? m : r.ok ? { key, rows: [...m.rows, ...r.value.districts], next: r.value.next, loading: false, error: null } : { ...m, loading: false, error: r.message }));
  }
  let body;
  if (first.state !== 'ok') body = <LoadState loaded={first} />;
  else {
    const rows = [...first.value.districts, ...(extra?.rows ?? [])];
    const next = extra ? extra.next : first.value.next;
    const page = first.value;
    body = !rows.length ? (
      <p>{t(inbox ? 'acceptance.inboxNone' : 'acceptance.alertsNone')}</p>
    ) : (
      <>
        <ul className="list" data-testid={`acceptance-${props.state}`}>
          {rows.map((d) => {
            const last = d.history[d.history.length - 1];
            const name = d.name || d.district;
            return (
              <li key={d.district} className="list-item" data-district={d.district}>
                <div className="main">
                  <a className="title" href={officeHref({ kind: 'node', area: d.district, tab: 'acceptance' })} aria-label={t('acceptance.open', { name })}>
                    <NameCode name={d.name} code={d.district} />
                  </a>
                  {!inbox && <div className="alert alert-warning">{t('acceptance.alertText', { name })}</div>}
                  {last && (
                    <div className="muted">
                      {t(`acceptance.actions.${last.action}`)} · {t('acceptance.by', { by: last.by ?? '—', at: formatTime(last.at, i18n.language, now()) })}
                    </div>
                  )}
                </div>
                <span className={`badge ${inbox ? 'badge-info' : 'badge-warn'}`}>{t(`acceptance.states.${d.state}`)}</span>
              </li>
            );
          })}
        </ul>
        {extra?.error && (
          <p className="alert alert-error" role="alert">
            {t('loadFailed', { message: extra.error })}
          </p>
        )}
        {next && (
          <button type="button" className="btn" disabled={extra?.loading} onClick={() => void loadMore(page, next)}>
            {extra?.loading ? t('loading') : t('households.more')}
          </button>
        )}
      </>
    );
  }
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{t(inbox ? 'acceptance.inbox' : 'acceptance.alerts')}</h2>
      {body}
    </section>
  );
}

type Outcome = { kind: 'done'; text: string } | { kind: 'failed'; text: string } | null;

function DistrictAcceptance(props: { district: string }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const desk = useDesk();
  const acc = useLoad(() => fetchAcceptance(desk.api, props.district), props.district);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const role = desk.session.user.role;

  async function act(a: AcceptanceAction) {
    setBusy(true);
    setOutcome(null);
    const r = await actOnAcceptance(desk.api, props.district, a);
    setBusy(false);
    if (r.ok) {
      setOutcome({ kind: 'done', text: t(a.action === 'submit' ? 'acceptance.submitted' : a.action === 'accept' ? 'acceptance.accepted' : 'acceptance.returned') });
      if (a.action === 'return') setReason('');
    } else
      setOutcome({
        kind: 'failed',
        text: r.code === 'not_ready' ? t('acceptance.notReady') : r.code === 'conflict' ? t('acceptance.conflict') : r.code === 'forbidden' ? t('acceptance.forbidden') : t('acceptance.failed', { message: r.message }),
      });
    // Success changes the state; a refusal (409 not_ready, conflict) means what was shown is stale.
    acc.reload();
  }

  function returnDistrict() {
    const text = reason.trim();
    if (!text) return setReasonError(t('acceptance.reasonRequired'));
    if (text.length > MAX_REASON) return setReasonError(t('acceptance.reasonTooLong', { max: MAX_REASON }));
    setReasonError(null);
    void act({ action: 'return', reason: text });
  }

  const a = acc.state === 'ok' ? acc.value : null;
  if (a?.name) desk.names.set(a.district, a.name);
  const blockers = a ? a.blockers.filter((b) => b.count > 0) : [];
  const canSubmit = a !== null && CAN_SUBMIT.includes(a.state);
  const canDecide = a !== null && a.state === 'submitted' && role !== 'supervisor';
  const name = a?.name || props.district;
  return (
    <section className="card stack" aria-labelledby="office-acceptance">
      <h2 id="office-acceptance">{t('acceptance.heading')}</h2>
      <div aria-live="polite">
        {outcome && (
          <p className={`alert ${outcome.kind === 'done' ? 'alert-ok' : 'alert-error'}`} role={outcome.kind === 'failed' ? 'alert' : undefined}>
            {outcome.text}
          </p>
        )}
      </div>
      {!a ? (
        <LoadState loaded={acc} />
      ) : (
        <>
          <p>
            <span className="label">{t('acceptance.state')}</span> <span className={`badge ${a.state === 'accepted' ? 'badge-ok' : a.state === 'reopened' || a.state === 'returned' ? 'badge-warn' : 'badge-info'}`} data-testid="acceptance-state">{t(`acceptance.states.${a.state}`)}</span>
          </p>
          {a.state === 'reopened' && <p className="alert alert-warning">{t('acceptance.alertText', { name })}</p>}
          {blockers.length > 0 ? (
            <div className="alert alert-warning" data-testid="blockers">
              <h3>{t('acceptance.blockersHeading')}</h3>
              <ul>
                {blockers.map((b) => (
                  <li key={b.kind} data-kind={b.kind}>
                    {t(`acceptance.blockers.${b.kind}`, { count: b.count })}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            canSubmit && <p className="alert alert-ok">{t('acceptance.ready')}</p>
          )}
          {canSubmit && (
            <div className="row">
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act({ action: 'submit' })}>
                {t('acceptance.submit')}
              </button>
            </div>
          )}
          {canDecide && (
            <div className="stack">
              <div className="row">
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act({ action: 'accept' })}>
                  {t('acceptance.accept')}
                </button>
              </div>
              <div className={`field${reasonError ? ' has-error' : ''}`}>
                <label htmlFor="office-return-reason">{t('acceptance.reason')}</label>
                <textarea
                  id="office-return-reason"
                  value={reason}
                  maxLength={MAX_REASON}
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={reasonError ? 'office-return-reason-msg' : undefined}
                  onChange={(e) => {
                    setReason(e.target.value);
                    if (reasonError) setReasonError(null);
                  }}
                />
                <span className="hint">
                  {reason.length} / {MAX_REASON}
                </span>
                {reasonError && (
                  <span className="msg" id="office-return-reason-msg" role="alert">
                    {reasonError}
                  </span>
                )}
              </div>
              <div className="row">
                <button type="button" className="btn btn-danger" disabled={busy} onClick={returnDistrict}>
                  {t('acceptance.returnFor', { name })}
                </button>
              </div>
            </div>
          )}
          <h3>{t('acceptance.history')}</h3>
          {!a.history.length ? (
            <p className="muted">—</p>
          ) : (
            <ol className="office-history" data-testid="acceptance-history">
              {a.history.map((h, i) => (
                <li key={i}>
                  <strong>{t(`acceptance.actions.${h.action}`)}</strong> · {t('acceptance.by', { by: h.by ?? '—', at: formatTime(h.at, i18n.language, now()) })}
                  {h.reason ? <div className="office-reason">{h.reason}</div> : null}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
