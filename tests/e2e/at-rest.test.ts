// Personal data at rest (issue 10) in real Chromium: after signing in, pulling the listing and
// saving a household offline (so it sits in the outbox too), the browser is closed and every file
// of the profile's IndexedDB directory is searched byte by byte for the respondents' names,
// addresses and citizen ID numbers, in every encoding a string can take there (V8 writes Latin-1
// strings one byte per character and others as UTF-16LE; LevelDB logs keep them as written).
// The search is shown to work on the same files: the district's name and the households' ids,
// which are stored in clear on purpose, are found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { browserAvailable, launchBrowser, serverScope, signIn, startServer, tempDir, type ServerHandle } from './harness.ts';
import { field, fillHouseholdItems, fillPerson, idOf, pickPendingHousehold, type PersonAnswers } from './household-steps.ts';

const HEAD: PersonAnswers = { name: '钱多多', relationship: 0, birth: '1966-09-23', sex: 2, seq: 47 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function encodings(s: string): Buffer[] {
  const out = [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')];
  if ([...s].every((c) => c.charCodeAt(0) < 256)) out.push(Buffer.from(s, 'latin1'));
  return out;
}

describe.runIf(browserAvailable())('personal data at rest in the Chromium profile', () => {
  let server: ServerHandle;
  const profile = tempDir('pucha-e2e-at-rest-profile-');
  beforeAll(async () => {
    server = await startServer({ dbFile: join(tempDir('pucha-e2e-at-rest-'), 'pucha.sqlite') });
  });
  afterAll(async () => server?.stop());

  it('no name, address or citizen ID number is in the IndexedDB files; clear ids and the district name are', async () => {
    const b = await launchBrowser({ userDataDir: profile });
    let listingId: string;
    try {
      const { page, context } = b;
      await page.goto(server.url);
      await signIn(page, 'demo-enumerator');
      await page.getByTestId('district-link').first().waitFor();
      await expect.poll(() => page.getByTestId('sync-badge').getAttribute('data-phase'), { timeout: 30_000 }).toBe('idle');
      listingId = await pickPendingHousehold(page);
      await context.setOffline(true); // the save stays queued: outbox payloads are searched too
      await page.goto(`${server.url}/#/h/${encodeURIComponent(listingId)}`);
      await field(page, 'persons', 0, 'name').waitFor();
      await fillHouseholdItems(page, { residents: 1, floorArea: 60, rooms: 2 });
      await fillPerson(page, 0, HEAD);
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByText(/已保存/).waitFor();
      expect(Number(await page.getByTestId('sync-badge').getAttribute('data-queued'))).toBeGreaterThan(0);
    } finally {
      await b.close(); // closes the profile: LevelDB writes its files
    }

    const scope = await serverScope(server.url, 'demo-enumerator');
    type Listing = { id: string; headName: string; address: string };
    const listing = scope.filter((c) => c.entity === 'listing').map((c) => c.data as unknown as Listing);
    const districtData = scope.find((c) => c.entity === 'district')?.data;
    const districtName = typeof districtData?.name === 'string' ? districtData.name : '';
    expect(listing.length).toBeGreaterThan(10);
    expect(districtName.length).toBeGreaterThan(4);
    const secrets = [HEAD.name, idOf(HEAD), ...listing.slice(0, 12).flatMap((l) => [l.headName, l.address])].filter((s) => s.length >= 2);

    const dir = join(profile, 'Default', 'IndexedDB');
    const files = filesUnder(dir).filter((f) => f.includes(`127.0.0.1_${new URL(server.url).port}`));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    const found = (s: string) => encodings(s).some((e) => bytes.includes(e));
    // The search works on these files: what is stored in clear is found.
    expect(found(listingId!), 'the household id (clear, an index field)').toBe(true);
    expect(found(districtName), 'the district name (clear, not personal)').toBe(true);
    const leaked = secrets.filter(found);
    expect(leaked, `in clear in ${files.length} IndexedDB files (${bytes.length} bytes)`).toEqual([]);
  });
});
