// Seam to the household form (src/client/ui/household/, owned by the form's engineer). Loaded
// lazily: the district list (the cold-start path) does not parse the form's code. The chunk is
// precached by the service worker like every other built file, so it loads offline too.
import { lazy } from 'react';

export type { HouseholdPageProps } from './household/HouseholdPage.tsx';
export const HouseholdPage = lazy(() => import('./household/HouseholdPage.tsx').then((m) => ({ default: m.HouseholdPage })));
