// Store-based timing of the comparison review (issue 12) for bench/review.ts: the generated
// county is bulk-loaded into a fresh, migrated SQLite file or PostgreSQL schema (the same
// sinks as the scale bench, bench/scale-lib/bulk-load.ts), then `runCompare` is timed end to
// end (read every registration and the area's register records, compare, insert the drafts),
// and once more to show the re-run is idempotent. The rows written are what the real paths
// leave as far as the comparison reads them:
//   - districts: one row per district code a household or record names (foreign keys of
//     listing, registrations, register_records and queries);
//   - listing: one entry per household, `data.address` (compareHouseholdsPage reads the address
//     from the listing, not the registration);
//   - registrations: version 1, `data` with persons / deaths / overrides under the field names
//     compareHouseholdsPage reads (id, name, citizenId, sex, birth, relationship; death);
//   - register_records + register_imports: exactly the columns importRegister writes.
// Not written, because runCompare never reads them: users, revisions, mutations, citizen_ids
// and the progress rollup (drafts do not count in progress).
// Not a benchmark by itself: `npm run bench review` also runs this file, which only exports.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { runCompare } from '../src/server/review-service.ts';
import type { CompareHousehold, RegisterRecord, ReviewCandidate } from '../src/server/review-types.ts';
import { openPostgresStore } from '../src/server/store/postgres.ts';
import type { Scope } from '../src/server/store/scope.ts';
import { openSqliteStore } from '../src/server/store/sqlite.ts';
import type { Store, StoreKind } from '../src/server/store/store.ts';
import { pgSink, sqliteSink, type Sink } from './scale-lib/bulk-load.ts';
import type { ReviewCounty } from './review-data.ts';

export const REVIEW_PG_URL = process.env.PUCHA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreCompareTiming {
  kind: StoreKind;
  loadMs: number;
  compareMs: number;
  rerunMs: number;
  /** The first run: created and already existing (0 in a fresh store). */
  created: number;
  existing: number;
  /** The second run: created must be 0, existing = the first run's created. */
  rerunCreated: number;
  rerunExisting: number;
  outsideScope: number;
  households: number;
  records: number;
  /** Whether the drafts created equal the in-memory comparison (count and per category). */
  matches: boolean;
}

const adminScope: Scope = { kind: 'all' };
const AT = '2020-11-20T08:00:00.000Z';

/** Whether PostgreSQL answers at `url` (a short connect, nothing else). */
export async function pgReachable(url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    await c.end().catch(() => undefined);
  }
}

const REG_COLS = ['id', 'district_code', 'listing_id', 'household_no', 'form', 'status', 'version', 'persons', 'errors', 'warnings', 'births', 'deaths', 'data', 'seq', 'updated_at'];
const LIST_COLS = ['id', 'district_code', 'household_no', 'visit_status', 'version', 'data', 'seq'];
const RECORD_COLS = ['kind', 'record_key', 'district_code', 'citizen_id', 'data', 'import_id', 'imported_at'];

/** The registration document as the push path stores it, restricted to what the comparison reads. */
function registrationData(h: CompareHousehold): string {
  return JSON.stringify({
    districtCode: h.districtCode,
    householdNo: h.householdNo,
    persons: h.persons.map((p) => ({ id: p.personId, name: p.name, citizenId: p.citizenId, sex: p.sex, birth: p.birth, relationship: p.relationship })),
    deaths: h.deaths.map((d) => ({ id: d.deathId, name: d.name, citizenId: d.citizenId, sex: d.sex, birth: d.birth, death: d.death })),
    overrides: h.overrides,
  });
}

/** What importRegister stores in `data`: the record without kind and key (those are columns). */
function recordData(r: RegisterRecord): string {
  const { kind: _kind, key: _key, ...rest } = r;
  return JSON.stringify(rest);
}

