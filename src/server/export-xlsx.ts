// The XLSX export, for people (census offices open it in Excel, WPS or LibreOffice): one sheet per
// form (persons, households, deaths, overseas persons) and a last sheet "说明" with the scope and
// row counts. Headers are Chinese with the item ids of census-forms.md ("D3 公民身份号码"); every
// identifier and code (citizen ID, district code, household number "003", ethnic group "01",
// every coded answer) is a text cell, written as an inline string and formatted "@", so no
// spreadsheet turns 18 digits into 1.30102193305065E+17 or drops a leading zero; coded answers
// have their label in the column to their right. Counts and areas are number cells.
//
// Streaming: exceljs's WorkbookWriter writes one sheet at a time, and each sheet is one pass over
// the scope's registrations, page by page (so the scope is read four times; nothing but the
// current page is held). A zip entry cannot take rows from two sheets at once without buffering
// them, hence the passes. exceljs's own entry streams ignore backpressure, so `openEntry` below
// replaces them with a PassThrough that the writer waits on after every page: when the client
// reads slowly, the export stops reading the store. A sheet that reaches Excel's row limit
// continues in "人口 (2)", "人口 (3)", ...
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  ageAtDeath,
  BATHING, BIRTH_PLACE, BUILT_PERIOD, CAR_VALUE, COOKING_FUEL, DOCUMENT_TYPE, DWELLING_TYPE, EDUCATION, EMPLOYER_TYPE, ETHNICITY,
  HAVE_NOT, HEALTH, HOUSEHOLD_TYPE, HUKOU, HUKOU_PLACE_TYPE, ITEM_LABELS, KITCHEN, LEFT_HUKOU_DURATION, LEFT_HUKOU_REASON, LIVELIHOOD,
  LIVING_ARRANGEMENT, MARITAL, NOT_WORKING_REASON, OVERSEAS_STATUS, PURPOSE, RELATIONSHIP, RESIDENCE, RESIDENCE_5Y, SCHOOLING, SEX,
  STAY, STOREYS, STRUCTURE, TENURE, TOILET, WORK_STATUS, YES_NO,
  type CodeList, type DeathDraft, type OverseasPersonDraft, type PersonDraft, type Place, type RegistrationDraft,
} from '../domain/index.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Excel's rows per sheet (1,048,576) minus the header row. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;

type Value = string | number | undefined;

interface Column<R> {
  header: string;
  /** Text cell (identifiers, codes, dates as "YYYY-MM", names) or number cell (counts, areas). */
  text: boolean;
  width: number;
  get: (row: R) => Value;
}

const label = (field: string): string => {
  const l = ITEM_LABELS[field];
  if (!l) throw new Error(`no item label for ${field}`);
  return `${l.item} ${l.zh}`;
};
const txt = <R>(header: string, get: (r: R) => Value, width = 12): Column<R> => ({ header, text: true, width, get });
const num = <R>(header: string, get: (r: R) => Value, width = 10): Column<R> => ({ header, text: false, width, get });
/** A coded answer: the printed code (text) and, to its right, the code list's Chinese label. */
function coded<R, V extends number | string>(header: string, list: CodeList<V>, get: (r: R) => V | undefined): Column<R>[] {
  const nameOf = (v: V | undefined) => (v === undefined ? undefined : list.find((c) => c.code === v)?.zh);
  return [txt(header, (r) => (get(r) === undefined ? undefined : String(get(r))), 6), txt(`${header}（名称）`, (r) => nameOf(get(r)), 14)];
}
const place = <R>(header: string, get: (r: R) => Place | undefined): Column<R>[] => [
  txt(`${header} 省`, (r) => get(r)?.province, 10),
  txt(`${header} 市`, (r) => get(r)?.city, 10),
  txt(`${header} 县`, (r) => get(r)?.county, 10),
];

