// The Store on top of a SqlDriver: the same SQL for SQLite and PostgreSQL, so both adapters
// behave alike by construction and the contract suite checks that they do. Rows read back
// are checked column by column; JSON columns of domain records are parsed with zod where
// their shape matters (queries, districts).
import { DistrictSchema, ListingEntrySchema, RoleSchema } from '../../domain/index.ts';
import type { District, ListingEntry, MutationResult, ReviewQuery, ReviewQueryInput } from '../../domain/index.ts';
import type { PushPlanner, RegistrationWrite } from '../push-plan.ts';
import { MIGRATIONS_TABLE, migrationsFor } from './migrations.ts';
import { json, marks, num, optNum, optStr, str, type Row, type SqlDriver } from './sql-driver.ts';
import { PushGroups } from './group-commit.ts';
import { findSelfCode, issueOfficeCodes, selfCodesOf, selfSubmit, type SelfCodeRow, type SelfFound, type SelfOutcome, type SelfPlan } from './sql-self.ts';
import { randomBytes } from 'node:crypto';
import { limitAdmit, limitHit, limitPrune, limitSettle } from './sql-limits.ts';
import { REG_COLS, insertRows, nextSeq, pullRows, replaceNotPushed } from './sql-push.ts';
import { districtStatus, enumeratorStatus, listConflicts, listQuarantine } from './sql-status.ts';
import { backfillCitizenIds, duplicateConsistency, indexCitizenIds, listDuplicates } from './sql-duplicates.ts';
import { SqlOffice } from './sql-office.ts';
import { ProgressDelta, REG_COUNTED_SELECT, applyProgress, backfillBirthsDeaths, backfillQuality, backfillSelfFlags, computeEnumeratorDays, computeMaxPerDay, computeProgress, maintainedEnumeratorDays, countedFromRow, countedOf, rebuildProgress, regExtraValues, toProgressRow } from './sql-progress.ts';
import { graceDistrictsOf, importUsers, reassignDistrict, scopeHead, setDistrictEnumerators } from './sql-users.ts';
import { childLength, prefixCovers, scopeSql, type Scope } from './scope.ts';
import { compareHouseholdsPage, createQuery, dismissItem, importRegister, insertReviewItems, listItems, registerCounts, registerRecordsPage, releaseItems, reviewStats, toQuery, type ListItemsFilter, type RecordKey, type ReleaseFilter } from './sql-review.ts';
import type { RegisterKind, RegisterRecord } from '../review-types.ts';
import type {
  ChangeRow,
  CreateUserResult,
  DelaySteps,
  DeviceRow,
  Durability,
  ExportKey,
  ImportListingResult,
  ImportUsersResult,
  NewUser,
  ProgressNode,
  PushBatch,
  ScopeEvent,
  Session,
  Store,
  StoredRegistration,
  StoredUser,
  UserImportFailure,
  UserImportOptions,
  UserImportRow,
} from './store.ts';

const TABLES = [
  'users',
  'sessions',
  'districts',
  'district_enumerators',
  'listing',
  'registrations',
  'revisions',
  'mutations',
  'quarantine',
  'devices',
  'queries',
  'progress',
  'scope_events',
  'district_grace',
  'citizen_ids',
  'citizen_id_counts',
  'practice_summaries',
  'register_records',
  'register_imports',
  'review_runs',
] as const;

/** A pull touches the device row only when its last-seen time is older than this (no write per pull). */
const SEEN_GRANULARITY_MS = 10 * 60_000;

function toUser(r: Row): StoredUser {
  const supervisorId = optStr(r, 'supervisor_id');
  const scope = optStr(r, 'scope');
  const activationHash = optStr(r, 'activation_hash');
  const activationExpiresAt = optStr(r, 'activation_expires_at');
  return {
    id: str(r, 'id'),
    username: str(r, 'username'),
    name: str(r, 'name'),
    role: RoleSchema.parse(r.role),
    passwordHash: str(r, 'password_hash'),
    ...(supervisorId !== undefined ? { supervisorId } : {}),
    ...(scope !== undefined ? { scope } : {}),
    disabled: num(r, 'disabled') !== 0,
    activationPending: activationHash !== undefined,
    ...(activationHash !== undefined ? { activationHash } : {}),
    ...(activationExpiresAt !== undefined ? { activationExpiresAt } : {}),
  };
}

const USER_COLS = 'id, username, name, role, password_hash, supervisor_id, scope, disabled, activation_hash, activation_expires_at';

function progressNode(r: Row): ProgressNode {
  return toProgressRow(r);
}

