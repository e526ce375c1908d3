// The sticky bars (app header, household save bar, update banner) publish their rendered heights
// as CSS variables on <html>; app.css's scroll padding uses them so that a focused control is
// never under one of them (WCAG 2.2, 2.4.11).
import { useCallback } from 'react';

export const HEADER_HEIGHT = '--app-header-h';
export const SAVEBAR_HEIGHT = '--savebar-h';
export const BANNER_HEIGHT = '--update-banner-h';

/**
 * Keeps the CSS variable `name` on <html> at `el`'s rendered height until the returned function is
 * called (then removes it).
 */
export function publishHeight(el: Element, name: string): () => void {
  const root = document.documentElement;
  const set = () => root.style.setProperty(name, `${Math.ceil(el.getBoundingClientRect().height)}px`);
  set();
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(set) : undefined;
  observer?.observe(el);
  return () => {
    observer?.disconnect();
    root.style.removeProperty(name);
  };
}

/** A ref callback that publishes the element's height as `name` while it is mounted. */
export function usePublishedHeight<E extends Element>(name: string): (el: E | null) => (() => void) | undefined {
  return useCallback((el: E | null) => (el ? publishHeight(el, name) : undefined), [name]);
}
