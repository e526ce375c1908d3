// "A new version is available": the user decides when to update, and the button stays disabled
// while any form has unsaved input, so an update never reloads over typed answers.
// It sits at the bottom of the screen and publishes its height as the CSS variable
// --update-banner-h on <html>; the other bottom bars (.banner in app.css: the household form's
// save bar) stand on top of it, so it never covers 保存, and the page's scroll padding (app.css)
// keeps a focused control clear of it (WCAG 2.4.11).
import { useState, useSyncExternalStore } from 'react';
import { BANNER_HEIGHT, usePublishedHeight } from './sticky-bars.ts';
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
  const publish = usePublishedHeight<HTMLDivElement>(BANNER_HEIGHT);
  if (!(available || replaced) || (later && !replaced)) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner" ref={publish}>
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
