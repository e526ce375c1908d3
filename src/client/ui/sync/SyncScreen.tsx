// Sync: queued items (each naming its household), last success, next attempt, the sync log in the
// user's language, "sync now", storage use and persistence, export of unsynced data to a file, and
// sign-out (refused while anything is unsynced).
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../../i18n/index.ts';
import { householdsOf, queueLines } from '../../db/outbox.ts';
import type { Entity } from '../../db/rows.ts';
import { LockSetting } from '../lock/LockScreens.tsx';
import { useServices, type StorageInfo } from '../services.ts';
import { formatBytes, formatTime } from '../format.ts';
import { useSyncStatus } from '../useSyncStatus.ts';
import { ExportPassForm } from './ExportPassForm.tsx';
import { SignOutPanel } from './SignOutPanel.tsx';
import { codeText, failureText, logText, recordText } from './sync-text.ts';

const QUEUE_SHOWN = 200;
const LOG_SHOWN = 50;

export function SyncScreen() {
  const { t, i18n } = useTranslation();
  const { db, sync, storage, exporter, saveFile, backgroundSync } = useServices();
  const status = useSyncStatus();
  const lng = i18n.language;
  const queue = useLiveQuery(() => queueLines(db, QUEUE_SHOWN), [db]);
  const queued = useLiveQuery(() => db.outbox.count(), [db]);
  const problems = useLiveQuery(async () => {
    const rows = await db.recordState.where('state').anyOf(['rejected', 'conflict']).toArray();
    return { rows, households: await householdsOf(db, rows) };
  }, [db]);
  const log = useLiveQuery(async () => {
    const rows = await db.syncLog.orderBy('id').reverse().limit(LOG_SHOWN).toArray();
    const refs = rows.flatMap((r) => (r.event === 'conflict' || r.event === 'rejected') && typeof r.data?.entityId === 'string' && typeof r.data.entity === 'string' ? [{ entity: r.data.entity as Entity, entityId: r.data.entityId }] : []);
    return { rows, households: await householdsOf(db, refs) };
  }, [db]);
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void storage.info().then((i) => live && setInfo(i));
    return () => {
      live = false;
    };
  }, [storage, queued]);

  const [askPass, setAskPass] = useState(false);
  // Both export buttons (this card's and the sign-out panel's) first ask for the file's password.
  function doExport(): Promise<void> {
    setAskPass(true);
    return Promise.resolve();
  }
  async function exportWith(passphrase: string) {
    const file = await exporter.exportUnsynced(passphrase);
    saveFile(file);
    setExported(file.filename);
    setAskPass(false);
  }

  const nextAt = status.nextAttemptAt !== undefined ? formatTime(status.nextAttemptAt, lng) : undefined;
  const phaseText = {
    idle: t('sync.idle'),
    syncing: t('sync.syncing'),
    offline: t('sync.offline'),
    serverBusy: nextAt ? t('syncStatus.serverBusy', { time: nextAt }) : t('syncStatus.serverBusySoon'),
    error: t('sync.error'),
    signedOut: t('sync.signInAgain'),
  }[status.phase];
  return (
    <main className="page stack sync-screen">
      <h1>{t('sync.title')}</h1>
      <section className="card stack" aria-labelledby="sync-status">
        <h2 id="sync-status" data-testid="sync-phase">
          {phaseText}
        </h2>
        {status.phase === 'serverBusy' ? (
          <p className="alert alert-warning" data-testid="sync-busy">
            {t('syncScreen.busy', { time: nextAt ?? '' })}
          </p>
        ) : (
          status.failure && (
            <p className="alert alert-error" data-testid="sync-failure" title={status.error}>
              {failureText(t, status.failure)}
            </p>
          )
        )}
        <p>{status.lastSuccessAt ? t('sync.lastSync', { when: formatTime(status.lastSuccessAt, lng) }) : t('sync.never')}</p>
        {nextAt !== undefined && status.phase !== 'serverBusy' && <p>{t('sync.nextAttempt', { when: nextAt })}</p>}
        <div className="row">
          <button type="button" className="btn btn-primary" disabled={status.phase === 'syncing'} onClick={() => void sync.syncNow()} data-testid="sync-now">
            {t('sync.syncNow')}
          </button>
          <button type="button" className="btn" onClick={() => void doExport()}>
            {t('sync.export')}
          </button>
        </div>
        {askPass && <ExportPassForm onExport={exportWith} onCancel={() => setAskPass(false)} />}
        {exported && <p className="alert alert-ok">{t('sync.exportDone', { name: exported })}</p>}
      </section>

      <section className="card" aria-labelledby="sync-queue">
        <h2 id="sync-queue">
          {t('sync.queue')} ({queued ?? 0})
        </h2>
        {backgroundSync === false && (queued ?? 0) > 0 && (
          <p className="alert alert-info" data-testid="no-background-sync">
            {t('sync.noBackgroundSync')}
          </p>
        )}
        {problems && problems.rows.length > 0 && (
          <ul className="list sync-list" data-testid="sync-problems">
            {problems.rows.map((p) => (
              <li key={p.key} className="list-item">
                <span className="badge badge-err">{p.state === 'conflict' ? t('syncScreen.conflict') : t('sync.rejected')}</span>
                <span className="main">
                  <span className="title">{recordText(t, p.entity, p.entityId, problems.households.get(p.key))}</span>
                  <span className="sub">
                    {t(`sync.entity.${p.entity}`)}
                    {codeText(t, p.error?.code) ? ` · ${codeText(t, p.error?.code) ?? ''}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
        {queue && queue.length === 0 ? (
          <p data-testid="queue-empty">{t('sync.queueEmpty')}</p>
        ) : (
          <ul className="list sync-list" data-testid="queue">
            {queue?.map((m) => (
              <li key={m.seq} className="list-item">
                <span className="main">
                  <span className="title">{recordText(t, m.entity, m.entityId, m.household)}</span>
                  <span className="sub">
                    {t(`sync.entity.${m.entity}`)} · {formatTime(m.createdAt, lng)}
                    {m.attempts > 0 ? ` · ${t('sync.attempts', { count: m.attempts })}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="sync-storage">
        <h2 id="sync-storage">{t('sync.storage')}</h2>
        <p>{info && info.usage === undefined ? t('sync.usageUnknown') : t('sync.usage', { used: formatBytes(info?.usage), quota: formatBytes(info?.quota) })}</p>
        <p className={info?.persisted ? '' : 'warning-text'}>{info?.persisted ? t('sync.persisted') : t('sync.notPersisted')}</p>
        {db.vault.hasPin() && <LockSetting />}
      </section>

      <section className="card" aria-labelledby="sync-log">
        <h2 id="sync-log">{t('sync.log')}</h2>
        {log && log.rows.length === 0 && <p>{t('sync.logEmpty')}</p>}
        <ul className="list sync-list sync-log" data-testid="sync-log">
          {log?.rows.map((l) => (
            <li key={l.id} className={`list-item${l.event === 'dataLoss' ? ' sync-log-alarm' : ''}`}>
              <span className="main">
                <span className="sub">{formatTime(l.at, lng)}</span>
                <span className="text">{logText(t, l, lng, log.households)}</span>
              </span>
            </li>
          ))}
        </ul>
      </section>

      <SignOutPanel queued={queued ?? 0} onExport={doExport} exported={exported !== null} />
    </main>
  );
}

