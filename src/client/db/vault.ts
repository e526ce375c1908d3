// The phone's data key (issue 10: personal data encrypted at rest). One AES-256-GCM key encrypts
// every row with personal data (encryption.ts). It is used only as a non-extractable WebCrypto key
// held in memory by the running page; IndexedDB keeps it only wrapped, twice:
//   - by a key derived from the app PIN (PBKDF2-SHA-256, 600,000 iterations), to open the app
//     offline;
//   - by the device key the server derives for this user on this device (given in the login
//     answer), so a forgotten PIN costs a sign-in online, never the records or the queue.
// While one of the two wraps is missing (just after the first sign-in, before the PIN is chosen,
// or on a phone upgraded from a version without encryption), the page also holds an extractable
// copy, the only way to make the missing wrap; it is dropped as soon as both wraps exist.
import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../../domain/index.ts';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PIN_KDF_ITERATIONS = 600_000;
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

const B64URL = z.string().regex(/^[A-Za-z0-9_-]+$/).max(200);
const WrapSchema = z.strictObject({ iv: B64URL, key: B64URL });
export const VaultRecordSchema = z.strictObject({
  v: z.literal(1),
  /** The user whose device key makes the device wrap (a different user cannot recover it). */
  userId: IdSchema,
  createdAt: TimestampSchema,
  pin: z.strictObject({ salt: B64URL, iterations: z.number().int().min(PIN_KDF_ITERATIONS).max(10_000_000), wrap: WrapSchema }).optional(),
  device: WrapSchema.optional(),
});
export type VaultRecord = z.infer<typeof VaultRecordSchema>;

export type VaultState = 'none' | 'locked' | 'unlocked';

/** Why a PIN is refused when it is chosen (the UI words it at the field). */
export type PinProblem = 'format' | 'weak';

export class VaultLockedError extends Error {
  constructor(what: string) {
    super(`the phone's store is locked: ${what}`);
    this.name = 'VaultLockedError';
  }
}

export function toB64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function fromB64url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const random = (n: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(n));
const DATA_KEY: AesKeyGenParams = { name: 'AES-GCM', length: 256 };
const USAGES: KeyUsage[] = ['encrypt', 'decrypt'];

/** A PIN the app accepts: 6 to 12 digits, not one digit repeated, not a run like 123456 or 987654. */
export function checkPin(pin: string): PinProblem | undefined {
  if (!new RegExp(`^\\d{${PIN_MIN_LENGTH},${PIN_MAX_LENGTH}}$`).test(pin)) return 'format';
  const d = [...pin].map(Number);
  const same = d.every((x) => x === d[0]);
  const up = d.every((x, i) => i === 0 || x === ((d[i - 1] ?? 0) + 1) % 10);
  const down = d.every((x, i) => i === 0 || x === ((d[i - 1] ?? 0) + 9) % 10);
  return same || up || down ? 'weak' : undefined;
}

async function pinKek(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
}

async function deviceKek(deviceKey: string): Promise<CryptoKey> {
  const raw = fromB64url(deviceKey);
  if (raw.length !== 32) throw new Error('device key: not 32 bytes');
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
}

async function wrap(dataKey: CryptoKey, kek: CryptoKey, label: string): Promise<z.infer<typeof WrapSchema>> {
  const iv = random(12);
  const key = new Uint8Array(await crypto.subtle.wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(label) }));
  return { iv: toB64url(iv), key: toB64url(key) };
}

/** The data key, or undefined when the KEK is not the right one (a wrong PIN, another user's device key). */
async function unwrap(w: z.infer<typeof WrapSchema>, kek: CryptoKey, label: string, extractable: boolean): Promise<CryptoKey | undefined> {
  try {
    return await crypto.subtle.unwrapKey('raw', fromB64url(w.key), kek, { name: 'AES-GCM', iv: fromB64url(w.iv), additionalData: new TextEncoder().encode(label) }, DATA_KEY, extractable, USAGES);
  } catch {
    return undefined;
  }
}

/** A fresh data key (extractable: it still has to be wrapped). Tests use it to open a store unlocked. */
export function generateDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(DATA_KEY, true, USAGES);
}

async function nonExtractable(spare: CryptoKey): Promise<CryptoKey> {
  // Raw bytes pass through this function's memory once; the page then uses a key it cannot read.
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', spare));
  try {
    return await crypto.subtle.importKey('raw', raw, DATA_KEY, false, USAGES);
  } finally {
    raw.fill(0);
  }
}

/**
 * The key state of one open database. The record lives in the `meta` table (key `vault`, in clear:
 * it holds only wrapped keys and salts); the key lives only here. The store reads and writes the
 * record through the callbacks so this class knows nothing of Dexie.
 */
export class Vault {
  private record: VaultRecord | undefined;
  private key: CryptoKey | undefined;
  private spare: CryptoKey | undefined;
  /** Opened with the device key after a password sign-in: the user chooses a new PIN first. */
  private pinReset = false;
  private readonly listeners = new Set<() => void>();

  /** For tests and benches: a store opened already unlocked with `key` (extractable, so it can still be wrapped). */
  constructor(preset?: CryptoKey) {
    if (preset) {
      this.key = preset;
      this.spare = preset.extractable ? preset : undefined;
    }
  }

