// `npm run admin -- self-codes --district CODE --out notices.html`: a printable sheet of
// self-enumeration notices (issue 13), one per household, each with its QR code, address and the
// instructions in Chinese. A code exists in clear only in that file: the store keeps its SHA-256,
// nothing is printed to the terminal, and a new sheet for a district ends the codes of its earlier
// sheets that were not used (a lost or copied sheet is replaced by printing again).
import { randomFillSync } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { DistrictCodeSchema, ListingEntrySchema, formatSelfCode, newSelfCode, selfCodeUrl, type ListingEntry } from '../domain/index.ts';
import type { CliIo } from './cli-commands.ts';
import { selfCodeHashOf } from './routes/self.ts';
import type { Store } from './store/store.ts';

/** One household's notice, as printed. */
export interface SelfNotice {
  entry: ListingEntry;
  code: string;
  url: string;
}

const PAGE = 500;

/**
 * The households of a district a notice may go to: short form (self-enumeration is not allowed
 * for the long form), no registration yet, and (unless `all`) marked for self-enumeration in the
 * listing. In household-number order.
 */
export async function noticeHouseholds(store: Store, districtCode: string, all: boolean): Promise<ListingEntry[]> {
  const entries = new Map<string, ListingEntry>();
  const registered = new Set<string>();
  let after = 0;
  for (;;) {
    const { changes, more } = await store.pull({ kind: 'district', code: districtCode }, after, PAGE);
    for (const c of changes) {
      after = Math.max(after, c.seq);
      if (c.entity === 'listing') {
        const parsed = ListingEntrySchema.safeParse(c.data);
        if (parsed.success) entries.set(parsed.data.id, parsed.data);
      } else if (c.entity === 'household' && typeof c.data === 'object' && c.data !== null && 'listingId' in c.data && typeof c.data.listingId === 'string') {
        registered.add(c.data.listingId);
      }
    }
    if (!more || changes.length === 0) break;
  }
  return [...entries.values()]
    .filter((e) => e.districtCode === districtCode && !e.longForm && !registered.has(e.id) && e.kind !== 'empty' && (all || e.selfEnumeration))
    .sort((a, b) => a.householdNo.localeCompare(b.householdNo, 'en', { numeric: true }));
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The deadline as a respondent reads it: China time, e.g. 2020年11月5日 24:00. */
export function chinaDeadline(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3_600_000);
  const [y, m, d, h, min] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes()];
  if (h === 0 && min === 0) {
    const prev = new Date(t.getTime() - 86_400_000);
    return `${prev.getUTCFullYear()}年${prev.getUTCMonth() + 1}月${prev.getUTCDate()}日 24:00`;
  }
  return `${y}年${m}月${d}日 ${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** The printable sheet: A4, two notices a page, nothing loaded from elsewhere. */
export async function noticesHtml(districtCode: string, districtName: string, notices: readonly SelfNotice[], origin: string, deadline: string): Promise<string> {
  const site = `${origin.replace(/\/$/, '')}/self`;
  const parts: string[] = [];
  for (const n of notices) {
    const svg = await QRCode.toString(n.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    parts.push(`<section class="notice" data-household-no="${esc(n.entry.householdNo)}">
  <h2>人口普查住户自主填报通知书</h2>
  <p class="where">${esc(districtName)}（${esc(districtCode)}） 第 ${esc(n.entry.householdNo)} 户</p>
  <p class="address">${esc(n.entry.address)}</p>
  <div class="body">
    <div class="qr" role="img" aria-label="填报二维码">${svg}</div>
    <div>
      <p>本户填报码</p>
      <p class="code">${esc(formatSelfCode(n.code))}</p>
      <ol>
        <li>用手机扫描左侧二维码；或用手机浏览器打开 <b>${esc(site)}</b>，输入上面的填报码。</li>
        <li>按提示填写本户每一个人的情况，以及本户 2019 年 11 月 1 日至 2020 年 10 月 31 日期间去世人员的情况。</li>
        <li>请在 <b>${esc(chinaDeadline(deadline))}</b>（北京时间）前提交。提交后不能修改，普查员会上门与您核实。</li>
        <li>填报码只能用于本户，请妥善保管本通知书，不要把填报码告诉他人。有疑问请询问本小区普查员。</li>
      </ol>
    </div>
  </div>
