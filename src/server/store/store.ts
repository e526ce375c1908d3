// The one storage port of the sync server. SQLite (embedded default) and PostgreSQL (at scale)
// both implement it and both pass tests/server/store-contract.ts. Everything crossing it is a
// domain type or a plain row type declared here; no SQL leaks out.
import type { ApiError, District, ListingEntry, MutationResult, Role, ReviewQuery, ReviewQueryInput, DeviceReport, PracticeSummary } from '../../domain/index.ts';
import type { CompareHousehold, RegisterKind, RegisterRecord } from '../review-types.ts';
import type { ListItemsFilter, RecordKey, RegisterImportResult, ReleaseFilter, ReviewStatsRow } from './sql-review.ts';
import type { PushPlanner, RegistrationWrite } from '../push-plan.ts';
import type { Scope } from './scope.ts';
import type { Counts } from './sql-progress.ts';
import type { SqlOffice } from './sql-office.ts';
import type { SelfCodeRow, SelfFound, SelfOutcome, SelfPlan } from './sql-self.ts';

export type StoreKind = 'sqlite' | 'postgres';
export type OfficeStore = Pick<SqlOffice, keyof SqlOffice>;

export interface StoredUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  passwordHash: string;
  supervisorId?: string;
  /** Offices: the code prefix they run. */
  scope?: string;
  disabled: boolean;
  /** A one-time activation code is outstanding (new or reset account). */
  activationPending: boolean;
  /** SHA-256 of the outstanding activation code, and until when it is valid. */
  activationHash?: string;
  activationExpiresAt?: string;
}

export interface NewUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  passwordHash: string;
  supervisorId?: string;
  scope?: string;
}

