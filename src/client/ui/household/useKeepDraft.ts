// Keeps what is typed on the phone before it is saved: while the form is dirty, its state is
// written to the drafts table a moment after each change (at most `maxWaitMs` after the first
// unsaved one, so steady typing is kept too), at once when the page is hidden or left
// (`visibilitychange` / `pagehide`: Android may kill a background tab without another event), and
// when the form unmounts (a link, the back button, an error boundary). Nothing here enters the
// outbox; the save deletes the draft in its own transaction.
import { useCallback, useEffect, useRef } from 'react';
import type { RegistrationDraft } from '../../../domain/index.ts';

/** Where the form's drafts go (HouseholdPage wires it to db/drafts.ts; tests may pass anything). */
export interface DraftStore {
  keep: (reg: RegistrationDraft) => Promise<void>;
  discard: () => Promise<void>;
}

/**
 * The same store with its writes landing in the order they were asked for. A draft write takes
 * more than one step (putDraft looks the registration up first), so without this a discard
 * ("leave without saving") could be overtaken by a write begun before it, and the discarded
 * input would come back the next time the household is opened.
 */
export function serialDrafts(store: DraftStore): DraftStore {
  let last: Promise<unknown> = Promise.resolve();
  const queue = (op: () => Promise<void>): Promise<void> => {
    const next = last.then(op);
    last = next.catch(() => undefined);
    return next;
  };
  return { keep: (reg) => queue(() => store.keep(reg)), discard: () => queue(() => store.discard()) };
}

export const DRAFT_DELAY_MS = 300;
export const DRAFT_MAX_WAIT_MS = 1000;

export interface DraftKeeper {
  /** Writes the current state now if it is unsaved (and a write was due, unless `always`). */
  flush: (always?: boolean) => void;
  /** Drops a due write (a save that is about to store the same state is starting). */
  cancel: () => void;
  /** No more writes from this form (its input is being discarded). */
  stop: () => void;
  /**
   * Resolves once every write started so far has finished (or failed). A save waits for it: a
   * draft write still on its way would otherwise land after the save deleted the draft, and the
   * household would open next time with older input laid over what was saved.
   */
  settled: () => Promise<void>;
}

/** `delayMs` after the last change, and never later than `DRAFT_MAX_WAIT_MS` (or `delayMs`, if longer) after the first unsaved one. */
export function useKeepDraft(store: DraftStore | undefined, draft: RegistrationDraft, dirty: boolean, delayMs = DRAFT_DELAY_MS): DraftKeeper {
  const maxWaitMs = Math.max(delayMs, DRAFT_MAX_WAIT_MS);
  const latest = useRef({ draft, dirty });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const firstDueAt = useRef<number | undefined>(undefined);
  const stopped = useRef(false);
  const inFlight = useRef<Promise<void>>(Promise.resolve());
  // The state the form opened with is already where it came from (the store or a kept draft).
  const opened = useRef(draft);

  const clear = useCallback(() => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
    firstDueAt.current = undefined;
  }, []);
  const write = useCallback(() => {
    clear();
    const { draft: d, dirty: isDirty } = latest.current;
    if (!store || stopped.current || !isDirty) return;
    // A full or hung disk must not break the form: the save reports that itself.
    const kept = store.keep(d).catch((e: unknown) => console.warn('draft not kept', e));
    const before = inFlight.current;
    inFlight.current = Promise.all([before, kept]).then(() => undefined);
  }, [store, clear]);
  const flush = useCallback((always = false) => {
    if (always || timer.current !== undefined) write();
  }, [write]);

  useEffect(() => {
    latest.current = { draft, dirty };
    if (draft === opened.current) return;
    if (!dirty) {
      clear();
      return;
    }
    const now = Date.now();
    firstDueAt.current ??= now;
    const wait = Math.max(0, Math.min(delayMs, firstDueAt.current + maxWaitMs - now));
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = setTimeout(write, wait);
  }, [draft, dirty, delayMs, maxWaitMs, clear, write]);

  useEffect(() => {
    const onHide = () => flush();
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flush(); // unmounting with a write due: keep it
    };
  }, [flush]);

  const cancel = clear;
  const stop = useCallback(() => {
    stopped.current = true;
    clear();
  }, [clear]);
  const settled = useCallback(() => inFlight.current, []);
  return { flush, cancel, stop, settled };
}