</section>`);
  }
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>住户自主填报通知书 ${esc(districtCode)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #000; }
  .notice { border: 1px dashed #555; padding: 8mm; margin: 0 0 8mm; height: 120mm; box-sizing: border-box; page-break-inside: avoid; break-inside: avoid; }
  .notice:nth-of-type(2n) { page-break-after: always; break-after: page; }
  h2 { margin: 0 0 3mm; font-size: 16pt; text-align: center; }
  .where, .address { margin: 0 0 2mm; font-size: 11pt; }
  .address { font-weight: bold; }
  .body { display: flex; gap: 6mm; align-items: flex-start; }
  .qr { flex: 0 0 42mm; width: 42mm; }
  .qr svg { width: 42mm; height: 42mm; }
  .code { font-family: "DejaVu Sans Mono", monospace; font-size: 18pt; letter-spacing: 1pt; margin: 1mm 0 3mm; }
  ol { margin: 0; padding-left: 5mm; font-size: 10.5pt; line-height: 1.5; }
</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

export async function selfCodesCmd(store: Store, args: string[], io: CliIo): Promise<number> {
  let values: { district?: string | undefined; out?: string | undefined; origin?: string | undefined; all?: boolean | undefined };
  try {
    values = parseArgs({ args, options: { district: { type: 'string' }, out: { type: 'string' }, origin: { type: 'string' }, all: { type: 'boolean' } }, strict: true }).values;
  } catch {
    return 2;
  }
  if (!values.district || !values.out) return 2;
  const district = DistrictCodeSchema.safeParse(values.district);
  if (!district.success) {
    io.err(`self-codes: ${values.district} is not a district code`);
    return 1;
  }
  const origin = values.origin ?? io.publicOrigin ?? 'http://localhost:8080';
  if (!/^https?:\/\/[^\s/?#]+$/.test(origin.replace(/\/$/, ''))) {
    io.err(`self-codes: --origin ${origin} is not an origin (https://host[:port])`);
    return 1;
  }
  if (existsSync(values.out)) {
    io.err(`self-codes: ${values.out} exists; give a new file (an older sheet's codes end when a new one is printed)`);
    return 1;
  }
  const [d] = await store.listDistricts([district.data]);
  if (!d) {
    io.err(`self-codes: no district ${district.data}`);
    return 1;
  }
  const households = await noticeHouseholds(store, d.code, values.all === true);
  if (households.length === 0) {
    io.err(`self-codes: district ${d.code} has no short-form household left to self-enumerate${values.all ? '' : ' among those the listing marks for self-enumeration (--all: every one)'}; nothing was written`);
    return 1;
  }
  const notices: SelfNotice[] = households.map((entry) => {
    const code = newSelfCode((b) => randomFillSync(b));
    return { entry, code, url: selfCodeUrl(origin, code) };
  });
  const deadline = io.selfDeadline ?? new Date(io.now().getTime() + 30 * 86_400_000).toISOString();
  const html = await noticesHtml(d.code, d.name, notices, origin, deadline);
  // The file first (written whole, and never over another), then the codes: a failed write leaves
  // the earlier sheet valid; a failed store leaves a file whose codes do not work, never the reverse.
  try {
    writeFileSync(values.out, html, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    io.err(`self-codes: cannot write ${values.out}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  let revoked: number;
  try {
    ({ revoked } = await store.issueOfficeCodes(
      d.code,
      notices.map((n) => ({ hash: selfCodeHashOf(n.code), listingId: n.entry.id })),
      io.now().toISOString(),
    ));
  } catch (e) {
    rmSync(values.out, { force: true });
    throw e;
  }
  io.out(`self-codes: ${notices.length} notice(s) for district ${d.code} written to ${values.out}${revoked > 0 ? `; ${revoked} code(s) of earlier sheets no longer work` : ''}`);
  return 0;
}