export interface Session {
  tokenHash: string;
  userId: string;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

/** What the push planner sees of the store's current state (read under lock in the push transaction). */
export interface PushSnapshot {
  /** Earlier results by mutation id (for idempotent re-push). */
  mutations: Map<string, StoredResult>;
  /** Current state by `${entity}:${id}`, entity in household | listing | query. */
  entities: Map<string, EntityState>;
  /** The listing entries the batch's households name (`PushBatch.listingIds`), for the edit checks that need them. */
  listings: Map<string, { districtCode: string; entry?: ListingEntry }>;
  /** Stored practice summaries by user id (issue 15): their version and the phone's createdAt. */
  practice: Map<string, { version: number; createdAt: string }>;
  /**
   * The households `addedPerson` answers name (`PushBatch.answerHouseholds`): their district and
   * the ids of their persons and deaths, so an answer can only count a person the server holds.
   */
  members?: Map<string, { districtCode: string; ids: ReadonlySet<string> }>;
}

export interface StoredResult {
  status: 'applied' | 'conflict' | 'rejected';
  version?: number;
  error?: ApiError;
  /** The device that sent the mutation: a mutation id is only idempotent from its own device. */
  deviceId?: string;
}

export interface EntityState {
  version: number;
  districtCode: string;
  /** Only for queries: open | answered | resolved. */
  queryStatus?: string;
  /** Only for queries: the review item's category (issue 12). */
  queryCategory?: string;
}

export interface PushBatch {
  userId: string;
  deviceId: string;
  /** Mutation ids with their entity keys, so the store can lock and read what the planner needs. */
  keys: { mutationId: string; entity: 'household' | 'listing' | 'query' | 'practice'; entityId: string }[];
  /** Listing entries named by the batch's households (read with the snapshot, not locked). */
  listingIds?: readonly string[];
  /** Households named by the batch's `addedPerson` review answers (read with the snapshot, not locked). */
  answerHouseholds?: readonly string[];
  device?: DeviceReport;
  receivedAt: string;
}

export interface EnumeratorStatus {
  userId: string;
  username: string;
  name: string;
  districts: string[];
  lastSeenAt?: string;
  lastPushAt?: string;
  pendingOnDevice?: number;
  appVersion?: string;
  /** Device clock minus server clock at the last push that reported it (seconds; metadata only). */
  clockSkewSeconds?: number;
  rejected: number;
  conflicts: number;
  /** The enumerator's practice-mode summary (issue 15); absent when its phone never sent one. */
  practice?: PracticeStatus;
}

export interface PracticeStatus extends PracticeSummary {
  /** The phone's createdAt of the summary shown. */
  updatedAt: string;
}

export interface DistrictStatus {
  code: string;
  name: string;
  enumerators: string[];
  listingSize: number;
  byVisitStatus: Record<string, number>;
  registrations: number;
  completeRegistrations: number;
  personsRegistered: number;
  householdsWithErrors: number;
  householdsWithWarnings: number;
  openQueries: number;
  /** Self-enumeration (issue 13): households that submitted the form themselves, verified at the door, still to verify. */
  selfReported: number;
  selfVerified: number;
  selfAwaiting: number;
}

export interface ConflictRow {
  id: number;
  mutationId: string;
  entity: string;
  entityId: string;
  districtCode: string;
  baseVersion: number;
  currentVersion: number;
  userId: string;
  deviceId: string;
  receivedAt: string;
  data: unknown;
}

export interface QuarantineRow {
  id: number;
  mutationId?: string;
  userId: string;
  deviceId: string;
  districtCode?: string;
  error: ApiError;
  payload: unknown;
  receivedAt: string;
}

export interface DeviceRow {
  id: string;
  userId: string;
  lastSeenAt?: string;
  lastPushAt?: string;
  pending?: number;
  appVersion?: string;
  deviceSeq: number;
}

/** One row of the users import, resolved against the store (ids of supervisors known). */
export interface UserImportRow {
  username: string;
  name: string;
  role: Role;
  districts: string[];
  supervisorUsername?: string;
  scope?: string;
}

export interface ImportUsersResult {
  created: { username: string; name: string; code: string }[];
  updated: number;
  unchanged: number;
  /** Districts that did not exist and were created as placeholders. */
  newDistricts: number;
}

export interface UserImportOptions {
  /** A fresh activation code and its hash for each new account. */
  newCode: () => { code: string; hash: string };
  activationExpiresAt: string;
  at: string;
  /** How long an enumerator who lost a district may still deliver what it queued for it. */
  graceUntil: string;
}

export type UserImportFailure = { ok: false; errors: { username: string; message: string }[] };

export interface ScopeEvent {
  seq: number;
  districtCode: string;
  kind: 'add' | 'remove' | 'scope';
}

export interface ProgressNode {
  node: string;
  name?: string;
  counts: Counts;
  lastPushAt?: string;
}

export interface ExportKey {
  districtCode: string;
  householdNo: string;
  id: string;
}

export interface ChangeRow {
  entity: 'district' | 'listing' | 'household' | 'query';
  id: string;
  version: number;
  seq: number;
  data: unknown;
  /** A version the pulling device pushed itself (PL5): no data, left out of the answer. */
  own?: true;
}

export interface StoredRegistration {
  id: string;
  districtCode: string;
  version: number;
  data: unknown;
}

export interface ImportListingResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

export type CreateUserResult = { ok: true; user: StoredUser } | { ok: false; reason: 'username_taken' | 'unknown_supervisor' };

/** The settings that make a commit durable before a push is answered (reliability.md finding 3). */
export interface Durability {
  /** True when a committed transaction survives a power cut: SQLite WAL + synchronous=FULL, PostgreSQL synchronous_commit=on. */
  durableCommits: boolean;
  /** The raw settings read back from the live connection, for logs and the start-up banner. */
  settings: Record<string, string>;
}

/**
 * Growing delays as the store applies them (limiter.ts builds them): after the n-th counted
 * failure a key waits the `ms` of the first step with n <= upTo, else `thenMs`; a key without a
 * failure for `quietMs` starts from zero.
 */
export interface DelaySteps {
  steps: readonly { upTo: number; ms: number }[];
  thenMs: number;
  quietMs: number;
}

export interface Store {
  /** The census office's desk (issue 14): daily freeze, acceptance, the quality signals' bounded reads. */
  readonly office: OfficeStore;
  readonly kind: StoreKind;
  close(): Promise<void>;
  /** Applies pending schema migrations (one at a time across processes); the versions applied. */
  migrate(): Promise<number[]>;
  /** SQLite: a consistent copy of the live database into a new file (VACUUM INTO). PostgreSQL: throws (pg_dump). */
  backupTo(path: string): Promise<void>;
  /** The schema version the database is at, and the newest this code knows. */
  schemaVersion(): Promise<{ current: number; latest: number }>;
  /** A trivial query (`SELECT 1`): resolves when the database answers (GET /readyz). */
  ping(): Promise<void>;
  /** Calls `listener` with the number of pushes in each group commit; returns the unsubscribe. */
  onGroupCommit?(listener: (pushes: number) => void): () => void;
  /** Reads the durability settings back from the connection the store actually writes with. */
  durability(): Promise<Durability>;

