// Seam to the household form: re-exports HouseholdPage from ./household/ once it exists; until
// then a placeholder with the same props keeps the app building and routable.
import { useTranslation } from '../i18n/index.ts';
import type { PuchaDb } from '../db/database.ts';

export interface HouseholdPageProps {
  db: PuchaDb;
  listingId: string;
  onClose: () => void;
  onDirtyChange?: (dirty: boolean) => void;
}

export function HouseholdPage(props: HouseholdPageProps) {
  const { t } = useTranslation();
  return (
    <main className="page stack">
      <p className="alert alert-info">{t('placeholder.household')}</p>
      <button type="button" className="btn" onClick={props.onClose}>
        {t('common.back')}
      </button>
    </main>
  );
}
