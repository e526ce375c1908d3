// Server ingest for bench/peer.ts: N simulated devices over loopback HTTP, each pushing its
// households 10 at a time, back to back (saturation), to Pucha's push endpoint or to the peer's
// CouchDB-protocol endpoints. Bodies are serialised before the clock starts.
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { generateDistrict, PushResponseSchema, type Registration } from '../../src/domain/index.ts';
import { deviceId, districtCode, token, userId } from '../server-lib/ingest-setup.ts';

export interface IngestResult {
  seconds: number;
  latencies: number[];
  persons: number;
  notApplied: number;
  cpuUs: number;
}

export function households(devices: number, perDevice: number): Registration[][] {
  const out: Registration[][] = [];
  for (let i = 0; i < devices; i++) out.push(generateDistrict({ seed: 1000 + i, code: districtCode(i), enumerators: [userId(i)], households: perDevice, registeredShare: 1 }).registrations);
  return out;
}

export function batches(regs: Registration[], size: number): Registration[][] {
  const out: Registration[][] = [];
  for (let k = 0; k < regs.length; k += size) out.push(regs.slice(k, k + size));
  return out;
}

export { cpuOf, startProcess, stopProcess } from '../server-lib/process.ts';
import { cpuOf } from '../server-lib/process.ts';

type Push = (device: number, batch: Registration[]) => Promise<number>;

/** Every device sends its batches back to back; the first batch of each is a warm-up (not timed). */
async function drive(child: ChildProcess, perDevice: Registration[][][], push: Push): Promise<IngestResult> {
  await Promise.all(perDevice.map(async (bs, i) => void (bs[0] && (await push(i, bs[0])))));
  const latencies: number[] = [];
  let notApplied = 0;
  let persons = 0;
  const c0 = await cpuOf(child);
  const t0 = performance.now();
  await Promise.all(
    perDevice.map(async (bs, i) => {
      for (const b of bs.slice(1)) {
        const t = performance.now();
        notApplied += await push(i, b);
        latencies.push(performance.now() - t);
        persons += b.reduce((n, r) => n + r.persons.length, 0);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, latencies, persons, notApplied, cpuUs: (await cpuOf(child)) - c0 };
}

/** Pucha: POST /api/v1/sync/push, one mutation per household, as the phone sends them. */
export async function puchaIngest(child: ChildProcess, url: string, perDevice: Registration[][][]): Promise<IngestResult> {
  const bodies = perDevice.map((bs, i) =>
    bs.map((regs) => JSON.stringify({ deviceId: deviceId(i), mutations: regs.map((r) => ({ id: randomUUID(), entity: 'household', entityId: r.id, baseVersion: 0, createdAt: r.updatedAt, data: r })), device: { pending: 0, appVersion: 'bench' } })),
  );
  return drive(child, perDevice, async (i, b) => {
    const k = perDevice[i]!.indexOf(b);
    const res = await fetch(`${url}/api/v1/sync/push`, { method: 'POST', headers: { authorization: `Bearer ${token(i)}`, 'content-type': 'application/json' }, body: bodies[i]![k]! });
    const parsed = PushResponseSchema.parse(await res.json());
    return parsed.results.filter((x) => x.status !== 'applied').length;
  });
}

const hex = () => randomUUID().replace(/-/g, '');

/**
 * The peer: what PouchDB's replicator sends per batch of a push replication: POST _revs_diff,
 * POST _bulk_docs with new_edits false, then its checkpoint PUT _local/<replication id>.
 */
export async function peerIngest(child: ChildProcess, url: string, perDevice: Registration[][][]): Promise<IngestResult> {
  const db = `${url}/db/ingest`;
  const json = { 'content-type': 'application/json' };
  if (!(await fetch(db, { method: 'PUT' })).ok) throw new Error('peer: create db');
  const docs = perDevice.map((bs) => bs.map((regs) => regs.map((r) => ({ ...r, _id: r.id, _rev: `1-${hex()}` }))));
  const bodies = docs.map((bs) => bs.map((ds) => ({ diff: JSON.stringify(Object.fromEntries(ds.map((d) => [d._id, [d._rev]]))), bulk: JSON.stringify({ docs: ds, new_edits: false }) })));
  const checkpoints = perDevice.map(() => ({ rev: undefined as string | undefined, seq: 0 }));
  return drive(child, perDevice, async (i, b) => {
    const k = perDevice[i]!.indexOf(b);
    const body = bodies[i]![k]!;
    const diff = (await (await fetch(`${db}/_revs_diff`, { method: 'POST', headers: json, body: body.diff })).json()) as Record<string, unknown>;
    if (Object.keys(diff).length !== b.length) throw new Error('peer: revs_diff');
    const res = await fetch(`${db}/_bulk_docs`, { method: 'POST', headers: json, body: body.bulk });
    if (res.status !== 201) throw new Error(`peer: _bulk_docs HTTP ${res.status}`);
    const written = (await res.json()) as unknown[];
    const cp = checkpoints[i]!;
    cp.seq += b.length;
    const put = await fetch(`${db}/_local/dev-${i}`, { method: 'PUT', headers: json, body: JSON.stringify({ _id: `_local/dev-${i}`, ...(cp.rev ? { _rev: cp.rev } : {}), last_seq: cp.seq, session_id: hex() }) });
    cp.rev = ((await put.json()) as { rev: string }).rev;
    // new_edits false answers [] when all went in; errors are listed
    return written.length;
  });
}
