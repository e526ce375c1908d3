// The cheaper paths of a push (issue 17): standalone SQLite statements sent to the worker
// together, the SQL helpers' cached placeholder lists, and the depth walk of a pushed mutation.
// Each must answer exactly what the plain path answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { nestedDeeper } from '../../src/server/push-prepare.ts';
import { flatRows, marks, type SqlDriver } from '../../src/server/store/sql-driver.ts';
import { openSqliteStore, SqliteError } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';

describe('standalone SQLite statements sent together', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });

  async function open(): Promise<{ d: SqlDriver; path: string }> {
    dir = mkdtempSync(join(tmpdir(), 'pucha-hot-'));
    const path = join(dir, 'db.sqlite');
    let driver: SqlDriver | undefined;
    store = await openSqliteStore(path, {
      wrap: (d) => {
        driver = d;
        return d;
      },
    });
    if (!driver) throw new Error('no driver');
    await driver.run('CREATE TABLE hot_t (a INTEGER PRIMARY KEY, b TEXT)');
    return { d: driver, path };
  }

  /** Holds the connection in a transaction until `release` is called, so the statements after it queue up. */
  function hold(d: SqlDriver): { release: () => void; done: Promise<void> } {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    return { release: () => release(), done: d.tx(() => gate) };
  }

  it('answers each statement of a batch as if it ran alone: a failing one fails alone, the others commit', async () => {
    const { d, path } = await open();
    const h = hold(d);
    const p1 = d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [1, 'one']);
    const p2 = d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [1, 'again']); // primary key taken
    const p3 = d.all('SELECT count(*) AS n FROM hot_t');
    const p4 = d.all('INSERT INTO hot_t (a, b) VALUES (?, ?) RETURNING a', [2, 'two']);
    const p5 = d.all('SELECT nonsense FROM no_such_table');
    const p6 = d.run('UPDATE hot_t SET b = ? WHERE a = ?', ['uno', 1]);
    h.release();
    await h.done;
    const settled = await Promise.allSettled([p1, p2, p3, p4, p5, p6]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(settled[1].status).toBe('rejected');
    if (settled[1].status === 'rejected') {
      expect(settled[1].reason).toBeInstanceOf(SqliteError);
      expect((settled[1].reason as SqliteError).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    }
    expect(settled[2]).toEqual({ status: 'fulfilled', value: [{ n: 1 }] });
    expect(settled[3]).toEqual({ status: 'fulfilled', value: [{ a: 2 }] });
    expect(settled[4].status).toBe('rejected');
    expect(settled[5]).toEqual({ status: 'fulfilled', value: 1 });
    // committed: another connection sees exactly the statements that succeeded
    const other = new Database(path, { readonly: true });
    try {
      expect(other.prepare('SELECT a, b FROM hot_t ORDER BY a').all()).toEqual([
        { a: 1, b: 'uno' },
        { a: 2, b: 'two' },
      ]);
    } finally {
      other.close();
    }
  });

  it('answers the writes of a batch that commits together only after that commit', async () => {
    const { d, path } = await open();
    const h = hold(d);
    const writes = [1, 2, 3].map((a) => d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [a, `v${a}`]));
    const seenAtAnswer = writes[0]!.then(() => {
      const peek = new Database(path, { readonly: true });
      try {
        return peek.prepare('SELECT a FROM hot_t ORDER BY a').all();
      } finally {
        peek.close();
      }
    });
    h.release();
    await h.done;
    expect(await Promise.all(writes)).toEqual([1, 1, 1]);
    expect(await seenAtAnswer).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('keeps the order of calls around transactions', async () => {
    const { d } = await open();
    const h = hold(d);
    const before = d.all('SELECT count(*) AS n FROM hot_t');
    const tx = d.tx(async (q) => {
      await q.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [10, 'tx']);
      return q.all('SELECT count(*) AS n FROM hot_t');
    });
    // called after the transaction: must see it, never run ahead of it in the earlier batch
    const after = d.all('SELECT count(*) AS n FROM hot_t');
    const write = d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [11, 'after']);
    const last = d.all('SELECT count(*) AS n FROM hot_t');
    h.release();
    await h.done;
    expect(await before).toEqual([{ n: 0 }]);
    expect(await tx).toEqual([{ n: 1 }]);
    expect(await after).toEqual([{ n: 1 }]);
    expect(await write).toBe(1);
    expect(await last).toEqual([{ n: 2 }]);
  });

  it('answers many concurrent statements, more than one batch holds, each with its own result', async () => {
    const { d } = await open();
    const h = hold(d);
    const writes = Array.from({ length: 200 }, (_, i) => d.all('INSERT INTO hot_t (a, b) VALUES (?, ?) RETURNING a, b', [i, `v${i}`]));
    const dup = Promise.allSettled([d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [5, 'dup'])]);
    h.release();
    await h.done;
    const rows = await Promise.all(writes);
    rows.forEach((r, i) => expect(r).toEqual([{ a: i, b: `v${i}` }]));
    const [refused] = await dup;
    expect(refused?.status === 'rejected' ? String(refused.reason) : refused).toMatch(/UNIQUE|PRIMARY/);
    expect(await d.all('SELECT count(*) AS n FROM hot_t')).toEqual([{ n: 200 }]);
  });

  it('refuses a parameter it cannot bind for that statement only', async () => {
    const { d } = await open();
    const h = hold(d);
    const both = Promise.allSettled([d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [1, { not: 'bindable' }]), d.run('INSERT INTO hot_t (a, b) VALUES (?, ?)', [2, 'ok'])]);
    h.release();
    await h.done;
    const [bad, good] = await both;
    expect(bad?.status === 'rejected' && bad.reason instanceof Error ? bad.reason.message : bad).toBe('unsupported SQL parameter type');
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
  });
});

describe('SQL helpers', () => {
  it('marks: the same lists as built fresh, for every length asked (cached or not)', () => {
    for (const n of [1, 2, 3, 13, 250, 500, 2000, 5000]) {
      const fresh = Array.from({ length: n }, () => '?').join(', ');
      expect(marks(n)).toBe(fresh);
      expect(marks(n)).toBe(fresh); // second call, from the cache
    }
  });

  it('flatRows equals Array.prototype.flat for rows of values (arrays inside a row stay whole)', () => {
    const rows = [[1, 'a', null], [], [2, ['kept', 'whole'], { x: 1 }], [undefined]];
    expect(flatRows(rows)).toEqual(rows.flat());
    expect(flatRows([])).toEqual([]);
  });
});

describe('nestedDeeper', () => {
  const nest = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 === 0 ? { v } : [v];
    return v;
  };

  it('counts object and array levels alike, at the boundary', () => {
    expect(nestedDeeper(nest(32), 32)).toBe(false);
    expect(nestedDeeper(nest(33), 32)).toBe(true);
    expect(nestedDeeper(nest(3), 2)).toBe(true);
    expect(nestedDeeper(nest(2), 2)).toBe(false);
    expect(nestedDeeper('text', 0)).toBe(false);
    expect(nestedDeeper(null, 0)).toBe(false);
    expect(nestedDeeper({}, 0)).toBe(true);
  });

  it('finds the one deep branch among wide shallow ones, and survives hostile depth', () => {
    const wide = { a: Array.from({ length: 1000 }, (_, i) => ({ i, x: [i] })), deep: { b: nest(40) } };
    expect(nestedDeeper(wide, 32)).toBe(true);
    expect(nestedDeeper({ ...wide, deep: { b: nest(10) } }, 32)).toBe(false);
    expect(nestedDeeper(nest(100_000), 32)).toBe(true);
  });
});
