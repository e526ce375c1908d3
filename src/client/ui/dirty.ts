// The one unsaved-input tracker: every screen with input reports "I hold unsaved input" under its
// own key (useUnsavedInput); the update prompt asks it before it reloads and never reloads while
// anything is unsaved, and useUnsavedGuard asks it before a link, the back button or closing the
// tab leaves. Keys are plain ids, never translated text, so a language switch changes nothing here.
import { createContext, useContext, useEffect } from 'react';

export class DirtyTracker {
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<() => void>();
  set(key: string, isDirty: boolean): void {
    const had = this.dirty.has(key);
    if (isDirty) this.dirty.add(key);
    else this.dirty.delete(key);
    if (had !== isDirty) for (const l of this.listeners) l();
  }
  any(): boolean {
    return this.dirty.size > 0;
  }
  /** The keys holding unsaved input now (for tests and diagnostics). */
  keys(): string[] {
    return [...this.dirty];
  }
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const DirtyContext = createContext<DirtyTracker>(new DirtyTracker());

export function useDirtyTracker(): DirtyTracker {
  return useContext(DirtyContext);
}

/**
 * Reports `dirty` (typed but not saved or sent) under `key` while mounted; unmounting clears it.
 * One line for any screen with input: `useUnsavedInput(`query:${id}`, text.trim() !== '')`.
 */
export function useUnsavedInput(key: string, dirty: boolean): void {
  const t = useDirtyTracker();
  useEffect(() => {
    t.set(key, dirty);
  }, [t, key, dirty]);
  useEffect(() => () => t.set(key, false), [t, key]);
}
