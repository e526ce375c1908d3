// The enumerator's offline day, once, for any engine (issue 16): sign in, the service worker takes
// over, the network goes (a proxy we control stops accepting connections, plus the engine's own
// offline emulation where it has one), reload from the worker, register a 3-person household
// (an error fixed, a warning confirmed with a reason), reload, restart the browser cold where the
// engine keeps storage, then the network comes back and the queue must drain exactly once: every
// queued mutation pushed once, applied once, and never again. The sign-in's storage message must
// be the one the engine calls for, and no page may violate the CSP.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import appZh from '../../../src/client/i18n/app.zh.ts';
import type { PersistOutcome } from '../../../src/client/ui/LoginScreen.tsx';
import { apiGet, apiLogin, DEMO_PASSWORD, startServer, tempDir, type ServerHandle } from '../harness.ts';
import { idOf, wrongCheck, type PersonAnswers } from '../household-steps.ts';
import { requireBinaries, type Engine, type EngineDriver, type Json } from './driver.ts';
import { startProxy, type SwitchableProxy } from './proxy.ts';

const HEAD: PersonAnswers = { name: '赵国强', relationship: 0, birth: '1970-05-12', sex: 1, seq: 11 };
const SPOUSE: PersonAnswers = { name: '钱秀英', relationship: 1, birth: '1972-03-08', sex: 2, seq: 22 };
const CHILD: PersonAnswers = { name: '赵晓雨', relationship: 2, birth: '2000-08-20', sex: 2, seq: 33 };

/** The sign-in message for each persist() outcome (LoginScreen's persistMessageKey, in zh). */
/** For polls on the page under a loaded machine (vitest's default is 1 s). */
const SLOW = { timeout: 15_000, interval: 100 };
const PERSIST_MESSAGE: Record<PersistOutcome, string> = { granted: appZh.login.persisted, denied: appZh.login.notPersisted, unsupported: appZh.login.persistUnknown, unanswered: appZh.login.persistUnanswered };

/** A cross-origin image: blocked by img-src 'self', so the engine must send a CSP report. */
const CSP_PROBE = 'http://127.0.0.1:9/e2e-csp-probe.png';
/** The probe's report (an engine may report the blocked origin only, without the path). */
const isProbe = (report: string) => /img-src blocked http:\/\/127\.0\.0\.1:9(\/|\s|$)/.test(report);