const FORM = { short: '短表', long: '长表' } as const;
const STATUS = { draft: '草稿', complete: '已完成' } as const;
const SOURCE = { enumerator: '普查员登记', self: '自主填报' } as const;

interface Member<T> {
  reg: RegistrationDraft;
  item: T;
  /** 1-based position in its household's list. */
  n: number;
}

/** The columns that place a row: district code, household number and its position. */
const where = <T>(): Column<Member<T>>[] => [
  txt('普查小区代码', (r) => r.reg.districtCode, 17),
  txt('户编号', (r) => r.reg.householdNo, 7),
  num('序号', (r) => r.n, 6),
];
const trailer = <T extends { id: string }>(idHeader: string): Column<Member<T>>[] => [
  txt('表别', (r) => FORM[r.reg.form], 6),
  txt('登记状态', (r) => STATUS[r.reg.status], 8),
  txt('住户登记ID', (r) => r.reg.id, 38),
  txt(idHeader, (r) => r.item.id, 38),
];

type P = Member<PersonDraft>;
const PERSON_COLUMNS: Column<P>[] = [
  ...where<PersonDraft>(),
  txt(label('name'), (r) => r.item.name, 10),
  ...coded(label('relationship'), RELATIONSHIP, (r: P) => r.item.relationship),
  txt(label('citizenId'), (r) => r.item.citizenId, 21),
  ...coded(label('sex'), SEX, (r: P) => r.item.sex),
  txt(label('birth'), (r) => r.item.birth, 9),
  ...coded(label('ethnicity'), ETHNICITY, (r: P) => r.item.ethnicity),
  ...coded(label('residence'), RESIDENCE, (r: P) => r.item.residence?.code),
  ...place('D7 居住地', (r: P) => r.item.residence?.place),
  ...coded(label('hukou'), HUKOU, (r: P) => r.item.hukou?.code),
  ...place('D8 户口登记地', (r: P) => r.item.hukou?.place),
  ...coded(label('leftHukouDuration'), LEFT_HUKOU_DURATION, (r: P) => r.item.leftHukouDuration),
  ...coded(label('leftHukouReason'), LEFT_HUKOU_REASON, (r: P) => r.item.leftHukouReason),
  // The long form asks the same question as C15 / C17.
  ...coded('D11/C15 受教育程度', EDUCATION, (r: P) => r.item.education),
  ...coded('D12/C17 是否识字', YES_NO, (r: P) => r.item.literate),
  ...coded(label('hukouPlaceType'), HUKOU_PLACE_TYPE, (r: P) => r.item.hukouPlaceType),
  ...coded(label('ruralLandRights'), HAVE_NOT, (r: P) => r.item.ruralLandRights),
  ...coded(label('birthPlace'), BIRTH_PLACE, (r: P) => r.item.birthPlace?.code),
  txt(label('birthPlace.province'), (r) => r.item.birthPlace?.province, 10),
  ...coded(label('residence5y'), RESIDENCE_5Y, (r: P) => r.item.residence5y?.code),
  ...place('C14 五年前常住地', (r: P) => r.item.residence5y?.place),
  ...coded(label('schooling'), SCHOOLING, (r: P) => r.item.schooling),
  ...coded(label('work'), WORK_STATUS, (r: P) => r.item.work?.status),
  num('C18 上周工作时间（小时）', (r) => r.item.work?.hours),
  ...coded(label('employerType'), EMPLOYER_TYPE, (r: P) => r.item.employerType),
  txt('C20 行业：单位详细名称', (r) => r.item.industry?.employer, 20),
  txt('C20 行业：主要产品或业务', (r) => r.item.industry?.business, 20),
  txt(label('occupation'), (r) => r.item.occupation, 16),
  ...coded(label('notWorkingReason'), NOT_WORKING_REASON, (r: P) => r.item.notWorkingReason),
  ...coded(label('livelihood'), LIVELIHOOD, (r: P) => r.item.livelihood),
  ...coded(label('marital'), MARITAL, (r: P) => r.item.marital),
  txt(label('firstMarriage'), (r) => r.item.firstMarriage, 9),
  num('C26 生育子女数：生过男', (r) => r.item.childrenBorn?.male),
  num('C26 生育子女数：生过女', (r) => r.item.childrenBorn?.female),
  num('C26 生育子女数：现存活男', (r) => r.item.childrenBorn?.survivingMale),
  num('C26 生育子女数：现存活女', (r) => r.item.childrenBorn?.survivingFemale),
  txt(label('birthsLastYear'), (r) => r.item.birthsLastYear?.map((b) => `${b.month} ${SEX.find((s) => s.code === b.sex)?.zh ?? b.sex}`).join('；'), 16),
  ...coded(label('livingArrangement'), LIVING_ARRANGEMENT, (r: P) => r.item.livingArrangement),
  ...coded(label('health'), HEALTH, (r: P) => r.item.health),
  ...trailer<PersonDraft>('个人ID'),
];

