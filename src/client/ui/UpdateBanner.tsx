// "A new version is available": the user decides when to update, and the button stays disabled
// while any form has unsaved input, so an update never reloads over typed answers.
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { useDirtyTracker } from './dirty.ts';

/**
 * main.tsx implements this on workbox-window and Dexie: `available` once a new worker waits;
 * `replaced` once a newer app version in another tab upgraded the database under this one.
 */
export interface UpdateState {
  subscribe: (listener: () => void) => () => void;
  available: () => boolean;
  replaced: () => boolean;
  /** Tells the waiting worker to activate (the page reloads when it takes control), or reloads a replaced page. */
  apply: () => void;
}

export function UpdateBanner(props: { state: UpdateState }) {
  const { t } = useTranslation();
  const dirty = useDirtyTracker();
  const available = useSyncExternalStore(props.state.subscribe, props.state.available, props.state.available);
  const replaced = useSyncExternalStore(props.state.subscribe, props.state.replaced, props.state.replaced);
  const isDirty = useSyncExternalStore(dirty.subscribe, () => dirty.any(), () => false);
  const [later, setLater] = useState(false);
  if (!(available || replaced) || (later && !replaced)) return null;
  return (
    <div className="banner" role="status" data-testid="update-banner">
      <span className="grow">{isDirty ? t('update.blocked') : replaced ? t('update.replaced') : t('update.available')}</span>
      <button type="button" className="btn btn-primary" disabled={isDirty} onClick={() => !dirty.any() && props.state.apply()}>
        {t('update.reload')}
      </button>
      {!replaced && (
        <button type="button" className="btn" onClick={() => setLater(true)}>
          {t('update.later')}
        </button>
      )}
    </div>
  );
}
