// Death form (§6G.1-6G.2; 6G.3 is in presence.ts, 6G.4 is DEATHS_COUNT in household.ts) and the
// overseas form's document type against status (§4).
import * as C from '../codes.ts';
import { inReferenceYear } from '../age.ts';
import type { Finding, RegistrationDraft } from '../schemas.ts';
import { finding } from './finding.ts';

/** Document types plausible for each overseas status (D, from the document names). */
export const DOCUMENTS_BY_STATUS: Readonly<Record<number, readonly number[]>> = {
  1: [1, 2, 6],
  2: [1, 2, 6],
  3: [2, 3, 6],
  [C.FOREIGN_NATIONAL]: [4, 5, 6],
};

export function checkDeaths(reg: RegistrationDraft): Finding[] {
  const out: Finding[] = [];
  reg.deaths.forEach((d, i) => {
    if (d.death === undefined) return;
    if (!inReferenceYear(d.death)) out.push(finding('DEATH_MONTH', ['deaths', i, 'death']));
    if (d.birth !== undefined && d.death < d.birth) out.push(finding('DEATH_BEFORE_BIRTH', ['deaths', i, 'death']));
  });
  return out;
}

export function checkOverseas(reg: RegistrationDraft): Finding[] {
  const out: Finding[] = [];
  reg.overseas.forEach((o, i) => {
    if (o.status === undefined || o.documentType === undefined) return;
    const allowed = DOCUMENTS_BY_STATUS[o.status];
    if (allowed && !allowed.includes(o.documentType)) {
      const s = C.labelOf(C.OVERSEAS_STATUS, o.status);
      out.push(finding('OVERSEAS_DOCUMENT', ['overseas', i, 'documentType'], { status: { zh: s?.zh ?? '', en: s?.en ?? '' } }));
    }
  });
  return out;
}
