// The review item (复查) the household form was opened for: the register's person, and one tap
// that adds them to the form filled in from the register (the enumerator checks and completes
// the rest with the household). The save then answers the item in the same transaction.
import type { ReviewQuery } from '../../../domain/index.ts';
import { useTranslation } from '../../i18n/index.ts';
import { addsThroughForm, reviewList } from './review-link.ts';

export interface ReviewAddBannerProps {
  query: ReviewQuery;
  /** The name of the record added for the item, once there is one in the form. */
  addedName: string | undefined;
  added: boolean;
  /** The item was answered by a save of this form. */
  linked: boolean;
  onAdd: () => void;
}

export function ReviewAddBanner(p: ReviewAddBannerProps) {
  const { t } = useTranslation('household');
  const s = p.query.subject ?? {};
  const who = [s.name, s.citizenId, s.sex !== undefined ? t(`rv.sex.${s.sex}`) : undefined, s.birth !== undefined ? t('rv.birth', { birth: s.birth }) : undefined].filter((x) => x !== undefined).join(' · ');
  const name = p.addedName ?? s.name ?? t('record.unnamed');
  return (
    <section className="alert alert-info stack" data-testid="review-banner" aria-label={t('rv.banner', { category: t(`rv.category.${p.query.category}`) })}>
      <p>
        <strong>{t('rv.banner', { category: t(`rv.category.${p.query.category}`) })}</strong>
      </p>
      {who !== '' && <p>{who}</p>}
      <p className="muted">{p.query.message}</p>
      {p.linked ? (
        <p data-testid="review-linked">{t('rv.linked', { name })}</p>
      ) : !addsThroughForm(p.query) ? (
        <p>{t('rv.closed')}</p>
      ) : p.added ? (
        <p data-testid="review-will-link">{t('rv.willLink', { name })}</p>
      ) : (
        <button type="button" className="btn btn-primary" onClick={p.onAdd} data-testid="review-add">
          {t(reviewList(p.query) === 'deaths' ? 'rv.addDeath' : 'rv.addThis')}
        </button>
      )}
    </section>
  );
}