  createUser(user: NewUser): Promise<CreateUserResult>;
  findUserByUsername(username: string): Promise<StoredUser | undefined>;
  getUser(id: string): Promise<StoredUser | undefined>;
  /** True when the store holds any account (demo seeding). */
  hasUsers(): Promise<boolean>;
  /**
   * Districts an enumerator is assigned to, or those of a supervisor's enumerators. Offices and
   * admins get [] (their scope is a prefix, never expanded).
   */
  districtsOf(user: StoredUser): Promise<string[]>;
  /** Is the district inside the scope (and does it exist)? */
  districtInScope(scope: Scope, code: string): Promise<boolean>;
  /** Ids of the enumerators a supervisor supervises (index on users.supervisor_id). */
  enumeratorsOfSupervisor(supervisorId: string): Promise<string[]>;

  createSession(session: Session): Promise<void>;
  findSession(tokenHash: string): Promise<Session | undefined>;
  revokeSession(tokenHash: string, at: string): Promise<void>;
  /** Revokes every live token of a user (or of one of its devices); returns how many. */
  revokeSessions(userId: string, deviceId: string | undefined, at: string): Promise<number>;

  /** Disable (tokens revoked) or enable an account. */
  setUserDisabled(userId: string, disabled: boolean, at: string): Promise<void>;
  /** A new one-time activation code: the password is cleared and every token revoked. */
  setActivation(userId: string, codeHash: string, expiresAt: string, at: string): Promise<void>;
  /** Uses the activation code (once): sets the password; undefined when the code is wrong, used or expired. */
  activate(username: string, codeHash: string, passwordHash: string, now: string): Promise<StoredUser | undefined>;
  /** All or nothing: creates new accounts with activation codes, updates changed ones. */
  importUsers(rows: readonly UserImportRow[], opts: UserImportOptions): Promise<ImportUsersResult | UserImportFailure>;
  /**
   * Moves a district to another enumerator (listing, registrations and queries move with it);
   * the previous enumerators keep a grace period to deliver what they queued.
   */
  reassignDistrict(code: string, toUserId: string, graceUntil: string, at: string): Promise<{ ok: true; from: string[] } | { ok: false; reason: 'no_district' | 'not_enumerator' }>;
  /** Districts the enumerator lost within the grace period (it may still deliver to them). */
  graceDistrictsOf(userId: string, now: string): Promise<string[]>;
  /** The highest assignment event of a user (0 when none). */
  scopeHead(userId: string): Promise<number>;
  /** A user's assignment events after `afterSeq`, in order. */
  scopeEventsSince(userId: string, afterSeq: number): Promise<ScopeEvent[]>;
  /** A server-wide secret (made once, shared by every node on the same store). */
  secret(name: string): Promise<string>;

  // Limit counters shared by every node (limiter.ts; keys are opaque, times in ms), each one atomic statement.
  /** Fixed window: counts one request; the count in the window (this one included) and when the window began. */
  limitHit(key: string, now: number, windowMs: number): Promise<{ count: number; windowStart: number }>;
  /** Counts an attempt unless the key is waiting (then: until when). */
  limitAdmit(key: string, now: number, rule: DelaySteps): Promise<{ ok: true } | { ok: false; until: number }>;
  /** Settles an admitted attempt: `failed` starts the wait its count earns, `undone` takes it back, `reset` forgets the key. */
  limitSettle(key: string, now: number, rule: DelaySteps, outcome: 'failed' | 'undone' | 'reset'): Promise<void>;
  /** Deletes at most `max` expired counters; returns how many. */
  limitPrune(now: number, max: number): Promise<number>;

