// The household screen: loads the listing entry and its registration (or starts a new draft) from
// the phone's database and hands the form the real edit checks and the store's save operation.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { validateRegistration, type ListingEntry, type RegistrationDraft } from '../../../domain/index.ts';
import type { PuchaDb } from '../../db/database.ts';
import { saveRegistration } from '../../db/operations.ts';
import { listingEntry, registrationByListingId } from '../../db/queries.ts';
import { newRegistration } from './draft-ops.ts';
import { HouseholdForm } from './HouseholdForm.tsx';
import './household.css';

export interface HouseholdPageProps {
  db: PuchaDb;
  listingId: string;
  onClose: () => void;
  onDirtyChange?: (dirty: boolean) => void;
}

type Loaded =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'ready'; listing: ListingEntry; reg: RegistrationDraft };

/** Loads once: a live query would overwrite the user's edits whenever a sync touches the row. */
function useLoaded(db: PuchaDb, listingId: string): Loaded {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    void (async () => {
      const listing = await listingEntry(db, listingId);
      if (!live) return;
      if (!listing) {
        setState({ kind: 'missing' });
        return;
      }
      const existing = await registrationByListingId(db, listingId);
      if (!live) return;
      if (existing) {
        setState({ kind: 'ready', listing, reg: existing });
        return;
      }
      const reg = newRegistration(listing, db.newId, new Date(db.now()));
      // Self-enumeration covers the short form only (census-forms.md §6I).
      const self = listing.selfEnumeration && !listing.longForm && listing.visit.status === 'selfReported';
      setState({ kind: 'ready', listing, reg: self ? { ...reg, source: 'self' } : reg });
    })();
    return () => {
      live = false;
    };
  }, [db, listingId]);
  return state;
}

export function HouseholdPage({ db, listingId, onClose, onDirtyChange }: HouseholdPageProps) {
  const { t } = useTranslation('household');
  const state = useLoaded(db, listingId);
  if (state.kind === 'loading') return <p className="page">{t('loading')}</p>;
  if (state.kind === 'missing')
    return (
      <main className="page stack">
        <p className="alert alert-error">{t('missing')}</p>
        <button type="button" className="btn" onClick={onClose}>
          {t('action.close')}
        </button>
      </main>
    );
  return (
    <main className="page">
      <HouseholdForm
        key={state.reg.id}
        listing={state.listing}
        initial={state.reg}
        validate={validateRegistration}
        save={(reg) => saveRegistration(db, reg)}
        newId={db.newId}
        onClose={onClose}
        onDirtyChange={onDirtyChange}
      />
    </main>
  );
}
