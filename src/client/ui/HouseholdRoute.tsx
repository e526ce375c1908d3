// Route to the household form (src/client/ui/household/, built by the form's engineer). It
// reports unsaved input to the dirty tracker so the update prompt never reloads over it.
import { Suspense, useCallback, useEffect } from 'react';
import { useTranslation } from '../i18n/index.ts';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from './services.ts';
import { useDirtyTracker } from './dirty.ts';
import { navigate } from './router.ts';
import { HouseholdPage } from './household-page.tsx';

export function HouseholdRoute(props: { listingId: string }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const dirty = useDirtyTracker();
  const entry = useLiveQuery(() => db.listing.get(props.listingId), [db, props.listingId]);
  const key = `household:${props.listingId}`;
  const onDirtyChange = useCallback((d: boolean) => dirty.set(key, d), [dirty, key]);
  // Leaving by a link or the back button unmounts the form: its input is gone, so is its dirt.
  useEffect(() => () => dirty.set(key, false), [dirty, key]);
  const onClose = useCallback(() => {
    dirty.set(key, false);
    if (entry) navigate({ name: 'district', code: entry.districtCode });
    else navigate({ name: 'home' });
  }, [dirty, key, entry]);
  return (
    <Suspense fallback={<p className="page">{t('common.loading')}</p>}>
      <HouseholdPage db={db} listingId={props.listingId} onClose={onClose} onDirtyChange={onDirtyChange} />
    </Suspense>
  );
}
