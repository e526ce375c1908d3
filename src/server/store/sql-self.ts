// Self-enumeration codes on any SqlDriver (issue 13). A code is stored only as its SHA-256; the
// office issues codes for a district's notices, an enumerator's phone issues one at the door
// (its listing entry carries the hash, registered here in the push transaction). A submission
// writes the registration, the listing entry's new visit status, their revisions and the
// counters in one transaction, under the same key locks a push takes for that listing and
// household, so a submit and a phone's push of the same household are serialised.
import { ListingEntrySchema, type ListingEntry } from '../../domain/index.ts';
import type { ListingWrite, RegistrationWrite } from '../push-plan.ts';
import { indexCitizenIds } from './sql-duplicates.ts';
import { json, num, optStr, str, type Row, type SqlDriver, type SqlExec } from './sql-driver.ts';
import { ProgressDelta, REG_COUNTED_SELECT, applyProgress, countedFromRow, countedOf, regExtraValues } from './sql-progress.ts';
import { NOT_PUSHED_SET, REG_COLS, insertRows, nextSeq, replaceNotPushed } from './sql-push.ts';

export type SelfCodeOrigin = 'office' | 'phone';

export interface SelfCodeRow {
  hash: string;
  listingId: string;
  districtCode: string;
  origin: SelfCodeOrigin;
  issuedAt: string;
  revokedAt?: string;
  usedAt?: string;
  submissionId?: string;
  registrationId?: string;
}

/** What a code opens, as read from the store: the route decides whether it is valid. */
export interface SelfFound {
  code: SelfCodeRow;
  /** The listing entry (undefined when its stored data no longer parses, or it is gone). */
  entry?: ListingEntry;
  listingVersion: number;
  /** Every registration of the household, with who made it. */
  registrations: { id: string; source: string; status: string }[];
}

export type SelfPlan =
  | { kind: 'refuse' }
  | { kind: 'duplicate'; submittedAt: string }
  | { kind: 'write'; registration: RegistrationWrite; listing: ListingWrite };

export type SelfOutcome = { kind: 'refused' } | { kind: 'duplicate'; submittedAt: string } | { kind: 'written'; submittedAt: string };

function toCode(r: Row): SelfCodeRow {
  const origin = str(r, 'origin');
  if (origin !== 'office' && origin !== 'phone') throw new Error('bad self code origin');
  const opt = (col: string, key: keyof SelfCodeRow) => {
    const v = optStr(r, col);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    hash: str(r, 'hash'),
    listingId: str(r, 'listing_id'),
    districtCode: str(r, 'district_code'),
    origin,
    issuedAt: str(r, 'issued_at'),
    ...opt('revoked_at', 'revokedAt'),
    ...opt('used_at', 'usedAt'),
    ...opt('submission_id', 'submissionId'),
    ...opt('registration_id', 'registrationId'),
  };
}

async function find(q: SqlExec, hash: string): Promise<SelfFound | undefined> {
  const [c] = await q.all('SELECT * FROM self_codes WHERE hash = ?', [hash]);
  if (!c) return undefined;
  const code = toCode(c);
  const [l] = await q.all('SELECT data, version FROM listing WHERE id = ? AND district_code = ?', [code.listingId, code.districtCode]);
  const parsed = l ? ListingEntrySchema.safeParse(json(l, 'data')) : undefined;
  const regs = await q.all('SELECT id, status, data FROM registrations WHERE listing_id = ? AND district_code = ?', [code.listingId, code.districtCode]);
  return {
    code,
    ...(parsed?.success ? { entry: parsed.data } : {}),
    listingVersion: l ? num(l, 'version') : 0,
    registrations: regs.map((r) => {
      const data = json(r, 'data');
      const source = typeof data === 'object' && data !== null && 'source' in data && typeof data.source === 'string' ? data.source : 'enumerator';
      return { id: str(r, 'id'), source, status: str(r, 'status') };
    }),
  };
}

export function findSelfCode(db: SqlExec, hash: string): Promise<SelfFound | undefined> {
  return find(db, hash);
}

/**
 * Codes carried by listing entries a push writes (origin phone): each new hash is registered for
 * its household, and the household's earlier unused phone codes end (the phone shows only its
 * newest code). Called inside the push transaction, before the citizen-ID and counter locks.
 */
export async function registerPhoneCodes(q: SqlExec, lists: readonly ListingWrite[], at: string): Promise<void> {
  const withCode = lists.filter((l) => l.data.selfCode !== undefined);
  if (withCode.length === 0) return;
  const rows = withCode.map((l) => [l.data.selfCode?.hash, l.id, l.districtCode, 'phone', l.data.selfCode?.issuedAt ?? at]);
  await insertRows(q, 'self_codes', ['hash', 'listing_id', 'district_code', 'origin', 'issued_at'], rows, 'ON CONFLICT (hash) DO NOTHING');
  for (const l of withCode) {
    await q.run("UPDATE self_codes SET revoked_at = ? WHERE listing_id = ? AND origin = 'phone' AND hash <> ? AND used_at IS NULL AND revoked_at IS NULL", [at, l.id, l.data.selfCode?.hash]);
  }
}

