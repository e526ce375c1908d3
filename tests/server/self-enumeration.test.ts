// Self-enumeration on the server (issue 13), on both stores: the office's notices (CLI), the
// respondent's two calls, the identical refusal of every unusable code, the limits, the
// phone-issued codes, the enumerator's verification, and the counters.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema, SELF_CODE_ALPHABET, newSelfCode, normalizeSelfCode, type ListingEntry, type Registration } from '../../src/domain/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { runCli } from '../../src/server/cli-commands.ts';
import { SELF_CODE_REFUSED, selfRegistrationId } from '../../src/server/routes/self.ts';
import { openSqliteStore } from '../../src/server/store/sqlite.ts';
import type { Store } from '../../src/server/store/store.ts';
import { D1, D2, householdMutation, listingEntry, listingMutation, registration } from './fixtures.ts';
import { PASSWORD, USERS, expectErrorShape, openSeededStore, seedFixtures, type UserKey } from './harness.ts';

const DEADLINE = '2020-11-05T16:00:00.000Z';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const randomCode = () => newSelfCode((b) => b.set(Array.from({ length: b.length }, () => Math.floor(Math.random() * 256))));

/** The codes of a notices sheet, by household number, as a respondent reads them. */
function codesOf(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<section class="notice" data-household-no="(\d+)">[\s\S]*?<p class="code">([0-9A-Z-]+)<\/p>/g)) out.set(m[1] ?? '', m[2] ?? '');
  return out;
}

