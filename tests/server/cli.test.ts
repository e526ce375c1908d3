import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNSYNCED_FORMAT, UNSYNCED_FORMAT_VERSION, type UnsyncedExport } from '../../src/domain/index.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { seedFixtures } from './harness.ts';
import { encryptUnsynced } from '../../src/shared/unsynced-crypto.ts';
import { PASS, exportDoc as sealedDoc } from './unsynced-fixture.ts';
import { readWorkbook, sheetOf } from './export-xlsx-read.ts';

let dir: string;
let store: Store;
let out: string[];
let err: string[];
const run = (argv: string[], stdin = '') =>
  runCli(argv, store, { stdin: () => Promise.resolve(stdin), out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date('2020-11-05T00:00:00.000Z') });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pucha-cli-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
  out = [];
  err = [];
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin CLI', () => {
  it('[CL1] import-listing imports the sample; a re-import changes nothing', async () => {
    expect(await run(['import-listing', 'samples/listing.csv'])).toBe(0);
    expect(out).toEqual(['listing: 8 new, 0 updated, 0 unchanged (1 district(s))']);
    const [d] = await store.listDistricts();
    expect(d?.name).toBe('长安区 建北街道 光华社区 第001普查小区');
    const counts = await store.tableCounts();
    const pulled = await store.pull({ kind: 'district', code: '130102001005001' }, 0, 100);
    expect(await run(['import-listing', 'samples/listing.csv'])).toBe(0);
    expect(out[1]).toBe('listing: 0 new, 0 updated, 8 unchanged (1 district(s))');
    expect(await store.tableCounts()).toEqual(counts);
    expect(await store.pull({ kind: 'district', code: '130102001005001' }, 0, 100)).toEqual(pulled);
    expect(pulled.changes.find((c) => c.entity === 'listing' && JSON.stringify(c.data).includes('赵 \\"老\\" 四'))).toBeDefined();
  });

  it('[CL2] a file with bad rows is refused whole, each bad row named by its line', async () => {
    const csv = [
      'districtCode,buildingNo,householdNo,address,headName,kind,householdType,selfEnumeration',
      '130102001005001,001,001,路1号,张三,ordinary,1,false',
      '13010200100500,001,002,路2号,李四,ordinary,1,false', // 14-digit code
      '130102001005001,001,003,"路3号',
      'multi-line address",王五,castle,1,false', // bad kind, record starts on line 4
      '130102001005001,001,001,路1号,重复,ordinary,3,maybe',
      '130102001005001,001,005,路5号,赵六,ordinary,1',
    ].join('\n');
    const file = join(dir, 'bad.csv');
    writeFileSync(file, csv);
    expect(await run(['import-listing', file])).toBe(1);
    const lines = err.join('\n');
    expect(lines).toMatch(/bad\.csv:3: districtCode/);
    expect(lines).toMatch(/bad\.csv:4: kind/);
    expect(lines).toMatch(/bad\.csv:6: householdType/);
    expect(lines).toMatch(/bad\.csv:6: selfEnumeration/);
    expect(lines).toMatch(/bad\.csv:7: expected 8 fields/);
    expect(lines).toMatch(/nothing was imported/);
    expect(lines).not.toMatch(/bad\.csv:2:/);
    expect((await store.tableCounts()).listing).toBe(0);
    expect((await store.tableCounts()).districts).toBe(0);
  });

  it('[CL3] add-user reads the password from stdin and assigns districts', async () => {
    expect(await run(['add-user', '--username', 'zhang.wei', '--name', '张伟', '--role', 'supervisor'], 'supervisor-pass\n')).toBe(0);
    expect(await run(['add-user', '--username', 'li', '--name', '李娜', '--role', 'enumerator', '--districts', `${D1},130102001005009`, '--supervisor', 'zhang.wei'], 'enumerator-pass\n')).toBe(0);
    const li = await store.findUserByUsername('li');
    expect(li).toMatchObject({ role: 'enumerator', supervisorId: 'u-zhang-wei' });
    expect(li?.passwordHash).toMatch(/^scrypt\$/);
    expect(li?.passwordHash).not.toContain('enumerator-pass');
    if (!li) throw new Error('missing');
    expect(await store.districtsOf(li)).toEqual([D1, '130102001005009']);
    expect(await run(['add-user', '--username', 'li', '--name', 'x', '--role', 'enumerator'], 'long enough')).toBe(1);
    expect(await run(['add-user', '--username', 'wang', '--name', 'x', '--role', 'enumerator'], 'short')).toBe(1);
    expect(await run(['add-user', '--username', 'wang', '--name', 'x', '--role', 'boss'], 'long enough')).toBe(2);
    expect(await run(['add-user', '--username', 'wang', '--name', 'x', '--role', 'enumerator', '--supervisor', 'li'], 'long enough')).toBe(1);
    expect(await run(['add-user', '--username', 'wang', '--name', 'x', '--role', 'enumerator', '--districts', '12'], 'long enough')).toBe(1);
    expect(await store.findUserByUsername('wang')).toBeUndefined();
  });

