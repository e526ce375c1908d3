// The sync engine's status as React state, plus the live count of queued mutations.
import { useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices, type SyncStatus } from './services.ts';

export function useSyncStatus(): SyncStatus {
  const { sync } = useServices();
  return useSyncExternalStore(sync.subscribe, sync.getStatus, sync.getStatus);
}

/** Queued mutations on this phone (undefined while loading). */
export function useQueuedCount(): number | undefined {
  const { db } = useServices();
  return useLiveQuery(() => db.outbox.count(), [db]);
}
