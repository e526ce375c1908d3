// Issue 14 in the store (SQLite). Migration 8 on a store that already holds registrations: the quality columns, the
// writer and day of completion, enumerator_days, the nodes' counters and running maximum are all
// filled from what is stored, and agree with a recount; a push to an accepted district reopens it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import { D1, householdMutation, listingEntry, registration } from './fixtures.ts';
import { seedFixtures } from './harness.ts';
import { push } from './store-contract.ts';

describe('office counters in a store made before them (SQLite)', () => {
  it('[OM1] migration 8 backfills the quality columns, enumerator_days and the counters from the stored registrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-office-mig-'));
    const path = join(dir, 'db.sqlite');
    try {
      let store = await openSqliteStore(path);
      await seedFixtures(store);
      await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2), listingEntry(D1, 3)]);
      const a = registration(D1, {}, 3); // sexes 1, 2, 1: two males, one female
      const b = registration(D1, { listingId: `L-${D1}-002`, householdNo: '002', overrides: [{ rule: 'LISTING_COUNT', path: [], reason: 'confirmedWithRespondent', note: '' }] }, 2);
      const c = registration(D1, { listingId: `L-${D1}-003`, householdNo: '003', status: 'draft' }, 2);
      const res = await push(store, [householdMutation(a), householdMutation(b), householdMutation(c)], { userId: 'u-enum' });
      expect(res.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      await store.close();
      // Undo migration 8 as a store released before it holds the data, then reopen.
      const db = new Database(path);
      db.exec(`DROP TABLE enumerator_days; DROP TABLE acceptance; DROP TABLE acceptance_history; DROP TABLE daily_runs; DROP TABLE daily_progress;
        DROP INDEX registrations_completed;
        ${['user_id', 'males', 'females', 'under5', 'births_m', 'births_f', 'family', 'overridden', 'override_rules', 'completed_by', 'completed_day'].map((col) => `ALTER TABLE registrations DROP COLUMN ${col};`).join('\n')}
        ${['males', 'females', 'under5', 'births_m', 'births_f', 'fam_households', 'fam_persons', 'r_overridden', 'a_accepted', 'a_submitted', 'a_reopened', 'a_pending', 'max_per_day'].map((col) => `ALTER TABLE progress DROP COLUMN ${col};`).join('\n')}
        DELETE FROM schema_migrations WHERE version = 8`);
      db.close();
      store = await openSqliteStore(path);
      try {
        const ro = new Database(path, { readonly: true });
        const row = (id: string) => ro.prepare('SELECT user_id, males, females, family, overridden, override_rules, completed_by, completed_day FROM registrations WHERE id = ?').get(id);
        expect(row(a.id)).toEqual({ user_id: 'u-enum', males: 2, females: 1, family: 1, overridden: 0, override_rules: null, completed_by: 'u-enum', completed_day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string });
        expect(row(b.id)).toMatchObject({ overridden: 1, override_rules: '["LISTING_COUNT"]', completed_by: 'u-enum' });
        expect(row(c.id)).toMatchObject({ completed_by: null, completed_day: null });
        ro.close();
        const k = await store.progressConsistency();
        expect(k.maintained.get(D1)?.counts).toMatchObject({ persons: 7, males: 4, females: 3, fam_households: 3, fam_persons: 7, r_overridden: 1 });
        for (const [node, r] of k.recounted) expect({ node, counts: k.maintained.get(node)?.counts }).toEqual({ node, counts: r.counts });
        expect([...k.enumeratorDays.maintained.values()]).toEqual([{ complete: 2, overridden: 1 }]);
        expect(k.enumeratorDays.maintained).toEqual(k.enumeratorDays.recounted);
        expect([k.maxPerDay.maintained.get(D1), k.maxPerDay.maintained.get('13')]).toEqual([2, 2]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('acceptance reopened by a later push (SQLite)', () => {
  it('[OM2] a push to an accepted district is stored, reopens it in the same transaction, and the counters follow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-office-reopen-'));
    const path = join(dir, 'db.sqlite');
    try {
      let store = await openSqliteStore(path);
      await seedFixtures(store);
      await store.importListing([listingEntry(D1, 1), listingEntry(D1, 2)]);
      await store.close();
      // No endpoint accepts a district yet: the township's decision is written as it will be stored.
      const db = new Database(path);
      db.prepare("INSERT INTO acceptance (district_code, state, updated_at, pending_at_accept) VALUES (?, 'accepted', '2020-11-20T00:00:00.000Z', 0)").run(D1);
      db.close();
      store = await openSqliteStore(path);
      try {
        await store.rebuildProgress();
        expect((await store.progress(D1))?.node.counts).toMatchObject({ a_accepted: 1, a_reopened: 0 });
        const res = await push(store, [householdMutation(registration(D1))], { userId: 'u-enum' });
        expect(res.map((r) => r.status)).toEqual(['applied']);
        const ro = new Database(path, { readonly: true });
        expect(ro.prepare('SELECT state FROM acceptance WHERE district_code = ?').get(D1)).toEqual({ state: 'reopened' });
        expect(ro.prepare('SELECT action, user_id FROM acceptance_history WHERE district_code = ?').all(D1)).toEqual([{ action: 'reopen', user_id: 'u-enum' }]);
        ro.close();
        expect((await store.progress('13'))?.node.counts).toMatchObject({ a_accepted: 0, a_reopened: 1, r_complete: 1 });
        const k = await store.progressConsistency();
        for (const [node, r] of k.recounted) expect({ node, counts: k.maintained.get(node)?.counts }).toEqual({ node, counts: r.counts });
        // A second push to the reopened district adds no second reopen.
        await push(store, [householdMutation(registration(D1, { listingId: `L-${D1}-002`, householdNo: '002' }))], { userId: 'u-enum' });
        expect((await store.progress(D1))?.node.counts).toMatchObject({ a_accepted: 0, a_reopened: 1 });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
