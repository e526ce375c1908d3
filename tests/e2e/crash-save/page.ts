// In-browser side of R9 (crash mid-save): the REAL phone store (openDb with the app's database
// name and schema, saveRegistration) on Chromium's IndexedDB. Exposes window.__r9 (see api.ts).
import { openDb, OutboxRowSchema, getMeta, saveRegistration, setMeta, type PuchaDb } from '../../../src/client/db/index.ts';
import { choosePin, unlockWithPin } from '../../../src/client/db/lock.ts';
import { generateDistrict, mulberry32 } from '../../../src/domain/index.ts';
import { ACK, DISTRICT_CODE, DISTRICT_SEED, FAIL, HOUSEHOLDS, type Ack, type CrashApi, type Snapshot } from './api.ts';

const generated = generateDistrict({ seed: DISTRICT_SEED, code: DISTRICT_CODE, enumerators: ['demo-enumerator'], households: HOUSEHOLDS, registeredShare: 1 });
const PIN = '604918';

/**
 * The store as the app has it: encrypted, its key wrapped by a PIN. The first load makes the
 * vault (as a sign-in would), every relaunch after a kill unlocks it with the PIN.
 */
async function openUnlocked(): Promise<PuchaDb> {
  const db = await openDb();
  if (db.vault.state() === 'locked') {
    const r = await unlockWithPin(db, PIN);
    if (!r.ok) throw new Error(`unlock: ${JSON.stringify(r)}`);
  } else if (db.vault.state() === 'none') {
    const p = await db.vault.prepare('u-crash', 'A'.repeat(43), new Date());
    await setMeta(db, 'vault', p.record);
    db.vault.commit(p);
    const c = await choosePin(db, PIN);
    if (!c.ok) throw new Error(`PIN: ${c.problem}`);
  }
  return db;
}
const dbPromise: Promise<PuchaDb> = openUnlocked();

const fail = (what: string) => {
  document.title = 'r9-failed';
  console.log(FAIL + what);
};

async function setup(): Promise<{ households: number }> {
  const db = await dbPromise;
  await db.transaction('rw', [db.districts, db.listing], async () => {
    await db.districts.put(generated.district);
    await db.listing.bulkPut(generated.listing);
  });
  return { households: generated.registrations.length };
}

async function run(round: number, seed: number): Promise<never> {
  const db = await dbPromise;
  const rng = mulberry32(seed);
  const regs = generated.registrations;
  for (let n = 0; ; n++) {
    const reg = regs[Math.floor(rng() * regs.length)];
    if (!reg) throw new Error('no registrations');
    // Alternate draft and complete saves so the stored payload changes from save to save.
    const { version: _v, updatedAt: _u, ...input } = reg;
    const r = await saveRegistration(db, { ...input, status: n % 3 === 0 ? 'draft' : 'complete' });
    if (!r.ok) {
      fail(`save ${round}/${n} of ${reg.id}: ${JSON.stringify(r)}`);
      throw new Error(`save failed: ${r.reason}`);
    }
    const ack: Ack = { round, n, id: r.registration.id, version: r.registration.version, mutationId: r.mutationId };
    console.log(ACK + JSON.stringify(ack));
  }
}

async function inspect(): Promise<Snapshot> {
  const db = await dbPromise;
  return db.transaction('r', [db.registrations, db.outbox, db.recordState, db.meta], async () => {
    const registrations = (await db.registrations.toArray()).map((r) => ({ id: r.id, version: r.version }));
    const outbox = (await db.outbox.orderBy('seq').toArray()).map((row) => {
      const o = OutboxRowSchema.parse(row);
      return { seq: o.seq, id: o.id, entity: o.entity, entityId: o.entityId, baseVersion: o.baseVersion, deviceSeq: o.deviceSeq, dataId: o.data.id, dataVersion: o.data.version };
    });
    const recordState = (await db.recordState.toArray()).map((s) => ({ key: s.key, entity: s.entity, entityId: s.entityId, state: s.state, version: s.version }));
    return { registrations, outbox, recordState, deviceSeq: (await getMeta(db, 'deviceSeq')) ?? 0 };
  });
}

window.addEventListener('unhandledrejection', (e) => fail(`unhandled rejection: ${String(e.reason)}`));
const api: CrashApi = { setup, run, inspect };
Object.assign(window, { __r9: api });
dbPromise.then(
  () => (document.title = 'r9-ready'),
  (e: unknown) => fail(`openDb: ${String(e)}`),
);
