// The provisioning and turnover commands of the admin CLI: import-users, reassign,
// disable-user / enable-user, reset-password, revoke, rebuild-progress.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashActivationCode } from '../../src/server/activation.ts';
import { buildApp } from '../../src/server/app.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { parseCsv } from '../../src/server/csv.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { householdMutation, registration } from './fixtures.ts';

const A = '130102001001001';
const B = '130102001001002';
const C = '130102001002001';
const HEADER = 'username,name,role,districts,supervisor,scope';

let dir: string;
let store: Store;
let out: string[];
let err: string[];
const NOW = new Date('2020-10-20T00:00:00.000Z');
const run = (argv: string[], stdin = '') => runCli(argv, store, { stdin: () => Promise.resolve(stdin), out: (l) => out.push(l), err: (l) => err.push(l), now: () => NOW });
const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const codesIn = (path: string) => new Map(parseCsv(readFileSync(path, 'utf8')).slice(1).map((r) => [r.fields[0] ?? '', r.fields[2] ?? '']));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pucha-cli-users-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
  out = [];
  err = [];
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const USERS = [HEADER, 'sup1,王指导员,supervisor,,,', `enum1,李普查员,enumerator,${A};${B},sup1,`, `enum2,赵普查员,enumerator,${C},sup1,`, 'office1,长安区人普办,office,,,130102', ''].join('\r\n');

describe('import-users', () => {
  it('[CU1] creates accounts with activation codes written to a file; a re-import changes nothing', async () => {
    const users = file('users.csv', `\uFEFF${USERS}`);
    const codes = join(dir, 'codes.csv');
    expect(await run(['import-users', users, '--out', codes])).toBe(0);
    expect(out.at(-1)).toBe(`users: 4 new, 0 updated, 0 unchanged (4 row(s); 3 new district(s)); activation codes written to ${codes}`);
    const handed = codesIn(codes);
    expect([...handed.keys()]).toEqual(['sup1', 'enum1', 'enum2', 'office1']);
    const enum1 = await store.findUserByUsername('enum1');
    expect(enum1).toMatchObject({ role: 'enumerator', activationPending: true, passwordHash: '' });
    // only the hash is stored
    expect(enum1?.activationHash).toBe(hashActivationCode(handed.get('enum1') ?? ''));
    if (!enum1) throw new Error('missing');
    expect(await store.districtsOf(enum1)).toEqual([A, B]);
    expect(await store.findUserByUsername('office1')).toMatchObject({ role: 'office', scope: '130102' });
    expect((await store.progress('130102'))?.node.counts.districts).toBe(3);

    const counts = await store.tableCounts();
    out = [];
    expect(await run(['import-users', users, '--out', join(dir, 'codes2.csv')])).toBe(0);
    expect(out.at(-1)).toBe('users: 0 new, 0 updated, 4 unchanged (4 row(s); 0 new district(s))');
    expect(await store.tableCounts()).toEqual(counts);
  });

  it('[CU2] a changed row updates only that account; a district moved between enumerators moves', async () => {
    await run(['import-users', file('u.csv', USERS)]);
    out = [];
    const changed = [HEADER, 'sup1,王指导员,supervisor,,,', `enum1,李新名,enumerator,${A},sup1,`, `enum2,赵普查员,enumerator,${C};${B},sup1,`, 'office1,长安区人普办,office,,,130102', ''].join('\r\n');
    const code = await run(['import-users', file('u2.csv', changed)]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^users: 0 new, 2 updated, 2 unchanged/);
    const e1 = await store.findUserByUsername('enum1');
    const e2 = await store.findUserByUsername('enum2');
    if (!e1 || !e2) throw new Error('missing');
    expect(e1.name).toBe('李新名');
    expect(await store.districtsOf(e1)).toEqual([A]);
    expect(await store.districtsOf(e2)).toEqual([B, C]);
    // the enumerator who lost B keeps a grace period for what it queued there
    expect(await store.graceDistrictsOf(e1.id, NOW.toISOString())).toEqual([B]);
  });

  it('[CU3] refuses GBK and UTF-16 files and files with bad rows, importing nothing', async () => {
    const gbk = new Uint8Array([...new TextEncoder().encode(`${HEADER}\n`), 0x7a, 0x73, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd, ...new TextEncoder().encode(',enumerator,,,\n')]);
    expect(await run(['import-users', file('gbk.csv', gbk)])).toBe(1);
    expect(err.join('\n')).toMatch(/not valid UTF-8.*GBK/);
    const utf16 = Buffer.from(`\uFEFF${USERS}`, 'utf16le');
    expect(await run(['import-users', file('u16.csv', utf16)])).toBe(1);
    expect(err.join('\n')).toMatch(/UTF-16/);
    err = [];
    expect(await run(['import-users', file('bad.csv', `${USERS}enum3,钱,enumerator,130102001003001,nobody,\r\n`)])).toBe(1);
    expect(err.join('\n')).toMatch(/no supervisor named nobody/);
    expect(err.some((l) => l.includes(':6:'))).toBe(true);
    expect(await store.hasUsers()).toBe(false);
  });
});

