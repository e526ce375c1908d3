// Citizen IDs across households (issue 11): §6A.6 beyond one household. Every write of a
// registration replaces that registration's rows in `citizen_ids` in the same transaction, so
// the index always matches the current registrations and a read never scans them:
//
// - `citizen_ids` has one row per (ID, registration): an ID repeated inside one household is one
//   row (the in-household check ID_DUPLICATE reports that case), and `dup` = 1 marks the rows of
//   an ID that more than one registration holds. The partial index on (district_code,
//   citizen_id) WHERE dup = 1 lets a scoped read start from the few duplicated rows of its
//   districts.
// - `citizen_id_counts` holds the number of registrations per ID, and a serial number that pages
//   the groups (so no citizen ID ever travels in a URL as a cursor). Every ID of a registration
//   being rewritten is upserted, in sorted order, before `dup` is decided: on PostgreSQL the
//   upsert's row lock serialises two transactions that touch the same ID in different
//   households, so the later one decides from the earlier one's committed count (an advisory
//   lock per ID would not be bounded: a collective household holds hundreds of IDs). The sorted
//   order and taking these locks before server_seq keep lock waits free of cycles.
//
// Cost per registration written: one indexed read of its old rows; nothing more when its IDs,
// names, places and writer are unchanged (most saves); otherwise one upsert per ID it holds or
// loses and one indexed update per ID.
import { checkCitizenId, normalizeCitizenId, upgradeLegacyCitizenId } from '../../domain/index.ts';
import { flatRows, marks, num, optStr, str, type Row, type SqlExec } from './sql-driver.ts';
import { scopeSql, type Scope } from './scope.ts';
import type { DuplicateGroup, DuplicateHousehold } from './store.ts';

/**
 * The key an ID is indexed under: spaces stripped, upper case, a legacy 15-digit number upgraded
 * to 18 characters; undefined unless the result is a valid ID. An invalid ID is already a
 * blocking finding at its field, and placeholders such as eighteen zeros would otherwise pair
 * every household that typed one.
 */
export function citizenIdKey(raw: string): string | undefined {
  const n = normalizeCitizenId(raw);
  const id = /^\d{15}$/.test(n) ? (upgradeLegacyCitizenId(n) ?? n) : n;
  return checkCitizenId(id).ok ? id : undefined;
}

/** The living persons' IDs of a registration's data, first occurrence per key (deaths are not persons here, as in duplicateCitizenIds). */
export function citizenIdsOf(data: unknown): { key: string; index: number; name?: string }[] {
  const persons = typeof data === 'object' && data !== null && 'persons' in data ? (data as { persons?: unknown }).persons : undefined;
  if (!Array.isArray(persons)) return [];
  const out = new Map<string, { key: string; index: number; name?: string }>();
  persons.forEach((p: unknown, index) => {
    if (typeof p !== 'object' || p === null) return;
    const { citizenId, name } = p as { citizenId?: unknown; name?: unknown };
    if (typeof citizenId !== 'string') return;
    const key = citizenIdKey(citizenId);
    if (key === undefined || out.has(key)) return;
    out.set(key, { key, index, ...(typeof name === 'string' ? { name } : {}) });
  });
  return [...out.values()];
}

