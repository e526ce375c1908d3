// i18n for the field app: i18next + react-i18next, Simplified Chinese by default, English switch.
// Namespaces: `app` (shell, lists, sync, supervisor), bundled with the start-up code, and
// `household` (the household form, owned by the form's engineer), loaded on first use from its own
// chunk per language so the cold start to the district list does not parse the form's strings
// (issue 10). Code-list labels are not here: they come from src/domain/codes.ts (zh/en).
import i18next, { type BackendModule, type i18n as I18n, type ResourceKey } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Code } from '../../domain/index.ts';
import appZh from './app.zh.ts';
import appEn from './app.en.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'pucha.lang';

/** The strings bundled with the start-up code. */
export const resources = {
  'zh-CN': { app: appZh },
  en: { app: appEn },
} as const;

/**
 * Namespaces kept out of the start-up bundle: each language's strings are a chunk of their own
 * (precached by the service worker like every built file, so they load offline too).
 */
const LAZY_NAMESPACES: Readonly<Record<string, Readonly<Record<Language, () => Promise<{ default: ResourceKey }>>>>> = {
  household: { 'zh-CN': () => import('./household.zh.ts'), en: () => import('./household.en.ts') },
};
export type LazyNamespace = 'household';

/** Lazy namespaces already imported in this page: an instance created later starts with them. */
const imported: { [L in Language]: Record<string, ResourceKey> } = { 'zh-CN': {}, en: {} };
/** The instances createI18n made (weakly held): an imported namespace is added to each at once. */
const instances = new Set<WeakRef<I18n>>();

/** The last failed import of each lazy namespace: what loadNamespace rejects with. */
const importErrors = new Map<string, unknown>();

async function importNamespace(language: Language, ns: string): Promise<ResourceKey> {
  const load = LAZY_NAMESPACES[ns]?.[language];
  // Bundled namespaces never get here (i18next asks only for what its store lacks).
  if (!load) return {};
  try {
    const strings = (await load()).default;
    imported[language][ns] = strings;
    for (const ref of instances) {
      const inst = ref.deref();
      if (!inst) instances.delete(ref);
      else if (!inst.hasResourceBundle(language, ns)) inst.addResourceBundle(language, ns, strings);
    }
    importErrors.delete(`${language}|${ns}`);
    return strings;
  } catch (e) {
    importErrors.set(`${language}|${ns}`, e);
    throw e;
  }
}

/**
 * Imports a lazy namespace in these languages (default: all) and adds it to every instance, those
 * createI18n makes later included, so a component that asks for it renders at once instead of
 * suspending. Rejects with the import's own error (a chunk that cannot be loaded).
 */
export async function preloadNamespace(ns: LazyNamespace, languages: readonly Language[] = LANGUAGES): Promise<void> {
  await Promise.all([...new Set(languages)].map((l) => importNamespace(l, ns)));
}

/** i18next backend that imports a lazy namespace's chunk; a failed import is an error, not a retry. */
const lazyBackend: BackendModule = {
  type: 'backend',
  callbackApi: true,
  init: () => undefined,
  read(language, namespace, callback) {
    if (!isLanguage(language)) return callback(null, {});
    // data `false` with the error: i18next retries only errors that come with data.
    importNamespace(language, namespace).then(
      (strings) => callback(null, strings),
      (e: unknown) => callback(e instanceof Error ? e : String(e), false),
    );
  },
};

function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** The language saved by the switch, or the default. Never throws (storage may be blocked). */
export function storedLanguage(): Language {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/**
 * Create and initialise an i18next instance (the `app` strings are bundled, so init is
 * synchronous; `household` arrives through loadNamespace, or when a component first asks for it:
 * react-i18next then suspends until it is loaded). Tests create their own instance; main.tsx
 * creates the app's one.
 */
export function createI18n(lng: Language = storedLanguage()): I18n {
  const inst = i18next.createInstance();
  void inst.use(lazyBackend).use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: ['app'],
    defaultNS: 'app',
    resources: { 'zh-CN': { ...imported['zh-CN'], ...resources['zh-CN'] }, en: { ...imported.en, ...resources.en } },
    partialBundledLanguages: true, // bundled `app`, the other namespaces from lazyBackend
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  instances.add(new WeakRef(inst));
  inst.on('languageChanged', (l) => {
    if (typeof document !== 'undefined') document.documentElement.lang = l;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, l);
    } catch {
      // storage blocked: the switch still works for this session
    }
  });
  return inst;
}

const namespaceLoads = new WeakMap<object, Map<LazyNamespace, Promise<void>>>();

/**
 * Loads a lazy namespace for the current language and its fallback (once per instance; a language
 * switch loads the new language's part itself before it changes). Rejects with the import's own
 * error when a chunk cannot be loaded (a tab of an old build), so the error boundary recognises a
 * chunk error and reloads into the new build instead of showing a form of raw keys; a failed load
 * is forgotten, so a later call tries again.
 */
export function loadNamespace(i18n: I18n, ns: LazyNamespace): Promise<void> {
  // Keyed by the store: react-i18next hands out per-language wrappers of one instance.
  let loads = namespaceLoads.get(i18n.store);
  if (!loads) namespaceLoads.set(i18n.store, (loads = new Map<LazyNamespace, Promise<void>>()));
  const known = loads.get(ns);
  if (known) return known;
  const loaded = () => i18n.languages.every((l) => i18n.hasResourceBundle(l, ns));
  const p = (async () => {
    await i18n.loadNamespaces(ns);
    // i18next settles a load that failed once without trying again: only a reload asks again.
    if (!loaded()) await i18n.reloadResources([...i18n.languages], [ns]);
    if (!loaded()) {
      const e = i18n.languages.map((l) => importErrors.get(`${l}|${ns}`)).find((x) => x !== undefined);
      throw e instanceof Error ? e : new Error(`the strings of ${ns} could not be loaded`);
    }
  })();
  loads.set(ns, p);
  p.catch(() => loads.delete(ns));
  return p;
}

/** Label of a domain code in the current language (zh for Chinese, en otherwise). */
export function codeLabel<V extends number | string>(code: Code<V> | undefined, lng: string): string {
  if (!code) return '';
  return lng.startsWith('zh') ? code.zh : code.en;
}

/** The translation hook, re-exported so screens import i18n from one place. */
export { useTranslation };
export type { I18n };

/** A function that labels a code of a domain list in the current language. */
export function useCodeLabel(): <V extends number | string>(list: readonly Code<V>[], value: V | undefined) => string {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return (list, value) => (value === undefined ? '' : codeLabel(list.find((c) => c.code === value), lng));
}
