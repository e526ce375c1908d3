// Practice mode (issue 15): a district of generated households in a database of its own, where
// every form, check, outcome and review query works as in a real district and nothing ever
// leaves the phone. By construction: the practice database has another IndexedDB name, the sync
// engine and the unsynced export refuse it (PuchaDb.practice), and the only thing that crosses to
// the real store is a summary of counts (completed households, completion attempts, errors left at
// them), queued as an ordinary `practiceSummary` mutation in the real outbox.
//
// Loaded lazily: the generator and this module stay out of the start-up bundle.
import { generateDistrict } from '../../domain/generate.ts';
import { practiceSummaryEntityId, type PracticeSummary, type ReviewQuery } from '../../domain/api.ts';
import { PRACTICE_DB_NAME, PuchaDb } from '../db/database.ts';
import { getMeta, setMeta } from '../db/meta.ts';
import { enqueue, enqueueTables } from '../db/write.ts';

export { PRACTICE_DB_NAME };
/** A district code no real district has: county code 000000 does not exist in GB/T 2260. */
export const PRACTICE_DISTRICT_CODE = '000000000000001';
export const PRACTICE_HOUSEHOLDS = 12;

const EMPTY_STATS: PracticeSummary = { completed: 0, attempts: 0, errorsAtAttempts: 0, households: 0, resets: 0 };

export interface PracticeSession {
  db: PuchaDb;
  /** One tap of 完成登记 in practice: `errors` blocking findings (and missing answers) left, `completed` when it went through. */
  recordAttempt: (a: { listingId: string; errors: number; completed: boolean }) => Promise<void>;
  /** Deletes every practice household and generates a new district. */
  reset: () => Promise<PracticeSession>;
  close: () => void;
}

/** The practice counts of this phone's user (kept in the real store's meta, which has no personal data here). */
export async function practiceStats(real: PuchaDb): Promise<PracticeSummary> {
  return (await getMeta(real, 'practice')) ?? EMPTY_STATS;
}

/**
 * Opens (seeding on first use) the practice district for `userId`. The practice rows are encrypted
 * with the same data key as the real ones (the vault must be unlocked).
 */
export async function openPractice(real: PuchaDb, userId: string, seed = Math.floor(Math.random() * 2 ** 31)): Promise<PracticeSession> {
  if (real.practice) throw new Error('openPractice needs the real store');
  const key = real.vault.dataKey();
  if (!key) throw new Error('the store is locked');
  const db = new PuchaDb(PRACTICE_DB_NAME, { dataKey: key, practice: true, now: real.now, newId: real.newId, ...dexieDeps(real) });
  await db.open();
  const owner = await getMeta(db, 'owner');
  if (owner && owner.userId !== userId) {
    // Another user's practice: never shown to this one.
    await db.delete();
    return openPractice(real, userId, seed);
  }
  if ((await db.districts.count()) === 0) await seedPractice(real, db, userId, seed);
  return session(real, db, userId);
}

const dexieDeps = (real: PuchaDb) => real.idb;

function session(real: PuchaDb, db: PuchaDb, userId: string): PracticeSession {
  return {
    db,
    recordAttempt: (a) => recordAttempt(real, db, userId, a),
    reset: async () => {
      await db.delete();
      await bump(real, userId, (s) => ({ ...s, resets: s.resets + 1 }));
      return openPractice(real, userId);
    },
    close: () => db.close(),
  };
}

async function seedPractice(real: PuchaDb, db: PuchaDb, userId: string, seed: number): Promise<void> {
  // A quarter already registered (examples to open, one with a review query to answer); the rest
  // wait at the door as in a real district.
  const g = generateDistrict({ seed, code: PRACTICE_DISTRICT_CODE, enumerators: [userId], households: PRACTICE_HOUSEHOLDS, registeredShare: 0.25 });
  const at = new Date(db.now()).toISOString();
  const district = { ...g.district, name: '练习小区', code: PRACTICE_DISTRICT_CODE };
  const first = g.registrations[0];
  const firstNo = first ? g.listing.find((e) => e.id === first.listingId)?.householdNo : undefined;
  const queries: ReviewQuery[] = first
    ? [
        {
          id: `practice-query-${seed}`,
          category: 'other',
          origin: 'query',
          householdId: first.id,
          districtCode: PRACTICE_DISTRICT_CODE,
          ...(firstNo !== undefined && { householdNo: firstNo }),
          message: '练习：请核实户主的出生年月与公民身份号码是否一致。',
          status: 'open',
          createdBy: 'practice',
          createdAt: at,
          version: 1,
        },
      ]
    : [];
  await db.transaction('rw', [db.districts, db.listing, db.registrations, db.queries, db.meta], async () => {
    await db.districts.put(district);
    await db.listing.bulkPut(g.listing);
    await db.registrations.bulkPut(g.registrations);
    await db.queries.bulkPut(queries);
    await setMeta(db, 'owner', { userId, username: userId });
    await setMeta(db, 'practiceCompleted', []);
  });
  await bump(real, userId, (s) => s);
}

async function recordAttempt(real: PuchaDb, db: PuchaDb, userId: string, a: { listingId: string; errors: number; completed: boolean }): Promise<void> {
  let newlyCompleted = false;
  let started = false;
  await db.transaction('rw', db.meta, async () => {
    const done = (await getMeta(db, 'practiceCompleted')) ?? [];
    const tried = (await getMeta(db, 'practiceTried')) ?? [];
    if (!tried.includes(a.listingId)) {
      started = true;
      await setMeta(db, 'practiceTried', [...tried, a.listingId]);
    }
    if (a.completed && !done.includes(a.listingId)) {
      newlyCompleted = true;
      await setMeta(db, 'practiceCompleted', [...done, a.listingId]);
    }
  });
  await bump(real, userId, (s) => ({
    ...s,
    attempts: s.attempts + 1,
    errorsAtAttempts: s.errorsAtAttempts + Math.max(0, a.errors),
    completed: s.completed + (newlyCompleted ? 1 : 0),
    households: s.households + (started ? 1 : 0),
  }));
}

/** Updates the counts and queues them for the supervisor in one transaction of the real store. */
async function bump(real: PuchaDb, userId: string, f: (s: PracticeSummary) => PracticeSummary): Promise<void> {
  await real.transaction('rw', enqueueTables(real), async () => {
    const next = f((await getMeta(real, 'practice')) ?? EMPTY_STATS);
    await setMeta(real, 'practice', next);
    // Counts only: no name, no answer, no household of the practice district.
    await enqueue(real, { entity: 'practiceSummary', entityId: practiceSummaryEntityId(userId), baseVersion: 0, data: { ...next } });
  });
}
