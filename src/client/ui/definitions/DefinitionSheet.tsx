// Item definitions at the door (issue 15): one tap on an item number (or on "释义" under a
// finding) opens what the item means and the rules an enumerator needs, in a sheet over the form
// (no layout jump), closed by one tap, Escape or the Back button. The text is data
// (src/domain/definitions.ts), loaded on the first tap and precached like every chunk, so it works
// offline; an office corrects the text without touching logic.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import type * as Definitions from '../../../domain/definitions.ts';
import type { DefinitionForm, ItemDefinition } from '../../../domain/definitions.ts';
import { Sheet } from '../Sheet.tsx';

type DefinitionsModule = typeof Definitions;
let loaded: Promise<DefinitionsModule> | undefined;
/** The definitions chunk, loaded once. */
export function loadDefinitions(): Promise<DefinitionsModule> {
  loaded ??= import('../../../domain/definitions.ts').catch((e: unknown) => {
    loaded = undefined; // a failed load (an old chunk gone) may be tried again
    throw e;
  });
  return loaded;
}

/** What to explain: a field or finding path, or an item id on a form. */
export interface DefinitionTarget {
  path?: readonly (string | number)[];
  item?: { form: DefinitionForm; id: string };
}

export function resolveDefinition(m: DefinitionsModule, target: DefinitionTarget): ItemDefinition | undefined {
  return (target.path && m.definitionForPath(target.path)) ?? (target.item && m.definitionForItem(target.item.form, target.item.id));
}

interface DefinitionOpener {
  open: (target: DefinitionTarget, opener: HTMLElement | null) => void;
}
const DefinitionContext = createContext<DefinitionOpener | null>(null);

/** The opener, or undefined outside a provider (then no item number is a button). */
export const useDefinitionOpener = (): DefinitionOpener | null => useContext(DefinitionContext);

type Shown = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; def: ItemDefinition | undefined };

/**
 * Closing with the Back button: opening pushes a history entry with the same address (so no
 * hashchange: the router and the unsaved-input guard see nothing), and Back pops it.
 */
function useBackCloses(open: boolean, close: () => void): () => void {
  const pushed = useRef(false);
  const closeRef = useRef(close);
  useEffect(() => {
    closeRef.current = close;
  }, [close]);
  useEffect(() => {
    if (!open) return undefined;
    window.history.pushState({ ...(window.history.state as object | null), puchaSheet: true }, '');
    pushed.current = true;
    const onPop = () => {
      pushed.current = false;
      closeRef.current();
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, [open]);
  // A close by tap or Escape takes our entry off the history too.
  return useCallback(() => {
    if (pushed.current) {
      pushed.current = false;
      window.history.back();
    } else closeRef.current();
  }, []);
}

export function DefinitionProvider(props: { children: ReactNode }) {
  const [target, setTarget] = useState<{ target: DefinitionTarget; opener: HTMLElement | null } | null>(null);
  const open = useCallback((t: DefinitionTarget, opener: HTMLElement | null) => setTarget({ target: t, opener }), []);
  const value = useMemo(() => ({ open }), [open]);
  return (
    <DefinitionContext.Provider value={value}>
      {props.children}
      {target && <DefinitionSheetView target={target.target} opener={target.opener} onClosed={() => setTarget(null)} />}
    </DefinitionContext.Provider>
  );
}

function DefinitionSheetView(props: { target: DefinitionTarget; opener: HTMLElement | null; onClosed: () => void }) {
  const { t, i18n } = useTranslation('household');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const [shown, setShown] = useState<Shown>({ state: 'loading' });
  const close = useBackCloses(true, props.onClosed);
  useEffect(() => {
    let live = true;
    loadDefinitions().then(
      (m) => live && setShown({ state: 'ready', def: resolveDefinition(m, props.target) }),
      () => live && setShown({ state: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [props.target]);
  const def = shown.state === 'ready' ? shown.def : undefined;
  return (
    <Sheet title={def ? titleOf(def, lang) : t('definitions.title')} onClose={close} opener={props.opener}>
      {shown.state === 'loading' && <p>{t('loading')}</p>}
      {shown.state === 'failed' && <p className="alert alert-error">{t('definitions.failed')}</p>}
      {shown.state === 'ready' && !def && <p className="muted">{t('definitions.none')}</p>}
      {def && <DefinitionBody def={def} />}
    </Sheet>
  );
}

function titleOf(def: ItemDefinition, lang: 'zh' | 'en'): string {
  const ids = [...new Set(def.items.map((i) => i.id))].join(' / ');
  return ids ? `${ids} ${def.title[lang]}` : def.title[lang];
}

/** One definition: the meaning, the rules at the door, its source and, where unverified, the office's note. */
export function DefinitionBody({ def }: { def: ItemDefinition }) {
  const { t, i18n } = useTranslation('household');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  return (
    <div className="definition stack" data-testid="definition" data-key={def.key}>
      <p>{def.text[lang]}</p>
      {def.rules.length > 0 && (
        <>
          <h3>{t('definitions.rules')}</h3>
          <ul className="definition-rules">
            {def.rules.map((r) => (
              <li key={r.zh}>{r[lang]}</li>
            ))}
          </ul>
        </>
      )}
      {def.officeNote && (
        <p className="alert alert-warning definition-note" data-testid="definition-note">
          <strong>{t('definitions.officeNote')}</strong> {def.officeNote[lang]}
        </p>
      )}
      <p className="muted definition-source">{t('definitions.source', { source: def.source, confidence: t(`definitions.confidence.${def.confidence}`) })}</p>
    </div>
  );
}
