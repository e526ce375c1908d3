// A node's quality signals (GET /quality, docs/OFFICE.md): per signal the node's value, the
// expected range, the basis and whether it is enough to judge, low or high; the children with
// most signals outside first (the server's order), their outside cells flagged in words, not by
// colour alone; each signal links to the households behind it. At a township or below (or for a
// supervisor) the enumerators' figures too (GET /quality/enumerators).
import { useTranslation } from '../../i18n/index.ts';
import { fetchQuality, fetchQualityEnumerators, SIGNAL_IDS, type QualityEnumerator, type Signal } from './office-api.ts';
import { levelOf, officeHref } from './office-route.ts';
import { LoadState, NameCode, num, remember, useDesk, useLoad } from './office-ui.tsx';

/** Digits shown per signal: family size to 2 places (3.05 persons), the rest to 1. */
const DIGITS: Readonly<Record<string, number>> = { familySize: 2 };
export const formatSignal = (s: { id: string; value: number | null }): string => num(s.value, DIGITS[s.id] ?? 1);

/** Signals whose households the node's list can show: perEnumeratorDay needs an enumerator and a day (the enumerators' table links those). */
export const hasHouseholds = (id: string): boolean => id !== 'perEnumeratorDay';

/** The level at which the enumerators' figures may be asked for (bounded: a township or below, or a supervisor's own node). */
export function enumeratorsAllowed(area: string | null | undefined, role: string): boolean {
  if (role === 'supervisor') return true;
  const level = levelOf(area);
  return level === 'township' || level === 'area' || level === 'district';
}

export function SignalState(props: { signal: Signal }) {
  const { t } = useTranslation('office');
  const s = props.signal;
  if (!s.enough) return <span className="badge badge-info">{t('quality.notEnough')}</span>;
  if (s.outside === 'low') return <span className="badge badge-err">{t('quality.low')}</span>;
  if (s.outside === 'high') return <span className="badge badge-err">{t('quality.high')}</span>;
  return <span className="badge badge-ok">{t('quality.ok')}</span>;
}

