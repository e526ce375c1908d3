// What blocks "complete": any error, and any warning the enumerator has not confirmed with an
// override for the same rule at the same path (data-model.md, Findings).
import type { Finding, FindingPath, Override, RegistrationDraft } from './schemas.ts';
import { validateRegistration, type ValidationContext } from './validate.ts';

const samePath = (a: FindingPath, b: FindingPath) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether an override confirms this finding (same rule and path). */
export function isOverridden(f: Finding, overrides: readonly Override[]): boolean {
  return overrides.some((o) => o.rule === f.rule && samePath(o.path, f.path));
}

/** The findings that stop a registration from being completed. */
export function blockingFindings(findings: readonly Finding[], overrides: readonly Override[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' || !isOverridden(f, overrides));
}

/** Overrides that no longer match any warning (the answer was changed since): safe to drop. */
export function staleOverrides(findings: readonly Finding[], overrides: readonly Override[]): Override[] {
  return overrides.filter((o) => !findings.some((f) => f.severity === 'warning' && f.rule === o.rule && samePath(o.path, f.path)));
}

export type CompletionCheck = { ok: true } | { ok: false; blocking: Finding[] };

/** Whether the registration may be marked complete, with the blocking findings if not. */
export function canComplete(reg: RegistrationDraft, ctx?: ValidationContext): CompletionCheck {
  const blocking = blockingFindings(validateRegistration(reg, ctx), reg.overrides);
  return blocking.length === 0 ? { ok: true } : { ok: false, blocking };
}