it('[CL4c] import-unsynced decrypts with the passphrase on stdin and pushes; a wrong passphrase changes nothing', async () => {
    await seedFixtures(store);
    const file = join(dir, 'sealed.json');
    writeFileSync(file, JSON.stringify(await encryptUnsynced(sealedDoc(), PASS)));
    const before = await store.countRevisions();
    expect(await run(['import-unsynced', file], 'not it\n')).toBe(1);
    expect(err.at(-1)).toMatch(/wrong passphrase/);
    expect(await store.countRevisions()).toBe(before);
    expect(await run(['import-unsynced', file], `${PASS}\n`)).toBe(0);
    expect(out.at(-1)).toBe('import-unsynced: 1 mutation(s): 1 applied, 0 duplicate, 0 conflict, 0 rejected');
  });

  it('[CL4] import-unsynced pushes a phone export idempotently; export writes CSV and JSON', async () => {
    await seedFixtures(store);
    const regs = [registration(D1), registration(D1, { householdNo: '002' })];
    const bad = householdMutation(registration(D1));
    bad.data = { ...bad.data, persons: 'none' };
    const doc: UnsyncedExport = {
      format: UNSYNCED_FORMAT,
      formatVersion: UNSYNCED_FORMAT_VERSION,
      exportedAt: '2020-11-04T12:00:00.000Z',
      deviceId: randomUUID(),
      userId: 'u-enum',
      mutations: [...regs.map((r) => householdMutation(r)), bad],
      records: { registrations: regs, listing: [], queries: [] },
      issues: [],
    };
    const file = join(dir, 'unsynced.json');
    writeFileSync(file, JSON.stringify(doc));
    expect(await run(['import-unsynced', file])).toBe(0);
    expect(out.at(-1)).toBe('import-unsynced: 3 mutation(s): 2 applied, 0 duplicate, 0 conflict, 1 rejected');
    expect(await run(['import-unsynced', file])).toBe(0);
    expect(out.at(-1)).toBe('import-unsynced: 3 mutation(s): 0 applied, 2 duplicate, 0 conflict, 1 rejected');
    expect(await store.countRevisions()).toBe(2);
    expect(await run(['import-unsynced', join(dir, 'nope.json')])).toBe(1);
    expect(await run(['import-listing', join(dir, 'nope.csv')])).toBe(1);

    const csv = join(dir, 'out.csv');
    expect(await run(['export', '--format', 'csv', '--district', D1, '--out', csv])).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.trimEnd().split('\r\n')).toHaveLength(1 + 4);
    expect(await run(['export', '--format', 'json'])).toBe(0);
    expect((JSON.parse(out.at(-1) ?? '') as { registrations: unknown[] }).registrations).toHaveLength(2);
    expect(await run(['export', '--format', 'xml'])).toBe(2);
    expect(await run(['export', '--district', '999999999999999'])).toBe(1);
    expect(await run(['frobnicate'])).toBe(2);
  });

  it('[CL4x] export --format xlsx --out writes a workbook with the IDs as text; without a format it is still the CSV', async () => {
    await seedFixtures(store);
    const id = '130102193305065368';
    const reg = registration(D1, { householdNo: '002', listingId: `L-${D1}-002`, status: 'draft' });
    reg.persons[0] = { ...reg.persons[0]!, sex: 2, birth: '1933-05', citizenId: id };
    const file = join(dir, 'unsynced.json');
    const doc: UnsyncedExport = { format: UNSYNCED_FORMAT, formatVersion: UNSYNCED_FORMAT_VERSION, exportedAt: '2020-11-04T12:00:00.000Z', deviceId: randomUUID(), userId: 'u-enum', mutations: [householdMutation(reg)], records: { registrations: [reg], listing: [], queries: [] }, issues: [] };
    writeFileSync(file, JSON.stringify(doc));
    expect(await run(['import-unsynced', file])).toBe(0);
    expect(out.at(-1)).toMatch(/1 applied/);

    const xlsx = join(dir, 'out.xlsx');
    expect(await run(['export', '--format', 'xlsx', '--district', D1, '--out', xlsx])).toBe(0);
    expect(err.at(-1)).toMatch(/bytes written to .*out\.xlsx$/);
    const persons = sheetOf(await readWorkbook(readFileSync(xlsx)), '人口').rows;
    expect(persons.map((p) => [p['户编号'], p['D3 公民身份号码']])).toEqual([['002', id], ['002', undefined]]);

    // A workbook is not lines on stdout.
    expect(await run(['export', '--format', 'xlsx'])).toBe(2);
    expect(err.at(-1)).toMatch(/--out/);
    expect(await run(['export', '--format', 'xlsx', '--district', '999999999999999', '--out', join(dir, 'none.xlsx')])).toBe(1);
    expect(await run(['export', '--frobnicate'])).toBe(2);

    // No --format: the CSV, as before, BOM first.
    const csv = join(dir, 'default.csv');
    expect(await run(['export', '--district', D1, '--out', csv])).toBe(0);
    const bytes = readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain(`,${id},`);
  });

  it('[CL5] npm run admin works as a process (password on stdin, store from PUCHA_DB)', () => {
    const db = join(dir, 'proc.sqlite');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'add-user', '--username', 'ops', '--name', 'Ops', '--role', 'admin'], {
      env: { ...process.env, PUCHA_DB: db },
      input: 'a-long-password\n',
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('user ops (admin) created\n');
    expect(r.status).toBe(0);
  });
});

