// What stands between a draft and "complete": findings (errors, unconfirmed warnings) and answers
// the strict schema requires but the draft lacks.
import { blockingFindings, RegistrationSchema, type Finding, type RegistrationDraft, type RuleId } from '../../../domain/index.ts';
import householdEn from '../../i18n/household.en.ts';
import householdZh from '../../i18n/household.zh.ts';
import { samePath } from './paths.ts';

const MISSING: RuleId = 'ANSWER_MISSING';
/** Our rule id for an always-asked answer the strict schema finds missing. */
const REQUIRED = 'REQUIRED';

/** Errors, and warnings without an override (the domain's rule, the same the store applies). */
export function completionBlockers(findings: readonly Finding[], reg: Pick<RegistrationDraft, 'overrides'>): Finding[] {
  return blockingFindings(findings, reg.overrides);
}

/**
 * Always-asked answers the draft still lacks, as findings (rule "REQUIRED") at their fields,
 * except where the edit checks already point at that field.
 */
export function missingAnswers(reg: RegistrationDraft, findings: readonly Finding[]): Finding[] {
  const r = RegistrationSchema.safeParse({ ...reg, status: 'complete' });
  if (r.success) return [];
  const out: Finding[] = [];
  for (const issue of r.error.issues) {
    const path = issue.path.filter((x): x is string | number => typeof x !== 'symbol');
    if (findings.some((f) => samePath(f.path, path)) || out.some((f) => samePath(f.path, path))) continue;
    out.push({ rule: REQUIRED, severity: 'error', path, message: { zh: householdZh.finding.required, en: householdEn.finding.required } });
  }
  return out;
}

/** A finding that only says "not answered yet" (from the edit checks or the strict schema). */
export function isMissingAnswer(f: Finding): boolean {
  return f.rule === MISSING || f.rule === REQUIRED;
}
