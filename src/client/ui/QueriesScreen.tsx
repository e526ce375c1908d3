// Review queries (比对复查) from the supervisor for this phone's districts, answered here; the
// answer is queued as a `queryAnswer` mutation by the db's answerQuery operation.
import { useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation, useCodeLabel } from '../i18n/index.ts';
import { QUERY_OUTCOME, type ReviewQuery } from '../../domain/index.ts';
import { answerQuery, type QueryAnswerInput } from '../db/operations.ts';
import { useServices } from './services.ts';
import { opFailureText } from './op-failure.ts';
import { formatTime } from './format.ts';

const ORDER = { open: 0, answered: 1, resolved: 2 } as const;

export function QueriesScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const queries = useLiveQuery(async () => {
    const [qs, listing] = await Promise.all([db.queries.toArray(), db.listing.toArray()]);
    const regs = await db.registrations.toArray();
    const noOf = new Map<string, string>();
    for (const r of regs) noOf.set(r.id, r.householdNo);
    for (const l of listing) noOf.set(l.id, l.householdNo);
    return qs
      .map((q) => ({ q, no: q.householdNo ?? noOf.get(q.householdId) ?? '' }))
      .sort((a, b) => ORDER[a.q.status] - ORDER[b.q.status] || b.q.createdAt.localeCompare(a.q.createdAt));
  }, [db]);
  if (!queries) return <p className="page">{t('common.loading')}</p>;
  return (
    <main className="page stack">
      <h1>{t('queries.title')}</h1>
      {queries.length === 0 && <p className="alert alert-info">{t('queries.empty')}</p>}
      <ul className="list stack">
        {queries.map(({ q, no }) => (
          <li key={q.id} className="card" data-testid="query" data-status={q.status}>
            <QueryCard query={q} householdNo={no} />
          </li>
        ))}
      </ul>
    </main>
  );
}

function QueryCard(props: { query: ReviewQuery; householdNo: string }) {
  const { t, i18n } = useTranslation();
  const label = useCodeLabel();
  const { db } = useServices();
  const q = props.query;
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<QueryAnswerInput['outcome'] | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idp = `q-${q.id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await answerQuery(db, q.id, { text: text.trim(), ...(outcome ? { outcome } : {}) });
    setBusy(false);
    setError(r.ok ? null : opFailureText(r, t));
  }

  return (
    <>
      <div className="row">
        <strong className="grow">
          {t('queries.household', { no: props.householdNo })} · {formatTime(q.createdAt, i18n.language)}
        </strong>
        <span className={`badge ${q.status === 'open' ? 'badge-warn' : 'badge-ok'}`}>{t(`queries.status.${q.status}`)}</span>
      </div>
      <p>{q.message}</p>
      {q.answer ? (
        <p className="alert alert-ok">
          {q.answer.outcome ? `${label(QUERY_OUTCOME, q.answer.outcome)}: ` : ''}
          {q.answer.text}
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor={`${idp}-outcome`}>{t('queries.outcome')}</label>
            <select id={`${idp}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value as QueryAnswerInput['outcome'] | '')}>
              <option value="">—</option>
              {QUERY_OUTCOME.map((c) => (
                <option key={c.code} value={c.code}>
                  {label(QUERY_OUTCOME, c.code)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${idp}-text`}>{t('queries.answerText')}</label>
            <textarea id={`${idp}-text`} value={text} onChange={(e) => setText(e.target.value)} required maxLength={2000} />
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
            {t('queries.send')}
          </button>
        </form>
      )}
    </>
  );
}
