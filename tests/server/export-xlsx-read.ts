// Reading an exported workbook without exceljs (which wrote it): read-excel-file for the values as
// a spreadsheet program sees them, and a small zip reader (node:zlib) for the raw sheet XML, so a
// test can check the cell types and number formats themselves.
import { inflateRawSync } from 'node:zlib';
import readXlsxFile from 'read-excel-file/node';

export interface SheetRows {
  sheet: string;
  header: string[];
  /** Data rows as header -> value (string for text cells, number for number cells; absent when empty). */
  rows: Record<string, string | number | boolean>[];
}

export async function readWorkbook(bytes: Buffer): Promise<SheetRows[]> {
  const sheets = await readXlsxFile(bytes);
  return sheets.map((s) => {
    const [head = [], ...data] = s.data;
    const header = head.map((h) => String(h));
    const rows = data.map((r) => {
      const o: Record<string, string | number | boolean> = {};
      r.forEach((v, i) => {
        const k = header[i];
        if (k !== undefined && v !== null && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) o[k] = v;
      });
      return o;
    });
    return { sheet: s.sheet, header, rows };
  });
}

export function sheetOf(book: SheetRows[], name: string): SheetRows {
  const s = book.find((x) => x.sheet === name);
  if (!s) throw new Error(`no sheet ${name} in ${book.map((x) => x.sheet).join(', ')}`);
  return s;
}

/** Every file of a zip archive by name (central directory; deflate or stored). */
export function unzip(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name.replace(/^\//, ''), method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

export interface RawCell {
  ref: string;
  /** The `t` attribute (absent: a number). */
  type?: string;
  /** The number format id of the cell's style (49 is "@", text). */
  numFmtId: number;
  text: string;
}

/** The cells of one sheet's XML, with their type and number format, from the raw files. */
export function rawCells(files: Map<string, Buffer>, sheetFile: string): RawCell[] {
  const styles = files.get('xl/styles.xml')?.toString('utf8') ?? '';
  const xfs = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)].map((m) => Number(/numFmtId="(\d+)"/.exec(m[0])?.[1] ?? 0));
  const xml = files.get(sheetFile)?.toString('utf8');
  if (xml === undefined) throw new Error(`no ${sheetFile}`);
  return [...xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((m) => {
    const attrs = m[1] ?? '';
    const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? '';
    const type = /\bt="([^"]+)"/.exec(attrs)?.[1];
    const s = Number(/\bs="(\d+)"/.exec(attrs)?.[1] ?? 0);
    const text = [...(m[2] ?? '').matchAll(/<(?:t|v)(?:\s[^>]*)?>([\s\S]*?)<\/(?:t|v)>/g)].map((x) => x[1] ?? '').join('');
    return { ref, ...(type !== undefined ? { type } : {}), numFmtId: xfs[s] ?? 0, text };
  });
}
