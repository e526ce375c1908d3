// Every statement a scoped request runs (an enumerator's pull and push, a supervisor's status,
// progress, queries, conflicts and quarantine, an office's progress, a district export) has an
// index: the statements are recorded on the way to the store, then explained, and no plan may
// read a whole table of users, devices, listing, registrations, revisions or their neighbours.
// On PostgreSQL sequential scans are switched off for the EXPLAIN, so a "Seq Scan" that remains
// is one the planner had no index for.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth.ts';
import { buildApp } from '../../src/server/app.ts';
import type { SqlDriver, SqlExec } from '../../src/server/store/sql-driver.ts';
import { openPostgresStore } from '../../src/server/store/postgres.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { makeCitizenId, practiceSummaryEntityId } from '../../src/domain/index.ts';
import { householdMutation, listingEntry, registration } from './fixtures.ts';
import { PG_URL, pgAvailableOrSkip } from './pg-test-db.ts';
import pg from 'pg';

const BIG = ['users', 'devices', 'listing', 'registrations', 'revisions', 'district_enumerators', 'queries', 'quarantine', 'sessions', 'districts', 'progress', 'mutations', 'scope_events', 'district_grace', 'citizen_ids', 'citizen_id_counts', 'practice_summaries', 'register_records', 'daily_progress', 'daily_runs', 'enumerator_days', 'acceptance', 'acceptance_history'];

interface Recorded {
  sql: string;
  params: readonly unknown[];
}

class Recorder {
  recording = false;
  readonly seen: Recorded[] = [];
  raw: SqlDriver | undefined;
  wrap = (d: SqlDriver): SqlDriver => {
    this.raw = d;
    const rec = (sql: string, params: readonly unknown[] = []) => {
      if (this.recording) this.seen.push({ sql, params });
    };
    const exec = (q: SqlExec): SqlExec => ({
      all: (sql, params) => (rec(sql, params), q.all(sql, params)),
      run: (sql, params) => (rec(sql, params), q.run(sql, params)),
      lockKeys: (keys) => q.lockKeys(keys),
    });
    return { kind: d.kind, ...exec(d), tx: (fn) => d.tx((q) => fn(exec(q))), close: () => d.close() };
  };
}

const practice = (createdAt: string) => ({
  id: randomUUID(),
  entity: 'practiceSummary',
  entityId: practiceSummaryEntityId('u-e0'),
  baseVersion: 0,
  createdAt,
  data: { completed: 1, attempts: 2, errorsAtAttempts: 3, households: 1, resets: 0 },
});

/** A registration the desk's household read opens. */
const REG_ID = randomUUID();
const CODES = Array.from({ length: 24 }, (_, i) => `1301020${String(1 + (i % 3)).padStart(2, '0')}${String(1 + (i % 4)).padStart(3, '0')}${String(1 + i).padStart(3, '0')}`);

async function seed(store: Store) {
  const passwordHash = await hashPassword('a-long-password', { N: 1024, r: 8, p: 1 });
  await store.createUser({ id: 'u-admin', username: 'admin', name: 'A', role: 'admin', passwordHash });
  await store.createUser({ id: 'u-office', username: 'office', name: 'O', role: 'office', scope: '130102001', passwordHash });
  for (let s = 0; s < 4; s++) await store.createUser({ id: `u-sup${s}`, username: `sup${s}`, name: 'S', role: 'supervisor', passwordHash });
  for (const [i, code] of CODES.entries()) {
    await store.createUser({ id: `u-e${i}`, username: `e${i}`, name: 'E', role: 'enumerator', supervisorId: `u-sup${i % 4}`, passwordHash });
    await store.putDistrict({ code, name: `长安区 建北街道 社区${i % 4} 第${i}普查小区`, enumerators: [`u-e${i}`] });
    await store.importListing([1, 2, 3].map((n) => listingEntry(code, n)));
  }
}

