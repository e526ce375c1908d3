// Shared shapes for the item definitions. Kept apart from definitions.ts so the data files
// can import them without a cycle.

export type DefinitionForm = 'household' | 'short' | 'long' | 'death' | 'overseas' | 'listing';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ItemDefinition {
  key: string;
  items: readonly { form: DefinitionForm; id: string }[];
  field: string;
  title: Bilingual;
  text: Bilingual;
  rules: readonly Bilingual[];
  source: string;
  confidence: 'V' | 'A' | '6' | 'M' | 'D';
  officeNote?: Bilingual;
}

/** Short constructor for a Chinese/English pair, so the data tables stay readable. */
export const t = (zh: string, en: string): Bilingual => ({ zh, en });
