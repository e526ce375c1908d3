// S5 of reliability.md: generated malformed, oversized, wrong-typed and hostile requests across
// the endpoints. Every answer is a 4xx with the error shape (a push may instead answer 200 with
// every mutation rejected and quarantined), never a 5xx, and no record changes.
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponseSchema } from '../../src/domain/index.ts';
import { D1, householdMutation, registration } from './fixtures.ts';
import { expectErrorShape, harness, type Harness } from './harness.ts';

let h: Harness;
let enumAuth: { auth: Record<string, string>; deviceId: string };
let supAuth: Record<string, string>;
let adminAuth: Record<string, string>;
let queryId: string;

beforeAll(async () => {
  h = await harness();
  enumAuth = await h.login('enum');
  supAuth = (await h.login('sup')).auth;
  adminAuth = (await h.login('admin')).auth;
  const reg = registration(D1);
  await h.req({ method: 'POST', url: '/api/v1/sync/push', headers: enumAuth.auth, payload: { deviceId: enumAuth.deviceId, mutations: [householdMutation(reg)] } });
  const q = await h.req({ method: 'POST', url: '/api/v1/queries', headers: supAuth, payload: { householdId: reg.id, message: 'check' } });
  queryId = (q.json() as { id: string }).id;
});
afterAll(async () => h.close());

const json = fc.jsonValue({ maxDepth: 4 });
const hostileValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  // never a value some field accepts: no whole numbers >= 0, no empty arrays
  fc.double({ noNaN: false }).filter((d) => !Number.isInteger(d)),
  fc.integer({ max: -1 }),
  fc.array(fc.anything(), { minLength: 1, maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}') as unknown),
  fc.string({ minLength: 0, maxLength: 5 }).map((s) => s + '\u0000\u202e<script>'),
  fc.constant('x'.repeat(70_000)),
  fc.constant("'; DROP TABLE registrations; --"),
);
/** A valid household mutation with one field replaced by something it must not be. */
const hostileMutation = fc
  .tuple(fc.constantFrom('id', 'entity', 'entityId', 'baseVersion', 'createdAt', 'data', 'deviceSeq', 'extra'), hostileValue)
  .map(([field, value]) => ({ ...householdMutation(registration(D1)), [field]: value }));
const hostileData = fc
  .tuple(fc.constantFrom('persons', 'household', 'districtCode', 'status', 'version', 'overrides', 'id', 'deaths'), hostileValue)
  .map(([field, value]) => {
    const m = householdMutation(registration(D1));
    return { ...m, data: { ...m.data, [field]: value } };
  });

type Req = InjectOptions & { kind: string };

/** Query values the server rightly accepts: the generator leaves them out. */
const VALID_PARAMS: ((path: string, v: string) => boolean)[] = [
  (p, v) => p.endsWith('limit=') && v.trim() !== '' && Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 1000,
  (p, v) => p.endsWith('status=') && ['draft', 'open', 'answered', 'resolved', 'dismissed'].includes(v),
  (p, v) => p.endsWith('category=') && ['hukouMissing', 'hukouMismatch', 'childMissing', 'childMismatch', 'deathMissing', 'duplicate', 'internalLogic', 'other'].includes(v),
  (p, v) => p.endsWith('area=') && /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{15})?$/.test(v),
  (p, v) => p.endsWith('format=') && ['csv', 'json'].includes(v),
];

const authed = (who: 'enum' | 'sup' | 'admin' | 'none' | 'bad') =>
  who === 'enum' ? enumAuth.auth : who === 'sup' ? supAuth : who === 'admin' ? adminAuth : who === 'bad' ? { authorization: `Bearer ${'A'.repeat(43)}` } : {};
/** The office's review endpoints (issue 12): JSON bodies, a CSV inside one. */
const REVIEW_PATHS = ['/registers/hukou', '/registers/births', '/registers/deaths', '/registers/other', '/review/problems', '/review/compare', '/review/release'] as const;