  /** Insert or update a district and its enumerator assignment (user ids must exist). */
  putDistrict(district: District): Promise<void>;
  listDistricts(codes?: readonly string[]): Promise<District[]>;
  /**
   * All or nothing; identical entries are left untouched (no new version, no pull change).
   * `newDistricts` are created in the same transaction when they do not exist yet.
   */
  importListing(entries: readonly ListingEntry[], newDistricts?: readonly District[]): Promise<ImportListingResult>;
  /** Import complete registrations as applied version-1 writes by the office (demo seed, migration). */
  importRegistrations(rows: readonly RegistrationWrite[], at: string): Promise<number>;

  /** One transaction: lock and read what the batch touches, let `plan` decide, write its effects. */
  applyPush(batch: PushBatch, plan: PushPlanner): Promise<MutationResult[]>;
  /**
   * Changes in the scope with seq > afterSeq, in server order. With `exceptDevice`, the household
   * and listing versions that device pushed itself come marked `own`, without data (docs/SYNC.md PL5).
   */
  pull(scope: Scope, afterSeq: number, limit: number, exceptDevice?: string): Promise<{ changes: ChangeRow[]; more: boolean }>;
  /** Every record of these districts with its current version (for tombstones when a district leaves a scope). */
  recordsIn(districts: readonly string[]): Promise<{ entity: ChangeRow['entity']; id: string; version: number }[]>;
  getDevice(id: string): Promise<DeviceRow | undefined>;
  /** A user's devices, most recently seen first (at most `limit`). */
  devicesOfUser(userId: string, limit: number): Promise<DeviceRow[]>;
  touchDevice(id: string, userId: string, at: string): Promise<void>;
  /** Devices with items queued whose users work in the scope, by the first `groupLength` digits of their districts (0: one total under ''). */
  devicesWithQueue(scope: Scope, groupLength: number): Promise<Map<string, number>>;

  /** A query on a household, or an item; a draft gets seq 0 (no pull sees it). */
  createQuery(query: ReviewQueryInput): Promise<void>;
  getQuery(id: string): Promise<ReviewQuery | undefined>;
  /** Queries and review items in the scope, oldest first, after the (createdAt, id) key; drafts only with `filter.includeDrafts`. */
  listQueries(scope: Scope, status: string | undefined, after: { createdAt: string; id: string } | undefined, limit: number, filter?: Omit<ListItemsFilter, 'status'>): Promise<ReviewQuery[]>;
  /** Inserts draft review items whose key is new (comparison, national list): how many were new. */
  insertReviewItems(items: readonly { key: string; item: ReviewQuery }[]): Promise<{ created: number; existing: number; byCategory: Record<string, number> }>;
  /** Releases the drafts the filter selects inside the scope; how many. */
  releaseReviewItems(scope: Scope, filter: ReleaseFilter, at: string): Promise<number>;
  /** Dismisses an item with a reason (version + 1); undefined when absent. */
  dismissReviewItem(id: string, reason: string, at: string): Promise<ReviewQuery | undefined>;
  /** Item counts inside the scope and area by the first `groupLength` digits of the district (0: one total) and category. */
  reviewStats(scope: Scope, area: string, groupLength: number): Promise<ReviewStatsRow[]>;
  /** All or nothing: a department register's rows, idempotent by (kind, key). */
  importRegister(kind: RegisterKind, records: readonly RegisterRecord[], importId: string, userId: string | null, at: string): Promise<RegisterImportResult>;
  /** Register rows in the scope and area, in (district, kind, key) order after a key. */
  registerRecordsPage(scope: Scope, area: string, after: RecordKey | undefined, limit: number): Promise<RegisterRecord[]>;
  registerCounts(scope: Scope): Promise<Record<RegisterKind, number>>;
  /** Registered households of the whole store with their listing address, in id order (the comparison's read). */
  compareHouseholdsPage(afterId: string, limit: number): Promise<CompareHousehold[]>;
  /** Marks a query resolved (version + 1); returns the new state, or undefined when absent. */
  resolveQuery(id: string, at: string): Promise<ReviewQuery | undefined>;

