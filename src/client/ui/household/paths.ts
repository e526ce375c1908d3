// Paths name one answer of a registration, exactly as findings do (["persons", 2, "citizenId"]).
// Every rendered field takes its DOM id from its path, so a finding can find its field.
import type { Finding, FindingPath, Override } from '../../../domain/index.ts';

/** The stable DOM id of the field at `path`, e.g. `f-persons-2-citizenId`. */
export function fieldId(path: FindingPath): string {
  return ['f', ...path].join('-');
}

export function samePath(a: FindingPath, b: FindingPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether `path` lies at or below `prefix`. */
export function startsWith(path: FindingPath, prefix: FindingPath): boolean {
  return prefix.length <= path.length && prefix.every((x, i) => x === path[i]);
}

/** Whether an override confirms this finding (same rule, same path). */
export function overrideFor(f: Finding, overrides: readonly Override[]): Override | undefined {
  return overrides.find((o) => o.rule === f.rule && samePath(o.path, f.path));
}

/** A key for lists of findings (rule + path is unique per finding). */
export function findingKey(f: Finding): string {
  return `${f.rule}:${f.path.join('.')}`;
}

/**
 * The element a finding should focus: its own field, else the nearest rendered ancestor path
 * (a finding on ["persons", 2, "residence", "place"] falls back to the D7 field, one on
 * ["persons"] to the roster section).
 */
export function findFieldElement(doc: Document, path: FindingPath): HTMLElement | null {
  for (let n = path.length; n >= 0; n--) {
    const el = doc.getElementById(fieldId(path.slice(0, n)));
    if (el) return el;
  }
  return null;
}

/**
 * Focus a field element: a question's group (fieldset) gives focus to its chosen or first control;
 * inputs, record cards and sections (tabIndex -1) take it themselves.
 */
export function focusField(el: HTMLElement): void {
  const focusable =
    el instanceof HTMLFieldSetElement
      ? (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input, select, textarea') ?? el)
      : el;
  // jsdom has no scrollIntoView; browsers do.
  if (typeof focusable.scrollIntoView === 'function') focusable.scrollIntoView({ block: 'center' });
  focusable.focus();
}
