// R9's invariants over a store read back after a crash (see ../crash-save.test.ts).
import type { Ack, Snapshot } from './api.ts';

/** Every violation of R9's invariants in a store read back after a crash, given the saves acknowledged so far (in order). */
export function violations(snap: Snapshot, acks: readonly Ack[]): string[] {
  const out: string[] = [];
  const regs = new Map(snap.registrations.map((r) => [r.id, r.version]));
  const bySeqId = new Map(snap.outbox.map((o) => [o.id, o]));
  const household = snap.outbox.filter((o) => o.entity === 'household');

  // (a) acknowledged => present, at >= that version, with its own outbox entry.
  for (const a of acks) {
    const v = regs.get(a.id);
    if (v === undefined) out.push(`acked save ${a.round}/${a.n} of ${a.id} v${a.version}: registration missing`);
    else if (v < a.version) out.push(`acked save ${a.round}/${a.n} of ${a.id} v${a.version}: registration only at v${v}`);
    const o = bySeqId.get(a.mutationId);
    if (!o) out.push(`acked save ${a.round}/${a.n} of ${a.id} v${a.version}: outbox entry ${a.mutationId} missing`);
    else if (o.entity !== 'household' || o.entityId !== a.id || o.baseVersion !== a.version - 1 || o.dataVersion !== a.version || o.dataId !== a.id)
      out.push(`acked save ${a.round}/${a.n}: outbox entry ${a.mutationId} is ${JSON.stringify(o)}, expected ${a.id} v${a.version}`);
  }

  // (b) ST1, both or neither: a registration at version v has exactly the entries of versions 1..v
  // (baseVersion 0..v-1, in seq order, payload = that version); no entry for a record not stored.
  const entries = new Map<string, typeof household>();
  for (const o of household) entries.set(o.entityId, [...(entries.get(o.entityId) ?? []), o]);
  for (const [id, v] of regs) {
    const bases = (entries.get(id) ?? []).map((o) => o.baseVersion);
    const want = Array.from({ length: v }, (_, k) => k);
    if (JSON.stringify(bases) !== JSON.stringify(want)) out.push(`${id} at v${v} has outbox baseVersions [${bases.join(',')}], expected [${want.join(',')}]`);
  }
  for (const o of household) {
    if (!regs.has(o.entityId)) out.push(`outbox entry seq ${o.seq} (${o.entityId} v${o.baseVersion + 1}) without its registration`);
    if (o.dataVersion !== o.baseVersion + 1 || o.dataId !== o.entityId) out.push(`outbox entry seq ${o.seq} carries ${String(o.dataId)} v${String(o.dataVersion)}, expected ${o.entityId} v${o.baseVersion + 1}`);
  }
  if (snap.outbox.length !== household.length) out.push(`unexpected non-household outbox entries: ${JSON.stringify(snap.outbox.filter((o) => o.entity !== 'household'))}`);
  // The record state is written in the same transaction: it agrees with the registration.
  const states = new Map(snap.recordState.map((s) => [s.key, s]));
  for (const [id, v] of regs) {
    const s = states.get(`household:${id}`);
    if (!s || s.version !== v || s.state !== 'pending') out.push(`recordState of ${id} is ${JSON.stringify(s)}, expected pending v${v}`);
  }
  for (const s of snap.recordState) if (s.entity === 'household' && !regs.has(s.entityId)) out.push(`recordState ${s.key} without its registration`);

  // (c) seq order is save order: acknowledged saves have increasing seqs, and device sequence
  // numbers follow seq with the meta high-water mark at the last one.
  let last = 0;
  for (const a of acks) {
    const seq = bySeqId.get(a.mutationId)?.seq;
    if (seq === undefined) continue;
    if (seq <= last) out.push(`acked save ${a.round}/${a.n} has seq ${seq} after seq ${last}`);
    last = seq;
  }
  snap.outbox.forEach((o, i) => {
    const prev = snap.outbox[i - 1];
    if (prev && (o.seq <= prev.seq || o.deviceSeq <= prev.deviceSeq)) out.push(`outbox seq ${o.seq} (deviceSeq ${o.deviceSeq}) follows seq ${prev.seq} (deviceSeq ${prev.deviceSeq})`);
  });
  const maxDeviceSeq = snap.outbox.reduce((m, o) => Math.max(m, o.deviceSeq), 0);
  if (snap.deviceSeq !== maxDeviceSeq) out.push(`meta deviceSeq ${snap.deviceSeq}, highest outbox deviceSeq ${maxDeviceSeq}`);
  return out;
}
