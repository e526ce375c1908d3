// The rule catalogue and the rule tests cover the same ids; every rule has a well-formed entry.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, RULES } from '../../src/domain/index.ts';

describe('rule catalogue', () => {
  it('every catalogue id has a table-driven test and every tested id is in the catalogue', () => {
    const dir = import.meta.dirname;
    const tested = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts'))) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/ruleTable\('([A-Z0-9_]+)'/g)) if (m[1]) tested.add(m[1]);
    }
    expect([...tested].sort()).toEqual([...RULE_IDS].sort());
  });

  it('ids are stable upper-case names with a severity, a reference and both languages', () => {
    for (const id of RULE_IDS) {
      const r = RULES[id];
      expect(id).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(['error', 'warning']).toContain(r.severity);
      expect(r.ref.length).toBeGreaterThan(0);
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[a-z]/);
      // Both languages use the same placeholders.
      const params = (s: string) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
      expect(params(r.zh)).toEqual(params(r.en));
    }
  });
});