/** Loads the county into the empty, migrated store behind `sink`, in transactions of CHUNK rows. */
async function loadCounty(sink: Sink, county: ReviewCounty, log: (s: string) => void): Promise<void> {
  const CHUNK = 20_000;
  const codes = new Set<string>();
  for (const h of county.households) codes.add(h.districtCode);
  for (const r of county.records) codes.add(r.districtCode);
  let seq = 0;
  await sink.begin();
  await sink.insert('districts', ['code', 'name', 'urban_rural', 'version', 'seq'], [...codes].sort().map((c) => [c, `普查区 ${c}`, '111', 1, ++seq]));
  await sink.commit();

  for (let i = 0; i < county.households.length; i += CHUNK) {
    const part = county.households.slice(i, i + CHUNK);
    const listing: unknown[][] = [];
    const regs: unknown[][] = [];
    for (const h of part) {
      const listingId = `l-${h.registrationId}`;
      listing.push([listingId, h.districtCode, h.householdNo, 'registered', 1, JSON.stringify({ id: listingId, districtCode: h.districtCode, householdNo: h.householdNo, address: h.address ?? '' }), ++seq]);
      regs.push([h.registrationId, h.districtCode, listingId, h.householdNo, 'short', h.status, 1, h.persons.length, 0, 0, 0, h.deaths.length, registrationData(h), ++seq, AT]);
    }
    await sink.begin();
    await sink.insert('listing', LIST_COLS, listing);
    await sink.insert('registrations', REG_COLS, regs);
    await sink.commit();
  }
  log(`    ${county.households.length} registrations loaded`);

  const counts = { hukou: 0, births: 0, deaths: 0 };
  const importIds = { hukou: randomUUID(), births: randomUUID(), deaths: randomUUID() };
  for (let i = 0; i < county.records.length; i += CHUNK) {
    const rows = county.records.slice(i, i + CHUNK).map((r) => {
      counts[r.kind]++;
      return [r.kind, r.key, r.districtCode, r.citizenId ?? null, recordData(r), importIds[r.kind], AT];
    });
    await sink.begin();
    await sink.insert('register_records', RECORD_COLS, rows);
    await sink.commit();
  }
  await sink.begin();
  const imports = (['hukou', 'births', 'deaths'] as const).map((k) => [importIds[k], k, counts[k], counts[k], 0, 0, null, AT]);
  await sink.insert('register_imports', ['id', 'kind', 'rows', 'inserted', 'updated', 'unchanged', 'user_id', 'at'], imports);
  await sink.exec.run('UPDATE server_seq SET value = ? WHERE id = 1', [seq]);
  await sink.commit();
  log(`    ${county.records.length} register records loaded`);
}

/** What runCompare must insert: the in-memory candidates inside the area (the scope is all), one per key. */
function expectedDrafts(county: ReviewCounty, inMemory: readonly ReviewCandidate[]): { total: number; byCategory: Record<string, number> } {
  const seen = new Set<string>();
  const byCategory: Record<string, number> = {};
  for (const c of inMemory) {
    if (!c.districtCode.startsWith(county.area) || seen.has(c.key)) continue;
    seen.add(c.key);
    byCategory[c.category] = (byCategory[c.category] ?? 0) + 1;
  }
  return { total: seen.size, byCategory };
}

const sameCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

/**
 * Creates a fresh store of `kind`, loads the county, times runCompare twice and removes the
 * store (SQLite temp directory, PostgreSQL schema) whatever happens. A mismatch with the
 * in-memory comparison is printed and sets process.exitCode = 1.
 */
export async function timeStoreCompare(kind: StoreKind, county: ReviewCounty, inMemory: readonly ReviewCandidate[], log: (s: string) => void, pgUrl = REVIEW_PG_URL): Promise<StoreCompareTiming> {
  const dir = kind === 'sqlite' ? mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'review-bench-')) : undefined;
  const path = dir === undefined ? '' : join(dir, 'review.sqlite');
  const schema = `bench_review_${process.pid}`;
  const open = (): Promise<Store> => (kind === 'sqlite' ? openSqliteStore(path) : openPostgresStore(pgUrl, { schema }));
  try {
    await (await open()).close(); // the schema, by the store's own migrations
    const t0 = performance.now();
    if (kind === 'sqlite') {
      const sink = sqliteSink(path);
      try {
        await loadCounty(sink, county, log);
      } finally {
        sink.close();
      }
    } else {
      const sink = await pgSink(pgUrl, schema);
      try {
        await loadCounty(sink, county, log);
        // What autovacuum's analyze does shortly after a bulk write; the planner needs the statistics.
        for (const t of ['districts', 'listing', 'registrations', 'register_records', 'queries']) await sink.exec.run(`ANALYZE ${t}`);
      } finally {
        await sink.close();
      }
    }
    const loadMs = performance.now() - t0;

    const store = await open();
    try {
      const t1 = performance.now();
      const first = await runCompare(store, adminScope, county.area, county.rules, 'bench', new Date());
      const compareMs = performance.now() - t1;
      log(`    runCompare: ${first.households} households, ${first.records} records read, ${first.created} created in ${(compareMs / 1000).toFixed(1)} s`);
      const t2 = performance.now();
      const second = await runCompare(store, adminScope, county.area, county.rules, 'bench', new Date());
      const rerunMs = performance.now() - t2;

      const want = expectedDrafts(county, inMemory);
      const problems: string[] = [];
      if (first.created !== want.total || !sameCounts(first.byCategory, want.byCategory)) {
        problems.push(`created ${first.created} ${JSON.stringify(first.byCategory)}, in memory ${want.total} ${JSON.stringify(want.byCategory)}`);
      }
      if (second.created !== 0 || second.existing !== first.created) problems.push(`re-run created ${second.created}, existing ${second.existing} (want 0 and ${first.created})`);
      if (first.households !== county.households.length) problems.push(`read ${first.households} households of ${county.households.length}`);
      for (const p of problems) console.error(`!!! ${kind} MISMATCH: ${p}`);
      if (problems.length > 0) process.exitCode = 1;
      return {
        kind,
        loadMs,
        compareMs,
        rerunMs,
        created: first.created,
        existing: first.existing,
        rerunCreated: second.created,
        rerunExisting: second.existing,
        outsideScope: first.outsideScope,
        households: first.households,
        records: first.records,
        matches: problems.length === 0,
      };
    } finally {
      await store.close();
    }
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}
