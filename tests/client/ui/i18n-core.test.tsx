// The app's own translator (src/client/i18n/index.ts), which replaced i18next + react-i18next to
// shrink the start-up bundle (issue 10): what the screens rely on, each with a case that fails
// when it breaks.
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import appEn from '../../../src/client/i18n/app.en.ts';
import appZh from '../../../src/client/i18n/app.zh.ts';
import householdEn from '../../../src/client/i18n/household.en.ts';
import householdZh from '../../../src/client/i18n/household.zh.ts';
import { createI18n, I18nProvider, storedLanguage, useTranslation, type I18n } from '../../../src/client/i18n/index.ts';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('t', () => {
  it('looks up nested keys in the current language, the app namespace by default', () => {
    expect(createI18n('zh-CN').t('nav.sync')).toBe(appZh.nav.sync);
    expect(createI18n('en').t('nav.sync')).toBe(appEn.nav.sync);
    expect(appZh.nav.sync).not.toBe(appEn.nav.sync);
  });

  it('fills every {{name}} placeholder, empty for a value not given, numbers as digits', () => {
    const i18n = createI18n('zh-CN');
    expect(appZh.signOut.refused).toContain('{{count}}');
    expect(i18n.t('signOut.refused', { count: 12 })).toBe(appZh.signOut.refused.replace('{{count}}', '12'));
    expect(i18n.t('common.error', { message: 'x' })).toBe(appZh.common.error.replace('{{message}}', 'x'));
    expect(i18n.t('common.error')).toBe(appZh.common.error.replace('{{message}}', ''));
    expect(i18n.t('common.error', { message: 0 })).toBe(appZh.common.error.replace('{{message}}', '0'));
  });

  it('falls back to Chinese for a key English lacks, and returns an unknown key as is', () => {
    const en = createI18n('en');
    en.addResourceBundle('en', 'household', { only: 'x' });
    en.addResourceBundle('zh-CN', 'household', { only: 'y', zhOnly: '中文' });
    expect(en.t('only', { ns: 'household' })).toBe('x');
    expect(en.t('zhOnly', { ns: 'household' })).toBe('中文');
    expect(en.t('no.such.key')).toBe('no.such.key');
    expect(en.t('nav')).toBe('nav'); // an inner node is not a string
  });
});

describe('changeLanguage', () => {
  it('switches, sets <html lang>, remembers the choice for the next start', async () => {
    const i18n = createI18n('zh-CN');
    await i18n.changeLanguage('en');
    expect(i18n.language).toBe('en');
    expect(i18n.languages).toEqual(['en', 'zh-CN']);
    expect(document.documentElement.lang).toBe('en');
    expect(storedLanguage()).toBe('en');
    expect(createI18n().language).toBe('en');
  });

  it('brings the lazy namespaces in use in the new language before it switches', async () => {
    const i18n = createI18n('zh-CN');
    i18n.addResourceBundle('zh-CN', 'household', householdZh);
    const switching = i18n.changeLanguage('en');
    expect(i18n.language).toBe('zh-CN'); // not before the strings are there
    await switching;
    expect(i18n.hasResourceBundle('en', 'household')).toBe(true);
    expect(i18n.t('section.household', { ns: 'household' })).toBe(householdEn.section.household);
  });
});

describe('useTranslation', () => {
  function Label({ ns }: { ns?: 'household' }) {
    const { t } = useTranslation(ns);
    return <p>{ns ? t('section.household') : t('nav.sync')}</p>;
  }

  it('re-renders on a language switch', async () => {
    const i18n = createI18n('zh-CN');
    render(
      <I18nProvider i18n={i18n}>
        <Label />
      </I18nProvider>,
    );
    expect(screen.getByText(appZh.nav.sync)).toBeTruthy();
    await act(() => i18n.changeLanguage('en'));
    expect(screen.getByText(appEn.nav.sync)).toBeTruthy();
  });

  it('suspends until a lazy namespace is loaded, then renders its strings', async () => {
    const i18n: I18n = createI18n('en');
    const fresh = !i18n.hasResourceBundle('en', 'household');
    render(
      <I18nProvider i18n={i18n}>
        <Suspense fallback={<p>waiting</p>}>
          <Label ns="household" />
        </Suspense>
      </I18nProvider>,
    );
    if (fresh) expect(screen.getByText('waiting')).toBeTruthy();
    expect(await screen.findByText(householdEn.section.household, undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('gives the same t until the language changes, then a new one', async () => {
    const i18n = createI18n('zh-CN');
    const seen: unknown[] = [];
    function Probe() {
      seen.push(useTranslation().t);
      return null;
    }
    const { rerender } = render(
      <I18nProvider i18n={i18n}>
        <Probe />
      </I18nProvider>,
    );
    rerender(
      <I18nProvider i18n={i18n}>
        <Probe />
      </I18nProvider>,
    );
    expect(seen[0]).toBe(seen[1]);
    await act(() => i18n.changeLanguage('en'));
    expect(seen.at(-1)).not.toBe(seen[0]);
  });

  it('without a provider, fails loudly', () => {
    const err = console.error;
    console.error = () => {};
    try {
      expect(() => render(<Label />)).toThrow(/I18nProvider/);
    } finally {
      console.error = err;
    }
  });
});

describe('English shell strings off the start-up path', () => {
  it('a fresh page has only Chinese until prepareLanguage or a switch loads English', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/client/i18n/index.ts');
    // Before the chunk: every key falls back to the bundled Chinese, never a raw key.
    expect(fresh.createI18n('en').t('nav.sync')).toBe(appZh.nav.sync);
    await fresh.prepareLanguage('en');
    expect(fresh.createI18n('en').t('nav.sync')).toBe(appEn.nav.sync);
  });

  it('a switch to English loads the shell strings before it changes', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/client/i18n/index.ts');
    const i18n = fresh.createI18n('zh-CN');
    await i18n.changeLanguage('en');
    expect(i18n.t('nav.sync')).toBe(appEn.nav.sync);
  });
});
