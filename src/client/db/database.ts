// The phone's IndexedDB database (Dexie): the assignment (districts, listing, review queries),
// the registrations, the outbox of unsent mutations, per-record sync state, meta (device id,
// session, pull cursor) and the sync log. Every schema change is a new version() with an upgrade,
// so an installed app never loses its queue when it updates.
import { Dexie, type Table } from 'dexie';
import type { District, ListingEntry, RegistrationDraft, ReviewQuery } from '../../domain/index.ts';
import { encryptionMiddleware, PlainCache } from './encryption.ts';
import { Vault, VaultRecordSchema } from './vault.ts';
import { recordKey, type DraftRow, type MetaRow, type NewOutboxRow, type OutboxRow, type RecordStateRow, type SyncLogRow } from './rows.ts';

/** Version 1 (the first shipped schema). Kept verbatim: upgrades start from it. */
export const SCHEMA_V1 = {
  districts: 'code',
  listing: 'id, districtCode',
  registrations: 'id, listingId, districtCode',
  outbox: '++seq, &id, entityId',
  queries: 'id, householdId, districtCode, status',
  meta: 'key',
  syncLog: '++id',
} as const;

/** Version 3: drafts, what the enumerator typed in a household and has not saved yet (never pushed). */
export const SCHEMA_V3 = {
  drafts: 'listingId, districtCode',
} as const;

/** Version 2: per-record sync state, and compound indexes for ordered listing and per-entity outbox. */
export const SCHEMA_V2 = {
  listing: 'id, districtCode, [districtCode+householdNo]',
  outbox: '++seq, &id, [entity+entityId]',
  recordState: 'key, state, entity',
} as const;

/** The practice district's IndexedDB name (src/client/practice/practice.ts): one per phone. */
export const PRACTICE_DB_NAME = 'pucha-practice';

export interface DbOptions {
  /** Clock (ms since epoch); device time is metadata only, never used for ordering. */
  now?: () => number;
  /** Id factory (uuid) for mutation ids, device id and new records. */
  newId?: () => string;
  /** For tests: an IndexedDB implementation (fake-indexeddb) and its key range. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /**
   * Tests and benches: open the store already unlocked with this data key (from
   * `generateDataKey()`). The app never passes one: it unlocks with the PIN or the device key.
   */
  dataKey?: CryptoKey;
  /**
   * The practice district's store (practice.ts): same tables and checks, but the sync engine and
   * the unsynced export refuse it, so nothing in it can reach the server.
   */
  practice?: boolean;
}

export class PuchaDb extends Dexie {
  districts!: Table<District, string>;
  listing!: Table<ListingEntry, string>;
  registrations!: Table<RegistrationDraft, string>;
  outbox!: Table<OutboxRow, number, NewOutboxRow>;
  queries!: Table<ReviewQuery, string>;
  meta!: Table<MetaRow, string>;
  syncLog!: Table<SyncLogRow, number, Omit<SyncLogRow, 'id'>>;
  recordState!: Table<RecordStateRow, string>;
  drafts!: Table<DraftRow, string>;
  readonly now: () => number;
  readonly newId: () => string;
  /** The data key's state; every row with personal data is encrypted with it (encryption.ts). */
  readonly vault: Vault;
  /** The plaintext of the rows this page sealed or opened last (encryption.ts); emptied when the key goes. */
  readonly plainCache = new PlainCache();
  /** True for the practice store: never synced, never exported. */
  readonly practice: boolean;
  /** The IndexedDB implementation it was opened with (tests), for stores opened beside it. */
  readonly idb: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };

  constructor(name: string, options: DbOptions = {}) {
    super(name, {
      // Reliability finding 4: Chrome 121+ defaults to 'relaxed'; a save must survive a power cut.
      chromeTransactionDurability: 'strict',
      ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
      ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
    });
    this.now = options.now ?? (() => Date.now());
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.vault = new Vault(options.dataKey);
    this.practice = options.practice === true;
    this.idb = { ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}), ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}) };
    this.use(encryptionMiddleware(this.vault, this.plainCache));
    defineVersion1(this);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        // v1 had no record state and no device sequence on queued mutations: derive both.
        const meta = tx.table<MetaRow, string>('meta');
        const seqRow = await meta.get('deviceSeq');
        let deviceSeq = typeof seqRow?.value === 'number' ? seqRow.value : 0;
        const at = new Date(this.now()).toISOString();
        const states = new Map<string, RecordStateRow>();
        const outbox = tx.table<Record<string, unknown>, number>('outbox');
        await outbox.toCollection().modify((row) => {
          if (typeof row.deviceSeq !== 'number') row.deviceSeq = ++deviceSeq;
          if (typeof row.attempts !== 'number') row.attempts = 0;
          const entity = row.entity === 'listing' || row.entity === 'queryAnswer' ? row.entity : 'household';
          const entityId = String(row.entityId);
          const base = typeof row.baseVersion === 'number' ? row.baseVersion : 0;
          const prev = states.get(recordKey(entity, entityId));
          states.set(recordKey(entity, entityId), {
            key: recordKey(entity, entityId),
            entity,
            entityId,
            state: 'pending',
            version: base + 1,
            serverVersion: prev ? prev.serverVersion : base,
            updatedAt: at,
          });
        });
        await meta.put({ key: 'deviceSeq', value: deviceSeq });
        // toArray, not each(): value cursors cannot read encrypted rows (encryption.ts).
        for (const reg of await tx.table<RegistrationDraft, string>('registrations').toArray()) {
          const key = recordKey('household', reg.id);
          const queued = states.get(key);
          if (queued) queued.version = reg.version;
          else states.set(key, { key, entity: 'household', entityId: reg.id, state: 'synced', version: reg.version, serverVersion: reg.version, updatedAt: at });
        }
        await tx.table<RecordStateRow, string>('recordState').bulkPut([...states.values()]);
      });
    // Additive: no data moves.
    this.version(3).stores(SCHEMA_V3);
  }
}

/** Declares version 1 on a Dexie instance (also used by the upgrade test to write v1 data). */
export function defineVersion1(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
}

/** Opens (and creates or upgrades) the phone's database. */
export async function openDb(name = 'pucha', options: DbOptions = {}): Promise<PuchaDb> {
  const db = new PuchaDb(name, options);
  await db.open();
  await loadVault(db);
  return db;
}

/** Reads the vault record (wrapped keys only) into `db.vault`; a damaged record reads as none. */
export async function loadVault(db: PuchaDb): Promise<void> {
  const row = await db.meta.get('vault');
  const parsed = VaultRecordSchema.safeParse(row?.value);
  db.vault.loaded(parsed.success ? parsed.data : undefined);
}
