// Unsaved input must not vanish by accident: while any screen reports unsaved input (dirty.ts),
// closing or reloading the tab asks first (beforeunload), and leaving the page through a link or
// the back button asks too (hash routes: a refused change puts the old address back).
//
// Ordering hazard: the router re-renders on the same hashchange, and a browser runs microtasks
// (where React renders) between two listeners, so a listener after the router's finds the form
// already unmounted and its input reported clean. The guard therefore listens in the capture
// phase (at the window, capture listeners run before the others whatever order they were added
// in) and is added once: the question, which changes with the language, is read through a ref.
import { useEffect, useRef } from 'react';
import { useDirtyTracker } from './dirty.ts';

export function useUnsavedGuard(question: string): void {
  const dirty = useDirtyTracker();
  const ask = useRef(question);
  useEffect(() => {
    ask.current = question;
  }, [question]);
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
      if (!dirty.any() || window.confirm(ask.current)) return;
      // Refused: the router never sees this change, and the old address comes back.
      e.stopImmediatePropagation();
      restoring = true;
      window.location.replace(e.oldURL);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('hashchange', onHashChange, { capture: true });
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('hashchange', onHashChange, { capture: true });
    };
  }, [dirty]);
}
