// Demo data for `npm start` and for the phone's sync tests: six accounts (password
// `pucha-demo`) and three generated districts, two for demo-enumerator and one for
// demo-enumerator-2, both supervised by demo-supervisor, with the county and township offices
// above them. Same seed, same data.
import { generateDistrict, validateRegistration } from '../domain/index.ts';
import { hashPassword, verifyPassword } from './auth.ts';
import { unconfirmedWarnings } from './push-prepare.ts';
import type { Store } from './store/store.ts';

export const DEMO_PASSWORD = 'pucha-demo';

export const DEMO_USERS = [
  { id: 'u-demo-supervisor', username: 'demo-supervisor', name: '演示指导员', role: 'supervisor' },
  { id: 'u-demo-enumerator', username: 'demo-enumerator', name: '演示普查员', role: 'enumerator', supervisorId: 'u-demo-supervisor' },
  { id: 'u-demo-enumerator-2', username: 'demo-enumerator-2', name: '演示普查员二', role: 'enumerator', supervisorId: 'u-demo-supervisor' },
  { id: 'u-demo-admin', username: 'demo-admin', name: '演示管理员', role: 'admin' },
  // The office's desk (issue 14): the county office above the demo districts, and their township's (who accepts them).
  { id: 'u-demo-county', username: 'demo-county', name: '演示长安区人普办', role: 'office', scope: '130102' },
  { id: 'u-demo-township', username: 'demo-township', name: '演示建北街道人普办', role: 'office', scope: '130102001' },
] as const;

export const DEMO_DISTRICTS = [
  { code: '130102001003001', enumerator: 'u-demo-enumerator' },
  { code: '130102001003002', enumerator: 'u-demo-enumerator' },
  { code: '130102001004001', enumerator: 'u-demo-enumerator-2' },
] as const;

export interface SeedOptions {
  seed?: number;
  /** Households per district (default 60). */
  households?: number;
  /** Share already registered (default 0.3), so the phone has work left. */
  registeredShare?: number;
}

export interface SeedSummary {
  seeded: boolean;
  users: string[];
  districts: string[];
  households: number;
}

/** Creates the demo accounts and districts unless the store already has users. */
export async function seedDemo(store: Store, opts: SeedOptions = {}): Promise<SeedSummary> {
  const summary: SeedSummary = { seeded: false, users: DEMO_USERS.map((u) => u.username), districts: DEMO_DISTRICTS.map((d) => d.code), households: 0 };
  if (await store.hasUsers()) return summary;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [i, u] of DEMO_USERS.entries()) {
    const r = await store.createUser({ ...u, passwordHash });
    // Several nodes starting together on one empty database: the first demo account is the
    // claim (createUser is atomic per username); whoever lost it leaves the seeding to the winner.
    if (!r.ok && i === 0 && r.reason === 'username_taken') return summary;
    if (!r.ok) throw new Error(`demo user ${u.username}: ${r.reason}`);
  }
  const seed = opts.seed ?? 2020;
  const at = new Date().toISOString();
  for (const [i, d] of DEMO_DISTRICTS.entries()) {
    const g = generateDistrict({ seed: seed + i, code: d.code, enumerators: [d.enumerator], households: opts.households ?? 60, registeredShare: opts.registeredShare ?? 0.3 });
    await store.putDistrict(g.district);
    await store.importListing(g.listing);
    await store.importRegistrations(
      g.registrations.map((reg) => {
        const findings = validateRegistration(reg);
        return {
          id: reg.id,
          districtCode: reg.districtCode,
          listingId: reg.listingId,
          householdNo: reg.householdNo,
          form: reg.form,
          status: reg.status,
          version: 1,
          persons: reg.persons.length,
          errors: findings.filter((f) => f.severity === 'error').length,
          warnings: unconfirmedWarnings(findings, reg.overrides).length,
          data: reg,
        };
      }),
      at,
    );
    summary.households += g.registrations.length;
  }
  summary.seeded = true;
  return summary;
}

/** Users of the store who still have the demo password (a production start refuses to serve them). */
export async function demoPasswordUsers(store: Store): Promise<string[]> {
  const found: string[] = [];
  for (const u of DEMO_USERS) {
    const user = await store.findUserByUsername(u.username);
    if (user && !user.disabled && (await verifyPassword(DEMO_PASSWORD, user.passwordHash))) found.push(u.username);
  }
  return found;
}
