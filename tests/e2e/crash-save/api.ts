// The contract between the R9 fixture page (page.ts, built with Vite and run in Chromium) and the
// test (../crash-save.test.ts): what the page exposes on window and the lines it logs.

/** Prefix of the console line the page writes the moment a save resolved to the caller. */
export const ACK = 'R9-ACK ';
/** Prefix of the console line for anything unexpected in the page (a failed save, a throw). */
export const FAIL = 'R9-FAIL ';

export interface Ack {
  round: number;
  /** Save number within the round, from 0. */
  n: number;
  id: string;
  version: number;
  mutationId: string;
}

export interface Snapshot {
  registrations: { id: string; version: number }[];
  /** Every outbox row (parsed with OutboxRowSchema), in seq order. */
  outbox: { seq: number; id: string; entity: string; entityId: string; baseVersion: number; deviceSeq: number; dataId: unknown; dataVersion: unknown }[];
  recordState: { key: string; entity: string; entityId: string; state: string; version: number }[];
  deviceSeq: number;
}

export interface CrashApi {
  /** Writes the generated district and its listing (fixture data, no outbox). */
  setup(): Promise<{ households: number }>;
  /** Saves households one after another, forever (until the browser dies), logging an ACK line per save. */
  run(round: number, seed: number): Promise<never>;
  /** Reads the whole store back. */
  inspect(): Promise<Snapshot>;
}

export const DISTRICT_CODE = '130102003003001';
export const HOUSEHOLDS = 24;
export const DISTRICT_SEED = 9;