export class SqlStore implements Store {
  readonly kind;
  readonly office: SqlOffice;
  private readonly groups: PushGroups;
  constructor(private readonly db: SqlDriver) {
    this.kind = db.kind;
    this.office = new SqlOffice(db);
    this.groups = new PushGroups(db);
  }

  async durability(): Promise<Durability> {
    const first = async (sql: string): Promise<Row> => (await this.db.all(sql))[0] ?? {};
    if (this.db.kind === 'sqlite') {
      // PRAGMA synchronous is per connection: read it on the one the store writes with.
      const journal = optStr(await first('PRAGMA journal_mode'), 'journal_mode') ?? '';
      const sync = optNum(await first('PRAGMA synchronous'), 'synchronous') ?? -1;
      const fk = optNum(await first('PRAGMA foreign_keys'), 'foreign_keys') ?? 0;
      const settings = { journal_mode: journal, synchronous: ['off', 'normal', 'full', 'extra'][sync] ?? String(sync), foreign_keys: fk ? 'on' : 'off' };
      return { durableCommits: journal === 'wal' && sync >= 2, settings };
    }
    const value = optStr(await first('SHOW synchronous_commit'), 'synchronous_commit') ?? '';
    return { durableCommits: ['on', 'remote_apply', 'remote_write'].includes(value), settings: { synchronous_commit: value } };
  }