describe('admin CLI: the daily report', () => {
  it('[CL20] freeze-daily freezes every due day since the first push, late ones marked; a second run freezes nothing', async () => {
    await seedFixtures(store);
    expect(await run(['freeze-daily'])).toBe(0);
    expect(out).toEqual(['freeze-daily: every due day is frozen already']);
    const { runPush } = await import('../../src/server/push-service.ts');
    await runPush(store, { userId: 'u-enum', deviceId: 'dev-cli', writeDistricts: new Set([D1]), graceDistricts: new Set(), mutations: [householdMutation(registration(D1))], now: new Date('2020-11-02T02:00:00.000Z') });
    out = [];
    expect(await run(['freeze-daily'])).toBe(0);
    // now: 5 November 08:00 China time; the 2nd to the 4th are due, all long past their hour
    expect(out.join('\n').split('\n')).toEqual([
      expect.stringMatching(/^freeze-daily: 2020-11-02 frozen \(late\), \d+ node\(s\)$/),
      expect.stringMatching(/^freeze-daily: 2020-11-03 frozen \(late\)/),
      expect.stringMatching(/^freeze-daily: 2020-11-04 frozen \(late\)/),
    ]);
    out = [];
    expect(await run(['freeze-daily'])).toBe(0);
    expect(out).toEqual(['freeze-daily: every due day is frozen already']);
  });
});