  state(): VaultState {
    if (this.key) return 'unlocked';
    return this.record ? 'locked' : 'none';
  }
  current(): VaultRecord | undefined {
    return this.record;
  }
  hasPin(): boolean {
    return this.record?.pin !== undefined;
  }
  /** Unlocked, and the user must choose a PIN before the app opens (none yet, or the old one was forgotten). */
  pinRequired(): boolean {
    return this.key !== undefined && this.record !== undefined && (!this.record.pin || this.pinReset);
  }
  /** The key rows are encrypted with, or undefined while locked. */
  dataKey(): CryptoKey | undefined {
    return this.key;
  }
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Called by the store with what it read from meta (undefined: no vault yet). */
  loaded(record: VaultRecord | undefined): void {
    this.record = record;
    this.changed();
  }

  /** Tries the PIN; true when it opened the data key (the store counts failures, see lock.ts). */
  async unlockWithPin(pin: string): Promise<boolean> {
    const p = this.record?.pin;
    if (!p) return false;
    const kek = await pinKek(pin, fromB64url(p.salt), p.iterations);
    const key = await unwrap(p.wrap, kek, 'pin', false);
    if (!key) return false;
    // A missing device wrap can only be made from an extractable copy.
    if (!this.record?.device) this.spare = await unwrap(p.wrap, kek, 'pin', true);
    this.key = key;
    this.changed();
    return true;
  }

  /**
   * After a sign-in with the password: opens the data key with the server's device key. Keeps an
   * extractable copy, because the user then chooses a (new) PIN.
   */
  async unlockWithDeviceKey(deviceKey: string): Promise<boolean> {
    const d = this.record?.device;
    if (!d) return false;
    const kek = await deviceKek(deviceKey);
    const spare = await unwrap(d, kek, 'device', true);
    if (!spare) return false;
    this.key = await nonExtractable(spare);
    this.spare = spare;
    this.pinReset = true;
    this.changed();
    return true;
  }

  /**
   * A record for `userId`, wrapping the key in memory when there is one that can still be wrapped
   * (a store opened unlocked by a test, or an upgraded phone that had none), else a new key. The
   * caller stores it in the same transaction as whatever depends on it; `commit` then makes it
   * current, `abandon` forgets it.
   */
  async prepare(userId: string, deviceKey: string | undefined, now: Date): Promise<PreparedVault> {
    // Another user's vault: that user's key never serves the next one (their rows are wiped).
    const reuse = this.record === undefined ? this.spare : undefined;
    const spare = reuse ?? (await generateDataKey());
    const record: VaultRecord = {
      v: 1,
      userId,
      createdAt: now.toISOString(),
      ...(deviceKey ? { device: await wrap(spare, await deviceKek(deviceKey), 'device') } : {}),
    };
    return { record, key: reuse && this.key ? this.key : await nonExtractable(spare), spare };
  }

  /** Installs a prepared key for the transaction that stores its record (see claimPhone). */
  install(p: PreparedVault): () => void {
    const before = { record: this.record, key: this.key, spare: this.spare };
    this.key = p.key;
    this.spare = p.spare;
    return () => {
      this.record = before.record;
      this.key = before.key;
      this.spare = before.spare;
    };
  }
  commit(p: PreparedVault): void {
    this.record = p.record;
    this.key = p.key;
    this.spare = p.record.pin && p.record.device ? undefined : p.spare;
    this.changed();
  }

  /** The record with a new PIN wrap (needs the extractable copy: right after a sign-in or creation). */
  async withPin(pin: string): Promise<VaultRecord> {
    if (!this.record || !this.spare) throw new VaultLockedError('a PIN can be set only right after signing in');
    const salt = random(16);
    const kek = await pinKek(pin, salt, PIN_KDF_ITERATIONS);
    return { ...this.record, pin: { salt: toB64url(salt), iterations: PIN_KDF_ITERATIONS, wrap: await wrap(this.spare, kek, 'pin') } };
  }
  /** The record with the device wrap added (an upgraded phone learns its device key later). */
  async withDeviceKey(deviceKey: string): Promise<VaultRecord | undefined> {
    if (!this.record || !this.spare) return undefined;
    return { ...this.record, device: await wrap(this.spare, await deviceKek(deviceKey), 'device') };
  }
  /** Makes a stored record current (after withPin/withDeviceKey were written). */
  stored(record: VaultRecord): void {
    if (record.pin && record.pin !== this.record?.pin) this.pinReset = false;
    this.record = record;
    if (record.pin && record.device) this.spare = undefined;
    this.changed();
  }
  /** True while a wrap is missing and can still be made. */
  needsWrap(): 'pin' | 'device' | undefined {
    if (!this.record || !this.spare) return undefined;
    if (!this.record.pin) return 'pin';
    if (!this.record.device) return 'device';
    return undefined;
  }

  /** Forgets the key (sign-out after too many wrong PINs): the records stay, encrypted. */
  forget(): void {
    this.key = undefined;
    this.spare = undefined;
    this.pinReset = false;
    this.changed();
  }
  /** The records went with the previous user: no vault any more. */
  cleared(): void {
    this.record = undefined;
    this.forget();
  }
}

export interface PreparedVault {
  record: VaultRecord;
  key: CryptoKey;
  spare: CryptoKey;
}
