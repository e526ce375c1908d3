// Sync: queued items, last success, next attempt, the sync log, "sync now", storage use and
// persistence, export of unsynced data to a file, and sign-out (refused while anything is unsynced).
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from '../../i18n/index.ts';
import { useServices, type StorageInfo } from '../services.ts';
import { formatBytes, formatTime } from '../format.ts';
import { useSyncStatus } from '../useSyncStatus.ts';
import { SignOutPanel } from './SignOutPanel.tsx';

export function SyncScreen() {
  const { t, i18n } = useTranslation();
  const { db, sync, storage, exporter, saveFile } = useServices();
  const status = useSyncStatus();
  const lng = i18n.language;
  const queue = useLiveQuery(() => db.outbox.orderBy('seq').limit(200).toArray(), [db]);
  const queued = useLiveQuery(() => db.outbox.count(), [db]);
  const problems = useLiveQuery(() => db.recordState.where('state').anyOf(['rejected', 'conflict']).toArray(), [db]);
  const log = useLiveQuery(() => db.syncLog.orderBy('id').reverse().limit(50).toArray(), [db]);
  const [info, setInfo] = useState<StorageInfo | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void storage.info().then((i) => live && setInfo(i));
    return () => {
      live = false;
    };
  }, [storage, queued]);

  async function doExport() {
    const file = await exporter.exportUnsynced();
    saveFile(file);
    setExported(file.filename);
  }

  const phaseText = { idle: t('sync.idle'), syncing: t('sync.syncing'), offline: t('sync.offline'), error: t('sync.error'), signedOut: t('sync.signInAgain') }[status.phase];
  return (
    <main className="page stack">
      <h1>{t('sync.title')}</h1>
      <section className="card stack" aria-labelledby="sync-status">
        <h2 id="sync-status">{phaseText}</h2>
        {status.error && <p className="alert alert-error">{status.error}</p>}
        <p>{status.lastSuccessAt ? t('sync.lastSync', { when: formatTime(status.lastSuccessAt, lng) }) : t('sync.never')}</p>
        {status.nextAttemptAt !== undefined && <p>{t('sync.nextAttempt', { when: formatTime(status.nextAttemptAt, lng) })}</p>}
        <div className="row">
          <button type="button" className="btn btn-primary" disabled={status.phase === 'syncing'} onClick={() => void sync.syncNow()} data-testid="sync-now">
            {t('sync.syncNow')}
          </button>
          <button type="button" className="btn" onClick={() => void doExport()}>
            {t('sync.export')}
          </button>
        </div>
        {exported && <p className="alert alert-ok">{t('sync.exportDone', { name: exported })}</p>}
      </section>

      <section className="card" aria-labelledby="sync-queue">
        <h2 id="sync-queue">
          {t('sync.queue')} ({queued ?? 0})
        </h2>
        {problems && problems.length > 0 && (
          <ul className="list">
            {problems.map((p) => (
              <li key={p.key} className="list-item">
                <span className="badge badge-err">{t('sync.rejected')}</span>
                <span className="main">
                  {t(`sync.entity.${p.entity}`)} · {p.error?.message ?? p.state}
                </span>
              </li>
            ))}
          </ul>
        )}
        {queue && queue.length === 0 ? (
          <p data-testid="queue-empty">{t('sync.queueEmpty')}</p>
        ) : (
          <ul className="list" data-testid="queue">
            {queue?.map((m) => (
              <li key={m.seq} className="list-item">
                <span className="main">
                  <span className="title">{t(`sync.entity.${m.entity}`)}</span>
                  <span className="sub">
                    {formatTime(m.createdAt, lng)} · {t('sync.attempts', { count: m.attempts })}
                    {m.lastError ? ` · ${m.lastError}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="sync-storage">
        <h2 id="sync-storage">{t('sync.storage')}</h2>
        <p>{t('sync.usage', { used: formatBytes(info?.usage), quota: formatBytes(info?.quota) })}</p>
        <p className={info?.persisted ? '' : 'warning-text'}>{info?.persisted ? t('sync.persisted') : t('sync.notPersisted')}</p>
      </section>

      <section className="card" aria-labelledby="sync-log">
        <h2 id="sync-log">{t('sync.log')}</h2>
        {log && log.length === 0 && <p>{t('sync.logEmpty')}</p>}
        <ul className="list">
          {log?.map((l) => (
            <li key={l.id} className="list-item">
              <span className="main">
                <span className="sub">
                  {formatTime(l.at, lng)} · {l.event}
                </span>
                <span>{l.message}</span>
              </span>
            </li>
          ))}
        </ul>
      </section>

      <SignOutPanel queued={queued ?? 0} onExport={doExport} exported={exported !== null} />
    </main>
  );
}
