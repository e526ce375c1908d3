// The bridge between one record's editor and the draft: set an answer, parse the record with its
// draft schema, hand it on only if it parses. Also: which items to show.
import type { z } from 'zod';
import type { Applicability } from '../../../domain/index.ts';
import { withAnswer } from './parse.ts';

/** A setter factory for the answers of one record. */
export function answerSetter<S extends z.ZodType>(schema: S, record: z.infer<S>, onChange: (next: z.infer<S>) => void) {
  return (key: string) =>
    (value: unknown): boolean => {
      const next = withAnswer(schema, record, key, value);
      if (next === undefined) return false;
      onChange(next);
      return true;
    };
}

/**
 * Show an item when it applies (or may apply), and also when it holds an answer although it does
 * not apply: that answer is an error, and the user must see it to clear it (never dropped silently).
 */
export function visible(app: Applicability | undefined, value: unknown): { show: boolean; notApplicable: boolean } {
  const absent = app === 'absent';
  return { show: !absent || value !== undefined, notApplicable: absent && value !== undefined };
}
