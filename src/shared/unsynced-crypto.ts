// Runs where WebCrypto does (the phone, Node 20), hence outside the environment-free domain.
// The unsynced export leaves the phone as a file (a USB cable, a messenger, a memory card), so it
// is encrypted with a passphrase the enumerator chooses and tells the office by another way:
// PBKDF2-SHA-256 (600,000 iterations) derives an AES-GCM key; the header (format, device, time,
// KDF parameters, IV) is authenticated as additional data, so a tampered header fails like a wrong
// passphrase. WebCrypto only: the same code runs on the phone and in the admin CLI (Node 20).
import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../domain/schemas.ts';
import type { UnsyncedExport } from '../domain/unsynced.ts';

export const ENCRYPTED_UNSYNCED_FORMAT = 'pucha-unsynced-encrypted';
export const ENCRYPTED_UNSYNCED_VERSION = 1;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const UNSYNCED_KDF_ITERATIONS = 600_000;
export const MIN_PASSPHRASE_LENGTH = 8;

const B64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(70_000_000);

export const EncryptedUnsyncedSchema = z.strictObject({
  format: z.literal(ENCRYPTED_UNSYNCED_FORMAT),
  formatVersion: z.literal(ENCRYPTED_UNSYNCED_VERSION),
  exportedAt: TimestampSchema,
  deviceId: IdSchema,
  kdf: z.strictObject({ name: z.literal('PBKDF2'), hash: z.literal('SHA-256'), iterations: z.number().int().min(100_000).max(10_000_000), salt: B64 }),
  cipher: z.strictObject({ name: z.literal('AES-GCM'), iv: B64 }),
  ciphertext: B64,
});
export type EncryptedUnsynced = z.infer<typeof EncryptedUnsyncedSchema>;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Everything but the ciphertext, in a fixed order: the additional authenticated data. */
function header(f: Omit<EncryptedUnsynced, 'ciphertext'>): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify([f.format, f.formatVersion, f.exportedAt, f.deviceId, f.kdf.name, f.kdf.hash, f.kdf.iterations, f.kdf.salt, f.cipher.name, f.cipher.iv]));
}

export async function encryptUnsynced(doc: UnsyncedExport, passphrase: string, opts: { iterations?: number } = {}): Promise<EncryptedUnsynced> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new Error(`the passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const head = {
    format: ENCRYPTED_UNSYNCED_FORMAT,
    formatVersion: ENCRYPTED_UNSYNCED_VERSION,
    exportedAt: doc.exportedAt,
    deviceId: doc.deviceId,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: opts.iterations ?? UNSYNCED_KDF_ITERATIONS, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(iv) },
  } as const;
  const key = await deriveKey(passphrase, salt, head.kdf.iterations);
  const plain = new TextEncoder().encode(JSON.stringify(doc));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header(head) }, key, plain));
  return { ...head, kdf: { ...head.kdf }, cipher: { ...head.cipher }, ciphertext: toBase64(sealed) };
}

/** The export's JSON (still to be checked with UnsyncedExportSchema), or `wrong` for a wrong passphrase or a damaged file. */
export async function decryptUnsynced(file: EncryptedUnsynced, passphrase: string): Promise<{ ok: true; value: unknown } | { ok: false; reason: 'wrong' }> {
  try {
    const key = await deriveKey(passphrase, fromBase64(file.kdf.salt), file.kdf.iterations);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(file.cipher.iv), additionalData: header(file) }, key, fromBase64(file.ciphertext));
    return { ok: true, value: JSON.parse(new TextDecoder().decode(plain)) as unknown };
  } catch {
    return { ok: false, reason: 'wrong' };
  }
}
