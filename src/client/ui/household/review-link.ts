// The household form opened from a review item (issue 12, 复查): which list the missed record
// goes to, the record filled in from the register, and which record of the draft is the one added
// for the item. The link is found again in a draft restored after the tab was killed (by the
// register's ID, or by name and birth), so a reload between "add" and "save" loses nothing.
import { REVIEW_ANSWER_KINDS_FOR, type DeathDraft, type PersonDraft, type RegistrationDraft, type ReviewQuery } from '../../../domain/index.ts';

/** Whether this item takes a person added through this form (an open item whose category allows it). */
export function addsThroughForm(q: ReviewQuery): boolean {
  return q.status === 'open' && REVIEW_ANSWER_KINDS_FOR[q.category].includes('addedPerson');
}

/** A missed death goes to the death form (H4); everyone else is a person of the household. */
export const reviewList = (q: ReviewQuery): 'persons' | 'deaths' => (q.category === 'deathMissing' ? 'deaths' : 'persons');

/** The register's record as a new person (D1, D3-D5) or death, for the enumerator to check and complete. */
export function recordFromSubject(q: ReviewQuery, id: string): { list: 'persons'; item: PersonDraft } | { list: 'deaths'; item: DeathDraft } {
  const s = q.subject ?? {};
  const base = {
    id,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.citizenId !== undefined ? { citizenId: s.citizenId } : {}),
    ...(s.sex !== undefined ? { sex: s.sex } : {}),
    ...(s.birth !== undefined ? { birth: s.birth } : {}),
  };
  return reviewList(q) === 'deaths' ? { list: 'deaths', item: { ...base, ...(s.death !== undefined ? { death: s.death } : {}) } } : { list: 'persons', item: base };
}

/** The record of `reg` that is the item's person: by ID when the register has one, else by name and birth. */
export function findAdded(q: ReviewQuery, reg: RegistrationDraft): string | undefined {
  const s = q.subject;
  if (!s) return undefined;
  const list: readonly { id: string; name?: string | undefined; citizenId?: string | undefined; birth?: string | undefined }[] = reviewList(q) === 'deaths' ? reg.deaths : reg.persons;
  if (s.citizenId !== undefined) {
    const byId = list.find((x) => x.citizenId?.trim().toUpperCase() === s.citizenId?.toUpperCase());
    if (byId) return byId.id;
  }
  if (s.name === undefined) return undefined;
  return list.find((x) => x.name?.trim() === s.name && (s.birth === undefined || x.birth === undefined || x.birth === s.birth))?.id;
}