/** What the index needs of one registration write. */
export interface IndexedRegistration {
  id: string;
  districtCode: string;
  householdNo: string;
  /** The account that wrote it (undefined for an office import). */
  userId?: string;
  data: unknown;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One row of `citizen_ids` as the columns are written, for the "unchanged" comparison. */
const rowText = (key: string, districtCode: string, householdNo: string, index: number, name: string | null, userId: string | null) =>
  JSON.stringify([key, districtCode, householdNo, index, name, userId]);

/**
 * Replaces the index rows of these registrations (the last write of each id wins) and updates
 * the duplicate flags of every ID they hold or lost. Runs in the caller's write transaction,
 * with the registrations' keys locked, before it takes the server_seq row lock.
 */
export async function indexCitizenIds(q: SqlExec, regs: readonly IndexedRegistration[]): Promise<void> {
  if (regs.length === 0) return;
  const latest = [...new Map(regs.map((r) => [r.id, r])).values()];
  // Old rows by registration id (indexed).
  const old = new Map<string, { keys: Set<string>; rows: Set<string> }>();
  const ids = latest.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const r of await q.all(
      `SELECT citizen_id, registration_id, district_code, household_no, person_index, person_name, user_id FROM citizen_ids WHERE registration_id IN (${marks(part.length)})`,
      part,
    )) {
      const rid = str(r, 'registration_id');
      const o = old.get(rid) ?? { keys: new Set<string>(), rows: new Set<string>() };
      const key = str(r, 'citizen_id');
      o.keys.add(key);
      o.rows.add(
        rowText(
          key,
          str(r, 'district_code'),
          str(r, 'household_no'),
          num(r, 'person_index'),
          optStr(r, 'person_name') ?? null,
          optStr(r, 'user_id') ?? null,
        ),
      );
      old.set(rid, o);
    }
  }
  // Registrations whose rows change; the others are left exactly as they are.
  const rewrite: { reg: IndexedRegistration; fresh: ReturnType<typeof citizenIdsOf> }[] = [];
  for (const reg of latest) {
    const fresh = citizenIdsOf(reg.data);
    const o = old.get(reg.id);
    if (!o) {
      // No rows yet (a new registration, most pushes): nothing to compare.
      if (fresh.length > 0) rewrite.push({ reg, fresh });
      continue;
    }
    if (o.rows.size === fresh.length && fresh.every((e) => o.rows.has(rowText(e.key, reg.districtCode, reg.householdNo, e.index, e.name ?? null, reg.userId ?? null)))) continue;
    rewrite.push({ reg, fresh });
  }
  if (rewrite.length === 0) return;
  // Every ID these rewrites hold or held, with the change in its number of registrations.
  const delta = new Map<string, number>();
  for (const { reg, fresh } of rewrite) {
    const before = old.get(reg.id)?.keys ?? new Set<string>();
    const after = new Set(fresh.map((e) => e.key));
    for (const k of after) delta.set(k, (delta.get(k) ?? 0) + (before.has(k) ? 0 : 1));
    for (const k of before) if (!after.has(k)) delta.set(k, (delta.get(k) ?? 0) - 1);
  }
  // Upserted in sorted order (the lock order); the count each ID has after this write.
  const touched = [...delta.entries()].sort(([a], [b]) => byKey(a, b));
  const count = new Map<string, number>();
  for (let i = 0; i < touched.length; i += 500) {
    const part = touched.slice(i, i + 500);
    const rows = await q.all(
      `INSERT INTO citizen_id_counts (citizen_id, households) VALUES ${part.map(() => '(?, ?)').join(', ')}
       ON CONFLICT (citizen_id) DO UPDATE SET households = citizen_id_counts.households + excluded.households RETURNING citizen_id, households`,
      flatRows(part),
    );
    for (const r of rows) count.set(str(r, 'citizen_id'), num(r, 'households'));
  }
  const gone = [...count].filter(([, n]) => n <= 0).map(([k]) => k);
  for (let i = 0; i < gone.length; i += 500) {
    const part = gone.slice(i, i + 500);
    await q.run(`DELETE FROM citizen_id_counts WHERE citizen_id IN (${marks(part.length)}) AND households <= 0`, part);
  }
  const isDup = (k: string) => (count.get(k) ?? 0) > 1;

  const rids = rewrite.map((w) => w.reg.id);
  for (let i = 0; i < rids.length; i += 500) {
    const part = rids.slice(i, i + 500);
    await q.run(`DELETE FROM citizen_ids WHERE registration_id IN (${marks(part.length)})`, part);
  }
  const cols = ['citizen_id', 'registration_id', 'district_code', 'household_no', 'person_index', 'person_name', 'user_id', 'dup'];
  const rows = rewrite.flatMap(({ reg, fresh }) =>
    fresh.map((e) => [e.key, reg.id, reg.districtCode, reg.householdNo, e.index, e.name ?? null, reg.userId ?? null, isDup(e.key) ? 1 : 0]),
  );
  const per = Math.floor(2000 / cols.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await q.run(
      `INSERT INTO citizen_ids (${cols.join(', ')}) VALUES ${chunk.map(() => `(${marks(cols.length)})`).join(', ')}`,
      flatRows(chunk),
    );
  }
  // The other registrations' rows of every ID whose count this write changed or confirmed.
  for (const flag of [1, 0] as const) {
    const keys = [...count.keys()].filter((k) => (isDup(k) ? 1 : 0) === flag);
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      await q.run(`UPDATE citizen_ids SET dup = ? WHERE citizen_id IN (${marks(part.length)}) AND dup <> ?`, [flag, ...part, flag]);
    }
  }
}

/** Builds the index from the registrations already stored (the migration that adds it; a full read, once). */
export async function backfillCitizenIds(q: SqlExec): Promise<number> {
  let after = '';
  let n = 0;
  for (;;) {
    const rows = await q.all('SELECT id, district_code, household_no, data FROM registrations WHERE id > ? ORDER BY id LIMIT 500', [after]);
    if (rows.length === 0) return n;
    // The writer of each one's current version, from its latest revision (undefined for an import).
    const ids = rows.map((r) => str(r, 'id'));
    const writers = new Map<string, string>();
    for (const r of await q.all(
      `SELECT entity_id, user_id FROM revisions WHERE entity_id IN (${marks(ids.length)}) AND status = 'applied' AND user_id IS NOT NULL ORDER BY id`,
      ids,
    )) {
      const u = optStr(r, 'user_id');
      if (u !== undefined) writers.set(str(r, 'entity_id'), u);
    }
    await indexCitizenIds(
      q,
      rows.map((r) => {
        const id = str(r, 'id');
        const userId = writers.get(id);
        return {
          id,
          districtCode: str(r, 'district_code'),
          householdNo: str(r, 'household_no'),
          ...(userId !== undefined ? { userId } : {}),
          data: JSON.parse(str(r, 'data')) as unknown,
        };
      }),
    );
    n += rows.length;
    after = ids[ids.length - 1] ?? after;
  }
}

