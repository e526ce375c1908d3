// Environment configuration of `npm start` / `npm run serve` and the admin CLI, parsed with zod
// like every other input.
import { z } from 'zod';
import { CalendarSchema, DEFAULT_CALENDAR, DEFAULT_RATES, RatesSchema, demoCalendar, type OfficeOptions } from './office-config.ts';

/** A JSON text checked with `schema` (a config value such as PUCHA_CALENDAR). */
function jsonOf<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, c) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        c.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const ms = (dflt: number) => z.coerce.number().int().min(0).max(3_600_000).default(dflt);

export const ConfigSchema = z.object({
  /** `production` (what `npm run serve` sets): no demo seed, no build, no migrations at start. */
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUCHA_DB: z.string().min(1).default('data/pucha.sqlite'),
  DATABASE_URL: z.string().url().optional(),
  /** `0` disables the demo seed on an empty store (production: always off). */
  PUCHA_DEMO: z.enum(['0', '1']).default('1'),
  /** `0` skips building the web app (API only, or serve whatever dist/ holds). */
  PUCHA_BUILD: z.enum(['0', '1']).default('1'),
  PUCHA_LOG: z.enum(['0', '1']).default('0'),
  /** Push requests per device and minute before `429 rate_limited` (reliability.md S4). */
  PUCHA_PUSH_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Days an enumerator who lost a district may still deliver what it queued for it. */
  PUCHA_GRACE_DAYS: z.coerce.number().min(0).max(365).default(7),
  /** Bearer token of GET /metrics; unset: no /metrics. */
  PUCHA_METRICS_TOKEN: z.string().min(16).max(200).optional(),
  /** PostgreSQL connections per node (nodes x this must stay under max_connections). */
  PUCHA_PG_POOL: z.coerce.number().int().min(1).max(500).default(10),
  /** PostgreSQL schema to use (created if missing); default: the server's search_path. */
  PUCHA_PG_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  /**
   * Until when households may fill in the form themselves (ISO-8601; default 2020-11-05 24:00
   * China time, the 2020 census). With the demo seed and no value set: 30 days from the start.
   */
  PUCHA_SELF_DEADLINE: z.iso.datetime({ offset: true }).optional(),
  /** The address respondents open (self-enumeration notices' QR codes), e.g. https://pucha.example.gov.cn */
  PUCHA_PUBLIC_ORIGIN: z.string().regex(/^https?:\/\/[^\s/?#]+$/, 'an origin: https://host[:port]').optional(),
  /** Self-enumeration code attempts per client address and minute, and in total per minute (every node together). */
  PUCHA_SELF_PER_IP_MINUTE: z.coerce.number().int().min(1).default(20),
  PUCHA_SELF_TOTAL_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** The office's desk (docs/OFFICE.md): the phases' days as JSON, the China-time hour a day is frozen (1..24), expected ranges as JSON. */
  PUCHA_CALENDAR: jsonOf(CalendarSchema).optional(),
  PUCHA_REPORT_HOUR: z.coerce.number().int().min(1).max(24).default(24),
  PUCHA_EXPECTED_RATES: jsonOf(RatesSchema).optional(),
  PUCHA_PG_STATEMENT_TIMEOUT_MS: ms(30_000),
  PUCHA_PG_LOCK_TIMEOUT_MS: ms(10_000),
  PUCHA_PG_IDLE_TX_TIMEOUT_MS: ms(5_000),
});
export type Config = z.infer<typeof ConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const pick = (k: keyof Config) => env[k] || undefined;
  const parsed = ConfigSchema.parse(Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, pick(k as keyof Config)])));
  // Production never seeds demo accounts unless asked, and main.ts refuses when it is asked.
  if (parsed.NODE_ENV === 'production' && env.PUCHA_DEMO === undefined) parsed.PUCHA_DEMO = '0';
  return parsed;
}

/** The 2020 census's deadline for self-enumeration: 5 November, 24:00 China time (UTC+8). */
export const DEFAULT_SELF_DEADLINE = '2020-11-05T16:00:00.000Z';

/** The self-enumeration deadline a start uses (the demo's codes stay usable for 30 days). */
export function selfDeadline(c: Config, now: Date): string {
  if (c.PUCHA_SELF_DEADLINE) return new Date(c.PUCHA_SELF_DEADLINE).toISOString();
  return c.PUCHA_DEMO === '1' ? new Date(now.getTime() + 30 * 86_400_000).toISOString() : DEFAULT_SELF_DEADLINE;
}

export const isProduction = (c: Config) => c.NODE_ENV === 'production';

/** The store options of a config: `migrate` on open only where a start may migrate. */
export function storeTimeouts(c: Config) {
  return { statementMs: c.PUCHA_PG_STATEMENT_TIMEOUT_MS, lockMs: c.PUCHA_PG_LOCK_TIMEOUT_MS, idleInTransactionMs: c.PUCHA_PG_IDLE_TX_TIMEOUT_MS };
}

/**
 * The office's desk options of a start: PUCHA_CALENDAR (default the 2020 census; with the demo
 * seed and no value set, a calendar around today so the demo's schedule means something), the
 * report hour, and the expected ranges (each range given replaces its default).
 */
export function officeOptions(c: Config, now: Date): OfficeOptions {
  const calendar = c.PUCHA_CALENDAR ?? (c.PUCHA_DEMO === '1' ? demoCalendar(now) : DEFAULT_CALENDAR);
  const given = Object.fromEntries(Object.entries(c.PUCHA_EXPECTED_RATES ?? {}).filter(([, v]) => v !== undefined));
  return { calendar, reportHour: c.PUCHA_REPORT_HOUR, rates: { ...DEFAULT_RATES, ...given } };
}