/** Polls a page predicate (errors while a page is being replaced count as "not yet"). */
async function waitUntil<A extends Json[]>(b: EngineDriver, what: string, fn: (...args: A) => boolean, args: A, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    try {
      if (await b.evaluate(fn, ...args)) return;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      // What the page shows then (fictional test data only) tells a stuck screen from a wrong one.
      const shown = await b.evaluate(() => `${location.hash} | ${document.body.innerText.replace(/\s+/g, ' ').slice(0, 300)}`).catch(() => '(page unreadable)');
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}; page: ${shown}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

const present = (b: EngineDriver, css: string, timeout?: number) => waitUntil(b, css, (sel: string) => document.querySelector(sel) !== null, [css], timeout);
const visible = (b: EngineDriver, css: string, timeout?: number) =>
  waitUntil(b, `${css} (visible)`, (sel: string) => (document.querySelector(sel)?.getClientRects().length ?? 0) > 0, [css], timeout);
const hasText = (b: EngineDriver, text: string, timeout?: number) => waitUntil(b, `text "${text}"`, (t: string) => document.body.innerText.includes(t), [text], timeout);

const attr = (b: EngineDriver, css: string, name: string) => b.evaluate((sel: string, n: string) => document.querySelector(sel)?.getAttribute(n) ?? null, css, name);
const value = (b: EngineDriver, css: string) => b.evaluate((sel: string) => document.querySelector<HTMLInputElement>(sel)?.value ?? null, css);
const text = (b: EngineDriver, css: string) => b.evaluate((sel: string) => document.querySelector<HTMLElement>(sel)?.innerText ?? null, css);
const queued = async (b: EngineDriver) => Number(await attr(b, '[data-testid="sync-badge"]', 'data-queued'));
const phase = (b: EngineDriver) => attr(b, '[data-testid="sync-badge"]', 'data-phase');
const rules = (b: EngineDriver) => b.evaluate(() => [...document.querySelectorAll('#f-findings [data-rule]')].map((e) => e.getAttribute('data-rule') ?? ''));

/** The app PIN the round trip sets (6 to 12 digits, not a trivial one). */
const PIN = '802413';

/**
 * Waits for `target`, getting through the app lock on the way: the PIN is set after the first
 * sign-in, and asked for again whenever the page starts anew (reload, cold restart). Where the
 * app has no lock, `target` simply appears.
 */
async function throughLock(b: EngineDriver, target: string, seen: string[]): Promise<void> {
  const which = () =>
    b.evaluate((t: string) => {
      const shown = (s: string) => (document.querySelector(s)?.getClientRects().length ?? 0) > 0;
      return shown(t) ? 'target' : shown('[data-testid="set-pin"]') ? 'set-pin' : shown('[data-testid="unlock"]') ? 'unlock' : 'none';
    }, target);
  for (let round = 0; round < 3; round++) {
    await waitUntil(b, `${target} or a PIN screen`, (t: string) => [t, '[data-testid="set-pin"]', '[data-testid="unlock"]'].some((s) => (document.querySelector(s)?.getClientRects().length ?? 0) > 0), [target], 30_000);
    const screen = await which();
    if (screen === 'target') return;
    seen.push(screen);
    if (screen === 'set-pin') {
      await b.type('#pin-new', PIN);
      await b.type('#pin-again', PIN);
      await b.click('[data-testid="set-pin"] button[type="submit"]');
    } else if (screen === 'unlock') {
      await b.type('#pin-unlock', PIN);
      await b.click('[data-testid="unlock"] button[type="submit"]');
    }
    await waitUntil(b, `the ${screen} screen to close`, (s: string) => document.querySelector(s) === null, [`[data-testid="${screen}"]`], 30_000);
  }
  await visible(b, target);
}

let marks = 0;
/** Clicks the first `css` match (inside `within`, if given) whose trimmed text is exactly `label`. */
async function clickText(b: EngineDriver, css: string, label: string, within = 'body'): Promise<void> {
  const mark = `pick-${++marks}`;
  const found = await b.evaluate(
    (scope: string, sel: string, t: string, m: string) => {
      const el = [...(document.querySelector(scope)?.querySelectorAll(sel) ?? [])].find((e) => e.textContent?.trim() === t);
      el?.setAttribute('data-e2e-pick', m);
      return el !== undefined;
    },
    within,
    css,
    label,
    mark,
  );
  if (!found) throw new Error(`no ${css} "${label}" in ${within}`);
  await b.click(`[data-e2e-pick="${mark}"]`);
}

const f = (...path: (string | number)[]) => `#${['f', ...path].join('-')}`;
const choose = (b: EngineDriver, path: (string | number)[], code: number) => b.click(`${f(...path)} input[type="radio"][value="${code}"]`);
const fill = (b: EngineDriver, path: (string | number)[], v: string) => b.type(f(...path), v);

async function fillPerson(b: EngineDriver, i: number, p: PersonAnswers, citizenId = idOf(p)): Promise<void> {
  await fill(b, ['persons', i, 'name'], p.name);
  await choose(b, ['persons', i, 'relationship'], p.relationship);
  await fill(b, ['persons', i, 'citizenId'], citizenId);
  await b.select(f('persons', i, 'ethnicity'), '01');
  await choose(b, ['persons', i, 'residence'], 1);
  await choose(b, ['persons', i, 'hukou'], 1);
  await choose(b, ['persons', i, 'leftHukouDuration'], 1);
  await choose(b, ['persons', i, 'education'], 5);
  await choose(b, ['persons', i, 'literate'], 1);
}

/** Step timings, printed at the end of the run (the report asks for them). */
function stopwatch(label: string) {
  const start = Date.now();
  let last = start;
  const laps: string[] = [];
  return {
    lap(step: string) {
      const now = Date.now();
      laps.push(`${step} ${((now - last) / 1000).toFixed(1)}s`);
      last = now;
    },
    print() {
      console.log(`[${label}] ${((Date.now() - start) / 1000).toFixed(1)} s: ${laps.join(', ')}`);
    },
  };
}

export function describeOfflineRoundTrip(engine: Engine): void {
  describe(`offline round trip on ${engine.label}`, () => {
    let server: ServerHandle | undefined;
    let proxy: SwitchableProxy | undefined;
    let browser: EngineDriver | undefined;
    const profile = tempDir('pucha-engine-profile-');
    const cspSeen: string[] = [];

    beforeAll(async () => {
      requireBinaries(engine); // fails the suite (never skips) with the install hint
      server = await startServer({ dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
      proxy = await startProxy({ upstream: server.url });
    });
    afterEach(() => {
      cspSeen.push(...(proxy?.takeCspReports() ?? []));
      expect(cspSeen.filter((l) => !isProbe(l)), 'CSP violations reported by the engine').toEqual([]);
    });
    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await proxy?.close();
      await server?.stop();
      rmSync(profile, { recursive: true, force: true });
    });

    it('works offline across reloads and a restart, and drains the queue exactly once when the network is back', async () => {
      if (!server || !proxy) throw new Error('set-up failed');
      const net = proxy;
      const watch = stopwatch(engine.label);
      const lockScreens: string[] = [];
      let b = (browser = await engine.launch(profile));
      watch.lap('launch');

      await b.goto(net.url);
      await waitUntil(b, 'a service worker controlling the page', () => navigator.serviceWorker?.controller?.state === 'activated', [], 30_000);
      const facts = await b.evaluate(() => ({ persistApi: typeof navigator.storage?.persist === 'function', syncManager: 'SyncManager' in window }));
      expect(facts, 'what this engine offers (update the Engine entry if a new build changes it)').toEqual({ persistApi: engine.persist !== 'unsupported', syncManager: engine.backgroundSync });

      // The CSP reporting path works on this engine (else "no violation" below would mean nothing).
      await b.evaluate((src: string) => {
        new Image().src = src;
        return null;
      }, CSP_PROBE);
      await expect
        .poll(() => {
          cspSeen.push(...net.takeCspReports());
          return cspSeen.some(isProbe);
        }, { timeout: 15_000, interval: 200 })
        .toBe(true);
      watch.lap('service worker');

      await b.type('#login-user', 'demo-enumerator');
      await b.type('#login-pass', DEMO_PASSWORD);
      await b.click('button[type="submit"]');
      await throughLock(b, '[data-testid="district-link"]', lockScreens);
      // The storage message says cleanly what the engine did with persist().
      await visible(b, '[data-testid="persist-result"]');
      expect(await text(b, '[data-testid="persist-result"]')).toContain(PERSIST_MESSAGE[engine.persist]);
      await expect.poll(() => phase(b), { timeout: 30_000, interval: 200 }).toBe('idle');
      watch.lap('sign in + first sync');

      // The network goes: nothing reaches the server from here on.
      const pushesOnline = net.pushes.length;
      await net.setUp(false);
      await b.setOffline?.(true);
      await b.reload();
      await throughLock(b, '[data-testid="district-link"]', lockScreens); // the shell and the session, from the worker and IndexedDB
      await expect.poll(() => phase(b), { timeout: 30_000, interval: 200 }).toBe('offline');
      watch.lap('offline reload');

      await b.click('[data-testid="district-link"]');
      await visible(b, '#d-filter');
      await b.select('#d-filter', 'pending');
      await visible(b, '[data-testid="hh-row"] .hh-open');
      await b.click('[data-testid="hh-row"] .hh-open');
      await waitUntil(b, 'the household form', () => location.hash.startsWith('#/h/'), []);
      const listingId = decodeURIComponent(new URL(await b.currentUrl()).hash.replace('#/h/', ''));
      await visible(b, f('persons', 0, 'name'));

      // H2 says 2 for 3 persons (an error until fixed), 1,200 m² for 3 persons (a warning).
      await choose(b, ['household', 'householdType'], 1);
      await fill(b, ['household', 'residents'], '2');
      await fill(b, ['household', 'hukouHereAbsent'], '0');
      await fill(b, ['household', 'births', 'input'], '0');
      await fill(b, ['household', 'births', 'input', 'female'], '0');
      await fill(b, ['household', 'deaths', 'input'], '0');
      await fill(b, ['household', 'deaths', 'input', 'female'], '0');
      await choose(b, ['household', 'dwellingType'], 1);
      await fill(b, ['household', 'floorArea'], '1200');
      await fill(b, ['household', 'rooms'], '6');
      await fillPerson(b, 0, HEAD, wrongCheck(idOf(HEAD)));
      await expect.poll(() => text(b, f('persons', 0, 'citizenId-msg')), SLOW).toMatch(/校验位/);
      await fill(b, ['persons', 0, 'citizenId'], idOf(HEAD));
      await expect.poll(() => text(b, f('persons', 0, 'citizenId-msg')), SLOW).not.toMatch(/校验位/);
      await expect.poll(() => value(b, f('persons', 0, 'birth')), SLOW).toBe('1970-05'); // filled from the ID
      for (const [i, p] of [[1, SPOUSE], [2, CHILD]] as const) {
        await clickText(b, 'button', '添加人口');
        await visible(b, f('persons', i, 'name'));
        await fillPerson(b, i, p);
      }
      await expect.poll(() => rules(b), SLOW).toContain('PERSON_COUNT');
      await fill(b, ['household', 'residents'], '3');
      await expect.poll(() => rules(b), SLOW).not.toContain('PERSON_COUNT');
      await expect.poll(() => b.evaluate(() => document.querySelectorAll('#f-findings .hh-finding-error').length), SLOW).toBe(0);
      await expect.poll(() => rules(b), SLOW).toContain('FLOOR_AREA_PLAUSIBLE');
      const unconfirmed = () => b.evaluate(() => [...document.querySelectorAll('#f-findings .hh-finding-warning')].filter((w) => [...w.querySelectorAll('button')].some((x) => x.textContent?.trim() === '确认无误…')).map((w) => w.getAttribute('data-rule') ?? ''));
      for (let left = await unconfirmed(), guard = 0; left.length > 0 && guard < 10; left = await unconfirmed(), guard++) {
        const scope = `#f-findings [data-rule="${left[0]}"]`;
        await clickText(b, 'button', '确认无误…', scope);
        await visible(b, `${scope} input[name="override-reason"]`);
        await b.click(`${scope} input[name="override-reason"][value="confirmedWithRespondent"]`);
        await b.type(`${scope} textarea`, '住户出示房产证');
        await clickText(b, 'button', '确认', scope);
        await expect.poll(async () => (await unconfirmed()).length, SLOW).toBe(left.length - 1);
      }
      await clickText(b, 'button', '完成登记');
      await hasText(b, '已完成登记');
      const queuedOffline = await queued(b);
      expect(queuedOffline).toBeGreaterThan(0);
      watch.lap('registration');

      // Reload, still offline: the completed household is all there.
      await b.reload();
      await throughLock(b, f('persons', 0, 'name'), lockScreens);
      await present(b, f('persons', 2, 'name')); // later cards start collapsed
      expect(await value(b, f('persons', 2, 'name'))).toBe(CHILD.name);
      expect(await value(b, f('persons', 0, 'citizenId'))).toBe(idOf(HEAD));
      expect(await queued(b)).toBe(queuedOffline);
      watch.lap('offline reload 2');

      if (engine.keepsStorageAcrossLaunches) {
        // Cold restart: the browser ends (a phone killing the app) and starts again, still offline.
        await b.close();
        browser = undefined;
        b = browser = await engine.launch(profile);
        await b.setOffline?.(true);
        await b.goto(net.url);
        await throughLock(b, '[data-testid="district-link"]', lockScreens);
        await b.evaluate((id: string) => {
          location.hash = `#/h/${encodeURIComponent(id)}`;
          return null;
        }, listingId);
        await present(b, f('persons', 2, 'name'));
        expect(await value(b, f('persons', 2, 'name'))).toBe(CHILD.name);
        expect(await queued(b)).toBe(queuedOffline);
        watch.lap('cold restart');
      }

      // The network is back: the engine's `online` event, or (without emulation) the app coming
      // back to the foreground, must start the sync at once rather than after the backoff.
      expect(net.pushes.length, 'nothing reached the server while offline').toBe(pushesOnline);
      await net.setUp(true);
      if (b.setOffline) await b.setOffline(false);
      else if (b.backgroundAndBack) await b.backgroundAndBack();
      else throw new Error(`${engine.label}: the driver can neither restore the network nor bring the app to the foreground`);
      await expect.poll(() => queued(b), { timeout: 30_000, interval: 200 }).toBe(0);
      watch.lap('drain');

      // Exactly once: every mutation queued offline went up in one push, was applied, and no id twice.
      const drained = net.pushes.slice(pushesOnline);
      expect(drained.map((p) => p.status)).toEqual(drained.map(() => 200));
      const ids = drained.flatMap((p) => p.mutations.map((m) => m.id));
      expect(ids).toHaveLength(queuedOffline);
      expect(new Set(ids).size).toBe(ids.length);
      expect(drained.flatMap((p) => p.results.map((r) => r.status))).toEqual(ids.map(() => 'applied'));
      expect(drained.some((p) => p.mutations.some((m) => m.entity === 'household'))).toBe(true);

      // Reopened online: the queue stays empty and nothing is sent again.
      const settled = net.pushes.length;
      await b.reload();
      await throughLock(b, '[data-testid="sync-badge"]', lockScreens);
      await expect.poll(() => phase(b), { timeout: 30_000, interval: 200 }).toBe('idle');
      expect(await queued(b)).toBe(0);
      const resent = net.pushes.slice(settled).flatMap((p) => p.mutations.map((m) => m.id)).filter((id) => ids.includes(id));
      expect(resent).toEqual([]);

      // The sync screen's storage card says what the engine keeps (not persisted on these engines).
      await b.evaluate(() => {
        location.hash = '#/sync';
        return null;
      });
      await visible(b, '#sync-storage');
      const storageCard = () => b.evaluate(() => (document.querySelector('#sync-storage')?.closest('section') as HTMLElement | null)?.innerText ?? '');
      await expect.poll(storageCard, SLOW).toContain(engine.persist === 'granted' ? appZh.sync.persisted : appZh.sync.notPersisted);
      // An engine without navigator.storage (WebKit) says it does not report use, never "? / ?".
      if (engine.persist === 'unsupported') expect(await storageCard()).toContain(appZh.sync.usageUnknown);

      // The server holds the household once, complete, with its 3 persons and the confirmation.
      const token = await apiLogin(server.url, 'demo-enumerator');
      type Change = { entity: string; data: { listingId?: string; status?: string; persons?: unknown[]; overrides?: unknown[] } };
      const changes: Change[] = [];
      for (let cursor: string | undefined, page = 0; page < 100; page++) {
        const body = (await apiGet(server.url, token, `/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)) as { changes: Change[]; cursor: string; more: boolean };
        changes.push(...body.changes);
        cursor = body.cursor;
        if (!body.more) break;
      }
      const regs = changes.filter((c) => c.entity === 'household' && c.data.listingId === listingId);
      expect(regs).toHaveLength(1);
      expect(regs[0]?.data.status).toBe('complete');
      expect(regs[0]?.data.persons).toHaveLength(3);
      expect(regs[0]?.data.overrides?.length).toBeGreaterThan(0);
      watch.lap('checks');
      watch.print();
      console.log(`[${engine.label}] app lock screens passed: ${lockScreens.join(', ') || 'none'}`);
    });
  });
}
