// The totals of a `GET /progress` node (api.md "Offices and progress", docs/OFFICE.md), read by
// the supervisor's dashboard and the office desk alike. Counts missing from an older server
// default to 0 so a screen still renders; anything of the wrong type fails the parse.
import { z } from 'zod';
import { VisitStatusSchema, type VisitStatus } from '../../domain/schemas.ts';

const count = z.number().int().min(0);
const share = z.number().min(0).max(1);

/** The visit outcomes the totals count, the domain's list (a new outcome gets a count here too). */
export const VISIT_KEYS = VisitStatusSchema.options;
export type VisitKey = VisitStatus;
const zeroVisits = Object.fromEntries(VISIT_KEYS.map((k) => [k, 0])) as Record<VisitKey, number>;

export const PhaseSchema = z.enum(['shortForm', 'longForm', 'review']);
export type Phase = z.infer<typeof PhaseSchema>;
export const ScheduleSchema = z.object({ phase: PhaseSchema.nullable(), expected: share, done: share, behind: z.boolean() });
export type Schedule = z.infer<typeof ScheduleSchema>;

export const TotalsSchema = z.object({
  districts: count.default(0),
  listing: count.default(0),
  visits: z.object(Object.fromEntries(VISIT_KEYS.map((k) => [k, count.default(0)])) as Record<VisitKey, z.ZodDefault<typeof count>>).default(zeroVisits),
  registrations: z.object({ complete: count.default(0), draft: count.default(0) }).default({ complete: 0, draft: 0 }),
  persons: count.default(0),
  births: count.default(0),
  deaths: count.default(0),
  withErrors: count.default(0),
  withWarnings: count.default(0),
  queries: z.object({ open: count.default(0), answered: count.default(0), resolved: count.default(0) }).default({ open: 0, answered: 0, resolved: 0 }),
  devicesWithQueue: count.default(0),
  lastPushAt: z.string().nullish(),
  accepted: count.default(0),
  submitted: count.default(0),
  reopened: count.default(0),
  /** Absent from an older server and from daily rows. */
  schedule: ScheduleSchema.optional(),
});
export type Totals = z.infer<typeof TotalsSchema>;
