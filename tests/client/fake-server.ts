// A small in-memory sync server speaking api.md (login, push, pull), exposed as a `fetch`
// function the tests control: it can fail on purpose (status codes, network errors, an answer
// dropped after commit, going offline) and it records what it received.
import { PushRequestSchema, parseRegistration, type Change, type KnownDevice, type MutationResult, type User } from '../../src/domain/index.ts';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; code?: string }
  | { kind: 'network' }
  /** The server commits the push, then the answer is lost. */
  | { kind: 'dropAfterCommit' }
  /** A 200 whose results do not match the batch. */
  | { kind: 'garbage' };

interface Revision {
  mutationId: string;
  entity: string;
  entityId: string;
  version: number;
  status: 'applied' | 'conflict';
  data: unknown;
}

export class FakeServer {
  offline = false;
  /** Faults for the next requests, consumed in order; `when` limits one to push or pull. */
  faults: { when: 'push' | 'pull' | 'any'; fault: Fault }[] = [];
  /** A push with more mutations than this gets 413. */
  maxBatch = 200;
  pageSize = 50;
  rejectIf: (m: { entity: string; data: Record<string, unknown> }) => boolean = () => false;
  readonly current = new Map<string, { version: number; data: unknown }>();
  readonly revisions: Revision[] = [];
  readonly results = new Map<string, MutationResult>();
  readonly changes: (Change & { seq: number })[] = [];
  readonly deviceSeq = new Map<string, number>();
  readonly tokens = new Map<string, string>();
  readonly pushBodies: unknown[] = [];
  readonly requests: { path: string; at: number; mutations?: number; status: number | 'network' }[] = [];
  /** The user's other devices, as the real server lists them at login (R11). */
  otherDevices: KnownDevice[] = [];
  /**
   * When set, the login answer lists the devices this server has seen for the user (as the real
   * server does: the highest deviceSeq, and what each still had queued after its last push)
   * instead of `otherDevices`.
   */
  reportDevices = false;
  /** Per device: its user, the last report of what it still had queued after a push. */
  readonly devices = new Map<string, { userId: string; pending?: number; lastSeenAt: string }>();
  /** Accounts by username; a test adds more (a second enumerator for the phone handover). */
  readonly users = new Map<string, { password: string; user: User }>([
    ['demo-enumerator', { password: 'pucha-demo', user: { id: 'u-enum-1', username: 'demo-enumerator', name: '张三', role: 'enumerator', districts: ['130102003003001'] } }],
  ]);
  /** When set, a pull returns only changes in the signed-in user's districts (like the real server). */
  scopePulls = false;
  /** The user each token was issued to. */
  readonly tokenUsers = new Map<string, User>();
  private seq = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  readonly fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    await Promise.resolve(); // answer asynchronously, like a network
    const url = new URL(input);
    const path = url.pathname.replace('/api/v1', '');
    const at = this.now();
    if (this.offline) {
      this.requests.push({ path, at, status: 'network' });
      throw new TypeError('fetch failed');
    }
    const kind = path === '/sync/push' ? 'push' : path === '/sync/pull' ? 'pull' : 'other';
    const i = this.faults.findIndex((f) => f.when === 'any' || f.when === kind);
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]?.fault : undefined;
    if (fault?.kind === 'network') {
      this.requests.push({ path, at, status: 'network' });
      throw new TypeError('fetch failed');
    }
    if (fault?.kind === 'status') {
      this.requests.push({ path, at, status: fault.status });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      return new Response(JSON.stringify({ error: { code: fault.code ?? 'internal', message: `fault ${fault.status}` } }), { status: fault.status, headers });
    }
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const auth = new Headers(init?.headers).get('authorization');
    const device = auth ? this.tokens.get(auth.replace('Bearer ', '')) : undefined;
    let answer: { status: number; json: unknown };
    if (path === '/auth/login') answer = this.login(body);
    else if (!device) answer = { status: 401, json: { error: { code: 'unauthorized', message: 'no session' } } };
    else if (path === '/sync/push') {
      this.pushBodies.push(body);
      answer = this.push(body, device, fault?.kind === 'garbage');
    }
    else if (path === '/sync/pull') answer = this.pull(url.searchParams.get('cursor'), device, this.tokenUsers.get(auth?.replace('Bearer ', '') ?? ''));
    else if (path === '/auth/logout') answer = { status: 204, json: null };
    else answer = { status: 404, json: { error: { code: 'not_found', message: path } } };
    const mutations = kind === 'push' && typeof body === 'object' && body !== null && 'mutations' in body && Array.isArray(body.mutations) ? body.mutations.length : undefined;
    if (fault?.kind === 'dropAfterCommit') {
      this.requests.push({ path, at, status: 'network', ...(mutations !== undefined ? { mutations } : {}) });
      throw new TypeError('socket hang up');
    }
    this.requests.push({ path, at, status: answer.status, ...(mutations !== undefined ? { mutations } : {}) });
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.json), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };

  /** Puts a record on the server as another writer would (e.g. the office or a supervisor). */
  put(entity: 'district' | 'listing' | 'household' | 'query', id: string, data: unknown, version?: number): void {
    const key = `${entity === 'query' ? 'queryAnswer' : entity}:${id}`;
    const v = version ?? (this.current.get(key)?.version ?? 0) + 1;
    this.current.set(key, { version: v, data });
    this.changes.push({ seq: ++this.seq, entity, id, version: v, data, deleted: false });
  }

  /** Versions stored per (entity, id) in the order they arrived (applied and conflicting). */
  versionsOf(entityId: string): number[] {
    return this.revisions.filter((r) => r.entityId === entityId).map((r) => (r.data as { version: number }).version);
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  private login(body: unknown): { status: number; json: unknown } {
    const b = body as { username?: string; password?: string; deviceId?: string };
    const account = b.username === undefined ? undefined : this.users.get(b.username);
    if (!account || b.password !== account.password || !b.deviceId) return { status: 401, json: { error: { code: 'unauthorized', message: 'bad credentials' } } };
    const token = `t-${this.tokens.size + 1}-${b.deviceId}`;
    this.tokens.set(token, b.deviceId);
    this.tokenUsers.set(token, account.user);
    const seen = new Date(this.now()).toISOString();
    this.devices.set(b.deviceId, { ...this.devices.get(b.deviceId), userId: account.user.id, lastSeenAt: seen });
    const known = [...this.devices]
      .filter(([id, d]) => id !== b.deviceId && d.userId === account.user.id)
      .map(([deviceId, d]) => ({ deviceId, lastSeenAt: d.lastSeenAt, deviceSeq: this.deviceSeq.get(deviceId) ?? 0, ...(d.pending !== undefined ? { pendingOnDevice: d.pending } : {}) }));
    return {
      status: 200,
      json: { token, expiresAt: '2020-12-31T00:00:00.000Z', user: account.user, otherDevices: this.reportDevices ? known : this.otherDevices },
    };
  }

  private push(body: unknown, device: string, garbage: boolean): { status: number; json: unknown } {
    const req = PushRequestSchema.safeParse(body);
    if (!req.success) return { status: 400, json: { error: { code: 'validation_failed', message: req.error.message } } };
    if (req.data.mutations.length > this.maxBatch) return { status: 413, json: { error: { code: 'payload_too_large', message: 'too many' } } };
    const results: MutationResult[] = [];
    for (const m of req.data.mutations) {
      const seen = this.results.get(m.id);
      if (seen) {
        results.push(seen.status === 'applied' ? { ...seen, status: 'duplicate' } : seen);
        continue;
      }
      if (m.deviceSeq !== undefined) this.deviceSeq.set(device, Math.max(this.deviceSeq.get(device) ?? 0, m.deviceSeq));
      const key = `${m.entity}:${m.entityId}`;
      const cur = this.current.get(key)?.version ?? 0;
      let result: MutationResult;
      if (this.rejectIf(m) || (m.entity === 'household' && !parseRegistration(m.data).success)) {
        result = { id: m.id, status: 'rejected', error: { code: 'validation_failed', message: 'rejected by the fake server' } };
      } else if (m.baseVersion !== cur) {
        this.revisions.push({ mutationId: m.id, entity: m.entity, entityId: m.entityId, version: cur, status: 'conflict', data: m.data });
        result = { id: m.id, status: 'conflict', version: cur, error: { code: 'validation_failed', message: `base ${m.baseVersion}, server has ${cur}` } };
      } else {
        this.revisions.push({ mutationId: m.id, entity: m.entity, entityId: m.entityId, version: cur + 1, status: 'applied', data: m.data });
        this.current.set(key, { version: cur + 1, data: m.data });
        const entity = m.entity === 'queryAnswer' ? 'query' : m.entity;
        if (entity === 'household' || entity === 'listing') this.changes.push({ seq: ++this.seq, entity, id: m.entityId, version: cur + 1, data: m.data, deleted: false });
        result = { id: m.id, status: 'applied', version: cur + 1 };
      }
      this.results.set(m.id, result);
      results.push(result);
    }
    // What the device still had queued after this push (its report counts this push's mutations too).
    const dev = this.devices.get(device);
    if (dev && req.data.device) dev.pending = Math.max(0, req.data.device.pending - results.length);
    if (garbage) results.reverse();
    return { status: 200, json: { results, serverTime: new Date(this.now()).toISOString() } };
  }

  private pull(cursor: string | null, device: string, user: User | undefined): { status: number; json: unknown } {
    const after = cursor === null ? 0 : Number(cursor);
    const inScope = (c: Change): boolean => {
      if (!this.scopePulls) return true;
      const data: unknown = c.data;
      const code = c.entity === 'district' ? c.id : typeof data === 'object' && data !== null && 'districtCode' in data ? data.districtCode : undefined;
      return typeof code === 'string' && (user?.districts.includes(code) ?? false);
    };
    const page = this.changes.filter((c) => c.seq > after && inScope(c)).slice(0, this.pageSize);
    const last = page.at(-1)?.seq ?? after;
    return {
      status: 200,
      json: {
        changes: page.map(({ seq: _seq, ...c }) => c),
        cursor: String(last),
        more: this.changes.some((c) => c.seq > last && inScope(c)),
        deviceSeq: this.deviceSeq.get(device) ?? 0,
      },
    };
  }
}

/** Timers the test fires by hand; records every delay the engine asked for. */
export class ManualTimers {
  readonly delays: number[] = [];
  private pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  readonly setTimer = (fn: () => void, ms: number): (() => void) => {
    const t = { fn, ms, cancelled: false };
    this.pending.push(t);
    this.delays.push(ms);
    return () => void (t.cancelled = true);
  };
  /** Delays of the timers still armed (request timeouts excluded: they are cancelled on answer). */
  armed(): number[] {
    return this.pending.filter((t) => !t.cancelled).map((t) => t.ms);
  }
  /** Fires every armed timer with this delay (the engine's retry or poll timer). */
  fire(ms?: number): void {
    const due = this.pending.filter((t) => !t.cancelled && (ms === undefined || t.ms === ms));
    this.pending = this.pending.filter((t) => !due.includes(t));
    for (const t of due) t.fn();
  }
}
