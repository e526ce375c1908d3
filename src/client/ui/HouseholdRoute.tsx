// Route to the household screen (household/HouseholdPage.tsx). The page and its strings (the
// `household` i18n namespace) are loaded lazily and together, so the district list (the
// cold-start path) parses neither; their chunks are precached by the service worker like every
// other built file, so they load offline too. A chunk that cannot be loaded throws to the page's
// error boundary (reload), never a form of raw keys. The route reports the form's unsaved input
// to the one tracker (dirty.ts), so the update prompt never reloads over it.
import { Suspense, lazy, useCallback, useState } from 'react';
import { DEFAULT_LANGUAGE, preloadNamespace, storedLanguage, useTranslation } from '../i18n/index.ts';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from './services.ts';
import { useDirtyTracker, useUnsavedInput } from './dirty.ts';
import { navigate } from './router.ts';

export type { HouseholdPageProps } from './household/HouseholdPage.tsx';
/**
 * The page's chunk and its strings (the user's language and the fallback), fetched in parallel:
 * no waterfall, and the form renders at once without suspending again on its strings. A failed
 * load stays failed (React.lazy keeps the error, which is the import's own): the error boundary
 * gets it and reloads into the current build.
 */
const HouseholdPage = lazy(() =>
  Promise.all([import('./household/HouseholdPage.tsx'), preloadNamespace('household', [storedLanguage(), DEFAULT_LANGUAGE])]).then(([m]) => ({ default: m.HouseholdPage })),
);

export function HouseholdRoute(props: { listingId: string; review?: string }) {
  const { t } = useTranslation();
  const { db, practice } = useServices();
  const entry = useLiveQuery(() => db.listing.get(props.listingId), [db, props.listingId]);
  const [dirty, setDirty] = useState(false);
  const key = `household:${props.listingId}`;
  // Unmounting (a link, the back button) clears the report; what was typed stays in the draft.
  useUnsavedInput(key, dirty);
  const tracker = useDirtyTracker();
  const onClose = useCallback(() => {
    // Saved or discarded: clean before the address changes, so leaving does not ask.
    tracker.set(key, false);
    setDirty(false);
    if (entry) navigate({ name: 'district', code: entry.districtCode });
    else navigate({ name: 'home' });
  }, [tracker, key, entry]);
  return (
    <Suspense fallback={<p className="page">{t('common.loading')}</p>}>
      <HouseholdPage
        db={db}
        listingId={props.listingId}
        {...(props.review !== undefined ? { reviewQueryId: props.review } : {})}
        onClose={onClose}
        onDirtyChange={setDirty}
        onCompleteAttempt={
          practice
            ? (a) =>
                // Never holds the form up for long: a store that hangs costs a count, not the screen.
                Promise.race([
                  practice.recordAttempt({ listingId: props.listingId, ...a }).catch((e: unknown) => console.warn('practice attempt not counted', e)),
                  new Promise<void>((resolve) => setTimeout(resolve, 2000)),
                ])
            : undefined
        }
      />
    </Suspense>
  );
}
