// Generator calibration: ~20 000 generated households (fixed seeds) against the published figures
// of Hebei's 7th-census bulletin (河北省第七次全国人口普查公报, 2021-05-19). Prints one table:
// indicator | generated | Hebei published | source. Rows without a published figure say so.
import { performance } from 'node:perf_hooks';
import { calibrationFigures, generateDistrict } from '../src/domain/index.ts';

const DISTRICTS = 250;
const HOUSEHOLDS = 80; // about 80-100 households per 普查小区 (census-forms.md §5a)

const t0 = performance.now();
// Consecutive seeds: the district's urban-rural class is a low-discrepancy draw from the seed.
const districts = Array.from({ length: DISTRICTS }, (_, i) =>
  generateDistrict({ seed: 2020 + i, code: `130102${String(1 + Math.floor(i / 100)).padStart(3, '0')}001${String((i % 100) + 1).padStart(3, '0')}`, enumerators: ['e1'], households: HOUSEHOLDS }),
);
const ms = performance.now() - t0;
const f = calibrationFigures(districts);

const BULLETIN = 'Hebei 7th census bulletin (2021-05-19)';
const src = (section: string) => `${BULLETIN}, ${section}`;
const rows: [string, string, string, string][] = [
  ['mean family household size (residents)', f.meanFamilySize.toFixed(2), '2.75', src('户别人口')],
  ['persons in collective households, % of residents', f.collectiveShare.toFixed(2), '6.35', src('户别人口 (4 738 969 / 74 610 235)')],
  ['sex ratio (males per 100 females)', f.sexRatio.toFixed(2), '102.02', src('性别构成')],
  ['age 0-14, %', f.age0to14.toFixed(2), '20.22', src('年龄构成')],
  ['age 15-59, %', f.age15to59.toFixed(2), '59.92', src('年龄构成')],
  ['age 60+, %', f.age60plus.toFixed(2), '19.85', src('年龄构成')],
  ['age 65+, %', f.age65plus.toFixed(2), '13.92', src('年龄构成')],
  ['Han, % of residents', f.hanShare.toFixed(2), '95.68', src('民族构成')],
  ['urban, % of residents', f.urbanShare.toFixed(2), '60.07', src('城乡人口')],
  ['college (专科+) per 100 000', String(f.per100k.college), '12 418', src('受教育程度')],
  ['senior high (incl. 中专) per 100 000', String(f.per100k.senior), '13 861', src('受教育程度')],
  ['junior high per 100 000', String(f.per100k.junior), '39 950', src('受教育程度')],
  ['primary per 100 000', String(f.per100k.primary), '24 664', src('受教育程度')],
  ['illiteracy, % of residents 15+', f.illiteracy15.toFixed(2), '1.51', src('受教育程度 (文盲率)')],
  ['residents who left their hukou township (D9 ≥ 2), %', f.leftHukouShare.toFixed(2), '≈ 20.6 (floating; 人户分离 is larger)', 'census-forms.md §7, computed from the Hebei press summary (1 533 万 / 7 461 万)'],
  ['person records away, hukou here (D7 ≠ 1), % of records', f.absentRecordShare.toFixed(2), 'not published (≥ 14 derived)', 'derived: intra-province floating 1 217.8 万 are recorded again at their hukou; out-of-province emigrants not published'],
  ['family households with a birth in the window, %', f.birthHouseholdShare.toFixed(2), '≈ 2.4 (national, M)', 'census-forms.md §7 generator hints'],
  ['family households with a death in the window, %', f.deathHouseholdShare.toFixed(2), '≈ 2 (national, M)', 'census-forms.md §7 generator hints'],
  ['long-form households, % of registrations', f.longFormShare.toFixed(2), '10 of the frame', 'census-forms.md §2 (10 % sample of the frame)'],
  ['listing: ordinary / empty / whole away / 999 / overseas / mixed', `${f.kinds.ordinary} / ${f.kinds.empty} / ${f.kinds.allAway} / ${f.kinds.allDeceased} / ${f.kinds.allOverseas} / ${f.kinds.mixed}`, 'not published', 'census-forms.md §5b (kinds only)'],
  ['households with a grandparent (D2 = 5) / three generations+', `${f.grandparentHouseholds} / ${f.threeGenerationHouseholds}`, 'not published', '—'],
  ['overseas-form persons', String(f.overseasPersons), 'not published per district', '—'],
];

console.log(`${DISTRICTS} districts × ${HOUSEHOLDS} listed = ${f.listed} listing entries, ${f.registrations} registrations, ${f.residents} residents + ${f.personRecords - f.residents} members away, generated in ${ms.toFixed(0)} ms`);
const header: [string, string, string, string] = ['indicator', 'generated', 'Hebei published', 'source'];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
const line = (r: readonly string[]) => `| ${r.map((x, c) => x.padEnd(widths[c] ?? 0)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
