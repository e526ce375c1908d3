// A modal bottom sheet (centred dialog on wide screens), closed by its button, Escape or the backdrop.
// It behaves as the modal dialog it says it is (aria-modal, issue 16): focus goes into it when it
// opens, Tab and Shift+Tab cycle inside it, focus that lands outside is brought back, and when it
// closes focus returns to the control that opened it, so a keyboard or screen-reader user goes on
// where they were instead of at the top of the page.
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from '../i18n/index.ts';

const CANDIDATES =
  'a[href], area[href], button, input:not([type="hidden"]), select, textarea, iframe, summary, [contenteditable=""], [contenteditable="true"], [tabindex]';

function shown(el: HTMLElement): boolean {
  if (el.closest('[hidden], [inert]')) return false;
  // Browsers know what is rendered (display: none, visibility: hidden); jsdom has no layout.
  return typeof el.checkVisibility === 'function' ? el.checkVisibility({ visibilityProperty: true }) : true;
}

/**
 * The controls Tab stops at inside `root`, in order. Of a radio group only the stop the browser
 * uses counts (the checked radio, else the first), so "the last stop" is the one Tab would reach.
 */
export function tabStops(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter((el) => el.tabIndex >= 0 && !el.matches(':disabled') && shown(el));
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
    const group = all.filter((o): o is HTMLInputElement => o instanceof HTMLInputElement && o.type === 'radio' && o.name === el.name);
    const checked = group.find((o) => o.checked);
    return checked ? checked === el : group[0] === el;
  });
}

function focusable(el: Element): el is HTMLElement {
  return el instanceof HTMLElement && (el.tabIndex >= 0 || el.hasAttribute('tabindex')) && !el.matches(':disabled');
}

export interface ModalFocusOptions {
  /** Escape pressed inside (undefined: Escape does nothing, as for a blocking alert). */
  onEscape?: (() => void) | undefined;
  /** Where focus goes back on close; default: what had focus when the dialog opened. */
  opener?: HTMLElement | null | undefined;
}

/**
 * Modal focus for the dialog element `ref`: moves focus in on mount (to `[data-autofocus]`, to a
 * child that took it already, or to the dialog itself so its title is read first), traps Tab and
 * Shift+Tab, and gives focus back to the opener on unmount.
 */
export function useModalFocus(ref: RefObject<HTMLElement | null>, opts: ModalFocusOptions = {}): void {
  // Read at the first render, before any child's autoFocus moves focus into the dialog.
  const [openedFrom] = useState(() => (typeof document === 'undefined' ? null : document.activeElement));
  const onEscape = useRef(opts.onEscape);
  const opener = useRef<HTMLElement | null>(null);
  const given = opts.opener ?? (openedFrom instanceof HTMLElement ? openedFrom : null);
  useEffect(() => {
    onEscape.current = opts.onEscape;
    opener.current = given;
  }, [opts.onEscape, given]);

  // Once per dialog: a new onClose or opener on a re-render must not move focus out and back.
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const from = opener.current;
    // If the opener leaves the page while the dialog is open (a list re-rendered), focus goes to
    // the nearest of its former ancestors that can take it rather than to <body>.
    const ancestors: Element[] = [];
    for (let a = from?.parentElement; a; a = a.parentElement) ancestors.push(a);
    if (!root.contains(document.activeElement)) (root.querySelector<HTMLElement>('[data-autofocus]') ?? root).focus();

    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.key === 'Escape' && onEscape.current) {
        e.preventDefault();
        onEscape.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const stops = tabStops(root);
      const active = document.activeElement;
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) {
        e.preventDefault();
        root.focus();
      } else if (e.shiftKey && (active === first || active === root || !root.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !root.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that got outside anyway (a click on the page behind through a gap, a script) comes
    // back, after the event: a button in the sheet may move focus to the page and close the sheet
    // in one handler (a "query this household" that focuses the page's message box), and then
    // the sheet is gone by the time this looks again.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const onFocusIn = (e: FocusEvent) => {
      if (!(e.target instanceof Node) || root.contains(e.target)) return;
      clearTimeout(pending);
      pending = setTimeout(() => {
        if (root.isConnected && !root.contains(document.activeElement)) (tabStops(root)[0] ?? root).focus();
      }, 0);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocusIn);
      clearTimeout(pending);
      // Only if focus was in the dialog (it is on <body> once the dialog left the DOM): a close
      // that moved focus somewhere on purpose keeps it there.
      const active = document.activeElement;
      if (active && active !== document.body && !root.contains(active)) return;
      const back = opener.current ?? from;
      const target = back?.isConnected ? back : ancestors.find((a): a is HTMLElement => a.isConnected && focusable(a));
      target?.focus();
    };
  }, [ref]);
}

export function Sheet(props: { title: string; onClose: () => void; children: ReactNode; opener?: HTMLElement | null | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useModalFocus(ref, { onEscape: props.onClose, opener: props.opener });
  return (
    <div className="sheet-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby={id} ref={ref} tabIndex={-1}>
        <div className="row">
          <h2 id={id} className="grow">
            {props.title}
          </h2>
          <button type="button" className="btn btn-small" onClick={props.onClose}>
            {t('common.close')}
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}