type H = RegistrationDraft;
const HOUSEHOLD_COLUMNS: Column<H>[] = [
  txt('普查小区代码', (r) => r.districtCode, 17),
  txt('户编号', (r) => r.householdNo, 7),
  txt('表别', (r) => FORM[r.form], 6),
  txt('登记状态', (r) => STATUS[r.status], 8),
  txt('填报方式', (r) => SOURCE[r.source], 10),
  ...coded(label('householdType'), HOUSEHOLD_TYPE, (r: H) => r.household.householdType),
  num('H2a 10月31日晚居住在本户的人数', (r) => r.household.residents),
  num('H2b 户口在本户、10月31日晚未住本户的人数', (r) => r.household.hukouHereAbsent),
  num('H3 出生人口（男）', (r) => r.household.births?.male),
  num('H3 出生人口（女）', (r) => r.household.births?.female),
  num('H4 死亡人口（男）', (r) => r.household.deaths?.male),
  num('H4 死亡人口（女）', (r) => r.household.deaths?.female),
  ...coded(label('dwellingType'), DWELLING_TYPE, (r: H) => r.household.dwellingType),
  num('H6 现住房建筑面积（平方米）', (r) => r.household.floorArea),
  num(label('rooms'), (r) => r.household.rooms),
  ...coded(label('storeys'), STOREYS, (r: H) => r.household.storeys),
  ...coded(label('structure'), STRUCTURE, (r: H) => r.household.structure),
  ...coded(label('builtPeriod'), BUILT_PERIOD, (r: H) => r.household.builtPeriod),
  ...coded(label('elevator'), HAVE_NOT, (r: H) => r.household.elevator),
  ...coded(label('cookingFuel'), COOKING_FUEL, (r: H) => r.household.cookingFuel),
  ...coded(label('tapWater'), HAVE_NOT, (r: H) => r.household.tapWater),
  ...coded(label('kitchen'), KITCHEN, (r: H) => r.household.kitchen),
  ...coded(label('toilet'), TOILET, (r: H) => r.household.toilet),
  ...coded(label('bathing'), BATHING, (r: H) => r.household.bathing),
  ...coded(label('tenure'), TENURE, (r: H) => r.household.tenure),
  num('H18 月租房费用（元）', (r) => r.household.monthlyRent),
  ...coded(label('carValue'), CAR_VALUE, (r: H) => r.household.carValue),
  num('登记人数', (r) => r.persons.length),
  num('死亡人口调查表人数', (r) => r.deaths.length),
  num('港澳台居民和外籍人员人数', (r) => r.overseas.length),
  num('已确认的提示数', (r) => r.overrides.length),
  num('版本', (r) => r.version, 6),
  txt('更新时间（设备）', (r) => r.updatedAt, 24),
  txt('住户登记ID', (r) => r.id, 38),
  txt('摸底记录ID', (r) => r.listingId, 38),
];

