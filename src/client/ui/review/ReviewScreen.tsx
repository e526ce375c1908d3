// The 复查 list (issue 12): released review items of this phone's districts, grouped by category,
// unanswered first; each shows the person to check as the register has them (and what was
// registered, for a mismatch) and takes a structured answer offline, queued as a `queryAnswer`
// mutation by the db's answerQuery. A supervisor's free-text query is the category `other`.
// Loaded with the screen, not at start-up.
import { useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { QUERY_OUTCOME, REVIEW_ANSWER_KINDS_FOR, REVIEW_CATEGORIES, type ReviewAnswerKind, type ReviewQuery } from '../../../domain/index.ts';
import { answerQuery, type QueryAnswerInput } from '../../db/operations.ts';
import { parseRegistration } from '../../../domain/index.ts';
import type { PuchaDb } from '../../db/database.ts';
import { queriesWithHouseholds, type QueryWithHousehold } from '../../db/queries.ts';
import { useCodeLabel, useTranslation } from '../../i18n/index.ts';
import { useUnsavedInput } from '../dirty.ts';
import { formatTime } from '../format.ts';
import { opFailureText } from '../op-failure.ts';
import { hrefOf } from '../router.ts';
import { useServices } from '../services.ts';

/** A registered household of a district as the review answer picks it (addedPerson, corrected). */
interface DistrictHousehold {
  id: string;
  householdNo: string;
  headName?: string;
  persons: { id: string; name?: string }[];
}

/** The district's households registered on this phone, by household number. */
async function districtHouseholds(db: PuchaDb, districtCode: string): Promise<DistrictHousehold[]> {
  const out: DistrictHousehold[] = [];
  for (const row of await db.registrations.where('districtCode').equals(districtCode).toArray()) {
    const p = parseRegistration(row);
    if (!p.success) continue;
    const r = p.data;
    const head = r.persons.find((x) => x.relationship === 0) ?? r.persons[0];
    out.push({ id: r.id, householdNo: r.householdNo, ...(head?.name !== undefined ? { headName: head.name } : {}), persons: r.persons.map((x) => ({ id: x.id, ...(x.name !== undefined ? { name: x.name } : {}) })) });
  }
  return out.sort((a, b) => a.householdNo.localeCompare(b.householdNo));
}

/**
 * The way to answer `addedPerson` (issue 12): open the household with the item, where one tap adds
 * the register's person and the save answers the item in the same transaction. An item of a
 * whole district (a person in no registered household) first asks which household they live in.
 */
function AddThroughHousehold(props: { q: ReviewQuery; listingId: string | undefined }) {
  const h = useTranslation('household').t;
  const { t } = useTranslation();
  const { db } = useServices();
  const { q } = props;
  const [chosen, setChosen] = useState(props.listingId ?? '');
  const entries = useLiveQuery(async () => (props.listingId !== undefined ? [] : (await db.listing.where('districtCode').equals(q.districtCode).toArray()).sort((a, b) => a.householdNo.localeCompare(b.householdNo))), [db, q.districtCode, props.listingId]);
  const id = `q-${q.id}-listing`;
  return (
    <div className="stack" data-testid="review-add-through">
      {props.listingId === undefined && (
        <div className="field">
          <label htmlFor={id}>{h('rv.pickListing')}</label>
          <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">{h('rv.pickHousehold')}</option>
            {(entries ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {t('queries.household', { no: e.householdNo })} · {e.headName}
              </option>
            ))}
          </select>
        </div>
      )}
      {chosen !== '' ? (
        <a className="btn btn-primary" href={hrefOf({ name: 'household', listingId: chosen, review: q.id })} data-testid="review-go-add">
          {h('rv.goAdd')}
        </a>
      ) : (
        <button type="button" className="btn btn-primary" disabled>
          {h('rv.goAdd')}
        </button>
      )}
      <p className="muted">{h('rv.orPicked')}</p>
    </div>
  );
}

const STATUS_ORDER: Record<ReviewQuery['status'], number> = { open: 0, answered: 1, resolved: 2, dismissed: 3, draft: 4 };

