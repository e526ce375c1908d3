// The peer's server process for bench/peer.ts: express-pouchdb 4.2.0 (the CouchDB HTTP protocol)
// on pouchdb-node 9.0.0 (LevelDB through leveldown), in its own process like Pucha's ingest server.
// It also serves the peer's bench page (/peer/) and PouchDB's browser build, so the page
// replicates same-origin (no CORS, as Pucha's page).
// Env: PEER_DIR (where the LevelDB folders go), PEER_FSYNC=1 (every LevelDB write with
// sync: true, i.e. an fsync per commit, as CouchDB does by default; pouchdb-node never asks for
// one otherwise), PEER_PAGE (the page's HTML file). SIGUSR2 prints the process's CPU time.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const dir = process.env.PEER_DIR ?? process.cwd();
const fsync = process.env.PEER_FSYNC === '1';

if (fsync) {
  // leveldown's native calls take { sync } per write; force it on every write path PouchDB uses.
  const LevelDOWN = require('leveldown') as { prototype: Record<string, (...a: unknown[]) => unknown> };
  const ChainedBatch = require('leveldown/chained-batch') as { prototype: Record<string, (...a: unknown[]) => unknown> };
  const withSync = (o: unknown) => ({ ...(o as object), sync: true });
  const put = LevelDOWN.prototype._put!;
  const del = LevelDOWN.prototype._del!;
  const batch = LevelDOWN.prototype._batch!;
  const write = ChainedBatch.prototype._write!;
  LevelDOWN.prototype._put = function (this: unknown, k: unknown, v: unknown, o: unknown, cb: unknown) {
    return put.call(this, k, v, withSync(o), cb);
  };
  LevelDOWN.prototype._del = function (this: unknown, k: unknown, o: unknown, cb: unknown) {
    return del.call(this, k, withSync(o), cb);
  };
  LevelDOWN.prototype._batch = function (this: unknown, ops: unknown, o: unknown, cb: unknown) {
    return batch.call(this, ops, withSync(o), cb);
  };
  ChainedBatch.prototype._write = function (this: unknown, o: unknown, cb: unknown) {
    return write.call(this, withSync(o), cb);
  };
}

type Handler = (req: unknown, res: { type(t: string): { send(b: unknown): void }; sendFile(p: string): void }) => void;
const PouchDB = (require('pouchdb-node') as { defaults(o: object): unknown }).defaults({ prefix: `${dir}/` });
const express = require('express') as () => { use(p: string, h: unknown): void; get(p: string, h: Handler): void; listen(port: number, host: string, cb: () => void): { address(): unknown } };
const expressPouchdb = require('express-pouchdb') as (p: unknown, o: object) => unknown;

const app = express();
const page = readFileSync(process.env.PEER_PAGE ?? new URL('./page.html', import.meta.url).pathname, 'utf8');
app.get('/peer/', (_req, res) => res.type('html').send(page));
app.get('/peer/pouchdb.min.js', (_req, res) => res.sendFile(join(new URL('../../node_modules/pouchdb/dist/pouchdb.min.js', import.meta.url).pathname)));
app.use('/db', expressPouchdb(PouchDB, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(dir, 'log.txt') }));
const server = app.listen(0, '127.0.0.1', () => {
  const a = server.address() as { port: number };
  process.stdout.write(`READY http://127.0.0.1:${a.port}\n`);
});
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`CPU ${u.user + u.system}\n`);
});
process.on('SIGTERM', () => process.exit(0));
