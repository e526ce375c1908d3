// Item definitions for the four census forms and the listing: what each item means and the short
// rules an enumerator needs at the door. Pure data plus lookups; the UI renders them.
// The text is taken from /work/shared/design/census-forms.md; any item not tagged V carries an
// officeNote so a census office can see at a glance what still needs confirming.
import { HOUSEHOLD_DEFINITIONS } from './definitions/household.ts';
import { PERSON_DEFINITIONS } from './definitions/person.ts';
import { DEATH_DEFINITIONS, LISTING_DEFINITIONS, OVERSEAS_DEFINITIONS } from './definitions/other.ts';
import type { DefinitionForm, ItemDefinition } from './definitions/types.ts';

export type { Bilingual, DefinitionForm, ItemDefinition } from './definitions/types.ts';

export const DEFINITIONS: readonly ItemDefinition[] = [
  ...HOUSEHOLD_DEFINITIONS,
  ...PERSON_DEFINITIONS,
  ...DEATH_DEFINITIONS,
  ...OVERSEAS_DEFINITIONS,
  ...LISTING_DEFINITIONS,
];

const byKey = new Map(DEFINITIONS.map((d) => [d.key, d]));
const byField = new Map(DEFINITIONS.map((d) => [d.field, d]));
// First definition wins: where two fields share one printed item id (H2a/H2b, R1 name/foreign name)
// the item id leads to the main one.
const byItem = new Map<string, ItemDefinition>();
// Ids are matched case-insensitively so 'd9' typed in a search box or a hand-written link still resolves.
function itemKey(form: DefinitionForm, id: string): string {
  return `${form}:${id.trim().toLowerCase()}`;
}
for (const d of DEFINITIONS) {
  for (const it of d.items) {
    const k = itemKey(it.form, it.id);
    if (!byItem.has(k)) byItem.set(k, d);
  }
}

export function definitionByKey(key: string): ItemDefinition | undefined {
  return byKey.get(key);
}

export function definitionForItem(form: DefinitionForm, id: string): ItemDefinition | undefined {
  return byItem.get(itemKey(form, id));
}

/**
 * The definition for a finding or field path, e.g. ['persons', 2, 'residence', 'place', 'province'].
 * Array indices are dropped; then the longest prefix with a definition wins, so a sub-field
 * without its own text falls back to its parent item.
 */
export function definitionForPath(path: readonly (string | number)[]): ItemDefinition | undefined {
  const names = path.filter((s): s is string => typeof s === 'string');
  for (let n = names.length; n >= 2; n--) {
    const hit = byField.get(names.slice(0, n).join('.'));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Case-insensitive substring search in one language. Ranking: exact item id, then title,
 * then item-id substring, then text or rules; ties keep the form order of DEFINITIONS.
 */
export function searchDefinitions(query: string, lang: 'zh' | 'en'): ItemDefinition[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const scored: { d: ItemDefinition; score: number; order: number }[] = [];
  DEFINITIONS.forEach((d, order) => {
    // Item ids are the same in both languages, so they always match.
    const ids = d.items.map((it) => it.id.toLowerCase());
    let score: number | undefined;
    if (ids.includes(q)) score = 0;
    else if (d.title[lang].toLowerCase().includes(q)) score = 1;
    else if (ids.some((id) => id.includes(q))) score = 2;
    else if (d.text[lang].toLowerCase().includes(q) || d.rules.some((r) => r[lang].toLowerCase().includes(q))) score = 3;
    if (score !== undefined) scored.push({ d, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.map((s) => s.d);
}
