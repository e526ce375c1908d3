// i18n for the field app: i18next + react-i18next, Simplified Chinese by default, English switch.
// Namespaces: `app` (shell, lists, sync, supervisor) and `household` (the household form, owned by
// the form's engineer). Code-list labels are not here: they come from src/domain/codes.ts (zh/en).
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Code } from '../../domain/index.ts';
import appZh from './app.zh.ts';
import appEn from './app.en.ts';
import householdZh from './household.zh.ts';
import householdEn from './household.en.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'pucha.lang';

export const resources = {
  'zh-CN': { app: appZh, household: householdZh },
  en: { app: appEn, household: householdEn },
} as const;

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
 * Create and initialise an i18next instance (resources are bundled, so init is synchronous).
 * Tests create their own instance; main.tsx creates the app's one.
 */
export function createI18n(lng: Language = storedLanguage()): I18n {
  const inst = i18next.createInstance();
  void inst.use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: ['app', 'household'],
    defaultNS: 'app',
    resources,
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
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