  getRegistration(id: string): Promise<StoredRegistration | undefined>;
  /** Registrations in the scope by (district, household number, id), after a key (export pages). */
  registrationsPage(scope: Scope, after: ExportKey | undefined, limit: number): Promise<(StoredRegistration & { householdNo: string })[]>;
  /** District codes in the scope after a code (paged). */
  districtCodes(scope: Scope, after: string, limit: number): Promise<string[]>;
  countRevisions(entityId?: string): Promise<number>;

  enumeratorStatus(userIds: readonly string[]): Promise<EnumeratorStatus[]>;
  /** Per-district status from the rollup counters, districts in the scope after a code (paged). */
  districtStatus(scope: Scope, after: string, limit: number): Promise<DistrictStatus[]>;
  /** A node's counters and its children's (one level down), or undefined when it holds no district. */
  progress(node: string): Promise<{ node: ProgressNode; children: ProgressNode[] } | undefined>;
  /** Progress rows of the districts in the scope (a supervisor's node). */
  progressOfDistricts(scope: Scope): Promise<ProgressNode[]>;
  listConflicts(scope: Scope, afterId: number, limit: number): Promise<ConflictRow[]>;
  /** Quarantine in the scope's districts, plus (supervisors) what their enumerators sent without a usable district. */
  listQuarantine(scope: Scope, afterId: number, limit: number): Promise<QuarantineRow[]>;
  /** Recounts the rollup counters from the base tables. */
  rebuildProgress(): Promise<number>;
  /** The counters as maintained and as recounted (tests of their consistency). */
  progressConsistency(): Promise<{
    maintained: Map<string, ProgressNode>;
    recounted: Map<string, ProgressNode>;
    /** Complete registrations per `district|enumerator|China-time day` (issue 14), zero rows left out. */
    enumeratorDays: { maintained: Map<string, { complete: number; overridden: number }>; recounted: Map<string, { complete: number; overridden: number }> };
    /** Each node's most registrations one enumerator completed in one day (running maximum), and the same from enumerator_days. */
    maxPerDay: { maintained: Map<string, number>; recounted: Map<string, number> };
  }>;
  /** Counts of every table, for tests that check "the store is unchanged". */
  tableCounts(): Promise<Record<string, number>>;

  // Self-enumeration (issue 13): codes are only ever handled as their SHA-256.
  /** The code, its household's listing entry and registrations; undefined for an unknown hash. */
  findSelfCode(hash: string): Promise<SelfFound | undefined>;
  /** One transaction under the household's locks: `plan` decides on what it reads, a write is stored whole. */
  selfSubmit(hash: string, registrationId: string, submissionId: string, at: string, plan: (found: SelfFound | undefined) => SelfPlan): Promise<SelfOutcome>;
  /** New office codes for a district's notices; its earlier unused office codes end. */
  issueOfficeCodes(districtCode: string, codes: readonly { hash: string; listingId: string }[], at: string): Promise<{ revoked: number }>;
  /** A district's codes (hashes and states only). */
  selfCodesOf(districtCode: string): Promise<SelfCodeRow[]>;

  /** Citizen IDs held by more than one registration, with a household in the scope, after a group number (paged). */
  listDuplicates(scope: Scope, afterGroup: number, limit: number): Promise<{ groups: DuplicateGroup[]; next?: number }>;
  /** The duplicate index as maintained and as recounted from the registrations (tests of its consistency; full reads). */
  duplicateConsistency(): Promise<{ maintained: string[]; recounted: string[] }>;
}

/** The writer of a household's current version (absent for an office import). */
export interface DuplicateEnumerator {
  username: string;
  name: string;
}

/**
 * One household holding a duplicated ID. A household outside the caller's scope is named by its
 * district, household number and writer only: no registration id, no person.
 */
export type DuplicateHousehold =
  | { inScope: true; registrationId: string; districtCode: string; householdNo: string; enumerator: DuplicateEnumerator | null; person: { index: number; name?: string } }
  | { inScope: false; districtCode: string; householdNo: string; enumerator: DuplicateEnumerator | null };

export interface DuplicateGroup {
  citizenId: string;
  households: DuplicateHousehold[];
}