const requests = (): fc.Arbitrary<Req> => fc.oneof(
  // arbitrary JSON to every body-taking endpoint, with and without a token
  fc.tuple(fc.constantFrom('/auth/login', '/sync/push', '/queries', '/self/session', '/self/submit'), json, fc.constantFrom<'enum' | 'sup' | 'none' | 'bad'>('enum', 'sup', 'none', 'bad')).map(
    ([path, body, who]): Req => ({ kind: `json ${path}`, method: 'POST', url: `/api/v1${path}`, headers: { ...authed(who), 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  ),
  // the review endpoints with arbitrary JSON, and with CSV text that is not a valid file
  fc.tuple(fc.constantFrom(...REVIEW_PATHS), json, fc.constantFrom<'enum' | 'sup' | 'admin' | 'none'>('admin', 'admin', 'sup', 'enum', 'none')).map(
    ([path, body, who]): Req => ({ kind: `json ${path}`, method: 'POST', url: `/api/v1${path}`, headers: { ...authed(who), 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
  ),
  fc.tuple(fc.constantFrom(...REVIEW_PATHS), fc.constantFrom('citizenId,name,sex,birth,districtCode,address\n', 'districtCode,householdNo,category,citizenId,name,message\n', ''), fc.string({ minLength: 1, maxLength: 300 })).map(
    ([path, head, text]): Req => ({ kind: 'review csv', method: 'POST', url: `/api/v1${path}`, headers: adminAuth, payload: { csv: `${head}${text},${'\u0000'}` } }),
  ),
  fc.tuple(json, fc.constantFrom<'enum' | 'sup'>('sup', 'enum')).map(([body, who]): Req => ({ kind: 'json patch', method: 'PATCH', url: `/api/v1/queries/${queryId}`, headers: { ...authed(who), 'content-type': 'application/json' }, payload: JSON.stringify(body) })),
  // malformed JSON text
  fc.tuple(fc.constantFrom('/auth/login', '/sync/push', '/queries', '/self/session', '/self/submit'), fc.string({ maxLength: 200 })).map(
    ([path, text]): Req => ({ kind: 'malformed', method: 'POST', url: `/api/v1${path}`, headers: { ...enumAuth.auth, 'content-type': 'application/json' }, payload: `{${text}` }),
  ),
  // wrong content types
  fc.tuple(fc.constantFrom('/auth/login', '/sync/push', '/queries', '/self/submit'), fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/csv'), fc.string({ maxLength: 100 })).map(
    ([path, ct, text]): Req => ({ kind: 'content-type', method: 'POST', url: `/api/v1${path}`, headers: { ...enumAuth.auth, 'content-type': ct }, payload: text || 'x' }),
  ),
  // hostile push envelopes and records
  fc.tuple(fc.array(fc.oneof(hostileMutation, hostileData), { minLength: 1, maxLength: 5 }), fc.option(hostileValue)).map(
    ([mutations, device]): Req => ({
      kind: 'hostile push',
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: enumAuth.auth,
      payload: { deviceId: enumAuth.deviceId, mutations, ...(device === null ? {} : { device }) },
    }),
  ),
  fc.tuple(fc.constantFrom('deviceId', 'mutations', 'device', 'protocolVersion', 'extra'), hostileValue).map(
    ([field, value]): Req => ({ kind: 'hostile envelope', method: 'POST', url: '/api/v1/sync/push', headers: enumAuth.auth, payload: { deviceId: enumAuth.deviceId, mutations: [], [field]: value } }),
  ),
  // wrong-typed query strings
  fc
    .tuple(fc.constantFrom('/sync/pull?cursor=', '/sync/pull?limit=', '/queries?status=', '/queries?category=', '/queries?area=', '/review/stats?area=', '/export?format=', '/export?district=', '/sync/pull?x='), fc.string({ maxLength: 300 }))
    .filter(([path, v]) => !VALID_PARAMS.some((ok) => ok(path, v)))
    .map(
    ([path, v]): Req => ({ kind: 'query string', method: 'GET', url: `/api/v1${path}${encodeURIComponent(v || '-')}`, headers: supAuth }),
  ),
  // oversized bodies
  fc.constantFrom(
    { kind: 'too many mutations', method: 'POST', url: '/api/v1/sync/push', headers: enumAuth.auth, payload: { deviceId: 'd', mutations: Array.from({ length: 201 }, (_, i) => ({ id: `m${i}` })) } } as Req,
    { kind: 'push over 2 MiB', method: 'POST', url: '/api/v1/sync/push', headers: enumAuth.auth, payload: { deviceId: 'd', mutations: [{ id: 'x', data: { pad: 'x'.repeat(2_200_000) } }] } } as Req,
    { kind: 'body over 5 MiB', method: 'POST', url: '/api/v1/queries', headers: supAuth, payload: { message: 'x'.repeat(5_300_000) } } as Req,
  ),
);

const RECORD_TABLES = ['users', 'sessions', 'districts', 'district_enumerators', 'listing', 'registrations', 'revisions', 'queries', 'register_records'];

describe('fuzzed requests', () => {
  it('[FZ1] 1,200 generated bad requests: 4xx with the error shape, never 5xx, records unchanged', async () => {
    const before = await h.store.tableCounts();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (r) => {
        const { kind, ...opts } = r;
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
        const counts = await h.store.tableCounts();
        const res = await h.req(opts);
        expect(res.status).toBeLessThan(500);
        const after = await h.store.tableCounts();
        for (const t of RECORD_TABLES) expect(after[t], `${kind}: table ${t}`).toBe(counts[t]);
        if (res.status === 200 && opts.url !== '/api/v1/sync/push') {
          // A review body that happens to be valid: releasing or comparing nothing (the store holds
          // no drafts and no registers) may answer 200, and changes no record.
          expect(kind).toMatch(/review/);
          return;
        }
        if (res.status === 200) {
          // a push of records that all fail their checks: each is rejected and quarantined
          expect(opts.url).toBe('/api/v1/sync/push');
          const body = PushResponseSchema.parse(res.json());
          expect(body.results.every((x) => x.status === 'rejected')).toBe(true);
          expect((after.quarantine ?? 0) - (counts.quarantine ?? 0)).toBe(body.results.length);
          return;
        }
        expect(res.status).toBeGreaterThanOrEqual(400);
        expectErrorShape(res.json());
        expect(after).toEqual(counts);
      }),
      { numRuns: 1200, seed: Number(process.env.FUZZ_SEED ?? 42) },
    );
    const after = await h.store.tableCounts();
    for (const t of RECORD_TABLES) expect(after[t]).toBe(before[t]);
    expect([...seen.keys()].length).toBeGreaterThanOrEqual(9);
  }, 120_000);
});
