// Search across every item definition (issue 15), from the menu: an enumerator preparing at home
// types "集体户" or "房间" and reads what counts. Works offline (the definitions chunk is precached).
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { DefinitionBody, loadDefinitions } from './DefinitionSheet.tsx';

type Mod = Awaited<ReturnType<typeof loadDefinitions>>;

export function DefinitionsScreen() {
  const { t, i18n } = useTranslation('household');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const [mod, setMod] = useState<Mod | null | undefined>(undefined);
  const [query, setQuery] = useState('');
  const inputId = useId();
  useEffect(() => {
    let live = true;
    loadDefinitions().then(
      (m) => live && setMod(m),
      () => live && setMod(null),
    );
    return () => {
      live = false;
    };
  }, []);
  const results = useMemo(() => (mod ? (query.trim() ? mod.searchDefinitions(query, lang) : mod.DEFINITIONS) : []), [mod, query, lang]);

  return (
    <main className="page stack">
      <h1>{t('definitions.title')}</h1>
      <label htmlFor={inputId}>{t('definitions.searchLabel')}</label>
      <input id={inputId} type="search" className="input" value={query} placeholder={t('definitions.searchHint')} onChange={(e) => setQuery(e.target.value)} data-testid="definitions-search" />
      {mod === undefined && <p>{t('loading')}</p>}
      {mod === null && <p className="alert alert-error">{t('definitions.failed')}</p>}
      {mod && (
        <>
          <p className="muted" aria-live="polite">
            {query.trim() ? (results.length ? t('definitions.results', { count: results.length }) : t('definitions.noResults')) : ''}
          </p>
          <ul className="list stack">
            {results.map((d) => (
              <li key={d.key} className="card">
                <details open={query.trim() !== '' && results.length <= 3}>
                  <summary>
                    <strong>{[...new Set(d.items.map((i) => i.id))].join(' / ')}</strong> {d.title[lang]}
                  </summary>
                  <DefinitionBody def={d} />
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
