// Unsaved-input tracking: forms report "I have unsaved input"; the update prompt asks before it
// reloads, and never reloads while any form is dirty (a reload would lose what was typed).
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
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const DirtyContext = createContext<DirtyTracker>(new DirtyTracker());

export function useDirtyTracker(): DirtyTracker {
  return useContext(DirtyContext);
}

/** Reports `isDirty` under `key` while mounted; unmounting clears it. */
export function useReportDirty(key: string, isDirty: boolean): void {
  const t = useDirtyTracker();
  useEffect(() => {
    t.set(key, isDirty);
  }, [t, key, isDirty]);
  useEffect(() => () => t.set(key, false), [t, key]);
}
