// Staff turnover end to end (issue 8): enumerator A queues households offline, the office moves
// the district to enumerator B, A's phone comes back online and delivers (accepted within the
// grace period, never quarantined), A's phone then drops the district, and B's phone pulls A's
// households. The real sync engine on fake-indexeddb against the real server on a SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { listingOfDistrict, openDb, outboxStats, recordState, registrationByListingId, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { SyncEngine } from '../../src/client/sync/index.ts';
import { openSqliteStore } from '../../src/server/index.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { draftFor, fakeClock, idFactory, TEST_KEY } from './fixtures.ts';
import { ManualTimers } from './fake-server.ts';
import { LIVE_BASE, LiveServer } from './live-server.ts';

const D1 = '130102001003001'; // demo-enumerator's district, moved to demo-enumerator-2

let server: LiveServer;
beforeAll(async () => {
  server = await LiveServer.create({ households: 20 });
});
afterAll(async () => {
  await server.dispose();
});

interface Phone {
  db: PuchaDb;
  engine: SyncEngine;
  username: string;
}

let n = 0;
async function phone(username: string): Promise<Phone> {
  const clock = fakeClock(Date.now());
  const db = await openDb(`turnover-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange, dataKey: TEST_KEY, now: clock.now, newId: idFactory('to') });
  const engine = new SyncEngine({ db, fetch: server.fetch, now: clock.now, baseUrl: LIVE_BASE, setTimer: new ManualTimers().setTimer, random: () => 0.5 });
  await engine.start();
  const r = await engine.signIn(username, 'pucha-demo');
  if (!r.ok) throw new Error(`sign-in ${username}: ${r.message}`);
  await quiesce({ db, engine, username });
  return { db, engine, username };
}

async function quiesce(p: Phone): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const out = await p.engine.syncNow();
    if (out.kind === 'ok' && (await outboxStats(p.db)).count === 0) return;
  }
  throw new Error(`no quiescence: ${JSON.stringify(p.engine.getState())}`);
}

describe('turnover', () => {
  it('[TO1] queued offline, district reassigned, delivered after: nothing lost, nothing quarantined; the new enumerator pulls it', async () => {
    const a = await phone('demo-enumerator');
    const open = [];
    for (const e of await listingOfDistrict(a.db, D1)) if (!(await registrationByListingId(a.db, e.id))) open.push(e);
    const work = open.slice(0, 3);
    expect(work).toHaveLength(3);

    server.offline = true;
    const ids: string[] = [];
    for (const e of work) {
      const r = await saveRegistration(a.db, draftFor(e, 2, 'turnover'));
      if (!r.ok) throw new Error(r.reason);
      ids.push(r.registration.id);
    }
    expect((await outboxStats(a.db)).count).toBe(3);

    // The office moves the district while A is out of signal.
    await server.stop();
    const store = await openSqliteStore(server.path);
    const lines: string[] = [];
    const code = await runCli(['reassign', '--district', D1, '--to', 'demo-enumerator-2'], store, { stdin: () => Promise.resolve(''), out: (l) => lines.push(l), err: (l) => lines.push(l), now: () => new Date() });
    await store.close();
    expect(code, lines.join('\n')).toBe(0);
    await server.start();

    server.offline = false;
    await quiesce(a);
    const statuses = server.mutationStatuses();
    const mine = server.revisions().filter((r) => ids.includes(r.entityId));
    expect(mine).toHaveLength(3);
    for (const r of mine) expect(statuses.get(r.mutationId)).toBe('applied');
    for (const id of ids) expect((await recordState(a.db, 'household', id))?.state).not.toBe('rejected');
    expect(a.engine.getState().rejected).toBe(0);
    // the district has left A's phone (tombstones), queue empty
    expect(await listingOfDistrict(a.db, D1)).toEqual([]);
    for (const id of ids) expect(await a.db.registrations.get(id)).toBeUndefined();

    const b = await phone('demo-enumerator-2');
    expect((await listingOfDistrict(b.db, D1)).length).toBeGreaterThanOrEqual(20);
    for (const id of ids) expect(await b.db.registrations.get(id)).toMatchObject({ id, districtCode: D1 });
    a.engine.stop();
    b.engine.stop();
  });
});
