// One household read-only (GET /registrations/:id, docs/OFFICE.md): its district and enumerator,
// the household items, the persons, the findings the server's edit checks give, the warnings the
// enumerator confirmed (rule, reason, note), the review queries already asked; and the one-tap
// review query (POST /queries { householdId, message }) with a message prefilled from what the
// household shows, which the user may edit before sending.
import { useState } from 'react';
import { HOUSEHOLD_TYPE, RELATIONSHIP, SEX } from '../../../domain/index.ts';
import { useCodeLabel, useTranslation, type TFunction } from '../../i18n/index.ts';
import { formatTime } from '../format.ts';
import { useServices } from '../services.ts';
import { Crumbs } from './Crumbs.tsx';
import { fetchHousehold, sendQuery, type HouseholdDetail } from './office-api.ts';
import { LoadState, NameCode, failureText, useDesk, useLoad } from './office-ui.tsx';

/** The most characters a query's message may have (CreateQuerySchema). */
const MAX_MESSAGE = 2000;

export function HouseholdView(props: { id: string }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const detail = useLoad(() => fetchHousehold(desk.api, props.id), props.id);
  if (detail.state !== 'ok') {
    return (
      <>
        <Crumbs area={undefined} extra={[{ label: t('levels.household') }]} />
        <LoadState loaded={detail} />
      </>
    );
  }
  const d = detail.value;
  const district = d.district?.code ?? d.registration.districtCode;
  if (d.district?.name) desk.names.set(district, d.district.name);
  return <HouseholdDetails key={props.id} detail={d} district={district} reload={detail.reload} />;
}

