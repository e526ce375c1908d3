// Environment configuration of `npm start`, parsed with zod like every other input.
import { z } from 'zod';

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUCHA_DB: z.string().min(1).default('data/pucha.sqlite'),
  DATABASE_URL: z.string().url().optional(),
  /** `0` disables the demo seed on an empty store. */
  PUCHA_DEMO: z.enum(['0', '1']).default('1'),
  /** `0` skips building the web app (API only, or serve whatever dist/ holds). */
  PUCHA_BUILD: z.enum(['0', '1']).default('1'),
  PUCHA_LOG: z.enum(['0', '1']).default('0'),
  /** Push requests per device and minute before `429 rate_limited` (reliability.md S4). */
  PUCHA_PUSH_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Days an enumerator who lost a district may still deliver what it queued for it. */
  PUCHA_GRACE_DAYS: z.coerce.number().min(0).max(365).default(7),
});
export type Config = z.infer<typeof ConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv): Config {
  return ConfigSchema.parse({
    PORT: env.PORT || undefined,
    HOST: env.HOST || undefined,
    PUCHA_DB: env.PUCHA_DB || undefined,
    DATABASE_URL: env.DATABASE_URL || undefined,
    PUCHA_DEMO: env.PUCHA_DEMO || undefined,
    PUCHA_BUILD: env.PUCHA_BUILD || undefined,
    PUCHA_LOG: env.PUCHA_LOG || undefined,
    PUCHA_PUSH_PER_MINUTE: env.PUCHA_PUSH_PER_MINUTE || undefined,
    PUCHA_GRACE_DAYS: env.PUCHA_GRACE_DAYS || undefined,
  });
}
