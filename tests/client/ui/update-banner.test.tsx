// The update banner publishes its height (--update-banner-h on <html>) while it is shown, so the
// household save bar (.banner in app.css) stands on it instead of under it; "later" hides it and
// takes the height back. The browser check of the layout is tests/e2e/update.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createI18n, I18nProvider } from '../../../src/client/i18n/index.ts';
import { DirtyContext, DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { UpdateBanner, type UpdateState } from '../../../src/client/ui/UpdateBanner.tsx';
import { BANNER_HEIGHT } from '../../../src/client/ui/sticky-bars.ts';

afterEach(() => cleanup());

function state(): UpdateState & { applied: number } {
  const s = { applied: 0, subscribe: () => () => undefined, available: () => true, replaced: () => false, apply: () => void s.applied++ };
  return s;
}

describe('UpdateBanner', () => {
  it('publishes its height while shown and takes it back when hidden', () => {
    const dirty = new DirtyTracker();
    const s = state();
    render(
      <I18nProvider i18n={createI18n('zh-CN')}>
        <DirtyContext.Provider value={dirty}>
          <UpdateBanner state={s} />
        </DirtyContext.Provider>
      </I18nProvider>,
    );
    expect(screen.getByTestId('update-banner').className).toBe('update-banner');
    expect(document.documentElement.style.getPropertyValue(BANNER_HEIGHT)).toMatch(/^\d+px$/);
    fireEvent.click(screen.getByRole('button', { name: '更新' }));
    expect(s.applied).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: '稍后' }));
    expect(screen.queryByTestId('update-banner')).toBeNull();
    expect(document.documentElement.style.getPropertyValue(BANNER_HEIGHT)).toBe('');
  });
});
