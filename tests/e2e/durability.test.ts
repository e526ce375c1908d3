// Reliability finding 4: since Chrome 121 IndexedDB commits are 'relaxed' by default (the data may
// sit in the OS buffer when `complete` fires), and a SIGKILL test cannot see a missing fsync. So
// this reads the setting back from the real transactions, as the server's tests read its commit
// settings: an init script wraps IDBDatabase.prototype.transaction before any app code runs and
// records every readwrite transaction's durability while the app signs in (the sync engine's
// pull writes), saves a household (the save's transaction with its outbox entry) and pushes it
// (the acknowledgement). Any readwrite transaction that is not 'strict' fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserAvailable, launchBrowser, signIn, startServer, tempDir, waitForServiceWorker, type BrowserHandle, type ServerHandle } from './harness.ts';
import { field } from './household-steps.ts';

interface TxRecord {
  db: string;
  mode: string;
  durability: string;
  stores: string[];
}

const records = (page: Page) => page.evaluate(() => (window as unknown as { __puchaTx: TxRecord[] }).__puchaTx);

describe.runIf(browserAvailable())('IndexedDB durability in Chromium', () => {
  let server: ServerHandle;
  let phone: BrowserHandle;

  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-db-'), 'pucha.sqlite') });
    phone = await launchBrowser();
    await phone.context.addInitScript(() => {
      const log: { db: string; mode: string; durability: string; stores: string[] }[] = [];
      (window as unknown as { __puchaTx: typeof log }).__puchaTx = log;
      const proto = IDBDatabase.prototype;
      const original = Object.getOwnPropertyDescriptor(proto, 'transaction')?.value as (this: IDBDatabase, ...args: unknown[]) => IDBTransaction;
      Object.defineProperty(proto, 'transaction', {
        configurable: true,
        writable: true,
        value: function (this: IDBDatabase, stores: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
          if (mode === 'readwrite') log.push({ db: this.name, mode, durability: options?.durability ?? '(default)', stores: typeof stores === 'string' ? [stores] : [...stores] });
          return original.call(this, stores, mode, options);
        },
      });
    });
  });
  afterAll(async () => {
    await phone?.close();
    await server?.stop();
  });

  it("every readwrite transaction of sign-in, pull, household save and push is 'strict'", async () => {
    const { page } = phone;
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await signIn(page, 'demo-enumerator');
    await page.getByTestId('district-link').first().click();
    await page.getByLabel('按走访结果筛选').selectOption('pending');
    await page.getByTestId('hh-row').first().locator('.hh-open').click();
    await page.waitForURL(/#\/h\//);
    await field(page, 'persons', 0, 'name').fill('耐久测试');
    await field(page, 'persons', 0, 'name').blur();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    // The push and its acknowledgement: the queue drains by itself.
    await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
    await expect.poll(async () => (await records(page)).filter((r) => r.stores.includes('outbox')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

    const log = await records(page);
    const app = log.filter((r) => r.db === 'pucha');
    // The save itself: the registration and its outbox entry in one transaction.
    expect(app.some((r) => r.stores.includes('registrations') && r.stores.includes('outbox'))).toBe(true);
    // The pull (districts, listing) and the push's acknowledgement (outbox) were seen too.
    expect(app.some((r) => r.stores.includes('listing'))).toBe(true);
    expect(log.filter((r) => r.durability !== 'strict').map((r) => `${r.db}: ${r.stores.join('+')} ${r.durability}`)).toEqual([]);
  });
});
