// Error boundaries: one at the app root (main.tsx) and one around the routed page (App.tsx), so a
// failing screen shows a message and a reload button instead of React's blank page, and the
// header and navigation stay usable. A chunk that cannot be loaded (a tab still running an old
// build whose files are gone) reloads the page once by itself, into the current build; a
// sessionStorage mark keeps that from looping. What was typed survives in the local drafts.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from '../i18n/index.ts';

/** sessionStorage key: when this tab last reloaded itself after a chunk load error (ms). */
export const CHUNK_RELOAD_KEY = 'pucha.chunkReloadAt';
/** A second chunk load error within this time shows the message instead of reloading again. */
export const CHUNK_RELOAD_GUARD_MS = 60_000;

/** A failed dynamic import or CSS preload: Chromium, Firefox, Safari wording, webpack/Vite names. */
export function isChunkLoadError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'ChunkLoadError') return true;
  return /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS|Loading (CSS )?chunk [\w-]+ failed/i.test(e.message);
}

export interface ReloadDeps {
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  now: () => number;
  reload: () => void;
}

function browserDeps(): ReloadDeps {
  let storage: Storage | undefined;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = undefined; // blocked storage: never reload by itself (no loop guard)
  }
  return { storage, now: () => Date.now(), reload: () => window.location.reload() };
}

/** Reloads unless this tab already did so for a chunk error within the guard time; says whether it did. */
export function reloadOnceForChunkError(deps: ReloadDeps = browserDeps()): boolean {
  const { storage } = deps;
  if (!storage) return false;
  try {
    const last = Number(storage.getItem(CHUNK_RELOAD_KEY) ?? '');
    const now = deps.now();
    if (Number.isFinite(last) && last > 0 && now - last < CHUNK_RELOAD_GUARD_MS) return false;
    storage.setItem(CHUNK_RELOAD_KEY, String(now));
  } catch {
    return false;
  }
  deps.reload();
  return true;
}

interface Props {
  /** 'app': the whole app (no header left); 'page': the routed screen under the header. */
  scope: 'app' | 'page';
  /** When it changes (another route), a boundary showing an error tries its children again. */
  resetKey?: string;
  /** For tests: how to reload (default: sessionStorage, Date.now, location.reload). */
  reloadDeps?: ReloadDeps;
  children: ReactNode;
}

interface State {
  error: unknown;
  failed: boolean;
  reloading: boolean;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, failed: false, reloading: false };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    if (isChunkLoadError(error) && reloadOnceForChunkError(this.props.reloadDeps)) this.setState({ reloading: true });
  }

  override componentDidUpdate(prev: Props): void {
    if (this.state.failed && !this.state.reloading && prev.resetKey !== this.props.resetKey) this.setState({ error: undefined, failed: false });
  }

  private readonly reload = () => {
    (this.props.reloadDeps ?? browserDeps()).reload();
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return <ErrorMessage scope={this.props.scope} error={this.state.error} reloading={this.state.reloading} onReload={this.reload} />;
  }
}

function ErrorMessage(props: { scope: 'app' | 'page'; error: unknown; reloading: boolean; onReload: () => void }) {
  const { t } = useTranslation();
  const chunk = isChunkLoadError(props.error);
  const detail = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div className={`page error-boundary error-boundary-${props.scope}`} data-testid="error-boundary" data-chunk={chunk ? 'true' : 'false'}>
      <div className="alert alert-error" role="alert">
        <p>
          <strong>{t('errorBoundary.title')}</strong>
        </p>
        {chunk && <p>{t('errorBoundary.chunk')}</p>}
        <p>{t('errorBoundary.kept')}</p>
        <p className="muted error-boundary-detail">{detail.slice(0, 300)}</p>
      </div>
      {props.reloading ? (
        <p role="status">{t('errorBoundary.reloading')}</p>
      ) : (
        <button type="button" className="btn btn-primary" onClick={props.onReload} data-testid="error-reload">
          {t('errorBoundary.reload')}
        </button>
      )}
    </div>
  );
}
