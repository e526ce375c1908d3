// The admin commands behind `npm run admin -- <command>`, as a function of argv, stdin text and
// an output sink (so tests run them in-process). Exit codes: 0 done, 1 refused (bad input,
// nothing changed), 2 usage error.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DistrictCodeSchema, IdSchema, MAX_MUTATIONS_PER_PUSH, RoleSchema, UnsyncedExportSchema, type District } from '../domain/index.ts';
import { hashPassword } from './auth.ts';
import { registrationsToCsv } from './export-csv.ts';
import { parseListingCsv } from './listing-csv.ts';
import { runPush } from './push-service.ts';
import { exportRegistrations } from './routes/export.ts';
import type { Store } from './store/store.ts';

export interface CliIo {
  stdin: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
}

export const USAGE = `Usage: npm run admin -- <command>
  import-listing <file.csv>
  add-user --username <u> --name <n> --role enumerator|supervisor|admin [--districts a,b] [--supervisor <username>]   (password on stdin)
  export --format csv|json [--district <code>] [--out <file>]
  import-unsynced <file.json> [--user <username>]
Store: DATABASE_URL (PostgreSQL) or PUCHA_DB (SQLite file, default data/pucha.sqlite).`;

const placeholderDistrict = (code: string, name?: string): District => ({ code, name: name ?? `普查小区 ${code}`, enumerators: [] });

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function importListing(store: Store, file: string, io: CliIo): Promise<number> {
  const text = readText(file);
  if (text === undefined) {
    io.err(`${file}: cannot read the file`);
    return 1;
  }
  const parsed = parseListingCsv(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${file}:${e.line}: ${e.message}`);
    io.err(`refused: ${parsed.errors.length} problem(s); nothing was imported`);
    return 1;
  }
  const codes = [...new Set(parsed.entries.map((e) => e.districtCode))];
  try {
    const r = await store.importListing(parsed.entries, codes.map((c) => placeholderDistrict(c, parsed.districtNames.get(c))));
    io.out(`listing: ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged (${codes.length} district(s))`);
    return 0;
  } catch (e) {
    io.err(`refused: ${e instanceof Error ? e.message : String(e)}; nothing was imported`);
    return 1;
  }
}

async function addUser(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, districts: { type: 'string' }, supervisor: { type: 'string' } } });
  const role = RoleSchema.safeParse(values.role);
  if (!values.username || !/^[A-Za-z0-9._-]{2,64}$/.test(values.username) || !values.name || !role.success) {
    io.err('add-user needs --username (letters, digits, . _ -), --name and --role enumerator|supervisor|admin');
    return 2;
  }
  const districts = (values.districts ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  const badDistrict = districts.find((d) => !DistrictCodeSchema.safeParse(d).success);
  if (badDistrict !== undefined) {
    io.err(`not a 15-digit district code: ${badDistrict}`);
    return 1;
  }
  if (districts.length > 0 && role.data !== 'enumerator') {
    io.err('only enumerators are assigned districts (a supervisor sees those of its enumerators)');
    return 1;
  }
  let supervisorId: string | undefined;
  if (values.supervisor !== undefined) {
    const sup = await store.findUserByUsername(values.supervisor);
    if (sup?.role !== 'supervisor') {
      io.err(`no supervisor named ${values.supervisor}`);
      return 1;
    }
    supervisorId = sup.id;
  }
  const password = (await io.stdin()).replace(/\r?\n$/, '');
  if (password.length < 8) {
    io.err('the password (read from standard input) needs at least 8 characters');
    return 1;
  }
  const idCandidate = `u-${values.username.replaceAll('.', '-')}`;
  const id = IdSchema.safeParse(idCandidate).success ? idCandidate : randomUUID();
  const r = await store.createUser({ id, username: values.username, name: values.name, role: role.data, passwordHash: await hashPassword(password), ...(supervisorId ? { supervisorId } : {}) });
  if (!r.ok) {
    io.err(r.reason === 'username_taken' ? `the username ${values.username} is taken` : 'unknown supervisor');
    return 1;
  }
  for (const code of districts) {
    const [existing] = await store.listDistricts([code]);
    const d = existing ?? placeholderDistrict(code);
    await store.putDistrict({ ...d, enumerators: [...new Set([...d.enumerators, id])] });
  }
  io.out(`user ${values.username} (${role.data}) created${districts.length ? `, districts ${districts.join(', ')}` : ''}`);
  return 0;
}

async function exportCmd(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'csv' }, district: { type: 'string' }, out: { type: 'string' } } });
  if (values.format !== 'csv' && values.format !== 'json') {
    io.err('--format csv|json');
    return 2;
  }
  let districts = (await store.listDistricts()).map((d) => d.code);
  if (values.district !== undefined) {
    if (!districts.includes(values.district)) {
      io.err(`no district ${values.district}`);
      return 1;
    }
    districts = [values.district];
  }
  const regs = await exportRegistrations(store, districts);
  const text = values.format === 'csv' ? registrationsToCsv(regs) : JSON.stringify({ districts, registrations: regs }, null, 1);
  if (values.out) {
    writeFileSync(values.out, text);
    io.err(`${regs.length} registration(s) written to ${values.out}`);
  } else io.out(text);
  return 0;
}

async function importUnsynced(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { user: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    io.err('import-unsynced <file.json> [--user <username>]');
    return 2;
  }
  const text = readText(file);
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    io.err(`${file}: ${text === undefined ? 'cannot read the file' : 'not JSON'}`);
    return 1;
  }
  const parsed = UnsyncedExportSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues.slice(0, 20)) io.err(`${file}: ${i.path.join('.')}: ${i.message}`);
    return 1;
  }
  const doc = parsed.data;
  const user = values.user !== undefined ? await store.findUserByUsername(values.user) : doc.userId !== undefined ? await store.getUser(doc.userId) : undefined;
  if (!user) {
    io.err('whose mutations are these? the file names no known user; pass --user <username>');
    return 1;
  }
  const writeDistricts = new Set(user.role === 'enumerator' ? await store.districtsOf(user) : []);
  const counts: Record<string, number> = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
  // The same path as a push from the phone: idempotent by mutation id, batches within the limit.
  for (let i = 0; i < doc.mutations.length; i += MAX_MUTATIONS_PER_PUSH) {
    const results = await runPush(store, { userId: user.id, deviceId: doc.deviceId, writeDistricts, mutations: doc.mutations.slice(i, i + MAX_MUTATIONS_PER_PUSH), now: io.now() });
    for (const r of results) {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (r.status === 'rejected' || r.status === 'conflict') io.err(`${r.id}: ${r.status}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}`);
    }
  }
  io.out(`import-unsynced: ${doc.mutations.length} mutation(s): ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  return 0;
}

export async function runCli(argv: string[], store: Store, io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'import-listing':
      if (!rest[0]) break;
      return importListing(store, rest[0], io);
    case 'add-user':
      return addUser(store, rest, io);
    case 'export':
      return exportCmd(store, rest, io);
    case 'import-unsynced':
      return importUnsynced(store, rest, io);
  }
  io.err(USAGE);
  return 2;
}