function HouseholdDetails(props: { detail: HouseholdDetail; district: string; reload: () => void }) {
  const { t, i18n } = useTranslation('office');
  const { now } = useServices();
  const label = useCodeLabel();
  const d = props.detail;
  const reg = d.registration;
  const h = reg.household;
  const zh = i18n.language.startsWith('zh');
  const heading = t('review.heading', { no: reg.householdNo });
  const confirmed = (f: { rule: string; path: readonly (string | number)[] }) => d.overrides.some((o) => o.rule === f.rule && JSON.stringify(o.path) === JSON.stringify(f.path));
  const mf = (x: { male?: number | undefined; female?: number | undefined } | undefined) => (x ? `${x.male ?? 0} / ${x.female ?? 0}` : '—');
  const items: [string, string][] = [
    [t('review.status'), t(reg.status === 'complete' ? 'review.complete' : 'review.draft')],
    [t('review.householdType'), h.householdType === undefined ? '—' : label(HOUSEHOLD_TYPE, h.householdType)],
    [t('review.residents'), h.residents === undefined ? '—' : String(h.residents)],
    [t('review.births'), mf(h.births)],
    [t('review.deaths'), mf(h.deaths)],
  ];
  return (
    <>
      <Crumbs area={props.district} extra={[{ label: heading }]} />
      <h1>{heading}</h1>
      <p className="muted">{t('review.readOnly')}</p>
      <section className="card stack" aria-labelledby="office-hh-summary">
        <h2 id="office-hh-summary">{t('review.summary')}</h2>
        <dl className="office-figures">
          <div>
            <dt>{t('review.district')}</dt>
            <dd>
              <NameCode name={d.district?.name} code={props.district} />
            </dd>
          </div>
          <div>
            <dt>{t('review.enumerator')}</dt>
            <dd>
              {d.enumerator ? (
                <>
                  {d.enumerator.name || d.enumerator.username} <span className="code">{d.enumerator.username}</span>
                </>
              ) : (
                '—'
              )}
            </dd>
          </div>
          {items.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card" aria-labelledby="office-hh-persons">
        <h2 id="office-hh-persons">{t('review.personsHeading')}</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('review.personsTable')}>
          <table className="data cards-narrow" data-testid="persons">
            <thead>
              <tr>
                <th scope="col">{t('review.name')}</th>
                <th scope="col">{t('review.relationship')}</th>
                <th scope="col">{t('review.sex')}</th>
                <th scope="col">{t('review.birth')}</th>
              </tr>
            </thead>
            <tbody>
              {reg.persons.map((p, i) => (
                <tr key={i}>
                  <th scope="row">{p.name || '—'}</th>
                  <td data-label={t('review.relationship')}>{p.relationship === undefined ? '—' : label(RELATIONSHIP, p.relationship)}</td>
                  <td data-label={t('review.sex')}>{p.sex === undefined ? '—' : label(SEX, p.sex)}</td>
                  <td data-label={t('review.birth')}>{p.birth ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {reg.deaths.length > 0 && (
          <>
            <h3>{t('review.deathsHeading')}</h3>
            <ul>
              {reg.deaths.map((x, i) => (
                <li key={i}>{[x.name, x.sex === undefined ? '' : label(SEX, x.sex), x.death ? `${t('review.deathDate')} ${x.death}` : ''].filter(Boolean).join(' · ') || '—'}</li>
              ))}
            </ul>
          </>
        )}
        {reg.overseas.length > 0 && <p>{t('review.overseas', { n: reg.overseas.length })}</p>}
      </section>

      <section className="card" aria-labelledby="office-hh-findings">
        <h2 id="office-hh-findings">{t('review.findings')}</h2>
        {!d.findings.length ? (
          <p>{t('review.noFindings')}</p>
        ) : (
          <ul className="office-findings" data-testid="findings">
            {d.findings.map((f, i) => (
              <li key={i}>
                <span className={`badge ${f.severity === 'error' ? 'badge-err' : 'badge-warn'}`}>{t(f.severity === 'error' ? 'review.error' : 'review.warning')}</span>
                {f.severity === 'warning' && confirmed(f) && <span className="badge badge-info">{t('review.confirmed')}</span>} {zh ? f.message.zh : f.message.en} <code>{f.rule}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="office-hh-overrides">
        <h2 id="office-hh-overrides">{t('review.overridesHeading')}</h2>
        {!d.overrides.length ? (
          <p>{t('review.noOverrides')}</p>
        ) : (
          <ul className="office-findings" data-testid="overrides">
            {d.overrides.map((o, i) => (
              <li key={i}>
                <code>{o.rule}</code> · {t(`review.reasons.${o.reason}`)}
                {o.note ? ` · ${o.note}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="office-hh-queries">
        <h2 id="office-hh-queries">{t('review.queriesHeading')}</h2>
        {!d.queries.length ? (
          <p>{t('review.noQueries')}</p>
        ) : (
          <ul className="office-findings" data-testid="queries">
            {d.queries.map((q) => (
              <li key={q.id}>
                <span className="badge badge-info">{t(`review.queryStatus.${q.status}`)}</span> {q.message} <span className="muted">{formatTime(q.createdAt, i18n.language, now())}</span>
                {q.answer?.text ? <p className="muted">{q.answer.text}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <AskQuery detail={d} district={props.district} onSent={props.reload} />
    </>
  );
}

/** The message a query starts with: the household, and what to check (its confirmed warnings, else completeness). */
export function prefillMessage(t: TFunction<'office'>, d: HouseholdDetail, district: string): string {
  const rules = [...new Set(d.overrides.map((o) => o.rule))];
  const what = rules.length ? t('review.prefillRules', { rules: rules.join('、') }) : t('review.prefillGeneric');
  return t('review.prefill', { district, no: d.registration.householdNo, what });
}

function AskQuery(props: { detail: HouseholdDetail; district: string; onSent: () => void }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const [message, setMessage] = useState(() => prefillMessage(t, props.detail, props.district));
  const [state, setState] = useState<{ kind: 'idle' | 'sending' | 'sent' } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const empty = message.trim() === '';
  async function send() {
    if (empty) return;
    setState({ kind: 'sending' });
    const r = await sendQuery(desk.api, props.detail.registration.id, message.trim());
    if (!r.ok) return setState({ kind: 'failed', message: failureText(t, r) });
    setState({ kind: 'sent' });
    props.onSent();
  }
  return (
    <section className="card" aria-labelledby="office-hh-ask">
      <h2 id="office-hh-ask">{t('review.askHeading')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div className={`field${empty ? ' has-error' : ''}`}>
          <label htmlFor="office-query-message">{t('review.message')}</label>
          <textarea
            id="office-query-message"
            value={message}
            maxLength={MAX_MESSAGE}
            aria-invalid={empty ? true : undefined}
            aria-describedby={empty ? 'office-query-message-msg' : undefined}
            onChange={(e) => {
              setMessage(e.target.value);
              if (state.kind !== 'sending') setState({ kind: 'idle' });
            }}
          />
          {empty && (
            <span className="msg" id="office-query-message-msg">
              {t('review.messageRequired')}
            </span>
          )}
        </div>
        <button type="submit" className="btn btn-primary" disabled={empty || state.kind === 'sending' || state.kind === 'sent'}>
          {state.kind === 'sending' ? t('review.sending') : t('review.send')}
        </button>
      </form>
      <div aria-live="polite">
        {state.kind === 'sent' && <p className="alert alert-ok">{t('review.sent')}</p>}
        {state.kind === 'failed' && (
          <p className="alert alert-error" role="alert">
            {t('sendFailed', { message: state.message })}
          </p>
        )}
      </div>
    </section>
  );
}