// Death form items as numbered in census-forms.md §3 (the 2010 form; the 2020 list was not found).
type D = Member<DeathDraft>;
const DEATH_COLUMNS: Column<D>[] = [
  ...where<DeathDraft>(),
  txt('S2 姓名', (r) => r.item.name, 10),
  ...coded('S3 性别', SEX, (r: D) => r.item.sex),
  txt('S4 出生年月', (r) => r.item.birth, 9),
  txt('S5 死亡年月', (r) => r.item.death, 9),
  num('S5 死亡时周岁', (r) => ageAtDeath(r.item)),
  ...coded('S6 民族', ETHNICITY, (r: D) => r.item.ethnicity),
  txt('公民身份号码', (r) => r.item.citizenId, 21),
  ...coded('S7 受教育程度', EDUCATION, (r: D) => r.item.education),
  ...coded('S8 婚姻状况', MARITAL, (r: D) => r.item.marital),
  ...trailer<DeathDraft>('死亡记录ID'),
];

// The overseas form (census-forms.md §4): R1-R3 are the pilot form's numbers; the rest has none.
type O = Member<OverseasPersonDraft>;
const OVERSEAS_COLUMNS: Column<O>[] = [
  ...where<OverseasPersonDraft>(),
  txt('R1 姓名', (r) => r.item.name, 10),
  txt('R1 外文姓名', (r) => r.item.foreignName, 16),
  ...coded('R2 与户主关系', RELATIONSHIP, (r: O) => r.item.relationship),
  ...coded('R3 性别', SEX, (r: O) => r.item.sex),
  txt('出生年月', (r) => r.item.birth, 9),
  ...coded('身份或国籍', OVERSEAS_STATUS, (r: O) => r.item.status),
  txt('国籍（ISO 3166）', (r) => r.item.nationality, 8),
  ...coded('证件类型', DOCUMENT_TYPE, (r: O) => r.item.documentType),
  txt('证件号码', (r) => r.item.documentNumber, 20),
  ...coded('来内地(大陆)或来华目的', PURPOSE, (r: O) => r.item.purpose),
  ...coded('居住时间', STAY, (r: O) => r.item.stay),
  ...coded('受教育程度', EDUCATION, (r: O) => r.item.education),
  ...trailer<OverseasPersonDraft>('人员ID'),
];

const members = <T>(reg: RegistrationDraft, list: readonly T[]): Member<T>[] => list.map((item, i) => ({ reg, item, n: i + 1 }));

interface SheetSpec<R> {
  name: string;
  columns: Column<R>[];
  rows: (reg: RegistrationDraft) => R[];
}
const SHEETS = [
  { name: '人口', columns: PERSON_COLUMNS, rows: (reg) => members(reg, reg.persons) } satisfies SheetSpec<P>,
  { name: '住户', columns: HOUSEHOLD_COLUMNS, rows: (reg) => [reg] } satisfies SheetSpec<H>,
  { name: '死亡人口', columns: DEATH_COLUMNS, rows: (reg) => members(reg, reg.deaths) } satisfies SheetSpec<D>,
  { name: '港澳台和外籍人员', columns: OVERSEAS_COLUMNS, rows: (reg) => members(reg, reg.overseas) } satisfies SheetSpec<O>,
] as const;

/** The header row of each sheet, in order (tests and docs read them from here). */
export const XLSX_SHEET_HEADERS: readonly { name: string; headers: string[] }[] = SHEETS.map((s) => ({ name: s.name, headers: s.columns.map((c: { header: string }) => c.header) }));

/** Characters XML 1.0 cannot carry (exceljs drops the C0 controls itself; these it passes). */
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string as an inline rich-text value: exceljs writes plain strings without shared strings as
 * `t="str"` (a formula's result); rich text becomes `t="inlineStr"`, the type the standard has for
 * a literal string, which every reader keeps as text. Never a formula, whatever it starts with.
 */
const inline = (s: string) => ({ richText: [{ text: s.replace(NOT_XML, '\uFFFD') }] });

const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: '@' };
const NUMBER_STYLE: Partial<ExcelJS.Style> = { numFmt: 'General' };
const HEADER_STYLE: Partial<ExcelJS.Style> = { numFmt: '@', font: { bold: true } };