export function ReviewScreen() {
  const { t } = useTranslation();
  const h = useTranslation('household').t;
  const { db } = useServices();
  const items = useLiveQuery(async () => (await queriesWithHouseholds(db)).sort((a, b) => STATUS_ORDER[a.query.status] - STATUS_ORDER[b.query.status] || b.query.createdAt.localeCompare(a.query.createdAt)), [db]);
  if (!items) return <p className="page">{t('common.loading')}</p>;
  // Dismissed items are withdrawn work: counted, not listed. Drafts never reach a phone.
  const work = items.filter((i) => i.query.status !== 'dismissed' && i.query.status !== 'draft');
  const dismissed = items.length - work.length;
  const groups = REVIEW_CATEGORIES.map((c) => ({ category: c, list: work.filter((i) => i.query.category === c) })).filter((g) => g.list.length > 0);
  // Categories with unanswered items first, in the catalogue's order otherwise.
  groups.sort((a, b) => Number(b.list.some((i) => i.query.status === 'open')) - Number(a.list.some((i) => i.query.status === 'open')));
  return (
    <main className="page stack">
      <h1>{t('queries.title')}</h1>
      {work.length === 0 && <p className="alert alert-info">{t('queries.empty')}</p>}
      {dismissed > 0 && (
        <p className="muted" data-testid="review-dismissed">
          {h('rv.dismissed', { count: dismissed })}
        </p>
      )}
      {groups.map((g) => (
        <section key={g.category} className="stack" data-testid="review-group" data-category={g.category}>
          <h2>
            {h(`rv.category.${g.category}`)} <span className="muted">({g.list.length})</span>
          </h2>
          <ul className="list stack">
            {g.list.map((item) => (
              <li key={item.query.id} className="card" data-testid="query" data-status={item.query.status} data-category={item.query.category}>
                <QueryCard item={item} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}

function Subject(props: { q: ReviewQuery }) {
  const h = useTranslation('household').t;
  const s = props.q.subject;
  const m = props.q.match;
  if (!s) return null;
  const registered = s.registered;
  const regText = registered ? [registered.name, registered.citizenId, registered.sex !== undefined ? h(`rv.sex.${registered.sex}`) : undefined, registered.birth].filter((x) => x !== undefined && x !== '').join(' · ') : '';
  return (
    <div className="stack" data-testid="review-subject">
      <p>
        <strong>{s.name ?? h('rv.person')}</strong>
        {s.sex !== undefined && ` · ${h(`rv.sex.${s.sex}`)}`}
        {s.birth !== undefined && ` · ${h('rv.birth', { birth: s.birth })}`}
      </p>
      {s.citizenId !== undefined && (
        <p>
          {h('rv.id')} <span className="mono">{s.citizenId}</span>
        </p>
      )}
      {s.motherName !== undefined && <p>{h('rv.mother', { name: s.motherName })}</p>}
      {s.address !== undefined && (
        <p>
          {h('rv.address')} {s.address}
        </p>
      )}
      {regText !== '' && <p data-testid="review-registered">{h('rv.registered', { value: regText })}</p>}
      {m?.method === 'fuzzy' && (
        <p className="badge badge-warn" data-testid="review-fuzzy">
          {h('rv.fuzzy', { pct: Math.round(m.confidence * 100) })}
        </p>
      )}
    </div>
  );
}

function QueryCard(props: { item: QueryWithHousehold }) {
  const { t, i18n } = useTranslation();
  const h = useTranslation('household').t;
  const label = useCodeLabel();
  const { db } = useServices();
  const { query: q, householdNo, headName, listingId } = props.item;
  const structured = q.category !== 'other';
  const kinds = REVIEW_ANSWER_KINDS_FOR[q.category];
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<QueryAnswerInput['outcome'] | ''>('');
  const [kind, setKind] = useState<ReviewAnswerKind | ''>('');
  const [whereabouts, setWhereabouts] = useState('');
  const [householdId, setHouseholdId] = useState(q.householdId ?? '');
  const [personId, setPersonId] = useState('');
  useUnsavedInput(`query:${q.id}`, !q.answer && (text.trim() !== '' || kind !== '' || whereabouts.trim() !== '')); // typed, not sent: the update waits
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const households = useLiveQuery(() => (kind === 'addedPerson' || kind === 'corrected' ? districtHouseholds(db, q.districtCode) : Promise.resolve([])), [db, q.districtCode, kind]);
  const idp = `q-${q.id}`;
  const chosen = households?.find((x) => x.id === householdId);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (structured && kind === '') {
      setError(h('rv.pickKind'));
      return;
    }
    const note = text.trim();
    const input: QueryAnswerInput = structured
      ? {
          text: note,
          ...(kind !== '' ? { kind } : {}),
          ...((kind === 'addedPerson' || kind === 'corrected') && householdId !== '' ? { householdId } : {}),
          ...(kind === 'addedPerson' && personId !== '' ? { personId } : {}),
          ...(kind === 'notResident' && whereabouts.trim() !== '' ? { whereabouts: whereabouts.trim() } : {}),
        }
      : { text: note, ...(outcome ? { outcome } : {}) };
    setBusy(true);
    const r = await answerQuery(db, q.id, input);
    setBusy(false);
    setError(r.ok ? null : opFailureText(r, t));
  }

  const title = q.householdId !== undefined || householdNo !== '' ? `${t('queries.household', { no: householdNo })}${headName ? ` · ${t('review.head', { name: headName })}` : ''}` : h('rv.district', { code: q.districtCode });
  const canSend = structured ? kind !== '' && (kind !== 'addedPerson' || (householdId !== '' && personId !== '')) && (kind !== 'corrected' || householdId !== '') : text.trim() !== '';
  return (
    <>
      <div className="row">
        <h3 className="grow query-title">{title}</h3>
        <span className={`badge ${q.status === 'open' ? 'badge-warn' : 'badge-ok'}`}>{t(`queries.status.${q.status === 'answered' || q.status === 'resolved' ? q.status : 'open'}`)}</span>
      </div>
      <p className="muted">{formatTime(q.createdAt, i18n.language)}</p>
      <Subject q={q} />
      <p>{q.message}</p>
      {listingId ? (
        <a className="btn btn-small" href={hrefOf({ name: 'household', listingId })} data-testid="query-household">
          {t('review.openHousehold')}
          <span className="visually-hidden"> {t('queries.household', { no: householdNo })}</span>
        </a>
      ) : q.householdId === undefined ? (
        <a className="btn btn-small" href={hrefOf({ name: 'district', code: q.districtCode })} data-testid="query-district">
          {h('rv.openDistrict')}
        </a>
      ) : (
        <p className="muted">{t('review.notOnPhone')}</p>
      )}
      {!q.answer && q.status === 'open' && kinds.includes('addedPerson') && <AddThroughHousehold q={q} listingId={listingId} />}
      {q.answer ? (
        <p className="alert alert-ok" data-testid="query-answer">
          {q.answer.kind ? `${h(`rv.kind.${q.answer.kind}`)}${q.answer.whereabouts ? ` (${q.answer.whereabouts})` : ''}${q.answer.text ? ': ' : ''}` : q.answer.outcome ? `${label(QUERY_OUTCOME, q.answer.outcome)}: ` : ''}
          {q.answer.text}
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate={structured}>
          {structured ? (
            <fieldset className="field">
              <legend>{h('rv.result')}</legend>
              {kinds.map((k) => (
                <label key={k} className="choice">
                  <input type="radio" name={`${idp}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} /> {h(`rv.kind.${k}`)}
                </label>
              ))}
            </fieldset>
          ) : (
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
          )}
          {(kind === 'addedPerson' || kind === 'corrected') && (
            <>
              <p className="muted">{h('rv.addFirst')}</p>
              {households && households.length === 0 && <p className="alert alert-info">{h('rv.noHouseholds')}</p>}
              <div className="field">
                <label htmlFor={`${idp}-household`}>{h('rv.addedHousehold')}</label>
                <select id={`${idp}-household`} value={householdId} onChange={(e) => (setHouseholdId(e.target.value), setPersonId(''))}>
                  <option value="">{h('rv.pickHousehold')}</option>
                  {(households ?? []).map((x) => (
                    <option key={x.id} value={x.id}>
                      {t('queries.household', { no: x.householdNo })}
                      {x.headName ? ` · ${x.headName}` : ''}
                    </option>
                  ))}
                </select>
              </div>
              {kind === 'addedPerson' && chosen && (
                <div className="field">
                  <label htmlFor={`${idp}-person`}>{h('rv.addedPerson')}</label>
                  <select id={`${idp}-person`} value={personId} onChange={(e) => setPersonId(e.target.value)}>
                    <option value="">{h('rv.pickPerson')}</option>
                    {chosen.persons.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name ?? p.id}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </>
          )}
          {kind === 'notResident' && (
            <div className="field">
              <label htmlFor={`${idp}-where`}>{h('rv.whereabouts')}</label>
              <input id={`${idp}-where`} value={whereabouts} onChange={(e) => setWhereabouts(e.target.value)} maxLength={200} />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${idp}-text`}>{structured ? h('rv.note') : t('queries.answerText')}</label>
            <textarea id={`${idp}-text`} value={text} onChange={(e) => setText(e.target.value)} required={!structured} maxLength={2000} />
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || !canSend}>
            {t('queries.send')}
          </button>
        </form>
      )}
    </>
  );
}
