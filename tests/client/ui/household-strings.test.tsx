// The household form's strings (i18n namespace `household`) are not in the start-up bundle
// (issue 10): an instance starts without them, loadNamespace (what the household route calls with
// the form's chunk) brings the user's language, a language switch loads the other language, and
// a chunk that cannot be loaded fails loudly instead of showing raw keys.
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n, loadNamespace, preloadNamespace } from '../../../src/client/i18n/index.ts';
import householdEn from '../../../src/client/i18n/household.en.ts';
import householdZh from '../../../src/client/i18n/household.zh.ts';
import { HouseholdPage } from '../../../src/client/ui/household/HouseholdPage.tsx';
import { seedAssignment, testDb } from '../fixtures.ts';
import { fakeServices, renderWith } from './render.tsx';

afterEach(cleanup);
const LOAD = { timeout: 10_000 };

describe('the household strings load with the form', () => {
  it('an instance starts without them; loadNamespace brings them; a language switch loads the other language', async () => {
    const zh = createI18n('zh-CN');
    expect(zh.hasResourceBundle('zh-CN', 'household')).toBe(false);
    expect(zh.hasResourceBundle('zh-CN', 'app')).toBe(true);
    await loadNamespace(zh, 'household');
    expect(zh.t('section.household', { ns: 'household' })).toBe(householdZh.section.household);
    expect(zh.hasResourceBundle('en', 'household')).toBe(false); // only what the language needs
    await zh.changeLanguage('en');
    expect(zh.t('section.household', { ns: 'household' })).toBe(householdEn.section.household);
  });

  it('an English instance gets English and the Chinese fallback; a later instance has them at once', async () => {
    const en = createI18n('en');
    await loadNamespace(en, 'household');
    expect(en.t('section.household', { ns: 'household' })).toBe(householdEn.section.household);
    expect(en.hasResourceBundle('zh-CN', 'household')).toBe(true); // the fallback language, for a missing key
    expect(createI18n('en').hasResourceBundle('en', 'household')).toBe(true);
  });

  it('the form renders its strings, never raw keys, once loaded', async () => {
    const db = await testDb();
    const [first] = await seedAssignment(db, 1);
    if (!first) throw new Error('no listing');
    await preloadNamespace('household');
    renderWith(<HouseholdPage db={db} listingId={first.id} onClose={() => {}} />, fakeServices(db), { lang: 'en' });
    expect((await screen.findAllByText(new RegExp(householdEn.section.household), undefined, LOAD)).length).toBeGreaterThan(0);
    expect(screen.queryAllByText(/section\.household/)).toEqual([]);
  });

  it('a strings chunk that cannot be loaded rejects (the error boundary offers the reload), and a later call tries again', async () => {
    vi.resetModules();
    let fail = true;
    vi.doMock('../../../src/client/i18n/household.en.ts', () => {
      if (fail) throw new Error('chunk gone');
      return { default: householdEn };
    });
    try {
      const fresh = await import('../../../src/client/i18n/index.ts');
      const en = fresh.createI18n('en');
      let err: unknown;
      await act(async () => {
        err = await fresh.loadNamespace(en, 'household').then(() => undefined, (e: unknown) => e);
      });
      // The import's own error (here vitest's wrapper of the mock's), not a generic one: the error
      // boundary tells a chunk error (reload into the new build) by the import's message.
      expect(err).toBeInstanceOf(Error);
      const e = err as Error;
      expect(`${e.message} ${String(e.cause)}`).toMatch(/chunk gone/);
      fail = false;
      vi.resetModules(); // the mock factory runs again on the next import
      await fresh.loadNamespace(en, 'household');
      expect(en.t('section.household', { ns: 'household' })).toBe(householdEn.section.household);
    } finally {
      vi.doUnmock('../../../src/client/i18n/household.en.ts');
      vi.resetModules();
    }
  });
});
