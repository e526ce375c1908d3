// The XLSX writer (src/server/export-xlsx.ts), read back with read-excel-file and with the raw sheet
// XML (never exceljs, which wrote it): IDs, household numbers and codes survive digit for digit as
// text cells formatted "@", codes carry their label, one sheet per form, a sheet past the row limit
// continues in a numbered one, and the writer stops reading pages while nobody reads its output.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkCitizenId, RegistrationDraftSchema, type RegistrationDraft } from '../../src/domain/index.ts';
import { ExportAborted, XLSX_SHEET_HEADERS, writeXlsx } from '../../src/server/export-xlsx.ts';
import { rawCells, readWorkbook, sheetOf, unzip } from './export-xlsx-read.ts';
import { registration } from './fixtures.ts';

const ID_HEAD = '130102193305065368'; // the number: LibreOffice made it 1.30102193305065E+017
const ID_CHILD = '13010220170815002X';
const ID_DEAD = '130102194406173741';

function household(): RegistrationDraft {
  const base = registration('130102001003001', { householdNo: '003', id: 'reg-003' }, 2);
  return RegistrationDraftSchema.parse({
    ...base,
    form: 'long',
    household: { ...base.household, deaths: { male: 0, female: 1 }, floorArea: 85.5, rooms: 3, storeys: 2, tenure: 2, monthlyRent: 1200 },
    persons: [
      { ...base.persons[0], name: '王秀英', sex: 2, birth: '1933-05', citizenId: ID_HEAD, ethnicity: '01', hukou: { code: 4, place: { province: '河北省', city: '保定市', county: '竞秀区' } } },
      { ...base.persons[1], name: '=1+1', sex: 2, birth: '2017-08', citizenId: ID_CHILD, ethnicity: '05', work: { status: 1, hours: 40 }, birthsLastYear: [{ month: '2020-03', sex: 2 }] },
    ],
    deaths: [{ id: 'death-1', name: '李桂兰', sex: 2, birth: '1944-06', death: '2020-03', ethnicity: '01', citizenId: ID_DEAD, education: 4, marital: 4 }],
    overseas: [{ id: 'os-1', name: '陈大文', foreignName: 'Chan Tai Man', relationship: 9, sex: 1, birth: '1990-01', status: 1, documentType: 1, documentNumber: '0012345', purpose: 2, stay: 4 }],
  });
}

/** A sink that keeps every byte (reads as fast as it is given). */
function collector() {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, bytes: () => Buffer.concat(chunks) };
}

async function workbookOf(regs: RegistrationDraft[], maxRowsPerSheet?: number) {
  const { out, bytes } = collector();
  const ended = new Promise((r) => out.on('end', r));
  const summary = await writeXlsx(out, () => [regs], { scopeLabel: '普查小区 130102001003001', exportedAt: new Date('2020-11-05T08:00:00Z'), ...(maxRowsPerSheet ? { maxRowsPerSheet } : {}) });
  await ended;
  return { summary, bytes: bytes() };
}