  /** Applies the pending migrations under one lock (safe from several places at once); returns the versions it applied. */
  async migrate(): Promise<number[]> {
    return this.db.tx(async (q) => {
      await q.lockKeys(['schema_migrations']);
      const applied: number[] = [];
      let recount = false;
      await q.run(MIGRATIONS_TABLE);
      const done = new Set((await q.all('SELECT version FROM schema_migrations')).map((r) => num(r, 'version')));
      for (const m of migrationsFor(this.db.kind)) {
        if (done.has(m.version)) continue;
        for (const s of m.statements) await q.run(s);
        // Counters of what the store already holds, so they start consistent with it: recounted
        // once after the last migration (a recount reads every counter column, so it needs them all).
        if (m.version === 2) {
          await backfillBirthsDeaths(q);
          recount = true;
        }
        if (m.version === 4) await backfillCitizenIds(q);
        if (m.version === 7) {
          await backfillSelfFlags(q);
          recount = true;
        }
        if (m.version === 8) {
          await backfillQuality(q);
          recount = true;
        }
        await q.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [m.version, new Date().toISOString()]);
        applied.push(m.version);
      }
      if (recount) await rebuildProgress(q);
      return applied;
    });
  }

  async backupTo(path: string): Promise<void> {
    // A consistent copy from one read transaction; writers go on meanwhile (WAL).
    if (this.db.kind !== 'sqlite') throw new Error('a PostgreSQL store is backed up with pg_dump or base backups with WAL archiving (README)');
    await this.db.run('VACUUM INTO ?', [path]);
  }

  async schemaVersion(): Promise<{ current: number; latest: number }> {
    const latest = Math.max(...migrationsFor(this.db.kind).map((m) => m.version));
    const exists =
      this.db.kind === 'sqlite'
        ? (await this.db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")).length > 0
        : (await this.db.all("SELECT to_regclass('schema_migrations') IS NOT NULL AS present"))[0]?.present === true;
    if (!exists) return { current: 0, latest };
    return { current: optNum((await this.db.all('SELECT max(version) AS v FROM schema_migrations'))[0] ?? {}, 'v') ?? 0, latest };
  }

  close() {
    return this.db.close();
  }

  async ping(): Promise<void> {
    await this.db.all('SELECT 1');
  }

  onGroupCommit(listener: (pushes: number) => void): () => void {
    return this.groups.onCommit(listener);
  }

  createUser(u: NewUser): Promise<CreateUserResult> {
    return this.db.tx(async (q): Promise<CreateUserResult> => {
      await q.lockKeys([`user:${u.username}`]);
      if ((await q.all('SELECT id FROM users WHERE username = ?', [u.username])).length > 0) return { ok: false, reason: 'username_taken' };
      if (u.supervisorId !== undefined && (await q.all('SELECT id FROM users WHERE id = ?', [u.supervisorId])).length === 0) return { ok: false, reason: 'unknown_supervisor' };
      await q.run('INSERT INTO users (id, username, name, role, password_hash, supervisor_id, scope, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)', [
        u.id,
        u.username,
        u.name,
        u.role,
        u.passwordHash,
        u.supervisorId ?? null,
        u.scope ?? null,
        new Date().toISOString(),
      ]);
      return { ok: true, user: { ...u, disabled: false, activationPending: false } };
    });
  }
  async findUserByUsername(username: string) {
    const r = (await this.db.all(`SELECT ${USER_COLS} FROM users WHERE username = ?`, [username]))[0];
    return r ? toUser(r) : undefined;
  }
  async getUser(id: string) {
    const r = (await this.db.all(`SELECT ${USER_COLS} FROM users WHERE id = ?`, [id]))[0];
    return r ? toUser(r) : undefined;
  }
  async hasUsers() {
    return (await this.db.all('SELECT id FROM users LIMIT 1')).length > 0;
  }
  async districtsOf(user: StoredUser): Promise<string[]> {
    if (user.role !== 'enumerator' && user.role !== 'supervisor') return [];
    const rows =
      user.role === 'enumerator'
        ? await this.db.all('SELECT district_code AS c FROM district_enumerators WHERE user_id = ? ORDER BY district_code', [user.id])
        : await this.db.all(
            'SELECT DISTINCT de.district_code AS c FROM district_enumerators de JOIN users u ON u.id = de.user_id WHERE u.supervisor_id = ? ORDER BY de.district_code',
            [user.id],
          );
    return rows.map((r) => str(r, 'c'));
  }
  async districtInScope(scope: Scope, code: string): Promise<boolean> {
    const quick = prefixCovers(scope, code);
    if (quick === false) return false;
    const w = scopeSql(scope, 'code');
    return (await this.db.all(`SELECT code FROM districts WHERE code = ? AND ${w.sql}`, [code, ...w.params])).length > 0;
  }
  async enumeratorsOfSupervisor(supervisorId: string): Promise<string[]> {
    return (await this.db.all("SELECT id FROM users WHERE supervisor_id = ? AND role = 'enumerator' ORDER BY username", [supervisorId])).map((r) => str(r, 'id'));
  }
  async createSession(s: Session) {
    await this.db.run('INSERT INTO sessions (token_hash, user_id, device_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)', [
      s.tokenHash,
      s.userId,
      s.deviceId,
      s.createdAt,
      s.expiresAt,
    ]);
  }
  async findSession(tokenHash: string): Promise<Session | undefined> {
    const r = (await this.db.all('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash]))[0];
    if (!r) return undefined;
    const revokedAt = optStr(r, 'revoked_at');
    return {
      tokenHash: str(r, 'token_hash'),
      userId: str(r, 'user_id'),
      deviceId: str(r, 'device_id'),
      createdAt: str(r, 'created_at'),
      expiresAt: str(r, 'expires_at'),
      ...(revokedAt !== undefined ? { revokedAt } : {}),
    };
  }
  async revokeSession(tokenHash: string, at: string) {
    await this.db.run('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [at, tokenHash]);
  }
  revokeSessions(userId: string, deviceId: string | undefined, at: string): Promise<number> {
    return deviceId === undefined
      ? this.db.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId])
      : this.db.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL', [at, userId, deviceId]);
  }
  setUserDisabled(userId: string, disabled: boolean, at: string): Promise<void> {
    return this.db.tx(async (q) => {
      await q.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, userId]);
      if (disabled) await q.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId]);
    });
  }
  setActivation(userId: string, codeHash: string, expiresAt: string, at: string): Promise<void> {
    return this.db.tx(async (q) => {
      await q.run("UPDATE users SET password_hash = '', activation_hash = ?, activation_expires_at = ? WHERE id = ?", [codeHash, expiresAt, userId]);
      await q.run('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [at, userId]);
    });
  }
  activate(username: string, codeHash: string, passwordHash: string, now: string): Promise<StoredUser | undefined> {
    return this.db.tx(async (q) => {
      await q.lockKeys([`user:${username}`]);
      // One statement decides: the code must match, be unused and unexpired; it is cleared as the password is set.
      const changed = await q.run(
        'UPDATE users SET password_hash = ?, activation_hash = NULL, activation_expires_at = NULL WHERE username = ? AND activation_hash = ? AND activation_expires_at > ? AND disabled = 0',
        [passwordHash, username, codeHash, now],
      );
      if (changed !== 1) return undefined;
      const r = (await q.all(`SELECT ${USER_COLS} FROM users WHERE username = ?`, [username]))[0];
      return r ? toUser(r) : undefined;
    });
  }
  importUsers(rows: readonly UserImportRow[], opts: UserImportOptions): Promise<ImportUsersResult | UserImportFailure> {
    return this.db.tx(async (q) => {
      await q.lockKeys(['users-import']);
      const r = await importUsers(q, rows, opts);
      // A refused import changes nothing: roll back whatever was written before the refusal.
      if ('ok' in r) throw new ImportRefused(r);
      return r;
    }).catch((e: unknown) => {
      if (e instanceof ImportRefused) return e.failure;
      throw e;
    });
  }
  reassignDistrict(code: string, toUserId: string, graceUntil: string, at: string) {
    return this.db.tx(async (q) => {
      await q.lockKeys([`district:${code}`]);
      return reassignDistrict(q, code, toUserId, graceUntil, at);
    });
  }
  graceDistrictsOf(userId: string, now: string) {
    return graceDistrictsOf(this.db, userId, now);
  }
  scopeHead(userId: string) {
    return scopeHead(this.db, userId);
  }
  async scopeEventsSince(userId: string, afterSeq: number): Promise<ScopeEvent[]> {
    const rows = await this.db.all('SELECT seq, district_code, kind FROM scope_events WHERE user_id = ? AND seq > ? ORDER BY seq, id LIMIT 10000', [userId, afterSeq]);
    return rows.map((r) => {
      const kind = str(r, 'kind');
      if (kind !== 'add' && kind !== 'remove' && kind !== 'scope') throw new Error('bad scope event');
      return { seq: num(r, 'seq'), districtCode: str(r, 'district_code'), kind };
    });
  }
  async secret(name: string): Promise<string> {
    // Every node inserts its candidate; the first one stored wins for all of them.
    await this.db.run('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64url')]);
    const r = (await this.db.all('SELECT value FROM server_secrets WHERE name = ?', [name]))[0];
    if (!r) throw new Error('secret missing');
    return str(r, 'value');
  }
  limitHit(key: string, now: number, windowMs: number) {
    return limitHit(this.db, key, now, windowMs);
  }
  limitAdmit(key: string, now: number, rule: DelaySteps) {
    return limitAdmit(this.db, key, now, rule);
  }
  limitSettle(key: string, now: number, rule: DelaySteps, outcome: 'failed' | 'undone' | 'reset') {
    return limitSettle(this.db, key, now, rule, outcome);
  }
  limitPrune(now: number, max: number) {
    return limitPrune(this.db, now, max);
  }

  putDistrict(d: District): Promise<void> {
    const district = DistrictSchema.parse(d);
    return this.db.tx(async (q) => {
      await q.lockKeys([`district:${district.code}`]);
      const old = (await q.all('SELECT version FROM districts WHERE code = ?', [district.code]))[0];
      const seq = await nextSeq(q, 1);
      const at = new Date().toISOString();
      if (old) {
        await q.run('UPDATE districts SET name = ?, urban_rural = ?, version = ?, seq = ? WHERE code = ?', [district.name, district.urbanRural ?? null, num(old, 'version') + 1, seq, district.code]);
      } else {
        await q.run('INSERT INTO districts (code, name, urban_rural, version, seq) VALUES (?, ?, ?, 1, ?)', [district.code, district.name, district.urbanRural ?? null, seq]);
        const delta = new ProgressDelta();
        delta.district(district.code, district.name);
        await applyProgress(q, delta);
      }
      await setDistrictEnumerators(q, district.code, [...new Set(district.enumerators)], at);
    });
  }
  async listDistricts(codes?: readonly string[]): Promise<District[]> {
    if (codes && codes.length === 0) return [];
    const where = codes ? `WHERE code IN (${marks(codes.length)})` : '';
    const rows = await this.db.all(`SELECT code, name, urban_rural FROM districts ${where} ORDER BY code`, codes ?? []);
    const members = await this.db.all(
      `SELECT district_code, user_id FROM district_enumerators ${codes ? `WHERE district_code IN (${marks(codes.length)})` : ''} ORDER BY user_id`,
      codes ?? [],
    );
    return rows.map((r) => {
      const code = str(r, 'code');
      const urbanRural = optStr(r, 'urban_rural');
      return DistrictSchema.parse({
        code,
        name: r.name,
        ...(urbanRural !== undefined ? { urbanRural } : {}),
        enumerators: members.filter((m) => m.district_code === code).map((m) => m.user_id),
      });
    });
  }

  importListing(entries: readonly ListingEntry[], newDistricts: readonly District[] = []): Promise<ImportListingResult> {
    const parsed = entries.map((e) => ListingEntrySchema.parse(e));
    const districts = newDistricts.map((d) => DistrictSchema.parse(d));
    return this.db.tx(async (q) => {
      const result: ImportListingResult = { inserted: 0, updated: 0, unchanged: 0 };
      await q.lockKeys([...districts.map((d) => `district:${d.code}`), ...parsed.map((e) => `listing:${e.id}`)]);
      const delta = new ProgressDelta();
      for (const d of districts) {
        if ((await q.all('SELECT code FROM districts WHERE code = ?', [d.code])).length > 0) continue;
        await q.run('INSERT INTO districts (code, name, urban_rural, version, seq) VALUES (?, ?, ?, 1, ?)', [d.code, d.name, d.urbanRural ?? null, await nextSeq(q, 1)]);
        delta.district(d.code, d.name);
        if (d.enumerators.length > 0) await setDistrictEnumerators(q, d.code, d.enumerators, new Date().toISOString());
      }
      const existing = new Map<string, Row>();
      for (let i = 0; i < parsed.length; i += 500) {
        const ids = parsed.slice(i, i + 500).map((e) => e.id);
        for (const r of await q.all(`SELECT id, district_code, version, data FROM listing WHERE id IN (${marks(ids.length)})`, ids)) existing.set(str(r, 'id'), r);
      }
      const writes: { entry: ListingEntry; version: number }[] = [];
      for (const e of parsed) {
        const old = existing.get(e.id);
        if (!old) {
          writes.push({ entry: e, version: 1 });
          delta.listing(e.districtCode, e.visit.status, 1);
          result.inserted++;
          continue;
        }
        if (str(old, 'district_code') !== e.districtCode) throw new Error(`listing entry ${e.id} belongs to another district`);
        // The visit outcome is the field's work: a re-import never overwrites it.
        const oldEntry = ListingEntrySchema.parse(json(old, 'data'));
        const merged = ListingEntrySchema.parse({ ...e, visit: oldEntry.visit });
        if (JSON.stringify(merged) === JSON.stringify(oldEntry)) {
          result.unchanged++;
          continue;
        }
        writes.push({ entry: merged, version: num(old, 'version') + 1 });
        result.updated++;
      }
      await applyProgress(q, delta);
      if (writes.length > 0) {
        let seq = await nextSeq(q, writes.length);
        const cols = ['id', 'district_code', 'household_no', 'visit_status', 'version', 'data', 'seq'];
        const rows = writes.map((w) => [w.entry.id, w.entry.districtCode, w.entry.householdNo, w.entry.visit.status, w.version, JSON.stringify(w.entry), seq++]);
        await insertRows(q, 'listing', cols, rows, replaceNotPushed(cols));
      }
      return result;
    });
  }

  findSelfCode(hash: string): Promise<SelfFound | undefined> {
    return findSelfCode(this.db, hash);
  }

  selfSubmit(hash: string, registrationId: string, submissionId: string, at: string, plan: (found: SelfFound | undefined) => SelfPlan): Promise<SelfOutcome> {
    return selfSubmit(this.db, hash, registrationId, submissionId, at, plan);
  }

  issueOfficeCodes(districtCode: string, codes: readonly { hash: string; listingId: string }[], at: string): Promise<{ revoked: number }> {
    return issueOfficeCodes(this.db, districtCode, codes, at);
  }

  selfCodesOf(districtCode: string): Promise<SelfCodeRow[]> {
    return selfCodesOf(this.db, districtCode);
  }

  importRegistrations(rows: readonly RegistrationWrite[], at: string): Promise<number> {
    return this.db.tx(async (q) => {
      if (rows.length === 0) return 0;
      const delta = new ProgressDelta();
      const ids = rows.map((r) => r.id);
      const priors = new Map<string, ReturnType<typeof countedFromRow>>();
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        for (const o of await q.all(`SELECT id, district_code, ${REG_COUNTED_SELECT} FROM registrations WHERE id IN (${marks(part.length)})`, part)) {
          const c = countedFromRow(o);
          priors.set(str(o, 'id'), c);
          delta.registration(str(o, 'district_code'), c, -1);
        }
      }
      // Before server_seq: the lock order of every write transaction (sql-duplicates.ts).
      await indexCitizenIds(q, rows.map((r) => ({ id: r.id, districtCode: r.districtCode, householdNo: r.householdNo, data: r.data })));
      let seq = await nextSeq(q, rows.length);
      const cols = [...REG_COLS];
      const regRows = rows.map((r) => {
        const c = countedOf(r, null, at, priors.get(r.id));
        delta.registration(r.districtCode, c, 1);
        delta.wrote(r.districtCode, at);
        return [r.id, r.districtCode, r.listingId, r.householdNo, r.form, r.status, r.version, r.persons, r.errors, r.warnings, c.births, c.deaths, c.self, c.verified, JSON.stringify(r.data), seq++, at, ...regExtraValues(c)];
      });
      await insertRows(q, 'registrations', cols, regRows, replaceNotPushed(cols));
      const revRows = rows.map((r) => ['household', r.id, r.districtCode, r.version, r.version - 1, 'applied', JSON.stringify(r.data), at]);
      await insertRows(q, 'revisions', ['entity', 'entity_id', 'district_code', 'version', 'base_version', 'status', 'data', 'received_at'], revRows);
      await applyProgress(q, delta);
      return rows.length;
    });
  }

  applyPush(batch: PushBatch, planner: PushPlanner): Promise<MutationResult[]> {
    return this.groups.apply(batch, planner);
  }

  async pull(scope: Scope, afterSeq: number, limit: number, exceptDevice?: string): Promise<{ changes: ChangeRow[]; more: boolean }> {
    const { rows, more } = await pullRows(this.db, scope, afterSeq, limit, exceptDevice);
    const dCodes = rows.filter((r) => r.entity === 'district').map((r) => r.id);
    const qIds = rows.filter((r) => r.entity === 'query').map((r) => r.id);
    const ds = new Map((dCodes.length ? await this.listDistricts(dCodes) : []).map((d) => [d.code, d]));
    const qs = new Map(qIds.length ? (await this.db.all(`SELECT * FROM queries WHERE id IN (${marks(qIds.length)})`, qIds)).map((r) => [str(r, 'id'), toQuery(r)]) : []);
    const changes = rows.map((r) => (r.entity === 'district' ? { ...r, data: ds.get(r.id) } : r.entity === 'query' ? { ...r, data: qs.get(r.id) } : r));
    return { changes, more };
  }

  async recordsIn(districts: readonly string[]): Promise<{ entity: ChangeRow['entity']; id: string; version: number }[]> {
    if (districts.length === 0) return [];
    const inList = marks(districts.length);
    const rows = await this.db.all(
      `SELECT 'district' AS entity, code AS id, version FROM districts WHERE code IN (${inList})
       UNION ALL SELECT 'listing' AS entity, id, version FROM listing WHERE district_code IN (${inList})
       UNION ALL SELECT 'household' AS entity, id, version FROM registrations WHERE district_code IN (${inList})
       UNION ALL SELECT 'query' AS entity, id, version FROM queries WHERE district_code IN (${inList}) AND seq > 0`,
      [...districts, ...districts, ...districts, ...districts],
    );
    return rows.map((r) => {
      const entity = str(r, 'entity');
      if (entity !== 'district' && entity !== 'listing' && entity !== 'household' && entity !== 'query') throw new Error('bad entity');
      const e: ChangeRow['entity'] = entity;
      return { entity: e, id: str(r, 'id'), version: num(r, 'version') };
    });
  }

  async getDevice(id: string): Promise<DeviceRow | undefined> {
    const r = (await this.db.all('SELECT * FROM devices WHERE id = ?', [id]))[0];
    return r ? deviceRow(r) : undefined;
  }
  async devicesOfUser(userId: string, limit: number): Promise<DeviceRow[]> {
    const rows = await this.db.all('SELECT * FROM devices WHERE user_id = ? ORDER BY last_seen_at DESC, id LIMIT ?', [userId, limit]);
    return rows.map(deviceRow);
  }
  async touchDevice(id: string, userId: string, at: string) {
    const r = (await this.db.all('SELECT user_id, last_seen_at FROM devices WHERE id = ?', [id]))[0];
    const seen = r ? optStr(r, 'last_seen_at') : undefined;
    // Last seen is reported to the minute, not to the request: most pulls write nothing.
    if (r && str(r, 'user_id') === userId && seen !== undefined && Date.parse(at) - Date.parse(seen) < SEEN_GRANULARITY_MS) return;
    await this.db.run('INSERT INTO devices (id, user_id, last_seen_at, device_seq) VALUES (?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, last_seen_at = excluded.last_seen_at', [
      id,
      userId,
      at,
    ]);
  }

  async devicesWithQueue(scope: Scope, groupLength: number): Promise<Map<string, number>> {
    const w = scopeSql(scope, 'de.district_code');
    // A wide scope (installation, province, city, county) starts from the partial index of devices
    // with a queue, few at any time, and looks up each one's districts; a narrow one starts from its
    // own assignments. SQLite has no statistics to choose, and keeps CROSS JOIN's order as written
    // (measured at 354,000 districts: 86 ms a province query the other way round, 22 ms this way).
    const wide = scope.kind === 'all' || (scope.kind === 'prefix' && scope.prefix.length <= 6);
    const tables = wide ? 'devices d CROSS JOIN district_enumerators de' : 'district_enumerators de, devices d';
    const rows = await this.db.all(
      `SELECT substr(de.district_code, 1, ${Math.trunc(groupLength)}) AS node, count(DISTINCT d.id) AS n
         FROM ${tables} WHERE de.user_id = d.user_id AND d.pending > 0 AND ${w.sql} GROUP BY substr(de.district_code, 1, ${Math.trunc(groupLength)})`,
      w.params,
    );
    return new Map(rows.map((r) => [str(r, 'node'), num(r, 'n')]));
  }

  createQuery(query: ReviewQueryInput): Promise<void> {
    return createQuery(this.db, query);
  }
  async getQuery(id: string) {
    const r = (await this.db.all('SELECT * FROM queries WHERE id = ?', [id]))[0];
    return r ? toQuery(r) : undefined;
  }
  listQueries(scope: Scope, status: string | undefined, after: { createdAt: string; id: string } | undefined, limit: number, filter?: Omit<ListItemsFilter, 'status'>) {
    return listItems(this.db, scope, { includeDrafts: false, ...filter, ...(status !== undefined ? { status } : {}) }, after, limit);
  }
  insertReviewItems(items: readonly { key: string; item: ReviewQuery }[]) {
    return insertReviewItems(this.db, items);
  }
  releaseReviewItems(scope: Scope, filter: ReleaseFilter, at: string) {
    return releaseItems(this.db, scope, filter, at);
  }
  dismissReviewItem(id: string, reason: string, at: string) {
    return dismissItem(this.db, id, reason, at);
  }
  reviewStats(scope: Scope, area: string, groupLength: number) {
    return reviewStats(this.db, scope, area, groupLength);
  }
  importRegister(kind: RegisterKind, records: readonly RegisterRecord[], importId: string, userId: string | null, at: string) {
    return importRegister(this.db, kind, records, importId, userId, at);
  }
  registerRecordsPage(scope: Scope, area: string, after: RecordKey | undefined, limit: number) {
    return registerRecordsPage(this.db, scope, area, after, limit);
  }
  registerCounts(scope: Scope) {
    return registerCounts(this.db, scope);
  }
  compareHouseholdsPage(afterId: string, limit: number) {
    return compareHouseholdsPage(this.db, afterId, limit);
  }
  resolveQuery(id: string, at: string): Promise<ReviewQuery | undefined> {
    return this.db.tx(async (q) => {
      await q.lockKeys([`query:${id}`]);
      const r = (await q.all('SELECT * FROM queries WHERE id = ?', [id]))[0];
      if (!r) return undefined;
      const current = toQuery(r);
      // Closing is for released work; a draft or a dismissed item is left as it is.
      if (current.status === 'resolved' || current.status === 'draft' || current.status === 'dismissed') return current;
      const seq = await nextSeq(q, 1);
      await q.run("UPDATE queries SET status = 'resolved', resolved_at = ?, version = ?, seq = ? WHERE id = ?", [at, current.version + 1, seq, id]);
      const delta = new ProgressDelta();
      delta.query(current.districtCode, current.status, -1);
      delta.query(current.districtCode, 'resolved', 1);
      await applyProgress(q, delta);
      return { ...current, status: 'resolved', resolvedAt: at, version: current.version + 1 };
    });
  }

  async getRegistration(id: string): Promise<StoredRegistration | undefined> {
    const r = (await this.db.all('SELECT id, district_code, version, data FROM registrations WHERE id = ?', [id]))[0];
    return r ? { id: str(r, 'id'), districtCode: str(r, 'district_code'), version: num(r, 'version'), data: json(r, 'data') } : undefined;
  }
  async registrationsPage(scope: Scope, after: ExportKey | undefined, limit: number): Promise<(StoredRegistration & { householdNo: string })[]> {
    const w = scopeSql(scope, 'district_code');
    const params: unknown[] = [...w.params];
    let sql = `SELECT id, district_code, household_no, version, data FROM registrations WHERE ${w.sql}`;
    if (after) {
      // Keyset paging on the export index: each page starts where the last one ended.
      sql += ' AND (district_code > ? OR (district_code = ? AND (household_no > ? OR (household_no = ? AND id > ?))))';
      params.push(after.districtCode, after.districtCode, after.householdNo, after.householdNo, after.id);
    }
    const rows = await this.db.all(`${sql} ORDER BY district_code, household_no, id LIMIT ?`, [...params, limit]);
    return rows.map((r) => ({ id: str(r, 'id'), districtCode: str(r, 'district_code'), householdNo: str(r, 'household_no'), version: num(r, 'version'), data: json(r, 'data') }));
  }
  async districtCodes(scope: Scope, after: string, limit: number): Promise<string[]> {
    const w = scopeSql(scope, 'code');
    return (await this.db.all(`SELECT code FROM districts WHERE ${w.sql} AND code > ? ORDER BY code LIMIT ?`, [...w.params, after, limit])).map((r) => str(r, 'code'));
  }
  async countRevisions(entityId?: string) {
    const rows = entityId === undefined ? await this.db.all('SELECT count(*) AS n FROM revisions') : await this.db.all('SELECT count(*) AS n FROM revisions WHERE entity_id = ?', [entityId]);
    return rows[0] ? num(rows[0], 'n') : 0;
  }

  enumeratorStatus(userIds: readonly string[]) {
    return enumeratorStatus(this.db, userIds);
  }
  districtStatus(scope: Scope, after: string, limit: number) {
    return districtStatus(this.db, scope, after, limit);
  }
  async progress(node: string): Promise<{ node: ProgressNode; children: ProgressNode[] } | undefined> {
    const r = (await this.db.all('SELECT * FROM progress WHERE node = ?', [node]))[0];
    if (!r) return undefined;
    const self = progressNode(r);
    if (self.counts.districts === 0) return undefined;
    const len = childLength(node);
    const children = len === undefined ? [] : (await this.db.all('SELECT * FROM progress WHERE parent = ? AND districts > 0 ORDER BY node', [node])).map(progressNode);
    return { node: self, children };
  }
  async progressOfDistricts(scope: Scope): Promise<ProgressNode[]> {
    const w = scopeSql(scope, 'node');
    return (await this.db.all(`SELECT * FROM progress WHERE ${w.sql} ORDER BY node`, w.params)).map(progressNode);
  }
  listDuplicates(scope: Scope, afterGroup: number, limit: number) {
    return listDuplicates(this.db, scope, afterGroup, limit);
  }
  duplicateConsistency() {
    return duplicateConsistency(this.db);
  }
  listConflicts(scope: Scope, afterId: number, limit: number) {
    return listConflicts(this.db, scope, afterId, limit);
  }
  listQuarantine(scope: Scope, afterId: number, limit: number) {
    return listQuarantine(this.db, scope, afterId, limit);
  }
  rebuildProgress() {
    return this.db.tx(async (q) => {
      await q.lockKeys(['progress-rebuild']);
      return rebuildProgress(q);
    });
  }
  async progressConsistency() {
    const maintained = new Map((await this.db.all('SELECT * FROM progress')).map((r) => [str(r, 'node'), progressNode(r)]));
    const recounted = new Map([...(await computeProgress(this.db)).entries()].map(([node, e]) => [node, { node, counts: e.counts, ...(e.lastPushAt !== undefined ? { lastPushAt: e.lastPushAt } : {}) }]));
    const maxPerDay = new Map((await this.db.all('SELECT node, max_per_day FROM progress WHERE max_per_day > 0')).map((r) => [str(r, 'node'), num(r, 'max_per_day')]));
    return {
      maintained,
      recounted,
      enumeratorDays: { maintained: await maintainedEnumeratorDays(this.db), recounted: await computeEnumeratorDays(this.db) },
      maxPerDay: { maintained: maxPerDay, recounted: await computeMaxPerDay(this.db) },
    };
  }
  async tableCounts() {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const r = (await this.db.all(`SELECT count(*) AS n FROM ${t}`))[0];
      out[t] = r ? num(r, 'n') : 0;
    }
    return out;
  }
}

class ImportRefused extends Error {
  constructor(readonly failure: UserImportFailure) {
    super('users import refused');
  }
}

function deviceRow(r: Record<string, unknown>): DeviceRow {
  const lastSeenAt = optStr(r, 'last_seen_at');
  const lastPushAt = optStr(r, 'last_push_at');
  const pending = optNum(r, 'pending');
  const appVersion = optStr(r, 'app_version');
  return {
    id: str(r, 'id'),
    userId: str(r, 'user_id'),
    ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
    ...(lastPushAt !== undefined ? { lastPushAt } : {}),
    ...(pending !== undefined ? { pending } : {}),
    ...(appVersion !== undefined ? { appVersion } : {}),
    deviceSeq: num(r, 'device_seq'),
  };
}
