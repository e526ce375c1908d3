// Answered review queries waiting for the supervisor: read the answer, mark resolved.
import { useState } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { QUERY_OUTCOME, type ReviewQuery } from '../../../domain/index.ts';
import type { ApiPort } from '../services.ts';
import { resolveQuery } from './supervision-api.ts';

export function AnsweredQueries(props: { api: ApiPort; queries: readonly ReviewQuery[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const [error, setError] = useState<string | null>(null);
  const answered = props.queries.filter((q) => q.status === 'answered');
  async function resolve(id: string) {
    const r = await resolveQuery(props.api, id);
    if (!r.ok) setError(t('supervisor.loadFailed', { message: r.message }));
    else props.onChanged();
  }
  return (
    <section className="card" aria-labelledby="sup-answered">
      <h2 id="sup-answered">{t('supervisor.answered')}</h2>
      {error && <p className="alert alert-error">{error}</p>}
      {answered.length === 0 && <p>{t('supervisor.noAnswered')}</p>}
      <ul className="list">
        {answered.map((q) => (
          <li key={q.id} className="list-item" data-testid="answered-query">
            <div className="main">
              <div className="title">
                {q.householdNo ? t('queries.household', { no: q.householdNo }) : (q.householdId ?? q.districtCode).slice(0, 8)} · {q.message}
              </div>
              <div data-testid="answer-text">
                {q.answer?.outcome ? `${label(QUERY_OUTCOME, q.answer.outcome)}: ` : ''}
                {q.answer?.text}
              </div>
            </div>
            <button type="button" className="btn btn-small" onClick={() => void resolve(q.id)}>
              {t('supervisor.resolve')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