export function QualityView(props: { area: string | undefined }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const quality = useLoad(() => fetchQuality(desk.api, props.area), props.area ?? '');
  if (quality.state !== 'ok') return <LoadState loaded={quality} />;
  const q = quality.value;
  remember(desk.names, [q, ...q.children]);
  const signalName = (id: string) => t(`quality.signals.${id}`);
  const order = (signals: readonly Signal[]) => {
    const known = (SIGNAL_IDS as readonly string[]).filter((id) => signals.some((s) => s.id === id));
    const other = signals.map((s) => s.id).filter((id) => !known.includes(id));
    return [...known, ...other];
  };
  const ids = order([...q.node.signals, ...q.children.flatMap((c) => c.signals)]);
  // The answer's own area decides (the caller's scope when no area was asked for); a supervisor's node has none.
  const showEnumerators = enumeratorsAllowed(q.area, desk.session.user.role);
  return (
    <>
      <section className="card" aria-labelledby="office-quality">
        <h2 id="office-quality">{t('quality.heading')}</h2>
        <p className="muted">{t('quality.enoughRule')}</p>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('quality.heading')}>
          <table className="data cards-narrow" data-testid="signals">
            <thead>
              <tr>
                <th scope="col">{t('quality.signal')}</th>
                <th scope="col">{t('quality.value')}</th>
                <th scope="col">{t('quality.range')}</th>
                <th scope="col">{t('quality.basis')}</th>
                <th scope="col">{t('quality.state')}</th>
                <th scope="col">{t('quality.households')}</th>
              </tr>
            </thead>
            <tbody>
              {q.node.signals.map((s) => (
                <tr key={s.id} data-testid="signal-row" data-signal={s.id} data-outside={s.outside ?? ''} className={s.outside ? 'at-risk' : ''}>
                  <th scope="row">{signalName(s.id)}</th>
                  <td data-label={t('quality.value')}>{formatSignal(s)}</td>
                  <td data-label={t('quality.range')}>
                    {num(s.range[0], DIGITS[s.id] ?? 1)}–{num(s.range[1], DIGITS[s.id] ?? 1)}
                  </td>
                  <td data-label={t('quality.basis')}>{s.basis}</td>
                  <td data-label={t('quality.state')}>
                    <SignalState signal={s} />
                  </td>
                  <td data-label={t('quality.households')}>
                    {hasHouseholds(s.id) ? (
                      <a href={officeHref({ kind: 'households', area: props.area, signal: s.id })} aria-label={t('quality.householdsOf', { signal: signalName(s.id) })}>
                        {t('quality.households')}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {q.children.length > 0 && (
        <section className="card" aria-labelledby="office-quality-children">
          <h2 id="office-quality-children">{t('quality.childrenHeading')}</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('quality.childrenTable')}>
            <table className="data cards-narrow" data-testid="quality-children">
              <thead>
                <tr>
                  <th scope="col">{t('children.name')}</th>
                  <th scope="col">{t('quality.outside')}</th>
                  {ids.map((id) => (
                    <th key={id} scope="col">
                      {signalName(id)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {q.children.map((c) => (
                  <tr key={c.area} data-testid="quality-child" data-area={c.area}>
                    <th scope="row">
                      <a href={officeHref({ kind: 'node', area: c.area, tab: 'quality' })}>
                        <NameCode name={c.name} code={c.area} />
                      </a>
                    </th>
                    <td data-label={t('quality.outside')}>{c.outside}</td>
                    {ids.map((id) => {
                      const s = c.signals.find((x) => x.id === id);
                      return (
                        <td key={id} data-label={signalName(id)} data-signal={id} className={s?.outside ? `flag flag-${s.outside}` : s && !s.enough ? 'not-enough' : undefined}>
                          {s ? (
                            <>
                              {hasHouseholds(id) ? <a href={officeHref({ kind: 'households', area: c.area, signal: id })}>{formatSignal(s)}</a> : formatSignal(s)}
                              {(s.outside || !s.enough) && (
                                <>
                                  {' '}
                                  <SignalState signal={s} />
                                </>
                              )}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {showEnumerators ? <QualityEnumerators area={props.area} /> : <p className="muted">{t('quality.enumHint')}</p>}
    </>
  );
}

function QualityEnumerators(props: { area: string | undefined }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const list = useLoad(() => fetchQualityEnumerators(desk.api, props.area), props.area ?? '');
  return (
    <section className="card" aria-labelledby="office-quality-enums">
      <h2 id="office-quality-enums">{t('quality.enumHeading')}</h2>
      {list.state !== 'ok' ? (
        <LoadState loaded={list} />
      ) : !list.value.length ? (
        <p>{t('enumerators.none')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('enumerators.table')}>
          <table className="data cards-narrow" data-testid="quality-enumerators">
            <thead>
              <tr>
                <th scope="col">{t('enumerators.name')}</th>
                <th scope="col">{t('enumerators.complete')}</th>
                <th scope="col">{t('enumerators.overrideShare')}</th>
                <th scope="col">{t('enumerators.topRules')}</th>
                <th scope="col">{t('enumerators.maxPerDay')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.map((e) => (
                <EnumeratorRow key={e.username} e={e} area={props.area} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EnumeratorRow(props: { e: QualityEnumerator; area: string | undefined }) {
  const { t } = useTranslation('office');
  const { e, area } = props;
  return (
    <tr data-testid="quality-enumerator" data-username={e.username}>
      <th scope="row">
        <a href={officeHref({ kind: 'households', area, signal: 'overrideShare', enumerator: e.username })}>
          {e.name || e.username} <span className="code">{e.username}</span>
        </a>
      </th>
      <td data-label={t('enumerators.complete')}>{e.complete}</td>
      <td data-label={t('enumerators.overrideShare')}>{e.overrideShare === null ? '—' : `${num(e.overrideShare)}%`}</td>
      <td data-label={t('enumerators.topRules')}>
        {e.topRules.length ? (
          <ul className="inline-list">
            {e.topRules.map((r) => (
              <li key={r.rule}>
                <a href={officeHref({ kind: 'households', area, signal: `rule:${r.rule}`, enumerator: e.username })}>
                  <code>{r.rule}</code> × {r.n}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </td>
      <td data-label={t('enumerators.maxPerDay')}>
        {e.maxDay ? (
          <a href={officeHref({ kind: 'households', area, signal: 'perEnumeratorDay', enumerator: e.username, day: e.maxDay })}>
            {e.maxPerDay} ({e.maxDay})
          </a>
        ) : (
          e.maxPerDay
        )}
      </td>
    </tr>
  );
}
