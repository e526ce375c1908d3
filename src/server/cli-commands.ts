// The admin commands behind `npm run admin -- <command>`, as a function of argv, stdin text and
// an output sink (so tests run them in-process). Exit codes: 0 done, 1 refused (bad input,
// nothing changed), 2 usage error.
import { freezeDue } from './daily.ts';
import { DEFAULT_OFFICE, type OfficeOptions } from './office-config.ts';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { resolve as resolvePath } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { DistrictCodeSchema, IdSchema, MAX_MUTATIONS_PER_PUSH, OfficeScopeSchema, RoleSchema, UnsyncedExportSchema, type District } from '../domain/index.ts';
import { EncryptedUnsyncedSchema, decryptUnsynced } from '../shared/unsynced-crypto.ts';
import { activationCsv } from './activation.ts';
import { hashPassword } from './auth.ts';
import { DEFAULT_GRACE_MS } from './context.ts';
import { parseListingCsv } from './listing-csv.ts';
import { checkPassword } from './password-policy.ts';
import { runPush } from './push-service.ts';
import { decodeUtf8Text } from './text-encoding.ts';
import { exportCsv, exportJson, exportXlsxStream } from './routes/export.ts';
import type { Scope } from './store/scope.ts';
import type { Store } from './store/store.ts';
import { selfCodesCmd } from './cli-self.ts';
import { compareCmd, importProblemsCmd, importRegisterCmd, releaseCmd } from './cli-review.ts';
import { importUsersFile, reassign, resetPassword, revoke, setDisabled, type AdminResult } from './user-admin.ts';

export interface CliIo {
  stdin: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
  /** Grace period after a reassignment (default 7 days; PUCHA_GRACE_DAYS). */
  graceMs?: number;
  /** Until when self-enumeration codes work (PUCHA_SELF_DEADLINE; printed on the notices). */
  selfDeadline?: string;
  /** The origin the notices' QR codes open (PUCHA_PUBLIC_ORIGIN; `--origin` overrides it). */
  publicOrigin?: string;
  /** The office's desk options (PUCHA_CALENDAR, PUCHA_REPORT_HOUR, PUCHA_EXPECTED_RATES). */
  office?: OfficeOptions;
}

/** The admin CLI acts for the whole installation. */
const ALL: Scope = { kind: 'all' };

