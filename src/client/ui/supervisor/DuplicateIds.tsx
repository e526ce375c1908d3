// Citizen IDs registered in more than one household (GET /supervision/duplicates): each ID with
// every household holding it, who registered it, and a review query to the enumerator of each
// household in the supervisor's scope. A household outside the scope is shown by its district and
// number only (the server sends no person for it). Loaded with the dashboard, a page at a time.
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type { ApiPort } from '../services.ts';
import { createQuery, fetchDuplicates, type DuplicateGroup, type DuplicateHousehold } from './supervision-api.ts';

const PAGE = 50;

export function DuplicateIds(props: { api: ApiPort; generation: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [groups, setGroups] = useState<DuplicateGroup[]>([]);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<ReadonlySet<string>>(new Set());
  // A server from before the duplicate index answers 404: the section is left out, not an error.
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    let live = true;
    void fetchDuplicates(props.api, 0, PAGE).then((r) => {
      if (!live) return;
      if (!r.ok && r.status === 404) return setMissing(true);
      if (!r.ok) return setError(t('supervisor.loadFailed', { message: r.message }));
      setError(null);
      setGroups(r.value.duplicates);
      setNext(r.value.next);
    });
    return () => {
      live = false;
    };
  }, [props.api, props.generation, t]);

  async function more() {
    if (next === undefined) return;
    const r = await fetchDuplicates(props.api, next, PAGE);
    if (!r.ok) return setError(t('supervisor.loadFailed', { message: r.message }));
    setGroups((g) => [...g, ...r.value.duplicates]);
    setNext(r.value.next);
  }

  const where = (h: DuplicateHousehold) => t('dupIds.where', { district: h.districtCode, no: h.householdNo });

  async function ask(group: DuplicateGroup, h: DuplicateHousehold & { inScope: true }) {
    const others = group.households
      .filter((o) => o !== h)
      .map(where)
      .join('、');
    const message = t('dupIds.queryText', { n: h.person.index + 1, name: h.person.name ?? '', id: group.citizenId, others });
    const r = await createQuery(props.api, h.registrationId, message);
    if (!r.ok) return setError(t('supervisor.loadFailed', { message: r.message }));
    setSent((s) => new Set([...s, `${group.citizenId} ${h.registrationId}`]));
    props.onChanged();
  }

  if (missing) return null;
  return (
    <section className="card" aria-labelledby="sup-dup-ids" data-testid="duplicate-ids">
      <h2 id="sup-dup-ids">{t('dupIds.title')}</h2>
      <p className="muted">{t('dupIds.hint')}</p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!error && groups.length === 0 && <p>{t('dupIds.none')}</p>}
      <ul className="list">
        {groups.map((g) => (
          <li key={g.citizenId} className="list-item" data-testid="duplicate-id">
            <div className="main">
              <div className="title">{t('dupIds.id', { id: g.citizenId, count: g.households.length })}</div>
              <ul className="list dup-households">
                {g.households.map((h) => {
                  const by = h.enumerator ? t('dupIds.by', { name: h.enumerator.name }) : t('dupIds.byOffice');
                  const key = h.inScope ? h.registrationId : `${h.districtCode}/${h.householdNo}`;
                  return (
                    <li key={key} data-testid="duplicate-household">
                      {where(h)} · {by} ·{' '}
                      {h.inScope ? t('dupIds.person', { n: h.person.index + 1, name: h.person.name ?? '' }) : t('dupIds.outOfScope')}
                      {h.inScope &&
                        (sent.has(`${g.citizenId} ${h.registrationId}`) ? (
                          <span className="muted"> · {t('supervisor.sent')}</span>
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={t('dupIds.askLabel', { where: where(h) })}
                            onClick={() => void ask(g, h)}
                          >
                            {t('dupIds.ask')}
                          </button>
                        ))}
                    </li>
                  );
                })}
              </ul>
            </div>
          </li>
        ))}
      </ul>
      {next !== undefined && (
        <button type="button" className="btn" onClick={() => void more()}>
          {t('dupIds.more')}
        </button>
      )}
    </section>
  );
}
