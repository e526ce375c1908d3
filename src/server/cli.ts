// `npm run admin -- <command>`: opens the configured store and runs one admin command.
import { resolve } from 'node:path';
import { runCli } from './cli-commands.ts';
import { isProduction, officeOptions, readConfig, selfDeadline } from './config.ts';
import { openConfiguredStore } from './open-store.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

const config = readConfig(process.env);
const root = resolve(import.meta.dirname, '../..');
// `migrate` applies the migrations itself and reports them; in production no other command
// changes the schema behind the running nodes' backs. Admin commands may run long (a province's
// rebuild-progress), so no statement timeout here.
const command = process.argv[2];
const store = await openConfiguredStore(config, root, {
  migrate: command !== 'migrate' && !isProduction(config),
  timeouts: { statementMs: 0, lockMs: 120_000, idleInTransactionMs: 600_000 },
});
try {
  process.exitCode = await runCli(process.argv.slice(2), store, {
    stdin: readStdin,
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    now: () => new Date(),
    graceMs: config.PUCHA_GRACE_DAYS * 86_400_000,
    selfDeadline: selfDeadline(config, new Date()),
    office: officeOptions(config, new Date()),
    ...(config.PUCHA_PUBLIC_ORIGIN ? { publicOrigin: config.PUCHA_PUBLIC_ORIGIN } : {}),
  });
} finally {
  await store.close();
}
