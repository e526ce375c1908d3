import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFINITIONS, definitionByKey, definitionForItem, definitionForPath, searchDefinitions, type DefinitionForm,
} from '../../src/domain/definitions.ts';
import { DeathSchema, HouseholdSchema, ListingEntrySchema, OverseasPersonSchema, PersonSchema } from '../../src/domain/schemas.ts';

const FORMS_MD = path.resolve(process.cwd(), '../shared/design/census-forms.md');
const UI_DIR = path.resolve(process.cwd(), 'src/client/ui/household');

const FORM_OF: Record<string, DefinitionForm> = { H: 'household', D: 'short', C: 'long', S: 'death', R: 'overseas', F: 'overseas' };

function readSpec(): string {
  if (!existsSync(FORMS_MD)) throw new Error(`census-forms.md not found at ${FORMS_MD}: the definitions cannot be checked against the spec`);
  return readFileSync(FORMS_MD, 'utf8');
}

/** Item ids from table rows whose first cell is an id or an id range (e.g. "| D9 |", "| F1–F4 |"). */
function specItemIds(md: string): { form: DefinitionForm; id: string }[] {
  const out: { form: DefinitionForm; id: string }[] = [];
  for (const m of md.matchAll(/^\|\s*([HDCSRF])(\d+)(?:\s*[–-]\s*[HDCSRF]?(\d+))?\s*\|/gm)) {
    const [, letter = '', from = '', to] = m;
    const form = FORM_OF[letter];
    if (!form) continue;
    for (let n = Number(from); n <= Number(to ?? from); n++) out.push({ form, id: `${letter}${n}` });
  }
  return out;
}

/** Item ids the household UI passes to its fields, read from the source text. */
function uiItemIds(): { form: DefinitionForm; id: string; file: string }[] {
  const out: { form: DefinitionForm; id: string; file: string }[] = [];
  for (const file of readdirSync(UI_DIR).filter((f) => f.endsWith('.tsx'))) {
    const src = readFileSync(path.join(UI_DIR, file), 'utf8');
    for (const m of src.matchAll(/item="([HDCSR]\d+)"|'([HDCSR]\d+)'/g)) {
      const id = m[1] ?? m[2] ?? '';
      const form = FORM_OF[id[0] ?? ''];
      if (form) out.push({ form, id, file });
    }
    // PersonEditor numbers items with no(d, c = d): D<d> on the short form, C<c> on the long form.
    for (const m of src.matchAll(/\bno\((\d+)(?:,\s*(\d+))?\)/g)) {
      out.push({ form: 'short', id: `D${m[1]}`, file }, { form: 'long', id: `C${m[2] ?? m[1]}`, file });
    }
  }
  return out;
}