describe('XLSX export', () => {
  it('[XL1] the IDs of the fixture are valid citizen IDs (so the test is about the export, not the data)', () => {
    expect(checkCitizenId(ID_HEAD)).toMatchObject({ ok: true, sex: 2 });
    expect(checkCitizenId(ID_CHILD)).toMatchObject({ ok: true });
    expect(checkCitizenId(ID_DEAD)).toMatchObject({ ok: true });
  });

  it('[XL2] an independent reader gets IDs digit for digit, "003", "01" with 汉族, numbers as numbers, one sheet per form', async () => {
    const { bytes } = await workbookOf([household()]);
    const book = await readWorkbook(bytes);
    expect(book.map((s) => s.sheet)).toEqual(['人口', '住户', '死亡人口', '港澳台和外籍人员', '说明']);

    const persons = sheetOf(book, '人口');
    expect(persons.header.slice(0, 7)).toEqual(['普查小区代码', '户编号', '序号', 'D1 姓名', 'D2 与户主关系', 'D2 与户主关系（名称）', 'D3 公民身份号码']);
    expect(persons.rows).toHaveLength(2);
    const [head, child] = persons.rows;
    expect(head?.['D3 公民身份号码']).toBe(ID_HEAD);
    expect(typeof head?.['D3 公民身份号码']).toBe('string');
    expect(child?.['D3 公民身份号码']).toBe(ID_CHILD);
    expect(head?.['普查小区代码']).toBe('130102001003001');
    expect(head?.['户编号']).toBe('003');
    expect(head?.['D2 与户主关系']).toBe('0');
    expect(head?.['D2 与户主关系（名称）']).toBe('户主');
    expect(head?.['D6 民族']).toBe('01');
    expect(head?.['D6 民族（名称）']).toBe('汉族');
    expect(child?.['D6 民族']).toBe('05');
    expect(child?.['D6 民族（名称）']).toBe('维吾尔族');
    expect(head?.['D4 性别（名称）']).toBe('女');
    expect(head?.['D5 出生年月']).toBe('1933-05');
    expect(head?.['D8 户口登记地']).toBe('4');
    expect(head?.['D8 户口登记地 县']).toBe('竞秀区');
    expect(head?.['序号']).toBe(1);
    // A text that looks like a formula stays the text.
    expect(child?.['D1 姓名']).toBe('=1+1');
    expect(child?.['C18 工作情况']).toBe('1');
    expect(child?.['C18 上周工作时间（小时）']).toBe(40);
    expect(child?.['C27 过去一年的生育状况']).toBe('2020-03 女');
    expect(head?.['表别']).toBe('长表');

    const hh = sheetOf(book, '住户').rows;
    expect(hh).toHaveLength(1);
    expect(hh[0]).toMatchObject({ 户编号: '003', 'H1 户别': '1', 'H1 户别（名称）': '家庭户', 'H6 现住房建筑面积（平方米）': 85.5, 'H7 现住房间数': 3, 'H4 死亡人口（女）': 1, 'H18 月租房费用（元）': 1200, 'H8 建筑总层数': '2', 'H17 住房来源（名称）': '租赁其他住房', 登记人数: 2 });

    const deaths = sheetOf(book, '死亡人口').rows;
    expect(deaths).toEqual([expect.objectContaining({ 户编号: '003', 'S2 姓名': '李桂兰', 公民身份号码: ID_DEAD, 'S5 死亡年月': '2020-03', 'S5 死亡时周岁': 75, 'S6 民族': '01', 'S8 婚姻状况（名称）': '丧偶' })]);
    const overseas = sheetOf(book, '港澳台和外籍人员').rows;
    expect(overseas).toEqual([expect.objectContaining({ 证件号码: '0012345', 'R1 外文姓名': 'Chan Tai Man', 身份或国籍: '1', '身份或国籍（名称）': '香港特别行政区居民' })]);

    const about = sheetOf(book, '说明');
    expect(about.rows.map((r) => Object.values(r))).toEqual(expect.arrayContaining([['范围', '普查小区 130102001003001'], ['表「人口」行数', 2], ['表「死亡人口」行数', 1]]));
  });

  it('[XL3] the raw XML: identifiers are inline strings formatted "@", quantities plain numbers, no formula anywhere', async () => {
    const { bytes } = await workbookOf([household()]);
    const files = unzip(bytes);
    const cells = rawCells(files, 'xl/worksheets/sheet1.xml');
    const idCell = cells.find((c) => c.text === ID_HEAD);
    expect(idCell).toMatchObject({ type: 'inlineStr', numFmtId: 49 });
    const hhNo = cells.find((c) => c.ref === 'B2');
    expect(hhNo).toMatchObject({ type: 'inlineStr', numFmtId: 49, text: '003' });
    const ordinal = cells.find((c) => c.ref === 'C2');
    expect(ordinal?.type).toBeUndefined();
    expect(ordinal?.text).toBe('1');
    for (const [name, xml] of files) {
      if (!name.startsWith('xl/worksheets/')) continue;
      expect(xml.toString('utf8')).not.toMatch(/<f[\s>]/);
      expect(xml.toString('utf8')).not.toMatch(/t="str"/);
    }
    // Empty text columns are formatted "@" too, so an ID typed in later is not turned into a number.
    expect(files.get('xl/worksheets/sheet1.xml')?.toString('utf8')).toMatch(/<col [^>]*min="7" max="7"[^>]*style="\d+"/);
  });

  it('[XL4] a sheet that reaches the row limit continues in a numbered sheet with the same header', async () => {
    const a = household();
    const b = { ...household(), id: 'reg-004', householdNo: '004', persons: household().persons.map((p, i) => ({ ...p, id: `p4-${i}` })) };
    const c = { ...household(), id: 'reg-005', householdNo: '005', persons: [{ ...household().persons[0]!, id: 'p5-0', citizenId: '110101199003070011' }] };
    const { summary, bytes } = await workbookOf([a, b, c], 2);
    expect(summary.sheets.map((s) => [s.name, s.rows])).toEqual([['人口', 2], ['人口 (2)', 2], ['人口 (3)', 1], ['住户', 2], ['住户 (2)', 1], ['死亡人口', 2], ['死亡人口 (2)', 1], ['港澳台和外籍人员', 2], ['港澳台和外籍人员 (2)', 1]]);
    const book = await readWorkbook(bytes);
    expect(sheetOf(book, '人口 (3)').header).toEqual(sheetOf(book, '人口').header);
    expect(sheetOf(book, '人口 (3)').rows.map((r) => [r['户编号'], r['D3 公民身份号码']])).toEqual([['005', '110101199003070011']]);
    expect(sheetOf(book, '人口 (2)').rows.map((r) => r['户编号'])).toEqual(['004', '004']);
  });

  it('[XL5] stops reading pages while nobody reads the file, and finishes once someone does', async () => {
    const page = Array.from({ length: 40 }, (_, i) => ({ ...household(), id: `reg-${i}`, householdNo: String(i + 1).padStart(3, '0') }));
    const PAGES = 120;
    let pulled = 0;
    const out = new PassThrough();
    const done = writeXlsx(out, async function* () {
      for (let i = 0; i < PAGES; i++) {
        await new Promise((r) => setImmediate(r)); // a store round trip
        pulled++;
        yield page;
      }
    }, { scopeLabel: 'x', exportedAt: new Date(), highWaterMark: 64 * 1024 });
    // 300 turns of the event loop: a writer without backpressure pulls a page per turn.
    for (let i = 0; i < 300; i++) await new Promise((r) => setImmediate(r));
    const stalledAt = pulled;
    expect(stalledAt).toBeLessThan(20);
    expect(out.readableLength).toBeLessThan(1 << 20);
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const summary = await done;
    expect(pulled).toBe(PAGES * 4); // one pass per form sheet
    expect(summary.sheets.find((s) => s.name === '人口')?.rows).toBe(PAGES * 40 * 2);
    await new Promise((r) => setImmediate(r));
    const files = unzip(Buffer.concat(chunks));
    expect([...files.keys()]).toContain('xl/workbook.xml');
  });

  it('[XL6] a reader that goes away ends the export: it rejects and reads no further page', async () => {
    let pulled = 0;
    const sink = new Writable({ write: (_c, _e, cb) => setImmediate(cb) });
    const out = new PassThrough();
    out.pipe(sink);
    const page = Array.from({ length: 40 }, (_, i) => ({ ...household(), id: `reg-${i}` }));
    const done = writeXlsx(out, async function* () {
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        if (pulled === 5) out.destroy();
        await new Promise((r) => setImmediate(r));
        yield page;
      }
    }, { scopeLabel: 'x', exportedAt: new Date(), highWaterMark: 64 * 1024 });
    await expect(done).rejects.toBeInstanceOf(ExportAborted);
    const at = pulled;
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(pulled).toBe(at);
    expect(at).toBeLessThan(10);
  });

  it('[XL7] every sheet\'s headers carry the item ids of census-forms.md where the form has them', () => {
    const persons = XLSX_SHEET_HEADERS.find((s) => s.name === '人口')?.headers ?? [];
    for (const h of ['D3 公民身份号码', 'D6 民族', 'D6 民族（名称）', 'D11/C15 受教育程度', 'C18 工作情况', 'C29 身体健康状况']) expect(persons).toContain(h);
    const households = XLSX_SHEET_HEADERS.find((s) => s.name === '住户')?.headers ?? [];
    for (const h of ['H1 户别', 'H2a 10月31日晚居住在本户的人数', 'H5 住所类型（名称）', 'H19 家用汽车总价']) expect(households).toContain(h);
  });
});
