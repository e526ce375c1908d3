// Review queries (比对复查) from the supervisor for this phone's districts, answered here; the
// answer is queued as a `queryAnswer` mutation by the db's answerQuery operation.
import { useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation, useCodeLabel } from '../i18n/index.ts';
import { QUERY_OUTCOME } from '../../domain/index.ts';
import { answerQuery, type QueryAnswerInput } from '../db/operations.ts';
import { openQueryCount, queriesWithHouseholds, type QueryWithHousehold } from '../db/queries.ts';
import { useServices } from './services.ts';
import { opFailureText } from './op-failure.ts';
import { formatTime } from './format.ts';
import { hrefOf } from './router.ts';
import { useUnsavedInput } from './dirty.ts';

const ORDER = { open: 0, answered: 1, resolved: 2 } as const;

export function QueriesScreen() {
  const { t } = useTranslation();
  const { db } = useServices();
  const queries = useLiveQuery(
    async () => (await queriesWithHouseholds(db)).sort((a, b) => ORDER[a.query.status] - ORDER[b.query.status] || b.query.createdAt.localeCompare(a.query.createdAt)),
    [db],
  );
  if (!queries) return <p className="page">{t('common.loading')}</p>;
  return (
    <main className="page stack">
      <h1>{t('queries.title')}</h1>
      {queries.length === 0 && <p className="alert alert-info">{t('queries.empty')}</p>}
      <ul className="list stack">
        {queries.map((item) => (
          <li key={item.query.id} className="card" data-testid="query" data-status={item.query.status}>
            <QueryCard item={item} />
          </li>
        ))}
      </ul>
    </main>
  );
}

function QueryCard(props: { item: QueryWithHousehold }) {
  const { t, i18n } = useTranslation();
  const label = useCodeLabel();
  const { db } = useServices();
  const { query: q, householdNo, headName, listingId } = props.item;
  const [text, setText] = useState('');
  useUnsavedInput(`query:${q.id}`, !q.answer && text.trim() !== ''); // typed, not sent: the update waits
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
        <h2 className="grow query-title">
          {t('queries.household', { no: householdNo })}
          {headName ? ` · ${t('review.head', { name: headName })}` : ''}
        </h2>
        <span className={`badge ${q.status === 'open' ? 'badge-warn' : 'badge-ok'}`}>{t(`queries.status.${q.status}`)}</span>
      </div>
      <p className="muted">{formatTime(q.createdAt, i18n.language)}</p>
      <p>{q.message}</p>
      {listingId ? (
        <a className="btn btn-small" href={hrefOf({ name: 'household', listingId })} data-testid="query-household">
          {t('review.openHousehold')}
          <span className="visually-hidden">
            {' '}
            {t('queries.household', { no: householdNo })}
          </span>
        </a>
      ) : (
        <p className="muted">{t('review.notOnPhone')}</p>
      )}
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

/** The number of unanswered review queries, for the queries tab (nothing when there are none). */
export function UnansweredBadge() {
  const { t } = useTranslation();
  const { db } = useServices();
  const count = useLiveQuery(() => openQueryCount(db), [db]);
  if (!count) return null;
  return (
    <span className="badge badge-warn nav-count" data-testid="unanswered-count">
      <span aria-hidden="true">{count}</span>
      <span className="visually-hidden">{t('review.unanswered', { count })}</span>
    </span>
  );
}
