// Building findings from the rule catalogue: the rule id fixes severity and message template.
import { RULES, type RuleId } from '../rules.ts';
import type { Finding, FindingPath } from '../schemas.ts';

/** A template parameter: plain text / number, or a value with its own zh and en wording. */
export type Param = string | number | { readonly zh: string; readonly en: string };
export type Params = Readonly<Record<string, Param>>;

/** Fill `{name}` placeholders of a template in one language. */
export function formatMessage(template: string, params: Params, lang: 'zh' | 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    if (v === undefined) return whole;
    return typeof v === 'object' ? v[lang] : String(v);
  });
}

/** One finding of `rule` at `path`. */
export function finding(rule: RuleId, path: FindingPath, params: Params = {}): Finding {
  const def = RULES[rule];
  return { rule, severity: def.severity, path, message: { zh: formatMessage(def.zh, params, 'zh'), en: formatMessage(def.en, params, 'en') } };
}

export const SEX_WORD = { 1: { zh: '男', en: 'male' }, 2: { zh: '女', en: 'female' } } as const;
export const SEX_KEY = { 1: 'male', 2: 'female' } as const;
