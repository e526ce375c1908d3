// One push, shared by POST /sync/push and the admin CLI's import-unsynced: prepare every
// mutation, then apply the batch in one store transaction.
import type { DeviceReport, MutationResult } from '../domain/index.ts';
import { HttpError } from './errors.ts';
import { prepareMutation } from './push-prepare.ts';
import { planPush, type PreparedMutation } from './push-plan.ts';
import type { Store } from './store/store.ts';

export interface PushInput {
  userId: string;
  deviceId: string;
  writeDistricts: ReadonlySet<string>;
  /** Districts reassigned away from the caller within the grace period. */
  graceDistricts?: ReadonlySet<string>;
  mutations: readonly unknown[];
  device?: DeviceReport;
  now: Date;
}

export async function runPush(store: Store, input: PushInput): Promise<MutationResult[]> {
  const prepared: PreparedMutation[] = [];
  const missing: { path: (string | number)[]; message: string }[] = [];
  input.mutations.forEach((raw, i) => {
    const p = prepareMutation(raw);
    if (p) prepared.push(p);
    else missing.push({ path: ['mutations', i, 'id'], message: 'a mutation needs a valid id' });
  });
  if (missing.length > 0) throw new HttpError(400, 'validation_failed', 'every mutation needs a valid id', missing.slice(0, 50));
  const at = input.now.toISOString();
  return store.applyPush(
    {
      userId: input.userId,
      deviceId: input.deviceId,
      keys: prepared.map((p) => ({ mutationId: p.id, entity: p.kind, entityId: p.entityId })),
      listingIds: prepared.flatMap((p) => (p.check.ok && p.check.kind === 'household' ? [p.check.reg.listingId] : [])),
      answerHouseholds: prepared.flatMap((p) => (p.check.ok && p.check.kind === 'query' && p.check.answer.kind === 'addedPerson' && p.check.answer.householdId !== undefined ? [p.check.answer.householdId] : [])),
      ...(input.device ? { device: input.device } : {}),
      receivedAt: at,
    },
    planPush(prepared, input.writeDistricts, at, input.graceDistricts, input.deviceId, input.userId),
  );
}
