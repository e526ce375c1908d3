// The SQLite connection lives on this worker thread: statements and commits (whose fsync blocks
// for milliseconds with synchronous=FULL) run here, so the server's main thread keeps parsing
// and validating other requests meanwhile. Plain JS: a worker cannot rely on the TS loader.
// Protocol: { id, op: 'all' | 'run' | 'exec' | 'rollback' | 'close', sql?, params? } ->
//           { id, ok: true, result } | { id, ok: false, message, code }.
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

parentPort.on('message', (m) => {
  try {
    let result = null;
    if (m.op === 'all') result = stmt(m.sql).all(...m.params);
    else if (m.op === 'run') result = stmt(m.sql).run(...m.params).changes;
    else if (m.op === 'exec') db.exec(m.sql);
    else if (m.op === 'rollback') {
      if (db.inTransaction) db.exec('ROLLBACK');
    } else if (m.op === 'close') db.close();
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, message: e instanceof Error ? e.message : String(e), code: e && typeof e === 'object' && 'code' in e ? String(e.code) : undefined });
  }
});