// ---- the streaming plumbing ----

interface ZipLike {
  append(source: PassThrough, data: { name: string }): void;
  on(event: 'error' | 'warning', listener: (e: Error) => void): void;
  abort(): void;
}
/** The parts of exceljs's WorkbookWriter the entry replacement touches (not in its typings). */
interface WriterInternals {
  zip: ZipLike;
  _openStream(path: string): unknown;
}

/** What exceljs writes into an entry: strings, Buffers and its own StringBuf (reused after each write). */
function toBuffer(chunk: unknown): Buffer | string {
  if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) return chunk;
  const toBuf = typeof chunk === 'object' && chunk !== null && 'toBuffer' in chunk ? (chunk as { toBuffer?: unknown }).toBuffer : undefined;
  if (typeof toBuf === 'function') {
    const b = (toBuf as (this: unknown) => unknown).call(chunk);
    if (Buffer.isBuffer(b)) return Buffer.from(b); // a copy: exceljs resets and refills the same buffer
  }
  throw new TypeError('unexpected chunk from exceljs');
}

/** The stream exceljs writes an entry to: converts its chunks and hands them to a real PassThrough. */
class EntrySink {
  constructor(readonly pass: PassThrough) {}
  write(chunk: unknown): boolean {
    return this.pass.write(toBuffer(chunk));
  }
  end(chunk?: unknown): void {
    if (chunk !== undefined) this.pass.write(toBuffer(chunk));
    this.pass.end();
  }
  // exceljs pauses its own buffer until the zip reads it; archiver reads the PassThrough itself.
  pause(): this {
    return this;
  }
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.pass.on(event, listener);
    return this;
  }
  once(event: string, listener: (...args: unknown[]) => void): this {
    this.pass.once(event, listener);
    return this;
  }
  removeListener(event: string, listener: (...args: unknown[]) => void): this {
    this.pass.removeListener(event, listener);
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    return this.pass.emit(event, ...args);
  }
}

export class ExportAborted extends Error {
  constructor() {
    super('the export was abandoned by its reader');
  }
}

export interface XlsxOptions {
  /** Shown on the "说明" sheet: what was exported (e.g. "普查小区 130102001003001"). */
  scopeLabel: string;
  exportedAt: Date;
  /** Data rows per sheet before it continues in the next one (Excel's limit unless a test says less). */
  maxRowsPerSheet?: number;
  /** Bytes an entry may buffer before the writer waits for the reader (default 1 MiB). */
  highWaterMark?: number;
}

export interface XlsxSummary {
  sheets: { name: string; rows: number }[];
}

/**
 * Writes the workbook to `out`, reading the registrations once per sheet through `pages()`.
 * Resolves when the last byte is handed to `out`; rejects with ExportAborted when `out` is closed
 * or destroyed before the end (the reader went away: nothing more is read from the store).
 */