/**
 * A new set of office codes for a district's notices: the district's earlier unused office codes
 * end, so only the newest printed sheet works. All or nothing; returns how many codes ended.
 */
export function issueOfficeCodes(db: SqlDriver, districtCode: string, codes: readonly { hash: string; listingId: string }[], at: string): Promise<{ revoked: number }> {
  return db.tx(async (q) => {
    await q.lockKeys([`self-office:${districtCode}`]);
    const revoked = await q.run("UPDATE self_codes SET revoked_at = ? WHERE district_code = ? AND origin = 'office' AND used_at IS NULL AND revoked_at IS NULL", [at, districtCode]);
    await insertRows(
      q,
      'self_codes',
      ['hash', 'listing_id', 'district_code', 'origin', 'issued_at'],
      codes.map((c) => [c.hash, c.listingId, districtCode, 'office', at]),
    );
    return { revoked };
  });
}

/**
 * One submission: the code and its household are read under the locks of the household's
 * listing entry, registration and code; `plan` decides (valid, a retry, or refused); a write
 * stores the registration and the listing entry as new versions with their revisions, marks the
 * code used and updates the counters.
 */
export function selfSubmit(db: SqlDriver, hash: string, registrationId: string, submissionId: string, at: string, plan: (found: SelfFound | undefined) => SelfPlan): Promise<SelfOutcome> {
  return db.tx(async (q): Promise<SelfOutcome> => {
    const first = await find(q, hash);
    if (!first) {
      plan(undefined);
      return { kind: 'refused' };
    }
    await q.lockKeys([`self:${hash}`, `listing:${first.code.listingId}`, `household:${registrationId}`]);
    const found = await find(q, hash);
    const p = plan(found);
    if (p.kind === 'refuse') return { kind: 'refused' };
    if (p.kind === 'duplicate') return p;
    const reg = p.registration;
    const delta = new ProgressDelta();
    const [old] = await q.all(`SELECT district_code, ${REG_COUNTED_SELECT} FROM registrations WHERE id = ?`, [reg.id]);
    const prior = old ? countedFromRow(old) : undefined;
    if (old && prior) delta.registration(str(old, 'district_code'), prior, -1);
    const [oldListing] = await q.all('SELECT district_code, visit_status FROM listing WHERE id = ?', [p.listing.id]);
    if (oldListing) delta.listing(str(oldListing, 'district_code'), str(oldListing, 'visit_status'), -1);
    delta.listing(p.listing.districtCode, p.listing.visitStatus, 1);
    const used = await q.run('UPDATE self_codes SET used_at = ?, submission_id = ?, registration_id = ? WHERE hash = ? AND used_at IS NULL', [at, submissionId, reg.id, hash]);
    if (used !== 1) throw new Error('self code changed under its lock');
    // The lock order of every write transaction: citizen IDs, server_seq, then the counters.
    await indexCitizenIds(q, [{ id: reg.id, districtCode: reg.districtCode, householdNo: reg.householdNo, data: reg.data }]);
    const seq = await nextSeq(q, 2);
    const c = countedOf(reg, null, at, prior);
    delta.registration(reg.districtCode, c, 1);
    delta.wrote(reg.districtCode, at);
    const regText = JSON.stringify(reg.data);
    const listText = JSON.stringify(p.listing.data);
    await insertRows(
      q,
      'registrations',
      REG_COLS,
      [[reg.id, reg.districtCode, reg.listingId, reg.householdNo, reg.form, reg.status, reg.version, reg.persons, reg.errors, reg.warnings, c.births, c.deaths, c.self, c.verified, regText, seq, at, ...regExtraValues(c)]],
      replaceNotPushed(REG_COLS),
    );
    const l = p.listing;
    await q.run(`UPDATE listing SET visit_status = ?, version = ?, data = ?, seq = ?, ${NOT_PUSHED_SET} WHERE id = ?`, [l.visitStatus, l.version, listText, seq + 1, l.id]);
    await insertRows(
      q,
      'revisions',
      ['entity', 'entity_id', 'district_code', 'version', 'base_version', 'status', 'data', 'received_at'],
      [
        ['household', reg.id, reg.districtCode, reg.version, reg.version - 1, 'applied', regText, at],
        ['listing', l.id, l.districtCode, l.version, l.version - 1, 'applied', listText, at],
      ],
    );
    await applyProgress(q, delta);
    return { kind: 'written', submittedAt: at };
  });
}

/** The codes of a district by origin (tests and the CLI's report), without their households' data. */
export async function selfCodesOf(q: SqlExec, districtCode: string): Promise<SelfCodeRow[]> {
  return (await q.all('SELECT * FROM self_codes WHERE district_code = ? ORDER BY issued_at, hash', [districtCode])).map(toCode);
}
