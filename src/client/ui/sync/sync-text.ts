// The one place that words sync state for the user: failures, the structured sync log entries
// (db/rows.ts SyncLogData: an event and its numbers) and the records a queue line is about, in
// the UI's language. Nothing the engine or the server wrote in English reaches the screen.
import type { TFunction } from '../../i18n/index.ts';
import { ERROR_CODES, type ErrorCode } from '../../../domain/index.ts';
import type { HouseholdRef } from '../../db/outbox.ts';
import type { Entity, SyncFailureData, SyncLogRow } from '../../db/rows.ts';
import type { SyncFailure } from '../services.ts';
import { formatTime } from '../format.ts';

type T = TFunction<'app'>;
const FAILURES = ['network', 'http', 'invalid_response', 'storageFull', 'tooLarge', 'internal'] as const;
const ENTITIES = ['household', 'listing', 'queryAnswer'] as const;

const isCode = (c: unknown): c is ErrorCode => typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);
const isFailure = (k: unknown): k is SyncFailure['kind'] => typeof k === 'string' && (FAILURES as readonly string[]).includes(k);
const isEntity = (e: unknown): e is Entity => typeof e === 'string' && (ENTITIES as readonly string[]).includes(e);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The server's error code in words (undefined for a code this version does not know). */
export function codeText(t: T, code: unknown): string | undefined {
  return isCode(code) ? t(`syncScreen.code.${code}`) : undefined;
}

/** The alert on the sync screen for the last failure. */
export function failureText(t: T, f: SyncFailure): string {
  if (f.kind === 'http' && f.status !== undefined && f.status < 500 && f.status !== 408 && f.status !== 429) {
    return t('syncScreen.failure.httpRefused', { status: f.status, code: codeText(t, f.code) ?? '' });
  }
  return t(`syncScreen.failure.${f.kind}`, { status: f.status ?? '' });
}

/** A failure in a few words (a log line). */
export function reasonText(t: T, f: { [K in keyof SyncFailureData]?: unknown }): string {
  const code = codeText(t, f.code);
  const status = typeof f.status === 'number' ? f.status : '';
  if (f.failure === 'http' && code) return `${code} (${status})`;
  return isFailure(f.failure) ? t(`syncScreen.reason.${f.failure}`, { status }) : '';
}

/**
 * What a record is to the enumerator: household number and head of household from the listing
 * entry, else the kind of record and the start of its id.
 */
export function recordText(t: T, entity: Entity, entityId: string, household: HouseholdRef | undefined): string {
  if (household) return t('syncScreen.household', { no: household.householdNo, name: household.headName });
  return t('syncScreen.unknown', { entity: t(`sync.entity.${entity}`), id: entityId.slice(0, 8) });
}

/** One sync log entry in words. */
export function logText(t: T, row: SyncLogRow, lng: string, households?: ReadonlyMap<string, HouseholdRef>): string {
  const d = row.data ?? {};
  // Entries of earlier versions carry free text only.
  if (row.data === undefined && row.message !== undefined) return row.message;
  const what = () => {
    const entity = isEntity(d.entity) ? d.entity : 'household';
    return recordText(t, entity, str(d.entityId), households?.get(`${entity}:${str(d.entityId)}`));
  };
  switch (row.event) {
    case 'start':
      return d.user === undefined ? t('syncScreen.log.start') : t('syncScreen.log.startUser', { user: str(d.user) });
    case 'signedIn':
      return t('syncScreen.log.signedIn', { user: str(d.user) });
    case 'handover':
      return t('syncScreen.log.handover');
    case 'signedOut':
      return d.reason === 'refused' ? t('syncScreen.log.signedOutRefused') : t('syncScreen.log.signedOutUser');
    case 'push':
      return t('syncScreen.log.push', { sent: num(d.sent), applied: num(d.applied), duplicate: num(d.duplicate), conflict: num(d.conflict), rejected: num(d.rejected) });
    case 'conflict':
      return t('syncScreen.log.conflict', { what: what() });
    case 'rejected':
      return t('syncScreen.log.rejected', { what: what(), reason: codeText(t, d.code) ?? '' });
    case 'batchHalved':
      return t('syncScreen.log.batchHalved', { size: num(d.size) });
    case 'pull':
      return t('syncScreen.log.pull', { applied: num(d.applied) });
    case 'pullDropped':
      return t('syncScreen.log.pullDropped');
    case 'pullInvalid':
      return t('syncScreen.log.pullInvalid', { count: num(d.count) });
    case 'retry':
      return t('syncScreen.log.retry', { reason: reasonText(t, d), delay: num(d.delaySec) });
    case 'serverBusy':
      return t('syncScreen.log.serverBusy', { time: formatTime(num(d.nextAt), lng) });
    case 'error':
      return t('syncScreen.log.error', { reason: reasonText(t, d) });
    case 'success':
      return t('syncScreen.log.success', { acknowledged: num(d.acknowledged), pulled: num(d.pulled) });
    case 'dataLoss':
      return d.kind === 'otherDevice'
        ? t('syncScreen.log.dataLossOther', { device: str(d.device).slice(0, 8), pending: num(d.pending) })
        : t('syncScreen.log.dataLossSame', { serverSeq: num(d.serverSeq), localSeq: num(d.localSeq), missing: num(d.missing) });
    case 'localReset':
      return t('syncScreen.log.localReset', { serverSeq: num(d.serverSeq) });
    case 'offline':
      return t('syncScreen.log.offline');
    case 'import':
      return t('syncScreen.log.import');
  }
}
