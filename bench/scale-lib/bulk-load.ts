// Bulk load of the province store for bench/scale.ts: the schema comes from the store itself
// (openSqliteStore / openPostgresStore run the migrations, then the store is closed), the rows
// go straight into the tables with multi-row INSERTs in big transactions on the loader's own
// connection, then `rebuildProgress` recounts the rollup rows and server_seq is set. The state
// modelled is a province in mid-census, as the real paths would have left it:
//   1. listing import (importListing with new districts): a districts row per district (named
//      "province city county township area district", six words, so the progress rows get
//      their names) and its listing entries (version 1, one seq each);
//   2. users import (importUsers): every account with password_hash '' and a SHA-256 activation
//      hash of a random code (what importUsers writes; a handful of bench callers instead get a
//      real scrypt hash, cheap parameters, and no pending activation, as after /auth/activate),
//      district_enumerators (one enumerator per district), scope_events 'add' for the enumerator
//      and for its supervisor (one seq for the whole import, as writeBulkAssignments), and the
//      districts bumped to version 2 with fresh seqs;
//   3. each enumerator signed in once on one phone (a sessions row and a devices row) and pushed
//      each of its households once as a new household (push path: a mutations row 'applied',
//      a revisions row with the data, a registrations row version 1 whose counted columns
//      (form, status, persons, errors, warnings, births, deaths) are computed as push-prepare
//      does: validateRegistration + unconfirmedWarnings + birthsDeaths, once per template);
//   4. progress: rebuildProgress, the same recount the migration and `rebuild-progress` use,
//      whose result equals the maintained counters (tests/… compare the two), in one transaction.
// Sequence numbers follow that order, so server_seq = the last one handed out. Nothing else
// (queries, quarantine, conflicts, grace) exists yet, as in a census without review so far.
import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { newActivationCode } from '../../src/server/activation.ts';
import { hashToken } from '../../src/server/auth.ts';
import type { Row, SqlExec } from '../../src/server/store/sql-driver.ts';
import { rebuildProgress } from '../../src/server/store/sql-progress.ts';
import { PER, areaGroups, code, deviceOf, districtName, enumId, fill, householdNo, householdsBefore, householdsOf, listingId, place, regId, supId, templateOf, users, type Template } from './layout.ts';