function plansFor(kind: 'sqlite' | 'postgres', open: (rec: Recorder) => Promise<{ store: Store; cleanup: () => Promise<void> }>, explain: (rec: Recorder, r: Recorded) => Promise<string[]>) {
  describe(`query plans: ${kind}`, () => {
    const rec = new Recorder();
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: Awaited<ReturnType<typeof buildApp>>;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      ({ store, cleanup } = await open(rec));
      await seed(store);
      app = await buildApp({ store });
      for (const u of ['e0', 'sup0', 'office', 'admin']) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: 'a-long-password', deviceId: `dev-${u}` } });
        tokens[u] = r.json<{ token: string }>().token;
      }
      // data for the reads: households, a conflict, a rejection, a query, a queued phone
      const code = CODES[0] ?? '';
      const reg = registration(code, { id: REG_ID, overrides: [{ rule: 'LISTING_COUNT', path: [], reason: 'confirmedWithRespondent', note: '' }] });
      const push = (mutations: unknown[], pending = 3) =>
        app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${tokens.e0}` }, payload: { deviceId: 'dev-e0', mutations, device: { pending, appVersion: '1' } } });
      // Two households sharing a head's citizen ID (the duplicate index and its read).
      const shared = makeCitizenId('130102', '1960-05-10', 1, 1);
      const withId = (r: ReturnType<typeof registration>) => ({ ...r, persons: r.persons.map((p, i) => (i === 0 ? { ...p, citizenId: shared } : p)) });
      await push([householdMutation(withId(reg)), householdMutation(withId(registration(code))), householdMutation(registration(CODES[1] ?? ''))]);
      expect((await store.listDuplicates({ kind: 'all' }, 0, 5)).groups.map((g) => g.citizenId)).toEqual([shared]);
      await push([householdMutation(reg, 0)]);
      // A practice summary (issue 15), so the status reads a stored row.
      await push([practice('2020-11-02T09:00:00.000Z')]);
      await app.inject({ method: 'POST', url: '/api/v1/queries', headers: { authorization: `Bearer ${tokens.sup0}` }, payload: { householdId: reg.id, message: '核对' } });
      // Review items and a register row, so the review reads find rows.
      await store.importRegister('hukou', [{ kind: 'hukou', key: shared, districtCode: code, citizenId: shared, name: '某', sex: 1, birth: '1960-05' }], randomUUID(), null, '2020-11-20T00:00:00.000Z');
      await store.insertReviewItems(
        CODES.slice(0, 3).map((c, i) => ({
          key: `k${i}`,
          item: { id: randomUUID(), districtCode: c, category: 'hukouMissing', origin: 'compare', message: 'x', status: 'draft', createdBy: 'u-admin', createdAt: '2020-11-20T00:00:00.000Z', version: 1 },
        })),
      );
      // The office's desk (issue 14): a frozen day.
      await store.office.freezeDay('2020-11-02', { late: false, at: '2020-11-02T16:00:00.000Z' });
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await cleanup();
    });

    const requests: [string, string, string, unknown?][] = [
      ['e0', 'GET', '/api/v1/sync/pull'],
      ['e0', 'POST', '/api/v1/sync/push', 'push'],
      ['e0', 'GET', `/api/v1/export?format=csv&district=${CODES[0] ?? ''}`],
      ['e0', 'GET', '/api/v1/queries'],
      ['sup0', 'GET', '/api/v1/supervision/status'],
      ['sup0', 'GET', '/api/v1/progress'],
      ['sup0', 'GET', `/api/v1/progress?area=${CODES[0] ?? ''}`],
      ['sup0', 'GET', '/api/v1/queries?status=open'],
      ['sup0', 'GET', '/api/v1/supervision/conflicts'],
      ['sup0', 'GET', '/api/v1/supervision/rejected'],
      ['sup0', 'GET', '/api/v1/supervision/duplicates'],
      ['office', 'GET', '/api/v1/supervision/duplicates'],
      ['admin', 'GET', '/api/v1/supervision/duplicates?after=0&limit=5'],
      ['sup0', 'GET', '/api/v1/sync/pull'],
      ['office', 'GET', '/api/v1/progress'],
      ['office', 'GET', `/api/v1/progress?area=${(CODES[0] ?? '').slice(0, 12)}`],
      ['office', 'GET', `/api/v1/export?format=json&district=${CODES[0] ?? ''}`],
      ['admin', 'GET', '/api/v1/progress?area=13'],
      // Comparison review (issue 12): the office's reads and release are scoped by district code.
      ['office', 'GET', '/api/v1/queries?category=hukouMissing&status=draft'],
      ['office', 'GET', '/api/v1/registers'],
      ['office', 'GET', '/api/v1/review/stats'],
      ['sup0', 'GET', '/api/v1/review/stats'],
      ['office', 'POST', '/api/v1/review/release', { category: 'hukouMissing' }],
      // The office's desk (issue 14): the node's and its children's daily rows, the signals, the bounded lists.
      ['office', 'GET', '/api/v1/reports/daily?from=2020-11-01&to=2020-11-30'],
      ['office', 'GET', '/api/v1/reports/daily?from=2020-11-01&to=2020-11-30&format=csv'],
      ['sup0', 'GET', '/api/v1/reports/daily?from=2020-11-01&to=2020-11-30'],
      ['office', 'GET', '/api/v1/quality'],
      ['office', 'GET', '/api/v1/quality/enumerators'],
      ['office', 'GET', '/api/v1/quality/households?signal=familySize'],
      ['office', 'GET', '/api/v1/quality/households?signal=birthsPer1000'],
      ['office', 'GET', '/api/v1/quality/households?signal=rule:LISTING_COUNT&enumerator=e0'],
      ['office', 'GET', '/api/v1/quality/households?signal=perEnumeratorDay&enumerator=e0&day=2020-11-02'],
      ['office', 'GET', `/api/v1/registrations/${REG_ID}`],
      ['office', 'GET', `/api/v1/acceptance/${CODES[0] ?? ''}`],
      ['office', 'GET', '/api/v1/acceptance?state=open'],
      ['office', 'GET', '/api/v1/acceptance?state=returned'],
    ];
    /**
     * Paged lists whose page must cost its rows: their ORDER BY follows an index, no sort of
     * everything in scope (one enumerator's registrations, found by their own index, may be sorted).
     */
    const unsorted = (url: string) => url.includes('/quality/households') && !url.includes('enumerator=');
    it.each(requests)('[QP1] %s %s %s: every statement uses an index', async (user, method, url, body) => {
      rec.seen.length = 0;
      rec.recording = true;
      const payload = body === 'push' ? { deviceId: 'dev-e0', mutations: [householdMutation(registration(CODES[0] ?? '')), practice('2020-11-02T10:00:00.000Z')] } : (body as Record<string, unknown> | undefined);
      const r = await app.inject({ method: method === 'POST' ? 'POST' : 'GET', url, headers: { authorization: `Bearer ${tokens[user] ?? ''}` }, ...(payload ? { payload } : {}) });
      rec.recording = false;
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      expect(rec.seen.length).toBeGreaterThan(0);
      const bad: string[] = [];
      for (const s of rec.seen) {
        if (!/^\s*(SELECT|UPDATE|DELETE|WITH)/i.test(s.sql)) continue;
        for (const line of await explain(rec, s)) {
          const m = kind === 'sqlite' ? /^SCAN (\w+)/.exec(line) : /Seq Scan on (\w+)/.exec(line);
          if (m?.[1] && BIG.includes(m[1])) bad.push(`${line}\n    in: ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
          const sorts = kind === 'sqlite' ? /TEMP B-TREE FOR ORDER BY/.test(line) : /^\s*(->\s*)?(Incremental )?Sort\b/.test(line);
          if (unsorted(url) && /ORDER BY/i.test(s.sql) && sorts) bad.push(`a sort of the scope: ${line}\n    in: ${s.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
        }
      }
      expect(bad).toEqual([]);
    });
  });
}

plansFor(
  'sqlite',
  async (rec) => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-plans-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'), { wrap: rec.wrap });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async (rec, s) => {
    const rows = (await rec.raw?.all(`EXPLAIN QUERY PLAN ${s.sql}`, s.params)) ?? [];
    return rows.map((r) => String(r.detail));
  },
);

const pgUp = await pgAvailableOrSkip();
if (pgUp) {
  plansFor(
    'postgres',
    async (rec) => {
      const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const store = await openPostgresStore(PG_URL, { schema, wrap: rec.wrap });
      return {
        store,
        cleanup: async () => {
          await store.close();
          const c = new pg.Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
    async (rec, s) => {
      const raw = rec.raw;
      if (!raw) return [];
      return raw.tx(async (q) => {
        await q.run('SET LOCAL enable_seqscan = off');
        const rows = await q.all(`EXPLAIN ${s.sql}`, s.params);
        return rows.map((r) => String(r['QUERY PLAN']));
      });
    },
  );
}
