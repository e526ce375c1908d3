// The defects that broke Pucha at province scale (issue 8), each pinned by a test that failed on
// the code before the office scopes: a scope expanded into bind parameters, a cursor carrying
// the district list (too long at 7 districts, and trusted when forged), a write on every pull.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponseSchema } from '../../src/domain/index.ts';
import { newActivationCode } from '../../src/server/activation.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { householdMutation, listingEntry, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

/** More districts than SQLite's 32,766 bind parameters. */
const N = 33_000;
const code = (i: number) => `13${String(1 + (i % 11)).padStart(2, '0')}01001${String(i).padStart(6, '0')}`;

let h: Harness;
let admin: Record<string, string>;
const EIGHT = Array.from({ length: 8 }, (_, i) => `130102001009${String(i + 1).padStart(3, '0')}`);

beforeAll(async () => {
  h = await harness();
  const rows = Array.from({ length: N }, (_, i) => ({ username: `bulk${i}`, name: '普查员', role: 'enumerator' as const, districts: [code(i)] }));
  rows.push({ username: 'eight', name: '八个小区', role: 'enumerator' as const, districts: EIGHT });
  const at = h.clock.now.toISOString();
  const r = await h.store.importUsers(rows, { newCode: newActivationCode, activationExpiresAt: '2021-01-01T00:00:00.000Z', at, graceUntil: at });
  if ('ok' in r) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  const eight = await h.store.findUserByUsername('eight');
  if (!eight) throw new Error('missing');
  await h.store.setActivation(eight.id, 'x', '2021-01-01T00:00:00.000Z', at);
  // a password for 'eight' the direct way (the harness signs in with its fixture password)
  await h.store.activate('eight', 'x', await hashPassword('correct horse', { N: 1024, r: 8, p: 1 }), at);
  for (const d of EIGHT) await h.store.importListing(Array.from({ length: 40 }, (_, k) => listingEntry(d, k + 1)));
  admin = (await h.login('admin')).auth;
}, 240_000);
afterAll(async () => h.close());

describe('province-scale defects', () => {
  it('[PD1] admin reads with more districts than bind parameters: pull, status, export, conflicts, progress answer 200 and page', async () => {
    const pull = await h.req({ method: 'GET', url: '/api/v1/sync/pull?limit=1000', headers: admin });
    expect(pull.status).toBe(200);
    const p = PullResponseSchema.parse(pull.json());
    expect(p.changes).toHaveLength(1000);
    expect(p.more).toBe(true);
    const status = await h.req({ method: 'GET', url: '/api/v1/supervision/status?limit=2000', headers: admin });
    expect(status.status).toBe(200);
    const st = (status.json() as { districts: unknown[]; next?: string });
    expect(st.districts).toHaveLength(2000);
    expect(st.next).toMatch(/^\d{15}$/);
    for (const url of ['/api/v1/supervision/conflicts', '/api/v1/supervision/rejected', '/api/v1/queries']) expect((await h.req({ method: 'GET', url, headers: admin })).status).toBe(200);
    const exp = await h.req({ method: 'GET', url: '/api/v1/export?format=json', headers: admin });
    expect(exp.status).toBe(200);
    expect((exp.json() as { districts: string[] }).districts.length).toBeGreaterThan(N);
    const prog = await h.req({ method: 'GET', url: '/api/v1/progress', headers: admin });
    expect(prog.status).toBe(200);
    expect((prog.json() as { totals: { districts: number } }).totals.districts).toBeGreaterThan(N);
  });

  it('[PD2] an office login names its prefix, not its districts', async () => {
    const passwordHash = await hashPassword('an-office-password', { N: 1024, r: 8, p: 1 });
    await h.store.createUser({ id: 'u-prov', username: 'prov', name: '省人普办', role: 'office', scope: '13', passwordHash });
    const r = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'prov', password: 'an-office-password', deviceId: randomUUID() } });
    expect(r.status).toBe(200);
    expect((r.json() as { user: unknown }).user).toMatchObject({ role: 'office', scope: '13', districts: [] });
  });

  it('[PD3] an enumerator with 8 districts pulls every page to the end, then later changes', async () => {
    const deviceId = randomUUID();
    const login = await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'eight', password: 'correct horse', deviceId } });
    const auth = { authorization: `Bearer ${(login.json() as { token: string }).token}` };
    let cursor = '';
    let listing = 0;
    for (let page = 0; page < 100; page++) {
      const r = await h.req({ method: 'GET', url: `/api/v1/sync/pull?limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers: auth });
      expect(r.status, r.body).toBe(200);
      const p = PullResponseSchema.parse(r.json());
      listing += p.changes.filter((c) => c.entity === 'listing').length;
      cursor = p.cursor;
      if (!p.more) break;
    }
    expect(listing).toBe(8 * 40);
    const pushed = await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId, mutations: [householdMutation(registration(EIGHT[7] ?? ''))] } });
    expect((pushed.json() as { results: { status: string }[] }).results[0]?.status).toBe('applied');
    const next = PullResponseSchema.parse((await h.req({ method: 'GET', url: `/api/v1/sync/pull?cursor=${cursor}`, headers: auth })).json());
    expect(next.changes.map((c) => c.entity)).toEqual(['household']);

    // [PD4] a tampered cursor is refused; nothing of another district comes back
    const [body, sig] = next.cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 2, s: 0, a: 0, u: 'u-enum' })).toString('base64url');
    for (const bad of [`${body ?? ''}.${(sig ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, `${forged}.${sig ?? ''}`, Buffer.from(JSON.stringify({ v: 1, s: 0, h: 'x', d: ['130102001003003'] })).toString('base64url')]) {
      const r = await h.req({ method: 'GET', url: `/api/v1/sync/pull?cursor=${bad}`, headers: auth });
      if (r.status === 200) {
        // an old unsigned cursor restarts the caller's own full pull: no tombstone, nothing foreign
        const p = PullResponseSchema.parse(r.json());
        expect(p.changes.filter((c) => c.deleted)).toEqual([]);
        expect(p.changes.every((c) => c.entity !== 'district' || EIGHT.includes(c.id))).toBe(true);
      } else {
        expect(r.status).toBe(400);
        expectErrorShape(r.json(), 'validation_failed');
      }
    }

    // [PD5] a pull at the head writes nothing
    const counts = await h.store.tableCounts();
    const seen = (await h.store.getDevice(deviceId))?.lastSeenAt;
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const head = PullResponseSchema.parse((await h.req({ method: 'GET', url: `/api/v1/sync/pull?cursor=${next.cursor}`, headers: auth })).json());
    expect(head.changes).toEqual([]);
    expect(await h.store.tableCounts()).toEqual(counts);
    expect((await h.store.getDevice(deviceId))?.lastSeenAt).toBe(seen);
  });
});