describe.each(['sqlite', 'postgres'] as const)('self-enumeration (%s)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let dir: string;
  const clock = { now: new Date('2020-11-03T08:00:00.000Z') };
  const limits = { perIp: { max: 1000, windowMs: 60_000 }, total: { max: 100_000, windowMs: 60_000 } };
  let ip = 0;
  /** A new client address per test (the per-address limit is tested on its own). */
  let address = '10.0.0.1';

  beforeAll(async () => {
    ({ store, close } = await openSeededStore(kind));
    dir = mkdtempSync(join(tmpdir(), 'pucha-self-'));
    // D1: 001 and 002 from the fixtures (short form, not marked); 003 marked for self-enumeration,
    // 004 marked but long form, 005 empty dwelling. D2 001 from the fixtures.
    await store.importListing([
      listingEntry(D1, 3, { selfEnumeration: true }),
      listingEntry(D1, 4, { selfEnumeration: true, longForm: true }),
      listingEntry(D1, 5, { selfEnumeration: true, kind: 'empty' }),
      ...Array.from({ length: 6 }, (_, i) => listingEntry(D1, 10 + i)),
    ]);
    app = await buildApp({ store, now: () => clock.now, self: { deadline: DEADLINE, ...limits } });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    // Time only goes forward from test to test (the limits' windows are in the store).
    clock.now = new Date(Date.parse('2020-11-03T08:00:00.000Z') + ip * 3_600_000);
    limits.perIp.max = 1000;
    limits.total.max = 100_000;
    address = `10.0.${Math.floor(++ip / 250)}.${ip % 250}`;
  });

  const call = async (url: string, payload: unknown, from = address) => {
    const r = await app.inject({ method: 'POST', url: `/api/v1/self/${url}`, payload: payload as Record<string, unknown>, remoteAddress: from });
    return { status: r.statusCode, body: r.json<unknown>(), raw: r.body, headers: r.headers };
  };
  const login = async (user: UserKey) => {
    const deviceId = randomUUID();
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERS[user].username, password: PASSWORD, deviceId }, remoteAddress: '10.9.9.9' });
    expect(r.statusCode).toBe(200);
    return { deviceId, auth: { authorization: `Bearer ${r.json<{ token: string }>().token}` } };
  };
  const push = async (user: Awaited<ReturnType<typeof login>>, mutations: unknown[]) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: user.auth, payload: { deviceId: user.deviceId, mutations } });
    expect(r.statusCode).toBe(200);
    return PushResponseSchema.parse(r.json()).results;
  };
  const pullAll = async (user: Awaited<ReturnType<typeof login>>) => {
    const changes = [];
    let cursor: string | undefined;
    for (;;) {
      const r = await app.inject({ method: 'GET', url: `/api/v1/sync/pull${cursor ? `?cursor=${cursor}` : ''}`, headers: user.auth });
      const body = PullResponseSchema.parse(r.json());
      changes.push(...body.changes);
      if (!body.more) return changes;
      cursor = body.cursor;
    }
  };
  let sheets = 0;
  const printNotices = async (district: string, extra: string[] = []) => {
    const out: string[] = [];
    const err: string[] = [];
    const file = join(dir, `notices-${++sheets}.html`);
    const rc = await runCli(['self-codes', '--district', district, '--out', file, '--origin', 'https://pucha.example.cn', ...extra], store, {
      stdin: () => Promise.resolve(''),
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      now: () => clock.now,
      selfDeadline: DEADLINE,
    });
    return { rc, out, err, file, html: rc === 0 ? readFileSync(file, 'utf8') : '' };
  };
  /** A respondent's short form for `n` persons, which passes the edit checks. */
  const form = (n = 2) => {
    const r = registration(D1, {}, n);
    return { household: r.household, persons: r.persons, deaths: r.deaths, overrides: r.overrides };
  };
  const refusal = (r: { status: number; body: unknown }) => {
    expect(r.status).toBe(401);
    expectErrorShape(r.body, 'unauthorized');
    return JSON.stringify(r.body);
  };

  it('[SE1] the CLI prints notices for the marked short-form households only, codes in the file alone, hashes in the store', async () => {
    const sheet = await printNotices(D1);
    expect(sheet.rc, sheet.err.join('\n')).toBe(0);
    const codes = codesOf(sheet.html);
    // 004 is long form, 005 an empty dwelling, 001/002/010.. are not marked
    expect([...codes.keys()]).toEqual(['003']);
    const code = normalizeSelfCode(codes.get('003') ?? '');
    expect(code).toHaveLength(16);
    expect([...(code ?? '')].every((c) => SELF_CODE_ALPHABET.includes(c))).toBe(true);
    expect(sheet.html).toContain('光华路3号');
    expect(sheet.html).toContain('<svg');
    expect(sheet.html).toContain('2020年11月5日 24:00');
    expect(sheet.html).not.toContain('光华路1号');
    // nothing of the code on the terminal; the store has its hash and not the code
    expect([...sheet.out, ...sheet.err].join('\n')).not.toContain((code ?? '').slice(0, 8));
    const rows = await store.selfCodesOf(D1);
    expect(rows.map((r) => [r.hash, r.listingId, r.origin])).toEqual([[sha(code ?? ''), `L-${D1}-003`, 'office']]);
    expect(JSON.stringify(rows)).not.toContain(code);
    // --all: every short-form household with no registration, in household order
    const all = await printNotices(D1, ['--all']);
    expect([...codesOf(all.html).keys()]).toEqual(['001', '002', '003', '010', '011', '012', '013', '014', '015']);
    expect(all.out.join()).toContain('1 code(s) of earlier sheets no longer work');
    // the first sheet's code ended with the new sheet; the new one works
    refusal(await call('session', { code }));
    const fresh = codesOf(all.html).get('003') ?? '';
    const s = await call('session', { code: fresh.toLowerCase() });
    expect(s.status).toBe(200);
    // an existing file is never overwritten; bad arguments are refused
    const again = await runCli(['self-codes', '--district', D1, '--out', all.file, '--all'], store, { stdin: () => Promise.resolve(''), out: () => undefined, err: () => undefined, now: () => clock.now });
    expect(again).toBe(1);
    expect(readFileSync(all.file, 'utf8')).toBe(all.html);
    expect((await printNotices('12345')).rc).toBe(1);
    expect((await printNotices('130102001003999')).rc).toBe(1);
    expect((await printNotices(D1, ['--bogus'])).rc).toBe(2);
  });

  it('[SE2] a valid code opens its household: the address and the form, nothing else', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const r = await call('session', { code: ` ${(codes.get('011') ?? '').toLowerCase()} ` });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ address: '光华路11号', form: 'short', formVersion: '2020-short-1', deadline: DEADLINE });
    // no name, no household number, no other household's data
    expect(r.raw).not.toContain('户主');
  });

  it('[SE3] every unusable code gets the same answer: wrong, malformed, used, ended, expired, long form, registered', async () => {
    const e = await login('enum');
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const used = codes.get('012') ?? '';
    expect((await call('submit', { code: used, submissionId: randomUUID(), ...form() })).status).toBe(200);
    // a household the enumerator registered (its listing not changed)
    const registeredCode = codes.get('013') ?? '';
    expect((await push(e, [householdMutation(registration(D1, { listingId: `L-${D1}-013`, householdNo: '013' }))]))[0]?.status).toBe('applied');
    // a long-form household's code (made on a phone: the office decides the long form)
    const longCode = randomCode();
    const long = (await store.pull({ kind: 'district', code: D1 }, 0, 500)).changes.find((c) => c.entity === 'listing' && c.id === `L-${D1}-004`);
    const planted = await push(e, [listingMutation({ ...(long?.data as ListingEntry), selfCode: { hash: sha(longCode), issuedAt: clock.now.toISOString() } }, long?.version ?? 0)]);
    expect(planted[0]?.status).toBe('applied');
    expect((await store.selfCodesOf(D1)).some((r) => r.hash === sha(longCode))).toBe(true);
    const bodies = new Set<string>();
    for (const code of [randomCode(), 'ABC', 'O'.repeat(17), 'ü'.repeat(16), used, registeredCode, longCode]) {
      bodies.add(refusal(await call('session', { code })));
      bodies.add(refusal(await call('submit', { code, submissionId: randomUUID(), ...form() })));
    }
    expect([...bodies]).toHaveLength(1);
    expect([...bodies][0]).toContain(SELF_CODE_REFUSED);
  });

  it('[SE4] a submission is a self-reported registration with its revisions; a retry gets the same receipt, another submission is refused', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const code = codes.get('015') ?? '';
    const hash = sha(normalizeSelfCode(code) ?? '');
    const before = await store.tableCounts();
    const listingRevisions = await store.countRevisions(`L-${D1}-015`);
    const submittedAt = clock.now.toISOString();
    const submissionId = randomUUID();
    const body = { code, submissionId, ...form(3) };
    const first = await call('submit', body);
    expect(first.status, first.raw).toBe(200);
    const receipt = first.body;
    expect(receipt).toEqual({ submittedAt });
    const id = selfRegistrationId(hash);
    const stored = await store.getRegistration(id);
    const data = stored?.data as Registration;
    expect([data.source, data.status, data.form, data.listingId, data.householdNo, data.persons.length]).toEqual(['self', 'complete', 'short', `L-${D1}-015`, '015', 3]);
    expect(await store.countRevisions(id)).toBe(1);
    expect(await store.countRevisions(`L-${D1}-015`)).toBe(listingRevisions + 1);
    const after = await store.tableCounts();
    expect(after.registrations).toBe((before.registrations ?? 0) + 1);
    // a retried submit (the answer lost on the way) changes nothing and gets the same receipt
    clock.now = new Date(clock.now.getTime() + 600_000);
    const retry = await call('submit', body);
    expect([retry.status, retry.body]).toEqual([200, receipt]);
    expect(await store.tableCounts()).toEqual(after);
    // a second submission with the code, and the session, are refused
    refusal(await call('submit', { ...body, submissionId: randomUUID() }));
    refusal(await call('session', { code }));
    // the enumerator's phone pulls it as self-reported
    const e = await login('enum');
    const changes = await pullAll(e);
    const hh = changes.find((c) => c.entity === 'household' && c.id === id);
    expect((hh?.data as Registration | undefined)?.source).toBe('self');
    const entry = changes.find((c) => c.entity === 'listing' && c.id === `L-${D1}-015`);
    expect((entry?.data as ListingEntry | undefined)?.visit.status).toBe('selfReported');
    const codesRow = (await store.selfCodesOf(D1)).find((r) => r.hash === hash);
    expect([codesRow?.usedAt, codesRow?.submissionId, codesRow?.registrationId]).toEqual([submittedAt, submissionId, id]);
  });

  it('[SE5] a form with a wrong answer, oversized or malformed is refused with a clear error and stores nothing; the code still works', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const code = codes.get('010') ?? '';
    const before = await store.tableCounts();
    const f = form(2);
    // a citizen ID with a wrong check digit: a finding the respondent must correct
    const wrongId = { ...f, persons: f.persons.map((p, i) => (i === 1 ? { ...p, citizenId: '110101198505011234' } : p)) };
    const r = await call('submit', { code, submissionId: randomUUID(), ...wrongId });
    expect(r.status, r.raw).toBe(422);
    expectErrorShape(r.body, 'validation_failed');
    const details = (r.body as { error: { details: { path: (string | number)[] }[] } }).error.details;
    expect(details.some((d) => d.path[0] === 'persons' && d.path[1] === 1)).toBe(true);
    // a form that does not parse (no persons), fields the respondent may not set, a bad body
    const incomplete = await call('submit', { code, submissionId: randomUUID(), ...f, persons: [] });
    expect(incomplete.status).toBe(400);
    expectErrorShape(incomplete.body, 'validation_failed');
    const sneaky = await call('submit', { code, submissionId: randomUUID(), ...f, source: 'enumerator', districtCode: D2 });
    expect(sneaky.status).toBe(400);
    const noJson = await app.inject({ method: 'POST', url: '/api/v1/self/submit', headers: { 'content-type': 'application/json' }, payload: '{"code":', remoteAddress: address });
    expect(noJson.statusCode).toBe(400);
    expectErrorShape(noJson.json(), 'bad_request');
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/self/submit',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code, submissionId: randomUUID(), ...f, pad: 'x'.repeat(300 * 1024) }),
      remoteAddress: address,
    });
    expect(huge.statusCode).toBe(413);
    expectErrorShape(huge.json(), 'payload_too_large');
    const hugeSession = await app.inject({ method: 'POST', url: '/api/v1/self/session', payload: { code: 'x'.repeat(10_000) }, remoteAddress: address });
    expect(hugeSession.statusCode).toBe(413);
    expect(await store.tableCounts()).toEqual(before);
    expect((await call('session', { code })).status).toBe(200);
    expect((await call('submit', { code, submissionId: randomUUID(), ...f })).status).toBe(200);
  });

  it('[SE6] a burst of guesses from one address is limited (valid codes too), other addresses are not; the total has its own limit', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const good = codes.get('011') ?? '';
    limits.perIp.max = 5;
    for (let i = 0; i < 5; i++) refusal(await call('session', { code: randomCode() }));
    const limited = await call('session', { code: good });
    expect(limited.status).toBe(429);
    expectErrorShape(limited.body, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call('submit', { code: good, submissionId: randomUUID(), ...form() })).status).toBe(429);
    expect((await call('session', { code: good }, '10.200.0.1')).status).toBe(200);
    // a window later the address may try again
    clock.now = new Date(clock.now.getTime() + 61_000);
    expect((await call('session', { code: good })).status).toBe(200);
    // the installation's total: many addresses together
    limits.total.max = 3;
    clock.now = new Date(clock.now.getTime() + 61_000);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('session', { code: good }, `10.201.0.${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('[SE7] a code made on the phone works once its listing entry is pushed; a newer one ends it', async () => {
    const e = await login('enum');
    const [c1, c2] = [randomCode(), randomCode()];
    refusal(await call('session', { code: c1 }));
    const at = clock.now.toISOString();
    const base = (await store.pull({ kind: 'district', code: D2 }, 0, 100)).changes.find((c) => c.entity === 'listing');
    const entry = base?.data as ListingEntry;
    const r1 = await push(e, [listingMutation({ ...entry, selfCode: { hash: sha(c1), issuedAt: at } }, base?.version ?? 0)]);
    expect(r1[0]?.status).toBe('applied');
    expect((await call('session', { code: c1 })).body).toMatchObject({ address: entry.address });
    const r2 = await push(e, [listingMutation({ ...entry, selfCode: { hash: sha(c2), issuedAt: at } }, r1[0]?.version ?? 0)]);
    expect(r2[0]?.status).toBe('applied');
    refusal(await call('session', { code: c1 }));
    expect((await call('session', { code: c2 })).status).toBe(200);
    // an enumerator of another district cannot plant a code there
    const other = await login('enum2');
    const c3 = randomCode();
    expect((await push(other, [listingMutation({ ...entry, selfCode: { hash: sha(c3), issuedAt: at } }, r2[0]?.version ?? 0)]))[0]?.status).toBe('rejected');
    refusal(await call('session', { code: c3 }));
  });

  it('[SE8] the verification is the pushing enumerator own, of a self-reported household; counters follow and match a recount', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const code = codes.get('002') ?? '';
    expect((await call('submit', { code, submissionId: randomUUID(), ...form(2) })).status).toBe(200);
    const id = selfRegistrationId(sha(normalizeSelfCode(code) ?? ''));
    const stored = (await store.getRegistration(id))?.data as Registration;
    const statusOf = async () => (await store.districtStatus({ kind: 'district', code: D1 }, '', 10)).find((d) => d.code === D1);
    const s0 = await statusOf();
    expect(s0?.selfAwaiting).toBeGreaterThan(0);
    const e = await login('enum');
    const at = clock.now.toISOString();
    const v = (by: string) => ({ ...stored, version: stored.version + 1, verification: { by, at, outcome: 'corrected' as const }, persons: stored.persons.map((p, i) => (i === 1 ? { ...p, name: '更正后' } : p)) });
    const wrongBy = await push(e, [householdMutation(v(USERS.enum2.id), stored.version)]);
    expect(wrongBy[0]?.status).toBe('rejected');
    expect(wrongBy[0]?.error?.details?.[0]?.path).toEqual(['data', 'verification', 'by']);
    const own = registration(D1);
    const notSelf = await push(e, [householdMutation({ ...own, verification: { by: USERS.enum.id, at, outcome: 'confirmed' } })]);
    expect(notSelf[0]?.error?.details?.[0]?.path).toEqual(['data', 'verification']);
    const ok = await push(e, [householdMutation(v(USERS.enum.id), stored.version)]);
    expect(ok[0]?.status).toBe('applied');
    const s1 = await statusOf();
    expect([(s1?.selfVerified ?? 0) - (s0?.selfVerified ?? 0), (s1?.selfAwaiting ?? 0) - (s0?.selfAwaiting ?? 0), s1?.selfReported]).toEqual([1, -1, s0?.selfReported]);
    // the supervisor's /progress carries the counts
    const sup = await login('sup');
    const p = await app.inject({ method: 'GET', url: '/api/v1/progress', headers: sup.auth });
    expect(p.statusCode).toBe(200);
    const self = (p.json<{ totals: { self: { reported: number; verified: number; awaiting: number } } }>()).totals.self;
    expect(self.verified).toBeGreaterThanOrEqual(1);
    expect(self.reported).toBe(self.verified + self.awaiting);
    const c = await store.progressConsistency();
    for (const [node, r] of c.recounted) expect({ node, counts: c.maintained.get(node)?.counts, last: c.maintained.get(node)?.lastPushAt }).toEqual({ node, counts: r.counts, last: r.lastPushAt });
    const n = c.maintained.get(D1)?.counts;
    expect([n?.s_reported, n?.s_verified]).toEqual([s1?.selfReported, s1?.selfVerified]);
  });
  it('[SE9] after the deadline a code that worked a moment before gets the same refusal', async () => {
    const codes = codesOf((await printNotices(D1, ['--all'])).html);
    const late = codes.get('014') ?? '';
    const valid = await call('submit', { code: codes.get('011') ?? '', submissionId: randomUUID(), ...form(1) });
    const wrong = refusal(await call('session', { code: randomCode() }));
    clock.now = new Date(Date.parse(DEADLINE) - 1);
    expect((await call('session', { code: late })).status).toBe(200);
    clock.now = new Date(DEADLINE);
    expect(refusal(await call('session', { code: late }))).toBe(wrong);
    expect(refusal(await call('submit', { code: late, submissionId: randomUUID(), ...form() }))).toBe(wrong);
    expect(valid.status).toBe(200);
  });
});

describe('self-enumeration counters in a store made before them (SQLite)', () => {
  it('[SE10] migration 7 fills the self and verified columns and the rollup from the registrations already stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-self-mig-'));
    const path = join(dir, 'db.sqlite');
    try {
      let store = await openSqliteStore(path);
      await seedFixtures(store);
      const at = '2020-11-03T08:00:00.000Z';
      const regs = [
        registration(D1, { source: 'self' }),
        registration(D1, { source: 'self', verification: { by: USERS.enum.id, at, outcome: 'confirmed' } }),
        registration(D1, { source: 'self', verification: { by: USERS.enum.id, at, outcome: 'corrected' } }),
        registration(D1),
      ];
      await store.importRegistrations(regs.map((r) => ({ ...r, persons: r.persons.length, errors: 0, warnings: 0, data: r })), at);
      await store.close();
      // Undo migration 7 as a store released before it holds the data, then reopen.
      const db = new Database(path);
      db.exec(`DROP TABLE self_codes; DROP INDEX registrations_listing;
        ALTER TABLE registrations DROP COLUMN self; ALTER TABLE registrations DROP COLUMN verified;
        ALTER TABLE progress DROP COLUMN s_reported; ALTER TABLE progress DROP COLUMN s_verified;
        DELETE FROM schema_migrations WHERE version = 7`);
      db.close();
      store = await openSqliteStore(path);
      try {
        const d = (await store.districtStatus({ kind: 'district', code: D1 }, '', 10)).find((x) => x.code === D1);
        expect([d?.selfReported, d?.selfVerified, d?.selfAwaiting]).toEqual([3, 2, 1]);
        const c = await store.progressConsistency();
        expect(c.maintained.get('')?.counts.s_verified).toBe(2);
        for (const [node, r] of c.recounted) expect({ node, counts: c.maintained.get(node)?.counts }).toEqual({ node, counts: r.counts });
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
