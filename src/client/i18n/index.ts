// i18n for the field app: a small translator of our own (see I18n below), Simplified Chinese by
// default, English switch.
// Namespaces: `app` (shell, lists, sync, supervisor), its Chinese strings bundled with the
// start-up code and its English ones a chunk the start awaits only when English was chosen
// (`prepareLanguage`), and `household` (the household form) and `office` (the office's desk),
// loaded on first use from their own chunks per language so the cold start to the district list
// does not parse their strings (issue 10). Code-list labels are not here: they come from src/domain/codes.ts (zh/en).
import { createContext, createElement, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Code } from '../../domain/index.ts';
import appZh from './app.zh.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'pucha.lang';

/** A namespace's strings: nested objects whose leaves are strings with `{{name}}` placeholders. */
export interface Strings {
  readonly [key: string]: string | Strings;
}

/** The strings bundled with the start-up code: the default language's shell. */
export const resources = {
  'zh-CN': { app: appZh },
} as const;

/**
 * Namespaces kept out of the start-up bundle: each language's strings are a chunk of their own
 * (precached by the service worker like every built file, so they load offline too).
 */
const LAZY_NAMESPACES: Readonly<Record<string, Readonly<Record<Language, () => Promise<{ default: Strings }>>>>> = {
  // The English shell (about 5 KB gzip) is off the start-up path; Chinese is bundled.
  app: { 'zh-CN': () => Promise.resolve({ default: appZh }), en: () => import('./app.en.ts') },
  household: { 'zh-CN': () => import('./household.zh.ts'), en: () => import('./household.en.ts') },
  office: { 'zh-CN': () => import('./office.zh.ts'), en: () => import('./office.en.ts') },
};
export type LazyNamespace = 'household' | 'office';

/** Values put into `{{name}}` placeholders; `ns` picks the namespace (default `app`). */
export type TOptions = { readonly ns?: string } & Readonly<Record<string, unknown>>;
/** A translation function of one language and default namespace. */
export type TFunction<_Ns extends string = 'app'> = (key: string, options?: TOptions) => string;

/**
 * The app's translator. It replaces i18next + react-i18next (17.6 KB gzip of the start-up
 * bundle, issue 10) with what the app uses: nested keys, `{{name}}` interpolation, a fallback
 * language, lazily imported namespaces and a subscription for React.
 */
export interface I18n {
  /** The current language. */
  readonly language: Language;
  /** The current language, then the fallback: where a key is looked up, in order. */
  readonly languages: readonly Language[];
  /** Translates in the current language (`options.ns`, default `app`); a missing key is returned as is. */
  readonly t: TFunction;
  /** Loads the lazy namespaces in use for `language`, then switches (remembered in localStorage). */
  changeLanguage(language: Language): Promise<void>;
  hasResourceBundle(language: Language, ns: string): boolean;
  addResourceBundle(language: Language, ns: string, strings: Strings): void;
  /** `t` with `ns` as its default namespace: the same function until the language or the strings change. */
  getFixedT(ns: string): TFunction;
  /** Called after every language switch or added bundle; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Changes whenever what `t` returns may change (useSyncExternalStore's snapshot). */
  readonly revision: number;
}

/** Lazy namespaces already imported in this page: an instance created later starts with them. */
const imported: { [L in Language]: Record<string, Strings> } = { 'zh-CN': {}, en: {} };
/** The instances createI18n made (weakly held): an imported namespace is added to each at once. */
const instances = new Set<WeakRef<I18n>>();

/** The last failed import of each lazy namespace: what loadNamespace rejects with. */
const importErrors = new Map<string, unknown>();

async function importNamespace(language: Language, ns: string): Promise<Strings> {
  const load = LAZY_NAMESPACES[ns]?.[language];
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

/**
 * Loads the shell strings of `language` (English is a chunk of its own), so an instance created
 * afterwards renders in it from the first frame. The start awaits it before the first render; a
 * chunk that cannot be loaded leaves the Chinese fallback and never fails the start.
 */
export async function prepareLanguage(language: Language = storedLanguage()): Promise<void> {
  if (language === DEFAULT_LANGUAGE || imported[language].app) return;
  try {
    await importNamespace(language, 'app');
  } catch {
    // Chinese, the fallback of every key, is bundled: the app still starts.
  }
}

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

function lookup(strings: Strings | undefined, key: string): string | undefined {
  let node: string | Strings | undefined = strings;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

function interpolate(text: string, options: TOptions | undefined): string {
  if (!text.includes('{{')) return text;
  // A value not given becomes empty, as i18next did: never raw braces on the screen.
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = options?.[name];
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
  });
}

class Translator implements I18n {
  private lang: Language;
  private readonly bundles: { [L in Language]: Map<string, Strings> } = { 'zh-CN': new Map(), en: new Map() };
  private readonly listeners = new Set<() => void>();
  revision = 0;

  constructor(language: Language) {
    this.lang = language;
    for (const l of LANGUAGES) {
      for (const [ns, strings] of Object.entries(imported[l])) this.bundles[l].set(ns, strings);
    }
    this.bundles['zh-CN'].set('app', resources['zh-CN'].app);
  }

  get language(): Language {
    return this.lang;
  }

  get languages(): readonly Language[] {
    return this.lang === DEFAULT_LANGUAGE ? [this.lang] : [this.lang, DEFAULT_LANGUAGE];
  }

