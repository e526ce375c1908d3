// What every field of the household form needs besides its own value: the current findings, the
// confirmed warnings, the language and the form kind. Passed through context so the deep editors
// (roster -> person -> place) do not thread a dozen props.
import { createContext, useContext } from 'react';
import type { Finding, FindingPath, Override, OverrideReason } from '../../../domain/index.ts';

export interface FormEnv {
  lang: 'zh' | 'en';
  form: 'short' | 'long';
  /** Findings that point exactly at `path`. */
  findingsAt: (path: FindingPath) => Finding[];
  overrides: readonly Override[];
  confirm: (f: Finding, reason: OverrideReason, note: string) => void;
  unconfirm: (f: Finding) => void;
}

export const FormEnvContext = createContext<FormEnv | null>(null);

export function useFormEnv(): FormEnv {
  const env = useContext(FormEnvContext);
  if (!env) throw new Error('useFormEnv outside <FormEnvContext.Provider>');
  return env;
}
