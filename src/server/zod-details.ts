// Turns zod issues into the `details` of the error shape, trimmed to what ErrorDetailSchema
// accepts (paths of at most 8 short segments), so every answer we send parses on the phone.
import type { z } from 'zod';

export interface Detail {
  path: (string | number)[];
  message: string;
}

export function cleanPath(path: readonly PropertyKey[], prefix: readonly (string | number)[] = []): (string | number)[] {
  return [...prefix, ...path].slice(0, 8).map((p) => (typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : String(p).slice(0, 40)));
}

export function zodDetails(error: z.ZodError, prefix: readonly (string | number)[] = []): Detail[] {
  return error.issues.slice(0, 50).map((i) => ({ path: cleanPath(i.path, prefix), message: i.message.slice(0, 500) }));
}
