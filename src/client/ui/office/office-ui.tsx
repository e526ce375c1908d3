// Small pieces every office screen uses: the desk's context (API port, session, the names of the
// areas seen so far for the breadcrumbs), a loader hook for one API read, a name with its code
// beside it, and number formats.
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { Session } from '../../db/rows.ts';
import type { ApiPort, ApiResult } from '../services.ts';
import { useTranslation } from '../../i18n/index.ts';

export interface Desk {
  api: ApiPort;
  session: Session;
  /** Area code -> name, filled from every answer that names an area (breadcrumbs of deeper nodes). */
  names: Map<string, string>;
}
export const DeskContext = createContext<Desk | null>(null);
export function useDesk(): Desk {
  const d = useContext(DeskContext);
  if (!d) throw new Error('useDesk outside the office desk');
  return d;
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string; status: number; code?: string } | { state: 'ok'; value: T };

const WORDED = ['unauthorized', 'forbidden', 'not_found', 'validation_failed', 'rate_limited', 'unavailable', 'not_ready', 'conflict'] as const;
type Worded = (typeof WORDED)[number];

/** A failed call in the user's language: the api.md error code worded, a network failure as such, else the raw message. */
export function failureText(t: (key: `errors.${Worded | 'network'}`) => string, r: { status: number; message: string; code?: string | undefined }): string {
  if (r.code !== undefined && (WORDED as readonly string[]).includes(r.code)) return t(`errors.${r.code as Worded}`);
  if (r.status === 0 && !r.message.startsWith('unexpected answer')) return t('errors.network');
  return r.message;
}

/** One API read, run again when `key` changes or `reload` is called; a stale answer is dropped. */
export function useLoad<T>(load: () => Promise<ApiResult<T>>, key: string): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>({ key: '', loaded: { state: 'loading' } });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    void load().then((r) => {
      if (live) setResult({ key, loaded: r.ok ? { state: 'ok', value: r.value } : { state: 'error', message: r.message, status: r.status, ...(r.code !== undefined ? { code: r.code } : {}) } });
    });
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; `key` says when what it reads changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const loaded: Loaded<T> = result.key === key ? result.loaded : { state: 'loading' };
  return { ...loaded, reload };
}

/** The loading line or the error of a read that is not ok. */
export function LoadState(props: { loaded: Loaded<unknown> }) {
  const { t } = useTranslation('office');
  if (props.loaded.state === 'loading') return <p className="muted">{t('loading')}</p>;
  if (props.loaded.state === 'error')
    return (
      <p className="alert alert-error" role="alert">
        {t('loadFailed', { message: failureText(t, props.loaded) })}
      </p>
    );
  return null;
}

/** An area's name with its code always beside it. */
export function NameCode(props: { name: string | null | undefined; code: string }) {
  const { t } = useTranslation('office');
  return (
    <span className="name-code">
      {props.name || t('unnamed')} <span className="code">{props.code}</span>
    </span>
  );
}

/** Remembers the names an answer gives, for the breadcrumbs. */
export function remember(names: Map<string, string>, rows: readonly { area: string | null; name?: string | null | undefined }[]): void {
  for (const r of rows) if (r.area && r.name) names.set(r.area, r.name);
}

export function pct(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;
}

export function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}
