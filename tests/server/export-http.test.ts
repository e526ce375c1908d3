// GET /export?format=xlsx on both stores: scoped exactly like the CSV and JSON exports (an
// enumerator, a supervisor and an office get their districts' rows and no other, a foreign
// district is 403 in the api.md error shape), the right Content-Type and Content-Disposition, and
// read back with read-excel-file the citizen IDs pushed by the phones come out digit for digit.
// The CSV keeps its UTF-8 BOM, byte for byte.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponseSchema, type Registration, type Role } from '../../src/domain/index.ts';
import { hashPassword } from '../../src/server/auth.ts';
import { buildApp } from '../../src/server/app.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { householdMutation, listingEntry, registration } from './fixtures.ts';
import { expectErrorShape } from './harness.ts';
import { readWorkbook, sheetOf } from './export-xlsx-read.ts';
import { openTempPg, pgAvailableOrSkip } from './pg-test-db.ts';

const PG = await pgAvailableOrSkip();
const PASSWORD = 'export-password-long';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const A1 = '130102001003001';
const A2 = '130102001003002';
const B = '130102002001001'; // same county, another township
const X = '130201001001001'; // another city
const CODES = [A1, A2, B, X];

/** A valid 18-character citizen ID for a birth date (GB 11643 check character). */
function citizenId(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...first17].reduce((acc, d, i) => acc + Number(d) * (w[i] ?? 0), 0);
  return first17 + '10X98765432'.charAt(s % 11);
}
/** The head of each district's household: born 1933-05, a woman (even 17th digit), one ID per district. */
const HEAD_ID: Record<string, string> = Object.fromEntries(CODES.map((c, i) => [c, citizenId(`${c.slice(0, 6)}1933050${i}06`)]));

const USERS: Record<string, { role: Role; scope?: string; supervisor?: string; districts?: string[] }> = {
  admin: { role: 'admin' },
  office: { role: 'office', scope: '130102' },
  sA: { role: 'supervisor' },
  sB: { role: 'supervisor' },
  sX: { role: 'supervisor' },
  eA: { role: 'enumerator', supervisor: 'sA', districts: [A1, A2] },
  eB: { role: 'enumerator', supervisor: 'sB', districts: [B] },
  eX: { role: 'enumerator', supervisor: 'sX', districts: [X] },
};
/** Written out by hand: what each caller reads, and a district it must not. */
const CASES: { user: string; mine: string[]; foreign?: string }[] = [
  { user: 'eA', mine: [A1, A2], foreign: B },
  { user: 'sA', mine: [A1, A2], foreign: B },
  { user: 'eB', mine: [B], foreign: A1 },
  { user: 'sB', mine: [B], foreign: A2 },
  { user: 'office', mine: [A1, A2, B], foreign: X },
  { user: 'eX', mine: [X], foreign: A1 },
  { user: 'admin', mine: CODES },
];
const writerOf = (code: string) => Object.keys(USERS).find((u) => USERS[u]?.districts?.includes(code)) ?? '';

function householdIn(code: string): Registration {
  const base = registration(code, { householdNo: '003', listingId: `L-${code}-003`, status: 'draft' }, 2);
  return {
    ...base,
    household: { ...base.household, deaths: { male: 0, female: 1 } },
    persons: base.persons.map((p, i) => (i === 0 ? { ...p, name: '王秀英', sex: 2, birth: '1933-05', citizenId: HEAD_ID[code] ?? '' } : p)),
    deaths: [{ id: `${base.id}-d1`, name: '李桂兰', sex: 2, birth: '1944-06', death: '2020-03', ethnicity: '01' }],
    overseas: [{ id: `${base.id}-o1`, name: '陈大文', relationship: 9, sex: 1, birth: '1990-01', status: 1, documentType: 1, documentNumber: `00${code.slice(-4)}`, purpose: 2, stay: 4 }],
  };
}