export async function writeXlsx(out: Writable, pages: () => AsyncIterable<readonly RegistrationDraft[]> | Iterable<readonly RegistrationDraft[]>, opts: XlsxOptions): Promise<XlsxSummary> {
  const maxRows = opts.maxRowsPerSheet ?? XLSX_MAX_DATA_ROWS;
  const hwm = opts.highWaterMark ?? 1 << 20;
  let failure: Error | undefined;
  let finished = false;
  const gone = new Promise<never>((_, reject) => {
    const stop = (e?: Error) => {
      if (finished) return;
      failure ??= e ?? new ExportAborted();
      reject(failure);
    };
    // 'finish' (everything handed to `out`) comes before its 'close'.
    out.once('finish', () => (finished = true));
    out.once('close', () => stop());
    out.once('error', (e) => stop(e));
  });
  gone.catch(() => undefined);

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 6 } } });
  const inner = wb as unknown as WriterInternals;
  inner.zip.on('error', (e) => (failure ??= e));
  inner.zip.on('warning', (e) => (failure ??= e));
  let current: PassThrough | undefined;
  inner._openStream = (path: string) => {
    const pass = new PassThrough({ highWaterMark: hwm });
    inner.zip.append(pass, { name: path });
    // exceljs waits for 'zipped' on entries it commits itself (we commit each sheet first).
    pass.on('finish', () => pass.emit('zipped'));
    current = pass;
    return new EntrySink(pass);
  };

  /** Waits while the entry being written holds more than its high-water mark. */
  const room = async () => {
    if (failure) throw failure;
    const pass = current;
    if (pass?.writableNeedDrain) await Promise.race([once(pass, 'drain'), gone]);
  };

  const summary: XlsxSummary = { sheets: [] };
  try {
    for (const spec of SHEETS) {
      const columns = spec.columns as Column<unknown>[];
      const rowsOf = spec.rows as (reg: RegistrationDraft) => unknown[];
      let part = 0;
      let inSheet = 0;
      const open = (): ExcelJS.Worksheet => {
        part += 1;
        const name = part === 1 ? spec.name : `${spec.name} (${part})`;
        const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
        // The column's format covers the cells left empty, so an ID typed in later stays text too.
        ws.columns = columns.map((c) => ({ width: c.width, style: c.text ? TEXT_STYLE : NUMBER_STYLE }));
        const head = ws.addRow(columns.map((c) => inline(c.header)));
        head.eachCell((cell) => (cell.style = HEADER_STYLE));
        head.commit();
        summary.sheets.push({ name, rows: 0 });
        inSheet = 0;
        return ws;
      };
      let sheet = open();
      for await (const page of pages()) {
        for (const reg of page) {
          for (const row of rowsOf(reg)) {
            if (inSheet >= maxRows) {
              sheet.commit();
              sheet = open();
            }
            const line = sheet.addRow(columns.map((c) => {
              const v = c.get(row);
              return v === undefined ? undefined : c.text ? inline(String(v)) : v;
            }));
            // One shared style object per kind: exceljs caches a style by object identity, and
            // looking up a fresh copy per cell costs more than writing the cell.
            line.eachCell((cell, col) => (cell.style = columns[col - 1]?.text ? TEXT_STYLE : NUMBER_STYLE));
            line.commit();
            inSheet += 1;
            const s = summary.sheets.at(-1);
            if (s) s.rows += 1;
          }
        }
        await room();
      }
      sheet.commit();
      await room();
    }
    writeAbout(wb, summary, opts);
    await Promise.race([wb.commit(), gone]);
    finished = true;
    if (failure) throw failure;
    return summary;
  } catch (e) {
    inner.zip.abort();
    throw e;
  }
}

function writeAbout(wb: ExcelJS.stream.xlsx.WorkbookWriter, summary: XlsxSummary, opts: XlsxOptions) {
  const ws = wb.addWorksheet('说明');
  ws.columns = [{ width: 24, style: { numFmt: '@' } }, { width: 60, style: { numFmt: '@' } }];
  const line = (a: string, b: string | number) => ws.addRow([inline(a), typeof b === 'number' ? b : inline(b)]).commit();
  line('普查登记导出', 'Pucha');
  line('导出时间', opts.exportedAt.toISOString());
  line('范围', opts.scopeLabel);
  for (const s of summary.sheets) line(`表「${s.name}」行数`, s.rows);
  line('说明', '公民身份号码、普查小区代码、户编号和所有代码均为文本；代码右侧的“（名称）”列为代码的含义。');
  line('说明', '各表按普查小区代码、户编号排序，以“普查小区代码 + 户编号”（及“住户登记ID”）相互对应。');
  line('说明', '各表依次读取，导出期间新上传的住户可能只出现在部分表中。');
  ws.commit();
}
