// Office files arrive from spreadsheet programs in whatever encoding the desktop uses (GBK on
// Chinese Windows, UTF-16 from "Unicode text"). Decoding those as UTF-8 would import mojibake
// names, so anything but UTF-8 (with or without a BOM) is refused with a message saying what
// the file looks like and how to fix it.

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string };

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8 (for the message only; the decoder decides), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

export function decodeUtf8Text(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, message: 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as "CSV UTF-8" and import it again' };
  }
  // BOM-less UTF-16: ASCII text has a NUL in every other byte.
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096));
  let nuls = 0;
  for (const b of sample) if (b === 0) nuls++;
  if (sample.length >= 4 && nuls * 4 >= sample.length) {
    return { ok: false, message: 'the file looks like UTF-16 (every other byte is zero); save it as "CSV UTF-8" and import it again' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const where = at >= 0 ? ` (first bad byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}, line ${lineAt(bytes, at)})` : '';
    return { ok: false, message: `the file is not valid UTF-8${where}; it may be GBK/GB18030: save it as "CSV UTF-8" and import it again` };
  }
}
