// Numbered schema migrations, applied in order at open by both stores. A migration is never
// edited once released; a change is a new number. `{serial}` and `{real}` are the only
// dialect differences.
import type { StoreKind } from './store.ts';

const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
  password_hash TEXT NOT NULL, supervisor_id TEXT REFERENCES users(id), disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), device_id TEXT NOT NULL,
  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE server_seq (id INTEGER PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO server_seq (id, value) VALUES (1, 0);
CREATE TABLE districts (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, urban_rural TEXT, version INTEGER NOT NULL, seq BIGINT NOT NULL);
CREATE TABLE district_enumerators (
  district_code TEXT NOT NULL REFERENCES districts(code), user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (district_code, user_id));
CREATE INDEX district_enumerators_user ON district_enumerators (user_id);
CREATE TABLE listing (
  id TEXT PRIMARY KEY, district_code TEXT NOT NULL REFERENCES districts(code), household_no TEXT NOT NULL,
  visit_status TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, seq BIGINT NOT NULL);
CREATE INDEX listing_district_seq ON listing (district_code, seq);
CREATE TABLE registrations (
  id TEXT PRIMARY KEY, district_code TEXT NOT NULL REFERENCES districts(code), listing_id TEXT NOT NULL,
  household_no TEXT NOT NULL, form TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL,
  persons INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL, data TEXT NOT NULL,
  seq BIGINT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX registrations_district_seq ON registrations (district_code, seq);
CREATE TABLE revisions (
  id {serial}, mutation_id TEXT UNIQUE, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
  district_code TEXT NOT NULL, version INTEGER NOT NULL, base_version INTEGER NOT NULL, status TEXT NOT NULL,
  data TEXT NOT NULL, user_id TEXT, device_id TEXT, received_at TEXT NOT NULL);
CREATE INDEX revisions_entity ON revisions (entity_id);
CREATE INDEX revisions_status_district ON revisions (status, district_code);
CREATE TABLE mutations (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT NOT NULL, entity TEXT NOT NULL,
  entity_id TEXT NOT NULL, base_version INTEGER NOT NULL, device_seq INTEGER, status TEXT NOT NULL,
  version INTEGER, error TEXT, created_at TEXT, received_at TEXT NOT NULL);
CREATE TABLE quarantine (
  id {serial}, mutation_id TEXT, user_id TEXT NOT NULL, device_id TEXT NOT NULL, district_code TEXT,
  error TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE INDEX quarantine_district ON quarantine (district_code);
CREATE INDEX quarantine_user ON quarantine (user_id);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, last_seen_at TEXT, last_push_at TEXT, pending INTEGER,
  app_version TEXT, storage_usage {real}, storage_quota {real}, persisted INTEGER, clock TEXT,
  device_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE queries (
  id TEXT PRIMARY KEY, household_id TEXT NOT NULL, district_code TEXT NOT NULL REFERENCES districts(code),
  household_no TEXT, message TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL,
  created_at TEXT NOT NULL, answer TEXT, resolved_at TEXT, version INTEGER NOT NULL, seq BIGINT NOT NULL);
CREATE INDEX queries_district_seq ON queries (district_code, seq);
`,
  },
  {
    // Province scale: offices, activation, the indexes every scoped read needs, rollup counters
    // of the hierarchy, assignment history for pull restarts, and the reassignment grace period.
    version: 2,
    sql: `
ALTER TABLE users ADD COLUMN scope TEXT;
ALTER TABLE users ADD COLUMN activation_hash TEXT;
ALTER TABLE users ADD COLUMN activation_expires_at TEXT;
CREATE INDEX users_supervisor ON users (supervisor_id);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX devices_user ON devices (user_id, last_seen_at);
CREATE INDEX devices_queued ON devices (user_id) WHERE pending > 0;
CREATE INDEX districts_seq ON districts (seq);
CREATE INDEX listing_seq ON listing (seq);
CREATE INDEX registrations_seq ON registrations (seq);
CREATE INDEX registrations_export ON registrations (district_code, household_no, id);
CREATE INDEX queries_seq ON queries (seq);
CREATE INDEX queries_district_status ON queries (district_code, status, created_at);
CREATE INDEX revisions_conflict_user ON revisions (user_id) WHERE status = 'conflict';
CREATE INDEX revisions_conflict_district ON revisions (district_code, id) WHERE status = 'conflict';
ALTER TABLE registrations ADD COLUMN births INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN deaths INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mutations ADD COLUMN note TEXT;
CREATE TABLE progress (
  node TEXT PRIMARY KEY, parent TEXT, name TEXT,
  districts INTEGER NOT NULL DEFAULT 0, listing INTEGER NOT NULL DEFAULT 0,
  v_pending INTEGER NOT NULL DEFAULT 0, v_registered INTEGER NOT NULL DEFAULT 0, v_self_reported INTEGER NOT NULL DEFAULT 0,
  v_not_at_home INTEGER NOT NULL DEFAULT 0, v_refused INTEGER NOT NULL DEFAULT 0, v_vacant INTEGER NOT NULL DEFAULT 0,
  v_demolished INTEGER NOT NULL DEFAULT 0, r_complete INTEGER NOT NULL DEFAULT 0, r_draft INTEGER NOT NULL DEFAULT 0,
  persons INTEGER NOT NULL DEFAULT 0, births INTEGER NOT NULL DEFAULT 0, deaths INTEGER NOT NULL DEFAULT 0,
  with_errors INTEGER NOT NULL DEFAULT 0, with_warnings INTEGER NOT NULL DEFAULT 0,
  q_open INTEGER NOT NULL DEFAULT 0, q_answered INTEGER NOT NULL DEFAULT 0, q_resolved INTEGER NOT NULL DEFAULT 0,
  last_push_at TEXT);
CREATE INDEX progress_parent ON progress (parent, node);
CREATE TABLE scope_events (
  id {serial}, seq BIGINT NOT NULL, user_id TEXT NOT NULL, district_code TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX scope_events_user ON scope_events (user_id, seq);
CREATE TABLE district_grace (
  district_code TEXT NOT NULL, user_id TEXT NOT NULL, until TEXT NOT NULL, PRIMARY KEY (district_code, user_id));
CREATE INDEX district_grace_user ON district_grace (user_id);
CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)
`,
  },
  {
    // Limits shared by every node (limiter.ts, sql-limits.ts): one row per HMAC'd key, times in
    // ms since the epoch; rows past expires_at are deleted a few at a time.
    version: 3,
    sql: `
CREATE TABLE limits (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, window_start BIGINT NOT NULL, until BIGINT, expires_at BIGINT NOT NULL);
CREATE INDEX limits_expires ON limits (expires_at)
`,
  },
  {
    // Citizen IDs across households (sql-duplicates.ts): one row per (registration, ID), the
    // number of registrations per ID, and a partial index on the duplicated rows so a scoped
    // read starts from the few duplicates of its districts. Filled from the stored
    // registrations when applied.
    version: 4,
    sql: `
CREATE TABLE citizen_id_counts (
  id {serial}, citizen_id TEXT NOT NULL UNIQUE, households INTEGER NOT NULL);
CREATE TABLE citizen_ids (
  citizen_id TEXT NOT NULL, registration_id TEXT NOT NULL, district_code TEXT NOT NULL, household_no TEXT NOT NULL,
  person_index INTEGER NOT NULL, person_name TEXT, user_id TEXT, dup INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (registration_id, citizen_id));
CREATE INDEX citizen_ids_id ON citizen_ids (citizen_id);
CREATE INDEX citizen_ids_dup ON citizen_ids (district_code, citizen_id) WHERE dup = 1
`,
  },
  {
    // Practice mode (issue 15): the phone's latest practice totals, one row per user. The practice
    // data itself never syncs; created_at is the phone's time of the summary kept (newest wins).
    version: 5,
    sql: `
CREATE TABLE practice_summaries (
  user_id TEXT PRIMARY KEY REFERENCES users(id), completed INTEGER NOT NULL, attempts INTEGER NOT NULL,
  errors_at_attempts INTEGER NOT NULL, households INTEGER NOT NULL, resets INTEGER NOT NULL,
  created_at TEXT NOT NULL, received_at TEXT NOT NULL, version INTEGER NOT NULL)
`,
  },
  {
    // Comparison review (issue 12): a review query becomes a review item with a category, the
    // person it is about and how it was matched. `household_id` stays NOT NULL: '' is an item
    // about a person in no registered household. A draft (not released) has seq 0, so no pull
    // ever sees it; releasing gives it a seq. `item_key` makes comparisons and imports
    // idempotent. The department registers are kept one row per (kind, key), scoped by district.
    version: 6,
    sql: `
ALTER TABLE queries ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
ALTER TABLE queries ADD COLUMN origin TEXT NOT NULL DEFAULT 'query';
ALTER TABLE queries ADD COLUMN subject TEXT;
ALTER TABLE queries ADD COLUMN match_info TEXT;
ALTER TABLE queries ADD COLUMN item_key TEXT;
ALTER TABLE queries ADD COLUMN released_at TEXT;
ALTER TABLE queries ADD COLUMN dismissed_at TEXT;
ALTER TABLE queries ADD COLUMN dismiss_reason TEXT;
ALTER TABLE queries ADD COLUMN answer_kind TEXT;
UPDATE queries SET released_at = created_at;
CREATE UNIQUE INDEX queries_item_key ON queries (item_key);
CREATE INDEX queries_district_category ON queries (district_code, category, status);
CREATE TABLE register_records (
  kind TEXT NOT NULL, record_key TEXT NOT NULL, district_code TEXT NOT NULL REFERENCES districts(code),
  citizen_id TEXT, data TEXT NOT NULL, import_id TEXT NOT NULL, imported_at TEXT NOT NULL,
  PRIMARY KEY (kind, record_key));
CREATE INDEX register_records_district ON register_records (district_code, kind, record_key);
CREATE TABLE register_imports (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, rows INTEGER NOT NULL, inserted INTEGER NOT NULL, updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL, user_id TEXT, at TEXT NOT NULL);
CREATE TABLE review_runs (
  id TEXT PRIMARY KEY, area TEXT NOT NULL, rules TEXT NOT NULL, created INTEGER NOT NULL, existing INTEGER NOT NULL,
  user_id TEXT, at TEXT NOT NULL)
`,
  },
  {
    // Self-enumeration (issue 13). A code is kept only as its SHA-256 (`hash`): issued by the
    // office (CLI notices) or by an enumerator's phone (the listing entry carries the hash);
    // `used_at`/`submission_id` make a submit idempotent, `revoked_at` ends a code that a newer
    // one of the same origin replaced. Registrations count whether the household filled the form
    // in itself and whether an enumerator verified it, and the rollup counts both.
    version: 7,
    sql: `
CREATE TABLE self_codes (
  hash TEXT PRIMARY KEY, listing_id TEXT NOT NULL, district_code TEXT NOT NULL, origin TEXT NOT NULL,
  issued_at TEXT NOT NULL, revoked_at TEXT, used_at TEXT, submission_id TEXT, registration_id TEXT);
CREATE INDEX self_codes_listing ON self_codes (listing_id, origin);
CREATE INDEX self_codes_district ON self_codes (district_code, origin);
CREATE INDEX registrations_listing ON registrations (listing_id);
ALTER TABLE registrations ADD COLUMN self INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN s_reported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN s_verified INTEGER NOT NULL DEFAULT 0
`,
  },
  {
    // The census office's desk (issue 14, docs/OFFICE.md). Registrations carry the quality
    // signals' counted values (sexes, ages 0-4 at the standard time, H3 by sex, family household,
    // a confirmed warning and the rules overridden) and who completed them on which China-time
    // day; the rollup counts them, the acceptance states and the most registrations one
    // enumerator completed in one day (a running maximum). `enumerator_days` counts complete
    // registrations per (district, enumerator, day). Daily rows are frozen copies of `progress`,
    // one `daily_runs` row per day (its primary key makes a freeze happen once across nodes).
    // Filled from the stored registrations when applied (then the counters are rebuilt).
    version: 8,
    sql: `
ALTER TABLE registrations ADD COLUMN user_id TEXT;
ALTER TABLE registrations ADD COLUMN males INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN females INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN under5 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN births_m INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN births_f INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN family INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN overridden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrations ADD COLUMN override_rules TEXT;
ALTER TABLE registrations ADD COLUMN completed_by TEXT;
ALTER TABLE registrations ADD COLUMN completed_day TEXT;
CREATE INDEX registrations_completed ON registrations (completed_by, completed_day);
ALTER TABLE progress ADD COLUMN males INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN females INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN under5 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN births_m INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN births_f INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN fam_households INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN fam_persons INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN r_overridden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN a_accepted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN a_submitted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN a_reopened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN a_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN max_per_day INTEGER NOT NULL DEFAULT 0;
CREATE TABLE enumerator_days (
  district_code TEXT NOT NULL, user_id TEXT NOT NULL, day TEXT NOT NULL,
  complete INTEGER NOT NULL DEFAULT 0, overridden INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (district_code, user_id, day));
CREATE TABLE acceptance (
  district_code TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL, pending_at_accept INTEGER NOT NULL DEFAULT 0);
CREATE INDEX acceptance_state ON acceptance (state, district_code);
CREATE TABLE acceptance_history (
  id {serial}, district_code TEXT NOT NULL, action TEXT NOT NULL, user_id TEXT, at TEXT NOT NULL, reason TEXT);
CREATE INDEX acceptance_history_district ON acceptance_history (district_code, id);
CREATE TABLE daily_runs (day TEXT PRIMARY KEY, late INTEGER NOT NULL, frozen_at TEXT NOT NULL, nodes INTEGER NOT NULL);
CREATE TABLE daily_progress (
  day TEXT NOT NULL, node TEXT NOT NULL, parent TEXT, name TEXT,
  districts INTEGER NOT NULL DEFAULT 0, listing INTEGER NOT NULL DEFAULT 0, v_pending INTEGER NOT NULL DEFAULT 0, v_registered INTEGER NOT NULL DEFAULT 0, v_self_reported INTEGER NOT NULL DEFAULT 0, v_not_at_home INTEGER NOT NULL DEFAULT 0,
  v_refused INTEGER NOT NULL DEFAULT 0, v_vacant INTEGER NOT NULL DEFAULT 0, v_demolished INTEGER NOT NULL DEFAULT 0, r_complete INTEGER NOT NULL DEFAULT 0, r_draft INTEGER NOT NULL DEFAULT 0, persons INTEGER NOT NULL DEFAULT 0,
  births INTEGER NOT NULL DEFAULT 0, deaths INTEGER NOT NULL DEFAULT 0, with_errors INTEGER NOT NULL DEFAULT 0, with_warnings INTEGER NOT NULL DEFAULT 0, q_open INTEGER NOT NULL DEFAULT 0, q_answered INTEGER NOT NULL DEFAULT 0,
  q_resolved INTEGER NOT NULL DEFAULT 0, s_reported INTEGER NOT NULL DEFAULT 0, s_verified INTEGER NOT NULL DEFAULT 0, males INTEGER NOT NULL DEFAULT 0, females INTEGER NOT NULL DEFAULT 0, under5 INTEGER NOT NULL DEFAULT 0,
  births_m INTEGER NOT NULL DEFAULT 0, births_f INTEGER NOT NULL DEFAULT 0, fam_households INTEGER NOT NULL DEFAULT 0, fam_persons INTEGER NOT NULL DEFAULT 0, r_overridden INTEGER NOT NULL DEFAULT 0, a_accepted INTEGER NOT NULL DEFAULT 0,
  a_submitted INTEGER NOT NULL DEFAULT 0, a_reopened INTEGER NOT NULL DEFAULT 0, a_pending INTEGER NOT NULL DEFAULT 0, max_per_day INTEGER NOT NULL DEFAULT 0,
  devices_queued INTEGER NOT NULL DEFAULT 0, last_push_at TEXT, PRIMARY KEY (day, node));
CREATE INDEX daily_progress_parent ON daily_progress (parent, day, node)
`,
  },
  {
    // A node's own daily rows (the report's 合计 line) read by node and day range, not by scanning
    // every node of each day (the primary key starts with the day).
    version: 9,
    sql: `
CREATE INDEX daily_progress_node ON daily_progress (node, day)
`,
  },
  {
    // Which device wrote a household's or listing entry's current version by a push (and which
    // version that was): a device's incremental pull leaves out the versions it wrote itself, so
    // a drained queue does not come back over the network (docs/SYNC.md PL5). Any other writer
    // resets written_by; a version bumped without it no longer matches written_version.
    version: 10,
    sql: `
ALTER TABLE registrations ADD COLUMN written_by TEXT;
ALTER TABLE registrations ADD COLUMN written_version INTEGER;
ALTER TABLE listing ADD COLUMN written_by TEXT;
ALTER TABLE listing ADD COLUMN written_version INTEGER
`,
  },
];

export function migrationsFor(kind: StoreKind): { version: number; statements: string[] }[] {
  const serial = kind === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const real = kind === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  return MIGRATIONS.map((m) => ({
    version: m.version,
    statements: m.sql
      .replaceAll('{serial}', serial)
      .replaceAll('{real}', real)
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  }));
}

export const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)';
