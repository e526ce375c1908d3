// Route to the household screen (household/HouseholdPage.tsx). The page is loaded lazily, so the
// district list (the cold-start path) does not parse the form's code; its chunk is precached by
// the service worker like every other built file, so it loads offline too. The route reports the
// form's unsaved input to the one tracker (dirty.ts), so the update prompt never reloads over it.
import { Suspense, lazy, useCallback, useState } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from './services.ts';
import { useDirtyTracker, useUnsavedInput } from './dirty.ts';
import { navigate } from './router.ts';

export type { HouseholdPageProps } from './household/HouseholdPage.tsx';
const HouseholdPage = lazy(() => import('./household/HouseholdPage.tsx').then((m) => ({ default: m.HouseholdPage })));

export function HouseholdRoute(props: { listingId: string }) {
  const { t } = useTranslation();
  const { db } = useServices();
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
      <HouseholdPage db={db} listingId={props.listingId} onClose={onClose} onDirtyChange={setDirty} />
    </Suspense>
  );
}
