// In-browser side of the UI benchmarks: exposes functions on window.__bench that run the real
// code (Dexie on Chromium's IndexedDB, the DistrictScreen in React) and return timings in ms.
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { openDb, saveRegistration, type PuchaDb } from '../../src/client/db/index.ts';
import { generateDataKey } from '../../src/client/db/vault.ts';

/** Benches run on the encrypted store, as the app does (opened unlocked: no PIN derivation timed). */
const BENCH_KEY = generateDataKey();
import type { ListingEntry, RegistrationDraft } from '../../src/domain/index.ts';
import { createI18n, I18nProvider } from '../../src/client/i18n/index.ts';
import { ServicesContext, type AppServices } from '../../src/client/ui/services.ts';
import { DistrictScreen } from '../../src/client/ui/district/DistrictScreen.tsx';

const CODE = '130102003003001';

function entry(i: number): ListingEntry {
  const no = String(i).padStart(3, '0');
  return {
    id: `L-${no}`, districtCode: CODE, buildingNo: String(1 + Math.floor(i / 10)).padStart(3, '0'), householdNo: no,
    address: `光华路 ${i} 号 ${i % 7} 单元`, headName: `户主${i}`, kind: 'ordinary', householdType: 1, selfEnumeration: false,
    longForm: false, origin: 'listing', visit: { status: i % 5 === 0 ? 'refused' : 'pending', attempts: 0 },
  };
}

function household(e: ListingEntry, persons: number): Omit<RegistrationDraft, 'version' | 'updatedAt'> {
  return {
    id: `R-${e.id}`, listingId: e.id, districtCode: CODE, householdNo: e.householdNo, form: 'short', source: 'enumerator', status: 'draft',
    household: { householdType: 1, residents: persons, hukouHereAbsent: 0, births: { male: 0, female: 0 }, deaths: { male: 0, female: 0 }, dwellingType: 1, floorArea: 90, rooms: 3 },
    persons: Array.from({ length: persons }, (_, k) => ({
      id: `P-${e.id}-${k}`, name: `成员${k}`, relationship: k === 0 ? 0 : 2, sex: k % 2 === 0 ? 1 : 2, birth: `19${60 + k * 5}-0${1 + (k % 9)}`, ethnicity: '01',
      residence: { code: 1 }, hukou: { code: 1 }, leftHukouDuration: 1, education: 5, literate: 1,
    })),
    deaths: [], overseas: [], overrides: [],
  };
}

async function freshDb(name: string): Promise<PuchaDb> {
  const db = await openDb(name, { dataKey: await BENCH_KEY });
  await Promise.all(db.tables.map((t) => t.clear()));
  await db.districts.put({ code: CODE, name: '第003普查小区', enumerators: ['u'] });
  return db;
}

/** Saves a 6-person household `n` times (alternating over 50 listing entries); returns each save's ms. */
async function saves(n: number): Promise<number[]> {
  const db = await freshDb('bench-save');
  const entries = Array.from({ length: 50 }, (_, i) => entry(i + 1));
  await db.listing.bulkPut(entries);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = entries[i % entries.length]!;
    const t0 = performance.now();
    const r = await saveRegistration(db, household(e, 6));
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error(`save failed: ${r.reason}`);
  }
  db.close();
  return times;
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function until(cond: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const tick = () => (cond() ? resolve(performance.now()) : requestAnimationFrame(tick));
    tick();
  });
}

/** Renders a district of `size` households; returns ms to the first rows, then ms per search keystroke. */
async function renderDistrict(size: number, keys: string[]): Promise<{ renderMs: number; keystrokeMs: number[] }> {
  const db = await freshDb('bench-render');
  await db.listing.bulkPut(Array.from({ length: size }, (_, i) => entry(i + 1)));
  const services = { db, sync: { getStatus: () => ({ phase: 'idle' }), subscribe: () => () => undefined, syncNow: () => Promise.resolve() } } as unknown as AppServices;
  const root = document.getElementById('root')!;
  root.innerHTML = '';
  const i18n = createI18n('zh-CN');
  const t0 = performance.now();
  const r = createRoot(root);
  r.render(
    <I18nProvider i18n={i18n}>
      <ServicesContext.Provider value={services}>
        <DistrictScreen code={CODE} />
      </ServicesContext.Provider>
    </I18nProvider>,
  );
  const t1 = await until(() => root.querySelectorAll('[data-testid="hh-row"]').length > 0);
  const renderMs = t1 - t0;
  await nextFrame();
  const input = root.querySelector<HTMLInputElement>('#d-search')!;
  const setValue = (v: string) => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, v);
  const keystrokeMs: number[] = [];
  const count = root.querySelector<HTMLElement>('[data-testid="district-count"]')!;
  let text = '';
  for (const k of keys) {
    text = k === '\b' ? text.slice(0, -1) : text + k;
    await nextFrame();
    const want = text;
    // The list follows the input through useDeferredValue; the count's data-query attribute
    // says which query the committed list reflects. The observer fires right after that commit.
    const done = new Promise<number>((resolve) => {
      const mo = new MutationObserver(() => {
        if (count.dataset.query === want) {
          mo.disconnect();
          resolve(performance.now());
        }
      });
      mo.observe(count, { attributes: true, attributeFilter: ['data-query'] });
    });
    const s = performance.now();
    flushSync(() => {
      setValue(want);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    keystrokeMs.push((await done) - s);
  }
  r.unmount();
  db.close();
  return { renderMs, keystrokeMs };
}

Object.assign(window, { __bench: { saves, renderDistrict } });
document.title = 'bench-ready';