interface Env {
  store: Store;
  app: FastifyInstance;
  close(): Promise<void>;
}
async function openEnv(kind: 'sqlite' | 'postgres'): Promise<Env> {
  const now = () => new Date('2020-11-03T08:00:00.000Z');
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-export-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    const app = await buildApp({ store, now });
    return { store, app, close: async () => (await app.close(), await store.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = await openTempPg();
  const app = await buildApp({ store: pg.store, now });
  return { store: pg.store, app, close: async () => (await app.close(), await pg.cleanup()) };
}

function suite(kind: 'sqlite' | 'postgres') {
  let env: Env;
  const auth = new Map<string, Record<string, string>>();
  const H: Record<string, Registration> = {};
  const get = async (user: string | undefined, url: string) => {
    const r = await env.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: user ? auth.get(user) ?? {} : {} });
    return { status: r.statusCode, headers: r.headers, raw: r.rawPayload, json: () => r.json<unknown>() };
  };

  beforeAll(async () => {
    env = await openEnv(kind);
    const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    const order = Object.keys(USERS).sort((a, b) => Number(USERS[a]?.role === 'enumerator') - Number(USERS[b]?.role === 'enumerator'));
    for (const u of order) {
      const f = USERS[u];
      if (!f) continue;
      const r = await env.store.createUser({ id: `u-${u}`, username: u, name: u, role: f.role, passwordHash, ...(f.scope ? { scope: f.scope } : {}), ...(f.supervisor ? { supervisorId: `u-${f.supervisor}` } : {}) });
      if (!r.ok) throw new Error(r.reason);
    }
    for (const code of CODES) {
      await env.store.putDistrict({ code, name: `小区${code}`, enumerators: [`u-${writerOf(code)}`] });
      await env.store.importListing([1, 2, 3].map((n) => listingEntry(code, n)));
    }
    for (const u of Object.keys(USERS)) {
      const deviceId = randomUUID();
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: PASSWORD, deviceId } });
      if (r.statusCode !== 200) throw new Error(`login ${u}: ${r.body}`);
      const headers = { authorization: `Bearer ${r.json<{ token: string }>().token}` };
      auth.set(u, headers);
      const mine = USERS[u]?.districts ?? [];
      if (mine.length === 0) continue;
      const regs = mine.map(householdIn);
      for (const reg of regs) H[reg.districtCode] = reg;
      const push = await env.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers, payload: { deviceId, mutations: regs.map((reg) => householdMutation(reg)) } });
      expect(push.statusCode, push.body).toBe(200);
      expect(PushResponseSchema.parse(push.json()).results.map((x) => x.status)).toEqual(regs.map(() => 'applied'));
    }
  }, 120_000);
  afterAll(async () => env.close());

  describe.each(CASES)(`${kind}: $user`, ({ user, mine, foreign }) => {
    it('[EX1] the whole scope as XLSX: its districts on every sheet and no other, IDs digit for digit', async () => {
      const r = await get(user, '/export?format=xlsx');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(XLSX);
      expect(r.headers['content-disposition']).toBe('attachment; filename="pucha-all.xlsx"');
      expect(r.headers['cache-control']).toBe('no-store');
      const book = await readWorkbook(r.raw);
      for (const sheet of ['人口', '住户', '死亡人口', '港澳台和外籍人员']) {
        expect([...new Set(sheetOf(book, sheet).rows.map((row) => row['普查小区代码']))].sort(), sheet).toEqual(mine);
      }
      const heads = sheetOf(book, '人口').rows.filter((row) => row['序号'] === 1);
      expect(heads.map((row) => [row['普查小区代码'], row['户编号'], row['D3 公民身份号码']])).toEqual(mine.map((c) => [c, '003', HEAD_ID[c]]));
      expect(sheetOf(book, '住户').rows.map((row) => row['住户登记ID'])).toEqual(mine.map((c) => H[c]?.id));
      expect(sheetOf(book, '港澳台和外籍人员').rows.map((row) => row['证件号码'])).toEqual(mine.map((c) => `00${c.slice(-4)}`));
    });

    it('[EX2] one district: its own rows only; a foreign district is 403 in the error shape, not a file', async () => {
      const own = mine[mine.length - 1] ?? '';
      const r = await get(user, `/export?format=xlsx&district=${own}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-disposition']).toBe(`attachment; filename="pucha-${own}.xlsx"`);
      const rows = sheetOf(await readWorkbook(r.raw), '人口').rows;
      expect(rows.map((row) => row['普查小区代码'])).toEqual([own, own]);
      if (foreign === undefined) return;
      const f = await get(user, `/export?format=xlsx&district=${foreign}`);
      expect(f.status).toBe(403);
      expect(String(f.headers['content-type'])).toMatch(/^application\/json/);
      expectErrorShape(f.json(), 'forbidden');
    });
  });

  it(`[EX3] ${kind}: a district under the office's prefix that does not exist is 404; a bad format or district 400; no token 401`, async () => {
    const ghost = await get('office', '/export?format=xlsx&district=130102999999999');
    expect(ghost.status).toBe(404);
    expectErrorShape(ghost.json(), 'not_found');
    for (const url of ['/export?format=xls', '/export?format=xlsx&district=12', '/export?format=xlsx&sheet=1']) {
      const bad = await get('admin', url);
      expect(bad.status, url).toBe(400);
      expectErrorShape(bad.json(), 'validation_failed');
    }
    const anon = await get(undefined, '/export?format=xlsx');
    expect(anon.status).toBe(401);
    expectErrorShape(anon.json(), 'unauthorized');
  });

  it(`[EX4] ${kind}: the CSV (for machines) starts with the UTF-8 BOM and keeps the IDs as written`, async () => {
    const r = await get('sA', '/export?format=csv');
    expect(r.status).toBe(200);
    expect([...r.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = r.raw.toString('utf8');
    expect(text).toContain(`,${HEAD_ID[A1]},`);
    expect(text).toContain(',003,');
  });
}

describe('XLSX export over HTTP on SQLite', () => suite('sqlite'));
describe.runIf(PG)('XLSX export over HTTP on PostgreSQL', () => suite('postgres'));