function shapeOf(s: z.ZodType): Record<string, z.ZodType> | undefined {
  let cur: z.ZodType = s;
  while (cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur instanceof z.ZodObject ? cur.shape : undefined;
}

const ROOTS: Record<string, z.ZodType> = {
  household: HouseholdSchema,
  persons: PersonSchema,
  deaths: DeathSchema,
  overseas: OverseasPersonSchema,
  listing: ListingEntrySchema,
};

describe('coverage of the census-forms.md items', () => {
  const md = readSpec();
  const ids = specItemIds(md);

  it('parses the item tables of all four forms', () => {
    // A broken parser would make the coverage test vacuous.
    const all = new Set(ids.map((i) => i.id));
    for (const id of ['H1', 'H19', 'D1', 'D12', 'C11', 'C29', 'S1', 'S8', 'R1', 'R3', 'F4']) expect(all, id).toContain(id);
    expect(ids.length).toBeGreaterThanOrEqual(19 + 12 + 19 + 8 + 3 + 4);
  });

  it('has a bilingual definition for every item id in the spec tables', () => {
    const missing = ids.filter(({ form, id }) => {
      const d = definitionForItem(form, id);
      return !d || !d.title.zh.trim() || !d.title.en.trim() || !d.text.zh.trim() || !d.text.en.trim();
    });
    expect(missing).toEqual([]);
  });

  it('maps C1-C10 to the same definitions as D1-D10, as the spec says', () => {
    expect(md).toContain('C1–C10 are identical to D1–D10');
    for (let n = 1; n <= 10; n++) {
      const d = definitionForItem('short', `D${n}`);
      expect(d, `D${n}`).toBeDefined();
      expect(definitionForItem('long', `C${n}`), `C${n}`).toBe(d);
    }
    expect(definitionForItem('long', 'C15')).toBe(definitionForItem('short', 'D11'));
    expect(definitionForItem('long', 'C17')).toBe(definitionForItem('short', 'D12'));
  });
});

describe('coverage of the UI item ids', () => {
  it('resolves every item id used in src/client/ui/household', () => {
    const ui = uiItemIds();
    expect(ui.length).toBeGreaterThan(40);
    const missing = ui.filter(({ form, id }) => !definitionForItem(form, id)).map(({ id, file }) => `${file}:${id}`);
    expect(missing).toEqual([]);
  });
});

describe('definition integrity', () => {
  it('has unique keys', () => {
    const keys = DEFINITIONS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has unique fields, so a path resolves to one definition', () => {
    const fields = DEFINITIONS.map((d) => d.field);
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('gives every non-V item an office note in both languages', () => {
    const bad = DEFINITIONS.filter((d) => d.confidence !== 'V' && (!d.officeNote?.zh.trim() || !d.officeNote.en.trim())).map((d) => d.key);
    expect(bad).toEqual([]);
  });

  it('uses field paths that exist in the zod schemas', () => {
    const bad: string[] = [];
    for (const d of DEFINITIONS) {
      const [root = '', ...rest] = d.field.split('.');
      let schema: z.ZodType | undefined = ROOTS[root];
      for (const seg of rest) schema = schema ? shapeOf(schema)?.[seg] : undefined;
      if (!schema || rest.length === 0) bad.push(d.field);
    }
    expect(bad).toEqual([]);
    expect(Object.keys(PersonSchema.shape)).toContain('leftHukouDuration');
  });

  it('cites census-forms.md and keeps texts plain and short', () => {
    for (const d of DEFINITIONS) {
      expect(d.source, d.key).toMatch(/^census-forms\.md §\d/);
      for (const s of [d.text.zh, d.text.en]) {
        expect(s.length, d.key).toBeLessThanOrEqual(400);
        expect(s, d.key).not.toMatch(/<[a-z/]/i);
      }
      for (const r of d.rules) {
        expect(r.zh.length, d.key).toBeLessThanOrEqual(200);
        expect(r.en.length, d.key).toBeLessThanOrEqual(200);
        expect(r.zh.trim() && r.en.trim(), d.key).toBeTruthy();
      }
    }
  });
});

describe('definitionForPath', () => {
  it('drops indices and finds the field', () => {
    expect(definitionForPath(['persons', 2, 'leftHukouDuration'])?.key).toBe('person.leftHukouDuration');
    expect(definitionForPath(['deaths', 0, 'name'])?.key).toBe('death.name');
    expect(definitionForPath(['household', 'rooms'])?.key).toBe('household.rooms');
  });
  it('falls back to the longest defined prefix', () => {
    expect(definitionForPath(['household', 'births', 'male'])?.key).toBe('household.births');
    expect(definitionForPath(['persons', 0, 'residence', 'place', 'province'])?.key).toBe('person.residence.place');
    expect(definitionForPath(['persons', 0, 'residence', 'code'])?.key).toBe('person.residence');
    expect(definitionForPath(['persons', 0, 'work', 'hours'])?.key).toBe('person.work');
  });
  it('returns undefined for unknown paths', () => {
    expect(definitionForPath(['persons', 0, 'nope'])).toBeUndefined();
    expect(definitionForPath(['nothing'])).toBeUndefined();
    expect(definitionForPath([])).toBeUndefined();
    expect(definitionForPath(['persons', 3])).toBeUndefined();
  });
});

describe('lookups', () => {
  it('finds by key and by item id', () => {
    expect(definitionByKey('household.rooms')?.items).toContainEqual({ form: 'household', id: 'H7' });
    expect(definitionByKey('missing')).toBeUndefined();
    expect(definitionForItem('short', 'D9')?.key).toBe('person.leftHukouDuration');
    expect(definitionForItem('household', 'H2')?.key).toBe('household.residents');
    expect(definitionForItem('death', 'S1')?.key).toBe('listing.householdNo');
    expect(definitionForItem('short', 'C9')).toBeUndefined();
    expect(definitionForItem('long', 'D9')).toBeUndefined();
  });
});

describe('searchDefinitions', () => {
  const ids = (q: string, lang: 'zh' | 'en') => searchDefinitions(q, lang).map((d) => d.key);
  it('finds H1 for 集体户', () => {
    expect(ids('集体户', 'zh')[0]).toBe('household.householdType');
  });
  it('finds H7 for 房间 and for English "room"', () => {
    expect(ids('房间', 'zh')).toContain('household.rooms');
    expect(ids('room', 'en')).toContain('household.rooms');
    expect(ids('ROOMS', 'en')[0]).toBe('household.rooms');
  });
  it('ranks an exact item id first', () => {
    expect(ids('D9', 'zh')[0]).toBe('person.leftHukouDuration');
    expect(ids('d9', 'en')[0]).toBe('person.leftHukouDuration');
    // D1 must come before D10/D11/D12, which only contain it as a substring.
    expect(ids('D1', 'en')[0]).toBe('person.name');
    expect(ids('D1', 'en')).toContain('person.leftHukouReason');
  });
  it('ranks title matches before text matches', () => {
    // D3's rules mention 出生年月 and D3 precedes D5 in DEFINITIONS, so only the ranking puts
    // the title matches (D5, S4) ahead of it.
    const r = ids('出生年月', 'zh');
    const textOnly = r.indexOf('person.citizenId');
    expect(textOnly).toBeGreaterThan(0);
    expect(r.indexOf('person.birth')).toBeLessThan(textOnly);
    expect(r.indexOf('death.birth')).toBeGreaterThanOrEqual(0);
    expect(r.indexOf('death.birth')).toBeLessThan(textOnly);
  });
  it('returns nothing for an empty query and for no match', () => {
    expect(searchDefinitions('', 'zh')).toEqual([]);
    expect(searchDefinitions('   ', 'en')).toEqual([]);
    expect(searchDefinitions('zzqx-no-such', 'en')).toEqual([]);
  });
});

describe('door rules the census requires', () => {
  const all = (key: string, lang: 'zh' | 'en') => {
    const d = definitionByKey(key);
    if (!d) throw new Error(`no definition ${key}`);
    return [d.text[lang], ...d.rules.map((r) => r[lang])].join('\n');
  };
  it('H2 counts who slept here on the census night of 10-31', () => {
    expect(all('household.residents', 'zh')).toContain('10月31日晚');
    expect(all('household.residents', 'en')).toMatch(/2020-10-31|31 October/);
    expect(all('household.residents', 'zh')).toContain('居住时间最长');
  });
  it('H1 explains 集体户 and the person living alone', () => {
    expect(all('household.householdType', 'zh')).toContain('集体户');
    expect(all('household.householdType', 'zh')).toContain('一人独居也算家庭户');
  });
  it('states the 999 rule for whole-household deaths', () => {
    expect(all('household.deaths', 'zh')).toContain('999');
    expect(all('listing.householdNo', 'zh')).toContain('999');
    expect(definitionForItem('death', 'S1')?.rules.some((r) => r.zh.includes('999') && r.en.includes('999'))).toBe(true);
  });
  it('H3/H4 count a baby born and died in the window in both', () => {
    expect(all('household.births', 'zh')).toContain('H3和H4都要计入');
    expect(all('household.deaths', 'en')).toContain('both H3 and H4');
  });
  it('H7 excludes kitchen, toilet and halls', () => {
    expect(all('household.rooms', 'zh')).toMatch(/厨房.*厕所.*厅/);
  });
  it('D1 uses 未取名 for a person without a name', () => {
    expect(all('person.name', 'zh')).toContain('未取名');
  });
  it('states the D8/D9 skip rules', () => {
    expect(all('person.hukou', 'zh')).toContain('跳过D9和D10');
    expect(all('person.leftHukouDuration', 'zh')).toContain('选1的跳过D10');
  });
  it('flags D10 numbering as unverified', () => {
    expect(definitionForItem('short', 'D10')?.officeNote?.zh).toContain('1–10');
  });
});
