// Hash routes: they need no server rewrites and survive an offline reload from the SW cache.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'district'; code: string }
  | { name: 'household'; listingId: string; /** A review item whose person is added here (issue 12). */ review?: string }
  | { name: 'queries' }
  | { name: 'sync' }
  | { name: 'supervisor' }
  /** The office's desk (issue 14): its own routes below `#/office` (office/office-route.ts). */
  | { name: 'office'; path: readonly string[] }
  | { name: 'help' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, arg, sub, subArg] = parts;
  if (head === 'd' && arg) return { name: 'district', code: arg };
  if (head === 'h' && arg) return { name: 'household', listingId: arg, ...(sub === 'r' && subArg ? { review: subArg } : {}) };
  if (head === 'queries') return { name: 'queries' };
  if (head === 'sync') return { name: 'sync' };
  if (head === 'supervisor') return { name: 'supervisor' };
  if (head === 'office') return { name: 'office', path: parts.slice(1) };
  if (head === 'help') return { name: 'help' };
  return { name: 'home' };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'district':
      return `#/d/${encodeURIComponent(route.code)}`;
    case 'household':
      return `#/h/${encodeURIComponent(route.listingId)}${route.review !== undefined ? `/r/${encodeURIComponent(route.review)}` : ''}`;
    case 'queries':
      return '#/queries';
    case 'sync':
      return '#/sync';
    case 'supervisor':
      return '#/supervisor';
    case 'office':
      return `#/office${route.path.map((p) => `/${encodeURIComponent(p)}`).join('')}`;
    case 'help':
      return '#/help';
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '');
  return parseRoute(hash);
}