export interface Sink {
  insert(table: string, cols: readonly string[], rows: unknown[][]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  exec: SqlExec;
}

export function sqliteSink(path: string): Sink & { close(): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // The load itself need not survive a power cut; the server reopens with synchronous=FULL.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const stmts = new Map<string, Database.Statement>();
  const stmt = (table: string, cols: readonly string[], n: number) => {
    const k = `${table}|${n}`;
    let s = stmts.get(k);
    if (!s) {
      const one = `(${cols.map(() => '?').join(', ')})`;
      s = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array.from({ length: n }, () => one).join(', ')}`);
      stmts.set(k, s);
    }
    return s;
  };
  return {
    insert: (table, cols, rows) => {
      const per = Math.min(500, Math.floor(30000 / cols.length));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        stmt(table, cols, chunk.length).run(...(chunk.flat() as (string | number | null)[]));
      }
      return Promise.resolve();
    },
    begin: () => (db.exec('BEGIN'), Promise.resolve()),
    commit: () => (db.exec('COMMIT'), Promise.resolve()),
    exec: {
      all: (sql, params = []) => Promise.resolve(db.prepare(sql).all(...(params as (string | number | null)[])) as Row[]),
      run: (sql, params = []) => Promise.resolve(db.prepare(sql).run(...(params as (string | number | null)[])).changes),
      lockKeys: () => Promise.resolve(),
    },
    close: () => db.close(),
  };
}

const numbered = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

export async function pgSink(url: string, schema: string): Promise<Sink & { close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema} -c synchronous_commit=off` });
  await client.connect();
  return {
    insert: async (table, cols, rows) => {
      const per = Math.min(1000, Math.floor(60000 / cols.length));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        let n = 0;
        const values = chunk.map(() => `(${cols.map(() => `$${++n}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values}`, chunk.flat());
      }
    },
    begin: async () => void (await client.query('BEGIN')),
    commit: async () => void (await client.query('COMMIT')),
    exec: {
      all: async (sql, ps = []) => (await client.query<Row>(numbered(sql), [...ps])).rows,
      run: async (sql, ps = []) => (await client.query(numbered(sql), [...ps])).rowCount ?? 0,
      lockKeys: () => Promise.resolve(),
    },
    close: () => client.end(),
  };
}

const USER_COLS = ['id', 'username', 'name', 'role', 'password_hash', 'supervisor_id', 'disabled', 'created_at', 'scope', 'activation_hash', 'activation_expires_at'];
const REG_COLS = ['id', 'district_code', 'listing_id', 'household_no', 'form', 'status', 'version', 'persons', 'errors', 'warnings', 'births', 'deaths', 'data', 'seq', 'updated_at'];
const REV_COLS = ['mutation_id', 'entity', 'entity_id', 'district_code', 'version', 'base_version', 'status', 'data', 'user_id', 'device_id', 'received_at'];
const MUT_COLS = ['id', 'user_id', 'device_id', 'entity', 'entity_id', 'base_version', 'device_seq', 'status', 'version', 'error', 'created_at', 'received_at', 'note'];
const LIST_COLS = ['id', 'district_code', 'household_no', 'visit_status', 'version', 'data', 'seq'];
const DEV_COLS = ['id', 'user_id', 'last_seen_at', 'last_push_at', 'pending', 'app_version', 'storage_usage', 'storage_quota', 'persisted', 'clock', 'device_seq'];

export interface LoadStats {
  users: number;
  districts: number;
  listing: number;
  registrations: number;
  seconds: number;
  progressRows: number;
}

/** Loads the province into an empty, migrated store reachable through `sink`. */
export async function loadProvince(sink: Sink, districts: number, templates: readonly Template[], benchHashes: ReadonlyMap<string, string>, log: (s: string) => void): Promise<LoadStats> {
  const t0 = performance.now();
  const at = '2020-11-05T08:00:00.000Z';
  const expires = '2099-01-01T00:00:00.000Z';
  const H = householdsBefore(districts);
  const eventSeq = H + 1;
  const districtSeq = (i: number) => H + 2 + i;
  const regSeqBase = H + 2 + districts;

  // users, in chunks, supervisors before their enumerators (foreign key)
  let nUsers = 0;
  let batch: unknown[][] = [];
  await sink.begin();
  for (const u of users(districts)) {
    const hash = benchHashes.get(u.username);
    batch.push([u.id, u.username, u.name, u.role, hash ?? '', u.supervisorId ?? null, 0, at, u.scope ?? null, hash ? null : newActivationCode().hash, hash ? null : expires]);
    nUsers++;
    if (batch.length >= 20_000) {
      await sink.insert('users', USER_COLS, batch);
      batch = [];
    }
  }
  await sink.insert('users', USER_COLS, batch);
  await sink.commit();
  log(`  users: ${nUsers} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const CHUNK = 6000;
  let regs = 0;
  for (let from = 0; from < districts; from += CHUNK) {
    const to = Math.min(districts, from + CHUNK);
    const rows: Record<string, unknown[][]> = { districts: [], district_enumerators: [], listing: [], registrations: [], revisions: [], mutations: [], scope_events: [], devices: [], sessions: [] };
    const push = (t: string, r: unknown[]) => (rows[t] as unknown[][]).push(r);
    for (let i = from; i < to; i++) {
      const c = code(i);
      const p = place(i);
      const inArea = i - p.areaIndex * PER.area;
      const groups = areaGroups(p.areaIndex, Math.min(PER.area, districts - p.areaIndex * PER.area));
      let g = 0;
      for (let acc = groups[0] ?? 0; inArea >= acc; acc += groups[++g] ?? 0);
      const e = enumId(i);
      const dev = deviceOf(i);
      push('districts', [c, districtName(i), ['111', '112', '121', '220'][i % 4], 2, districtSeq(i)]);
      push('district_enumerators', [c, e]);
      push('scope_events', [eventSeq, e, c, 'add', at]);
      push('scope_events', [eventSeq, supId(p.areaIndex, g), c, 'add', at]);
      push('sessions', [hashToken(randomBytes(32).toString('base64url')), e, dev, at, '2020-12-05T08:00:00.000Z', null]);
      const n = householdsOf(i);
      // a few phones still have a queue (the devices_queued index is partial)
      push('devices', [dev, e, at, at, i % 97 === 0 ? 2 : 0, '1.0.0', 2.5e7, 1e9, 1, at, n]);
      const before = householdsBefore(i);
      for (let k = 0; k < n; k++) {
        const t = templateOf(templates, i, k);
        const no = householdNo(k);
        const id = regId(c, no);
        const data = fill(t.regParts, c, no);
        const mid = randomUUID();
        push('listing', [listingId(c, no), c, no, 'registered', 1, fill(t.listParts, c, no), 1 + before + k]);
        push('registrations', [id, c, listingId(c, no), no, t.form, t.status, 1, t.persons, t.errors, t.warnings, t.births, t.deaths, data, regSeqBase + before + k, at]);
        push('revisions', [mid, 'household', id, c, 1, 0, 'applied', data, e, dev, at]);
        push('mutations', [mid, e, dev, 'household', id, 0, k + 1, 'applied', 1, null, at, at, null]);
        regs++;
      }
    }
    await sink.begin();
    await sink.insert('districts', ['code', 'name', 'urban_rural', 'version', 'seq'], rows.districts ?? []);
    await sink.insert('district_enumerators', ['district_code', 'user_id'], rows.district_enumerators ?? []);
    await sink.insert('scope_events', ['seq', 'user_id', 'district_code', 'kind', 'at'], rows.scope_events ?? []);
    await sink.insert('sessions', ['token_hash', 'user_id', 'device_id', 'created_at', 'expires_at', 'revoked_at'], rows.sessions ?? []);
    await sink.insert('devices', DEV_COLS, rows.devices ?? []);
    await sink.insert('listing', LIST_COLS, rows.listing ?? []);
    await sink.insert('registrations', REG_COLS, rows.registrations ?? []);
    await sink.insert('revisions', REV_COLS, rows.revisions ?? []);
    await sink.insert('mutations', MUT_COLS, rows.mutations ?? []);
    await sink.commit();
    if ((from / CHUNK) % 10 === 0) log(`  districts ${to} / ${districts}, ${regs} registrations, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await sink.begin();
  const progressRows = await rebuildProgress(sink.exec);
  await sink.exec.run('UPDATE server_seq SET value = ? WHERE id = 1', [regSeqBase + H - 1]);
  await sink.commit();
  log(`  progress rebuilt (${progressRows} rows), ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { users: nUsers, districts, listing: H, registrations: regs, seconds: (performance.now() - t0) / 1000, progressRows };
}
