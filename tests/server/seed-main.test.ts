import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoginResponseSchema, PullResponseSchema, PushResponseSchema, RegistrationSchema } from '../../src/domain/index.ts';
import { buildApp, DEMO_DISTRICTS, DEMO_PASSWORD, openSqliteStore, seedDemo } from '../../src/server/index.ts';


describe('demo seed and npm start', () => {
  it('[SE1] seedDemo creates the accounts and districts once; demo-enumerator can sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-seed-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    try {
      const s = await seedDemo(store, { households: 20 });
      expect(s.seeded).toBe(true);
      expect(s.households).toBeGreaterThan(0);
      const again = await seedDemo(store);
      expect(again.seeded).toBe(false);
      const app = await buildApp({ store });
      const deviceId = randomUUID();
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-enumerator', password: DEMO_PASSWORD, deviceId } });
      const body = LoginResponseSchema.parse(login.json());
      expect(body.user.districts).toEqual([DEMO_DISTRICTS[0].code, DEMO_DISTRICTS[1].code]);
      const auth = { authorization: `Bearer ${body.token}` };
      const pull = PullResponseSchema.parse((await app.inject({ method: 'GET', url: '/api/v1/sync/pull?limit=1000', headers: auth })).json());
      expect(pull.changes.filter((c) => c.entity === 'listing')).toHaveLength(40);
      const hh = pull.changes.find((c) => c.entity === 'household');
      if (!hh) throw new Error('no registered household in the demo');
      // edit a seeded household from version 1 and push it back
      const reg = RegistrationSchema.parse(hh.data);
      const m = { id: randomUUID(), entity: 'household', entityId: reg.id, baseVersion: 1, createdAt: '2020-11-04T00:00:00.000Z', data: { ...reg, version: 2 } };
      const push = PushResponseSchema.parse((await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: auth, payload: { deviceId, mutations: [m] } })).json());
      expect(push.results).toEqual([{ id: m.id, status: 'applied', version: 2 }]);
      const sup = LoginResponseSchema.parse(
        (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-supervisor', password: DEMO_PASSWORD, deviceId: randomUUID() } })).json(),
      );
      expect(sup.user.districts).toHaveLength(3);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[SE2] npm start serves the API on the given port, seeds, and exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-main-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PUCHA_DB: join(dir, 'db.sqlite'), PUCHA_BUILD: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 30_000);
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /listening on (http:\/\/[^\s]+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      expect(out).toContain('demo-enumerator');
      const health = await fetch(`${url}/api/v1/healthz`);
      expect(await health.json()).toEqual({ ok: true, store: 'sqlite' });
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo-enumerator', password: DEMO_PASSWORD, deviceId: randomUUID() }),
      });
      expect(login.status).toBe(200);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[SE3] the README sample push (a field listing entry and its household) applies on the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pucha-sample-'));
    const store = await openSqliteStore(join(dir, 'db.sqlite'));
    try {
      await seedDemo(store, { households: 5 });
      const app = await buildApp({ store });
      const sample = JSON.parse(readFileSync('samples/push-household.json', 'utf8')) as { deviceId: string };
      const login = LoginResponseSchema.parse((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'demo-enumerator', password: DEMO_PASSWORD, deviceId: sample.deviceId } })).json());
      const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { authorization: `Bearer ${login.token}` }, payload: sample });
      expect(PushResponseSchema.parse(r.json()).results).toEqual([
        { id: 'mut-0000', status: 'applied', version: 1 },
        { id: 'mut-0001', status: 'applied', version: 1 },
      ]);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
