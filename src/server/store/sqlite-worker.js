// The SQLite connection lives on this worker thread: statements and commits (whose fsync blocks
// for milliseconds with synchronous=FULL) run here, so the server's main thread keeps parsing
// and validating other requests meanwhile. Plain JS: a worker cannot rely on the TS loader.
// Protocol: { id, op: 'all' | 'run' | 'exec' | 'rollback' | 'close', sql?, params? } ->
//           { id, ok: true, result } | { id, ok: false, message, code };
//           { id, op: 'batch', items: [{ op: 'all' | 'run', sql, params }] } ->
//           { id, ok: true, result: [{ ok: true, result } | { ok: false, message, code }] }.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const cache = new Map();
function stmt(sql) {
  let s = cache.get(sql);
  if (!s) {
    if (cache.size > 1000) cache.clear();
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

const failure = (e) => ({ ok: false, message: e instanceof Error ? e.message : String(e), code: e && typeof e === 'object' && 'code' in e ? String(e.code) : undefined });

function one(it) {
  return it.op === 'all' ? stmt(it.sql).all(...it.params) : stmt(it.sql).run(...it.params).changes;
}

function singly(items) {
  return items.map((it) => {
    try {
      return { ok: true, result: one(it) };
    } catch (e) {
      return failure(e);
    }
  });
}

/**
 * Standalone statements that queued up while the connection was busy (the driver sends them
 * together): each is answered as if it had run alone, in order. When some of them write, they
 * run in one transaction, so one commit (one fsync under synchronous=FULL) serves them all and
 * no answer leaves before that commit. If any of them fails, that transaction is rolled back and
 * they run again one by one, each committing on its own, exactly as if they had never been
 * batched.
 */
function batch(items) {
  if (items.length === 1 || db.inTransaction) return singly(items);
  let writes = false;
  try {
    for (const it of items) if (!stmt(it.sql).readonly) writes = true;
  } catch {
    return singly(items); // a statement that does not prepare fails alone
  }
  if (!writes) return singly(items); // reads commit nothing
  try {
    db.exec('BEGIN IMMEDIATE');
    const out = items.map((it) => ({ ok: true, result: one(it) }));
    db.exec('COMMIT');
    return out;
  } catch {
    if (db.inTransaction) db.exec('ROLLBACK');
    return singly(items);
  }
}

parentPort.on('message', (m) => {
  try {
    let result = null;
    if (m.op === 'all') result = stmt(m.sql).all(...m.params);
    else if (m.op === 'run') result = stmt(m.sql).run(...m.params).changes;
    else if (m.op === 'batch') result = batch(m.items);
    else if (m.op === 'exec') db.exec(m.sql);
    else if (m.op === 'rollback') {
      if (db.inTransaction) db.exec('ROLLBACK');
    } else if (m.op === 'close') db.close();
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ...failure(e) });
  }
});