  readonly t: TFunction = (key, options) => {
    const ns = options?.ns ?? 'app';
    for (const l of this.languages) {
      const text = lookup(this.bundles[l].get(ns), key);
      if (text !== undefined) return interpolate(text, options);
    }
    return key;
  };

  private fixed = new Map<string, TFunction>();

  getFixedT(ns: string): TFunction {
    let t = this.fixed.get(ns);
    if (!t) this.fixed.set(ns, (t = (key, options) => this.t(key, options?.ns ? options : { ...options, ns })));
    return t;
  }

  async changeLanguage(language: Language): Promise<void> {
    if (!isLanguage(language)) throw new Error(`unknown language ${String(language)}`);
    // The lazy namespaces in use come along first, so no screen shows raw keys for a moment.
    const inUse = Object.keys(LAZY_NAMESPACES).filter((ns) => LANGUAGES.some((l) => this.bundles[l].has(ns)));
    const wanted = language === DEFAULT_LANGUAGE ? [language] : [language, DEFAULT_LANGUAGE];
    await Promise.all(inUse.flatMap((ns) => wanted.filter((l) => !this.bundles[l].has(ns)).map((l) => importNamespace(l, ns))));
    this.lang = language;
    if (typeof document !== 'undefined') document.documentElement.lang = language;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, language);
    } catch {
      // storage blocked: the switch still works for this session
    }
    this.changed();
  }

  hasResourceBundle(language: Language, ns: string): boolean {
    return this.bundles[language]?.has(ns) ?? false;
  }

  addResourceBundle(language: Language, ns: string, strings: Strings): void {
    this.bundles[language].set(ns, strings);
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision++;
    this.fixed = new Map(); // new functions: effects that depend on t run again
    for (const l of [...this.listeners]) l();
  }
}

/**
 * Create an i18n instance with the `app` strings and every lazy namespace this page already
 * imported; `household` arrives through loadNamespace, or when a component first asks for it
 * (useTranslation then suspends until it is loaded). Tests create their own instance; main.tsx
 * creates the app's one.
 */
export function createI18n(lng: Language = storedLanguage()): I18n {
  const inst = new Translator(isLanguage(lng) ? lng : DEFAULT_LANGUAGE);
  instances.add(new WeakRef(inst));
  return inst;
}

const namespaceLoads = new WeakMap<I18n, Map<LazyNamespace, Promise<void>>>();

/**
 * Loads a lazy namespace for the current language and its fallback (once per instance; a language
 * switch loads the new language's part itself before it changes). Rejects with the import's own
 * error when a chunk cannot be loaded (a tab of an old build), so the error boundary recognises a
 * chunk error and reloads into the new build instead of showing a form of raw keys; a failed load
 * is forgotten, so a later call tries again.
 */
export function loadNamespace(i18n: I18n, ns: LazyNamespace): Promise<void> {
  let loads = namespaceLoads.get(i18n);
  if (!loads) namespaceLoads.set(i18n, (loads = new Map<LazyNamespace, Promise<void>>()));
  const known = loads.get(ns);
  if (known) return known;
  const p = (async () => {
    const missing = i18n.languages.filter((l) => !i18n.hasResourceBundle(l, ns));
    for (const l of missing) {
      const strings = await importNamespace(l, ns);
      if (!i18n.hasResourceBundle(l, ns)) i18n.addResourceBundle(l, ns, strings);
    }
  })();
  loads.set(ns, p);
  p.catch(() => loads.delete(ns));
  return p;
}

const I18nContext = createContext<I18n | null>(null);

/** Provides the i18n instance to every useTranslation below it. */
export function I18nProvider({ i18n, children }: { i18n: I18n; children?: ReactNode }) {
  return createElement(I18nContext.Provider, { value: i18n }, children);
}

/**
 * The translation hook: `t` in the current language with `ns` (default `app`) as its namespace;
 * re-renders on a language switch. A lazy namespace not loaded yet suspends the component (a
 * Suspense boundary shows its fallback) until it is; a chunk that cannot be loaded throws to the
 * error boundary.
 */
export function useTranslation(ns: 'app' | LazyNamespace = 'app'): { t: TFunction; i18n: I18n } {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useTranslation needs an I18nProvider');
  const subscribe = useCallback((l: () => void) => i18n.subscribe(l), [i18n]);
  useSyncExternalStore(subscribe, () => i18n.revision);
  if (ns !== 'app' && !i18n.languages.every((l) => i18n.hasResourceBundle(l, ns))) {
    // Thrown, as react-i18next did, rather than handed to `use`: React retries a thrown promise
    // when it settles even after a synchronous act() in tests, where `use` waits for an awaited act.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw loadNamespace(i18n, ns);
  }
  return { t: i18n.getFixedT(ns), i18n };
}

/** Label of a domain code in the current language (zh for Chinese, en otherwise). */
export function codeLabel<V extends number | string>(code: Code<V> | undefined, lng: string): string {
  if (!code) return '';
  return lng.startsWith('zh') ? code.zh : code.en;
}

/** A function that labels a code of a domain list in the current language. */
export function useCodeLabel(): <V extends number | string>(list: readonly Code<V>[], value: V | undefined) => string {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return (list, value) => (value === undefined ? '' : codeLabel(list.find((c) => c.code === value), lng));
}
