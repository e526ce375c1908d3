// Typed text is kept as typed until it parses: "2010" on the way to "2010-05" must not be thrown
// away, and "12." must not be rewritten to "12" under the user's thumb. When the answer changes
// from outside (the ID number filled the birth month) the text follows it. `R` is the raw form:
// a string for one input, a tuple of strings for a group (male/female counts, a place).
import { useState } from 'react';
import type { InputError, Parsed } from './parse.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function useRawInput<T, R>(
  value: T | undefined,
  format: (v: T | undefined) => R,
  parse: (raw: R) => Parsed<T>,
  commit: (v: T | undefined) => boolean,
) {
  const [raw, setRaw] = useState(() => format(value));
  const [seen, setSeen] = useState(value);
  const [error, setError] = useState<InputError | undefined>(undefined);
  if (!same(seen, value)) {
    // Adjusting state during render (React's documented pattern for state derived from props).
    setSeen(value);
    const p = parse(raw);
    if (!(p.ok && same(p.value, value))) {
      setRaw(format(value));
      setError(undefined);
    }
  }
  const onChange = (r: R) => {
    setRaw(r);
    const p = parse(r);
    if (!p.ok) {
      setError(p.error);
      return;
    }
    setError(commit(p.value) ? undefined : 'invalid');
  };
  /** On leaving the field, show a taken answer in its canonical form ("201805" -> "2018-05"). */
  const onBlur = () => {
    const p = parse(raw);
    if (p.ok && same(p.value, value)) setRaw(format(value));
  };
  return { raw, error, onChange, onBlur };
}

/** Format for single string inputs: absent shows as empty. */
export const str =
  <T,>(f: (v: T) => string) =>
  (v: T | undefined): string =>
    v === undefined ? '' : f(v);
