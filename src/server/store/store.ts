// The one storage port of the sync server. SQLite (embedded default) and PostgreSQL (at scale)
// both implement it and both pass tests/server/store-contract.ts. Everything crossing it is a
// domain type or a plain row type declared here; no SQL leaks out.
import type { ApiError, District, ListingEntry, MutationResult, Role, ReviewQuery, DeviceReport } from '../../domain/index.ts';
import type { PushPlanner, RegistrationWrite } from '../push-plan.ts';

export type StoreKind = 'sqlite' | 'postgres';

export interface StoredUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  passwordHash: string;
  supervisorId?: string;
  disabled: boolean;
}

export interface NewUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  passwordHash: string;
  supervisorId?: string;
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
}

export interface StoredResult {
  status: 'applied' | 'conflict' | 'rejected';
  version?: number;
  error?: ApiError;
}

export interface EntityState {
  version: number;
  districtCode: string;
  /** Only for queries: open | answered | resolved. */
  queryStatus?: string;
}

export interface PushBatch {
  userId: string;
  deviceId: string;
  /** Mutation ids with their entity keys, so the store can lock and read what the planner needs. */
  keys: { mutationId: string; entity: 'household' | 'listing' | 'query'; entityId: string }[];
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
}

export interface ConflictRow {
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

export interface ChangeRow {
  entity: 'district' | 'listing' | 'household' | 'query';
  id: string;
  version: number;
  seq: number;
  data: unknown;
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

export interface Store {
  readonly kind: StoreKind;
  close(): Promise<void>;
  /** Reads the durability settings back from the connection the store actually writes with. */
  durability(): Promise<Durability>;

  createUser(user: NewUser): Promise<CreateUserResult>;
  findUserByUsername(username: string): Promise<StoredUser | undefined>;
  getUser(id: string): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;
  /** Districts an enumerator is assigned to, those of a supervisor's enumerators, or all for an admin. */
  districtsOf(user: StoredUser): Promise<string[]>;

  createSession(session: Session): Promise<void>;
  findSession(tokenHash: string): Promise<Session | undefined>;
  revokeSession(tokenHash: string, at: string): Promise<void>;

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
  /** Changes in the given districts with seq > afterSeq, in server order. */
  pull(districts: readonly string[], afterSeq: number, limit: number): Promise<{ changes: ChangeRow[]; more: boolean }>;
  /** Every record of these districts with its current version (for tombstones when a district leaves a scope). */
  recordsIn(districts: readonly string[]): Promise<{ entity: ChangeRow['entity']; id: string; version: number }[]>;
  getDevice(id: string): Promise<DeviceRow | undefined>;
  /** A user's devices, most recently seen first (at most `limit`). */
  devicesOfUser(userId: string, limit: number): Promise<DeviceRow[]>;
  touchDevice(id: string, userId: string, at: string): Promise<void>;

  createQuery(query: ReviewQuery): Promise<void>;
  getQuery(id: string): Promise<ReviewQuery | undefined>;
  listQueries(districts: readonly string[], status?: string): Promise<ReviewQuery[]>;
  /** Marks a query resolved (version + 1); returns the new state, or undefined when absent. */
  resolveQuery(id: string, at: string): Promise<ReviewQuery | undefined>;

  getRegistration(id: string): Promise<StoredRegistration | undefined>;
  listRegistrations(districts: readonly string[]): Promise<StoredRegistration[]>;
  countRevisions(entityId?: string): Promise<number>;

  enumeratorStatus(userIds: readonly string[]): Promise<EnumeratorStatus[]>;
  districtStatus(districts: readonly string[]): Promise<DistrictStatus[]>;
  listConflicts(districts: readonly string[]): Promise<ConflictRow[]>;
  listQuarantine(districts: readonly string[], userIds: readonly string[]): Promise<QuarantineRow[]>;
  /** Counts of every table, for tests that check "the store is unchanged". */
  tableCounts(): Promise<Record<string, number>>;
}
