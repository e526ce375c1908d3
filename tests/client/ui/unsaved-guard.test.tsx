// Leaving a form with unsaved input (link or back button: a hash change) asks first; refusing
// puts the old address back, and a clean form leaves without asking.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { DirtyContext, DirtyTracker } from '../../../src/client/ui/dirty.ts';
import { useUnsavedGuard } from '../../../src/client/ui/useUnsavedGuard.ts';

function Guard() {
  useUnsavedGuard('leave?');
  return null;
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  window.location.hash = '';
});

const hashChanged = () => new Promise<void>((r) => window.addEventListener('hashchange', () => r(), { once: true }));

describe('useUnsavedGuard', () => {
  it('keeps the page when the user refuses to leave a dirty form', async () => {
    const dirty = new DirtyTracker();
    window.location.hash = '#/h/L-1';
    await hashChanged();
    render(<DirtyContext.Provider value={dirty}><Guard /></DirtyContext.Provider>);
    dirty.set('household:L-1', true);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    window.location.hash = '#/queries';
    await waitFor(() => expect(confirm).toHaveBeenCalledWith('leave?'));
    await waitFor(() => expect(window.location.hash).toBe('#/h/L-1'));
  });

  it('lets a clean form go without asking', async () => {
    const dirty = new DirtyTracker();
    render(<DirtyContext.Provider value={dirty}><Guard /></DirtyContext.Provider>);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    window.location.hash = '#/sync';
    await hashChanged();
    expect(confirm).not.toHaveBeenCalled();
    expect(window.location.hash).toBe('#/sync');
  });
});