export const USAGE = `Usage: npm run admin -- <command>
  migrate   (applies pending schema migrations; safe to run from several places at once)
  backup --out <file.sqlite>   (embedded store only: a consistent copy while the server runs)
  import-listing <file.csv>
  add-user --username <u> --name <n> --role enumerator|supervisor|office|admin [--districts a,b] [--supervisor <username>] [--scope <prefix>]   (password on stdin)
  import-users <users.csv> [--out <activation-codes.csv>]   (columns username,name,role,districts,supervisor,scope)
  reassign --district <code> --to <username>
  disable-user --username <u> | enable-user --username <u>
  reset-password --username <u> [--out <file.csv>]   (a new one-time activation code; tokens revoked)
  revoke --user <u> [--device <deviceId>]
  rebuild-progress
  freeze-daily   (the daily report's rows of every due day not frozen yet; late ones marked)
  export --format xlsx|csv|json [--district <code>] [--out <file>]   (xlsx for people, needs --out; csv (default) and json for machines)
  import-unsynced <file.json> [--user <username>]   (an encrypted export: passphrase on stdin)
  import-register --kind hukou|births|deaths <file.csv>   (department register, UTF-8; all or nothing, idempotent)
  import-problems <file.csv>   (the national problem list: districtCode,householdNo,category,citizenId,name,message)
  compare --area <prefix> [--rules HEAD_AGE,...]   (registers against everything registered: new items as drafts)
  release-review [--area <prefix>] [--category <category>]   (drafts to their districts' phones)
  self-codes --district <code> --out <notices.html> [--origin https://host] [--all]   (printable self-enumeration notices; --all: every short-form household, not only those the listing marks)
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
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    io.err(`${file}: cannot read the file`);
    return 1;
  }
  // GBK or UTF-16 from a spreadsheet would import as mojibake: refuse it with the reason.
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) {
    io.err(`${file}: ${decoded.message}; nothing was imported`);
    return 1;
  }
  const parsed = parseListingCsv(decoded.text);
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
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, districts: { type: 'string' }, supervisor: { type: 'string' }, scope: { type: 'string' } },
  });
  const role = RoleSchema.safeParse(values.role);
  if (!values.username || !/^[A-Za-z0-9._-]{2,64}$/.test(values.username) || !values.name || !role.success) {
    io.err('add-user needs --username (letters, digits, . _ -), --name and --role enumerator|supervisor|office|admin');
    return 2;
  }
  if ((role.data === 'office') !== (values.scope !== undefined) || (values.scope !== undefined && !OfficeScopeSchema.safeParse(values.scope).success)) {
    io.err('an office needs --scope (a code prefix of 2, 4, 6, 9 or 12 digits), and only an office has one');
    return 1;
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
  const policy = checkPassword(password, { username: values.username, role: role.data });
  if (!policy.ok) {
    io.err(`the password (read from standard input) is refused: ${policy.message}`);
    return 1;
  }
  const idCandidate = `u-${values.username.replaceAll('.', '-')}`;
  const id = IdSchema.safeParse(idCandidate).success ? idCandidate : randomUUID();
  const r = await store.createUser({
    id,
    username: values.username,
    name: values.name,
    role: role.data,
    passwordHash: await hashPassword(password),
    ...(supervisorId ? { supervisorId } : {}),
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
  });
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
  let values: { format: string; district?: string | undefined; out?: string | undefined };
  try {
    values = parseArgs({ args, options: { format: { type: 'string', default: 'csv' }, district: { type: 'string' }, out: { type: 'string' } } }).values;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  if (values.format !== 'xlsx' && values.format !== 'csv' && values.format !== 'json') {
    io.err('--format xlsx|csv|json');
    return 2;
  }
  if (values.format === 'xlsx' && !values.out) {
    io.err('export --format xlsx needs --out <file.xlsx> (a workbook is binary, not lines on stdout)');
    return 2;
  }
  let scope: Scope = ALL;
  if (values.district !== undefined) {
    if (!DistrictCodeSchema.safeParse(values.district).success || !(await store.districtInScope(ALL, values.district))) {
      io.err(`no district ${values.district}`);
      return 1;
    }
    scope = { kind: 'district', code: values.district };
  }
  if (values.format === 'xlsx' && values.out) {
    // Streamed sheet by sheet, page by page, with the file's backpressure.
    const file = createWriteStream(values.out);
    try {
      await pipeline(exportXlsxStream(store, scope, io.now()), file);
    } catch (e) {
      // A half-written workbook does not open: leave no file that looks like an export.
      rmSync(values.out, { force: true });
      io.err(`export failed: ${e instanceof Error ? e.message : String(e)}; nothing written`);
      return 1;
    }
    io.err(`${file.bytesWritten} bytes written to ${values.out}`);
    return 0;
  }
  const chunks = values.format === 'csv' ? exportCsv(store, scope) : exportJson(store, scope);
  if (values.out) {
    // Streamed to the file page by page: a county's export never sits in memory.
    const file = createWriteStream(values.out);
    let bytes = 0;
    for await (const c of chunks) {
      bytes += Buffer.byteLength(c);
      if (!file.write(c)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    io.err(`${bytes} bytes written to ${values.out}`);
  } else {
    let text = '';
    for await (const c of chunks) text += c;
    io.out(values.format === 'json' ? JSON.stringify(JSON.parse(text), null, 1) : text);
  }
  return 0;
}

function report<T>(r: AdminResult<T>, io: CliIo, file?: string): r is { ok: true; value: T } {
  if (r.ok) return true;
  for (const d of (r.details ?? []).slice(0, 200)) io.err(`${file ? `${file}:` : ''}${d.line !== undefined ? `${d.line}: ` : ''}${d.message}`);
  io.err(`refused: ${r.message}`);
  return false;
}

async function importUsersCmd(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    io.err('import-users <users.csv> [--out <activation-codes.csv>]');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    io.err(`${file}: cannot read the file`);
    return 1;
  }
  const out = values.out ?? file.replace(/(\.csv)?$/i, '.activation.csv');
  const r = await importUsersFile(store, ALL, bytes, io.now(), io.graceMs ?? DEFAULT_GRACE_MS);
  if (!report(r, io, file)) return 1;
  if (r.value.created.length > 0) writeFileSync(out, activationCsv(r.value.created), { mode: 0o600 });
  io.out(
    `users: ${r.value.created.length} new, ${r.value.updated} updated, ${r.value.unchanged} unchanged (${r.value.rows} row(s); ${r.value.newDistricts} new district(s))` +
      (r.value.created.length > 0 ? `; activation codes written to ${out}` : ''),
  );
  return 0;
}

async function reassignCmd(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { district: { type: 'string' }, to: { type: 'string' } } });
  if (!values.district || !values.to || !DistrictCodeSchema.safeParse(values.district).success) {
    io.err('reassign --district <15-digit code> --to <username>');
    return 2;
  }
  const r = await reassign(store, ALL, values.district, values.to, io.now(), io.graceMs ?? DEFAULT_GRACE_MS);
  if (!report(r, io)) return 1;
  io.out(`district ${values.district} now with ${values.to}${r.value.from.length > 0 ? ` (was ${r.value.from.join(', ')}; they may deliver queued work during the grace period)` : ''}`);
  return 0;
}

async function userCmd(store: Store, command: 'disable-user' | 'enable-user' | 'reset-password', args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { username: { type: 'string' }, out: { type: 'string' } } });
  if (!values.username) {
    io.err(`${command} --username <u>`);
    return 2;
  }
  if (command === 'reset-password') {
    const r = await resetPassword(store, ALL, values.username, io.now());
    if (!report(r, io)) return 1;
    if (values.out) {
      writeFileSync(values.out, activationCsv([{ username: r.value.user.username, name: r.value.user.name, code: r.value.code }]), { mode: 0o600 });
      io.out(`${values.username}: tokens revoked; activation code written to ${values.out} (valid until ${r.value.expiresAt})`);
    } else io.out(`${values.username}: tokens revoked; activation code ${r.value.code} (valid until ${r.value.expiresAt})`);
    return 0;
  }
  const r = await setDisabled(store, ALL, values.username, command === 'disable-user', io.now());
  if (!report(r, io)) return 1;
  io.out(`${values.username}: ${command === 'disable-user' ? 'disabled, tokens revoked' : 'enabled'}`);
  return 0;
}

async function revokeCmd(store: Store, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' }, device: { type: 'string' } } });
  if (!values.user) {
    io.err('revoke --user <username> [--device <deviceId>]');
    return 2;
  }
  const r = await revoke(store, ALL, values.user, values.device, io.now());
  if (!report(r, io)) return 1;
  io.out(`${values.user}: ${r.value} token(s) revoked${values.device ? ` on device ${values.device}` : ''}`);
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
  // A phone's export is encrypted with the enumerator's passphrase (read from stdin).
  const sealed = EncryptedUnsyncedSchema.safeParse(raw);
  if (sealed.success) {
    const passphrase = (await io.stdin()).replace(/\r?\n$/, '');
    const opened = await decryptUnsynced(sealed.data, passphrase);
    if (!opened.ok) {
      io.err(`${file}: wrong passphrase, or the file was changed`);
      return 1;
    }
    raw = opened.value;
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
  const graceDistricts = new Set(user.role === 'enumerator' ? await store.graceDistrictsOf(user.id, io.now().toISOString()) : []);
  const counts: Record<string, number> = { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
  // The same path as a push from the phone: idempotent by mutation id, batches within the limit.
  for (let i = 0; i < doc.mutations.length; i += MAX_MUTATIONS_PER_PUSH) {
    const results = await runPush(store, { userId: user.id, deviceId: doc.deviceId, writeDistricts, graceDistricts, mutations: doc.mutations.slice(i, i + MAX_MUTATIONS_PER_PUSH), now: io.now() });
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
    case 'import-users':
      return importUsersCmd(store, rest, io);
    case 'reassign':
      return reassignCmd(store, rest, io);
    case 'disable-user':
    case 'enable-user':
    case 'reset-password':
      return userCmd(store, command, rest, io);
    case 'revoke':
      return revokeCmd(store, rest, io);
    case 'migrate': {
      const applied = await store.migrate();
      const v = await store.schemaVersion();
      io.out(`migrate: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'nothing to apply'}; schema at version ${v.current} of ${v.latest}`);
      return 0;
    }
    case 'backup': {
      let out: string | undefined;
      try {
        out = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true }).values.out;
      } catch {
        out = undefined;
      }
      if (!out) break;
      if (existsSync(out)) {
        io.err(`backup: ${out} exists; give a new file`);
        return 1;
      }
      if (store.kind !== 'sqlite') {
        io.err('backup: PostgreSQL is backed up with pg_dump, or base backups with WAL archiving for point-in-time recovery (README "Deploying for a census office")');
        return 1;
      }
      await store.backupTo(resolvePath(out));
      io.out(`backup: ${out} written`);
      return 0;
    }
    case 'import-register':
    case 'import-problems':
    case 'compare':
    case 'release-review': {
      const run = { 'import-register': importRegisterCmd, 'import-problems': importProblemsCmd, compare: compareCmd, 'release-review': releaseCmd }[command];
      const code = await run(store, rest, io);
      if (code !== 2) return code;
      break;
    }
    case 'self-codes': {
      const code = await selfCodesCmd(store, rest, io);
      if (code !== 2) return code;
      break;
    }
    case 'rebuild-progress': {
      const n = await store.rebuildProgress();
      io.out(`progress: ${n} node(s) recounted`);
      return 0;
    }
    case 'freeze-daily': {
      // What the running server does every minute: useful when no server ran at the report hour.
      const frozen = await freezeDue(store, io.office ?? DEFAULT_OFFICE, io.now());
      io.out(frozen.length === 0 ? 'freeze-daily: every due day is frozen already' : frozen.map((f) => `freeze-daily: ${f.day} frozen${f.late ? ' (late)' : ''}, ${f.nodes} node(s)`).join('\n'));
      return 0;
    }
  }
  io.err(USAGE);
  return 2;
}