describe('turnover commands', () => {
  async function imported() {
    const codes = join(dir, 'codes.csv');
    await run(['import-users', file('u.csv', USERS), '--out', codes]);
    return codesIn(codes);
  }

  it('[CU4] activation: the code signs in once with a chosen password; reset-password issues a new one and revokes tokens', async () => {
    const codes = await imported();
    const app = await buildApp({ store, now: () => NOW });
    const activate = (username: string, code: string, password: string, deviceId = 'dev-1') => app.inject({ method: 'POST', url: '/api/v1/auth/activate', payload: { username, code, password, deviceId } });
    const code = codes.get('sup1') ?? '';
    expect((await activate('sup1', code, 'short-pw')).statusCode).toBe(400); // supervisors need 10 characters
    expect((await activate('sup1', 'AAAA-AAAA-AAAA-AAAA', 'a-good-passphrase')).statusCode).toBe(401);
    const ok = await activate('sup1', code.toLowerCase(), 'a-good-passphrase');
    expect(ok.statusCode).toBe(200);
    const token = ok.json<{ token: string }>().token;
    expect((await activate('sup1', code, 'another-passphrase')).statusCode).toBe(401); // used once
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sup1', password: 'a-good-passphrase', deviceId: 'dev-1' } })).statusCode).toBe(200);
    const status = () => app.inject({ method: 'GET', url: '/api/v1/supervision/status', headers: { authorization: `Bearer ${token}` } });
    expect((await status()).statusCode).toBe(200);

    expect(await run(['reset-password', '--username', 'sup1', '--out', join(dir, 'reset.csv')])).toBe(0);
    expect((await status()).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sup1', password: 'a-good-passphrase', deviceId: 'dev-1' } })).statusCode).toBe(401);
    const fresh = codesIn(join(dir, 'reset.csv')).get('sup1') ?? '';
    expect(fresh).not.toBe(code);
    expect((await activate('sup1', fresh, 'a-new-passphrase')).statusCode).toBe(200);
    await app.close();
  });

  it('[CU5] disable-user refuses the token and sign-in; enable-user restores sign-in; revoke --device ends one phone only', async () => {
    const codes = await imported();
    const app = await buildApp({ store, now: () => NOW });
    const act = await app.inject({ method: 'POST', url: '/api/v1/auth/activate', payload: { username: 'enum1', code: codes.get('enum1'), password: 'enum-pass-1', deviceId: 'phone-a' } });
    const tokenA = act.json<{ token: string }>().token;
    const login = (deviceId: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enum1', password: 'enum-pass-1', deviceId } });
    const tokenB = (await login('phone-b')).json<{ token: string }>().token;
    const pull = (t: string) => app.inject({ method: 'GET', url: '/api/v1/sync/pull', headers: { authorization: `Bearer ${t}` } });
    expect((await pull(tokenA)).statusCode).toBe(200);

    expect(await run(['revoke', '--user', 'enum1', '--device', 'phone-a'])).toBe(0);
    expect(out.at(-1)).toBe('enum1: 1 token(s) revoked on device phone-a');
    expect((await pull(tokenA)).statusCode).toBe(401);
    expect((await pull(tokenB)).statusCode).toBe(200);

    expect(await run(['disable-user', '--username', 'enum1'])).toBe(0);
    expect((await pull(tokenB)).statusCode).toBe(401);
    const push = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${tokenB}` }, payload: { deviceId: 'phone-b', mutations: [householdMutation(registration(A))] } });
    expect(push.statusCode).toBe(401);
    expect(await store.countRevisions()).toBe(0);
    expect((await login('phone-b')).statusCode).toBe(401);
    expect(await run(['enable-user', '--username', 'enum1'])).toBe(0);
    expect((await login('phone-b')).statusCode).toBe(200);
    expect(await run(['disable-user', '--username', 'nobody'])).toBe(1);
    await app.close();
  });

  it('[CU6] reassign moves the district: the new enumerator has it, the old one a grace period; rebuild-progress recounts', async () => {
    await imported();
    expect(await run(['reassign', '--district', B, '--to', 'enum2'])).toBe(0);
    const e1 = await store.findUserByUsername('enum1');
    const e2 = await store.findUserByUsername('enum2');
    if (!e1 || !e2) throw new Error('missing');
    expect(await store.districtsOf(e1)).toEqual([A]);
    expect(await store.districtsOf(e2)).toEqual([B, C]);
    expect(await store.graceDistrictsOf(e1.id, NOW.toISOString())).toEqual([B]);
    expect(await store.graceDistrictsOf(e1.id, new Date(NOW.getTime() + 8 * 86_400_000).toISOString())).toEqual([]);
    expect(await run(['reassign', '--district', '130102009009009', '--to', 'enum2'])).toBe(1);
    expect(await run(['reassign', '--district', B, '--to', 'sup1'])).toBe(1);
    expect(await run(['rebuild-progress'])).toBe(0);
    expect(out.at(-1)).toMatch(/^progress: \d+ node\(s\) recounted$/);
  });
});
