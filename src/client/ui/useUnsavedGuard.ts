// Unsaved input must not vanish by accident: while a form reports dirty, closing or reloading the
// tab asks first (beforeunload), and leaving the page through a link or the back button asks too
// (hash routes: a refused change puts the old address back).
import { useEffect } from 'react';
import { useDirtyTracker } from './dirty.ts';

export function useUnsavedGuard(question: string): void {
  const dirty = useDirtyTracker();
  useEffect(() => {
    let restoring = false;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirty.any()) return;
      e.preventDefault();
      e.returnValue = ''; // older browsers need it set
    };
    const onHashChange = (e: HashChangeEvent) => {
      if (restoring) {
        restoring = false;
        return;
      }
      if (!dirty.any() || window.confirm(question)) return;
      restoring = true;
      window.location.replace(e.oldURL);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('hashchange', onHashChange);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [dirty, question]);
}
