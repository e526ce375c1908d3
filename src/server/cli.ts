// `npm run admin -- <command>`: opens the configured store and runs one admin command.
import { resolve } from 'node:path';
import { runCli } from './cli-commands.ts';
import { readConfig } from './config.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

const config = readConfig(process.env);
const root = resolve(import.meta.dirname, '../..');
const store = config.DATABASE_URL ? await openPostgresStore(config.DATABASE_URL) : await openSqliteStore(resolve(root, config.PUCHA_DB));
try {
  process.exitCode = await runCli(process.argv.slice(2), store, {
    stdin: readStdin,
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    now: () => new Date(),
    graceMs: config.PUCHA_GRACE_DAYS * 86_400_000,
  });
} finally {
  await store.close();
}
