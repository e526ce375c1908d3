// The comparison review's admin commands (issue 12), run in-process on a temp SQLite store:
// import-register (line-numbered refusals, UTF-8 only, idempotent), import-problems, compare
// (idempotent re-runs) and release-review.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../../src/domain/index.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { runPush } from '../../src/server/push-service.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, householdMutation, registration } from './fixtures.ts';
import { seedFixtures } from './harness.ts';

let dir: string;
let store: Store;
let out: string[];
let err: string[];
const run = (argv: string[]) => runCli(argv, store, { stdin: () => Promise.resolve(''), out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date('2020-11-20T00:00:00.000Z') });
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const ID = makeCitizenId('130102', '1960-05-03', 11, 1);
const MISSING = makeCitizenId('130102', '1975-03-02', 13, 2);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pucha-cli-review-'));
  store = await openSqliteStore(join(dir, 'db.sqlite'));
  await seedFixtures(store);
  out = [];
  err = [];
  const reg = registration(D1, {}, 2);
  const p0 = reg.persons[0];
  if (!p0) throw new Error('fixture');
  reg.persons[0] = { ...p0, name: '张伟', citizenId: ID, sex: 1, birth: '1960-05' };
  const r = await runPush(store, { userId: 'u-enum', deviceId: randomUUID(), writeDistricts: new Set([D1, D2]), graceDistricts: new Set(), mutations: [householdMutation(reg)], now: new Date('2020-11-10T00:00:00.000Z') });
  expect(r[0]?.status).toBe('applied');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'citizenId,name,sex,birth,districtCode,address';

describe('review commands', () => {
  it('[CR1] import-register: refuses bad rows with their line and other encodings, then imports once', async () => {
    const bad = file('bad.csv', `${HEADER}\n${ID},张伟,1,1960-05-03,${D1},光华路1号\n${MISSING},李娜,女,1975-02-30,${D1},光华路2号\n`);
    expect(await run(['import-register', '--kind', 'hukou', bad])).toBe(1);
    expect(err.some((l) => l.startsWith(`${bad}:3:`))).toBe(true);
    expect((await store.registerCounts({ kind: 'all' })).hukou).toBe(0);
    // GB18030 bytes of "张伟" (as a spreadsheet saves them) are refused, not imported as mojibake.
    const gbk = file('gbk.csv', new Uint8Array([...new TextEncoder().encode(`${HEADER}\n${ID},`), 0xd5, 0xc5, 0xce, 0xb0, ...new TextEncoder().encode(`,1,1960-05-03,${D1},x\n`)]));
    err = [];
    expect(await run(['import-register', '--kind', 'hukou', gbk])).toBe(1);
    expect(err.join('\n')).toMatch(/UTF-8/);
    const unknown = file('unknown.csv', `${HEADER}\n${ID},张伟,1,1960-05-03,139999999999999,x\n`);
    err = [];
    expect(await run(['import-register', '--kind', 'hukou', unknown])).toBe(1);
    expect(err.join('\n')).toContain('no such district 139999999999999');
    const good = file('good.csv', `\uFEFF${HEADER}\n${ID},张伟,1,1960-05-03,${D1},光华路1号\n${MISSING},李娜,女,1975-03-02,${D1},光华路2号\n`);
    expect(await run(['import-register', '--kind', 'hukou', good])).toBe(0);
    expect(out.at(-1)).toBe('import-register hukou: 2 row(s): 2 new, 0 updated, 0 unchanged');
    expect(await run(['import-register', '--kind', 'hukou', good])).toBe(0);
    expect(out.at(-1)).toBe('import-register hukou: 2 row(s): 0 new, 0 updated, 2 unchanged');
    expect(await run(['import-register', '--kind', 'passports', good])).toBe(2);
    expect(await run(['import-register', good])).toBe(2);
  });

  it('[CR2] compare once, again without duplicates; release-review by category; import-problems', async () => {
    expect(await run(['import-register', '--kind', 'hukou', file('h.csv', `${HEADER}\n${ID},张伟,1,1960-05-03,${D1},光华路1号\n${MISSING},李娜,2,1975-03-02,${D1},光华路2号\n`)])).toBe(0);
    expect(await run(['compare', '--area', '130102'])).toBe(0);
    expect(out.at(-1)).toMatch(/^compare 130102: 2 register row\(s\) against 1 household\(s\) in [\d.]+ s: 1 new item\(s\) \(hukouMissing 1\), 0 already known$/);
    expect(await run(['compare', '--area', '130102'])).toBe(0);
    expect(out.at(-1)).toMatch(/: 0 new item\(s\), 1 already known$/);
    // Another county's registers are not compared.
    expect(await run(['compare', '--area', '130104'])).toBe(0);
    expect(out.at(-1)).toMatch(/0 register row\(s\)/);
    expect(await run(['compare', '--area', '13x'])).toBe(2);
    expect(await run(['compare', '--area', '130102', '--rules', 'head-age'])).toBe(1);

    expect(await run(['import-problems', file('p.csv', `districtCode,householdNo,category,citizenId,name,message\n${D2},,childMissing,,王小宝,疑似漏登婴儿\n`)])).toBe(0);
    expect(out.at(-1)).toContain('1 new item(s)');
    expect(await run(['release-review', '--category', 'nonsense'])).toBe(1);
    expect(await run(['release-review', '--category', 'childMissing'])).toBe(0);
    expect(out.at(-1)).toBe('release-review: 1 item(s) released to their districts');
    expect(await run(['release-review', '--area', '130102'])).toBe(0);
    expect(out.at(-1)).toBe('release-review: 1 item(s) released to their districts');
    const open = await store.listQueries({ kind: 'all' }, 'open', undefined, 10);
    expect(open.map((q) => q.category).sort()).toEqual(['childMissing', 'hukouMissing']);
    expect(open.find((q) => q.category === 'hukouMissing')).toMatchObject({ districtCode: D1, subject: { citizenId: MISSING, name: '李娜' }, createdBy: 'admin-cli' });
  });
});