/** Members of these IDs' groups, each marked inside or outside the scope, with the writer's name. */
async function groupsOf(q: SqlExec, scope: Scope, keys: readonly string[]): Promise<DuplicateGroup[]> {
  if (keys.length === 0) return [];
  const w = scopeSql(scope, 'c.district_code');
  const rows = await q.all(
    `SELECT c.citizen_id, c.registration_id, c.district_code, c.household_no, c.person_index, c.person_name, u.username, u.name AS user_name,
            CASE WHEN ${w.sql} THEN 1 ELSE 0 END AS in_scope
       FROM citizen_ids c LEFT JOIN users u ON u.id = c.user_id
      WHERE c.citizen_id IN (${marks(keys.length)})
      ORDER BY c.citizen_id, c.district_code, c.household_no, c.registration_id`,
    [...w.params, ...keys],
  );
  const groups = new Map<string, DuplicateHousehold[]>(keys.map((k) => [k, []]));
  for (const r of rows) groups.get(str(r, 'citizen_id'))?.push(household(r));
  // A group reaches the answer only while it is still a duplicate with a household in scope.
  return [...groups]
    .filter(([, hs]) => hs.length > 1 && hs.some((h) => h.inScope))
    .map(([citizenId, households]) => ({ citizenId, households }));
}

/**
 * A household outside the caller's scope is named by its district, household number and
 * enumerator only: no registration id, no person, no name (README "Duplicate citizen IDs").
 */
function household(r: Row): DuplicateHousehold {
  const username = optStr(r, 'username');
  const userName = optStr(r, 'user_name');
  const enumerator = username !== undefined ? { username, name: userName ?? username } : null;
  const base = { districtCode: str(r, 'district_code'), householdNo: str(r, 'household_no'), enumerator };
  if (num(r, 'in_scope') !== 1) return { inScope: false, ...base };
  const name = optStr(r, 'person_name');
  return {
    inScope: true,
    registrationId: str(r, 'registration_id'),
    ...base,
    person: { index: num(r, 'person_index'), ...(name !== undefined ? { name } : {}) },
  };
}

/**
 * Duplicated IDs with at least one household in the scope, by group number after `afterGroup`.
 * Starts from the partial index of duplicated rows in the scope's districts, so it costs what
 * the scope's duplicates cost, never the store's size.
 */
export async function listDuplicates(
  q: SqlExec,
  scope: Scope,
  afterGroup: number,
  limit: number,
): Promise<{ groups: DuplicateGroup[]; next?: number }> {
  if (scope.kind === 'none') return { groups: [] };
  const w = scopeSql(scope, 'c.district_code');
  const page = await q.all(
    `SELECT DISTINCT k.id, k.citizen_id FROM citizen_ids c JOIN citizen_id_counts k ON k.citizen_id = c.citizen_id
      WHERE c.dup = 1 AND ${w.sql} AND k.id > ? ORDER BY k.id LIMIT ?`,
    [...w.params, afterGroup, limit],
  );
  const groups = await groupsOf(
    q,
    scope,
    page.map((r) => str(r, 'citizen_id')),
  );
  const last = page.at(-1);
  return { groups, ...(page.length === limit && last ? { next: num(last, 'id') } : {}) };
}

/** The index as maintained and as recounted from the registrations (tests of its consistency; full reads). */
export async function duplicateConsistency(q: SqlExec): Promise<{ maintained: string[]; recounted: string[] }> {
  // Sorted here, not by the database: PostgreSQL's collation need not be byte order.
  const maintained = (await q.all('SELECT citizen_id, registration_id, dup FROM citizen_ids'))
    .map((r) => `${str(r, 'citizen_id')} ${str(r, 'registration_id')} ${num(r, 'dup')}`)
    .sort(byKey);
  const all: { key: string; reg: string }[] = [];
  for (const r of await q.all('SELECT id, data FROM registrations'))
    for (const e of citizenIdsOf(JSON.parse(str(r, 'data')) as unknown)) all.push({ key: e.key, reg: str(r, 'id') });
  const n = new Map<string, number>();
  for (const e of all) n.set(e.key, (n.get(e.key) ?? 0) + 1);
  const counts = (await q.all('SELECT citizen_id, households FROM citizen_id_counts'))
    .map((r) => `${str(r, 'citizen_id')} ${num(r, 'households')}`)
    .sort(byKey);
  const expectedCounts = [...n].sort(([a], [b]) => byKey(a, b)).map(([k, c]) => `${k} ${c}`);
  const recounted = all.map((e) => `${e.key} ${e.reg} ${(n.get(e.key) ?? 0) > 1 ? 1 : 0}`).sort(byKey);
  return {
    maintained: [...maintained, ...counts.map((c) => `count ${c}`)],
    recounted: [...recounted, ...expectedCounts.map((c) => `count ${c}`)],
  };
}
