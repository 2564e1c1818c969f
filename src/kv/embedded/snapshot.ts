import { open, rename, unlink } from 'node:fs/promises';
import { syncDir, writeAll } from '../../util/fs.js';
import type { KeyValue } from '../kv.js';
import { StoreCorruptedError } from './errors.js';
import { snapshotPath } from './files.js';
import { encodeFrames, scanFrames } from './frames.js';

export interface SnapshotData {
  /** First log segment not contained in the snapshot: replay starts there. */
  seq: number;
  revision: number;
  /** Explicitly requested compaction (`compact()`), kept so it survives the log that recorded it. */
  compactRevision: number;
  leases: { id: string; ttlSeconds: number }[];
  /** Sorted by key. */
  kvs: readonly KeyValue[];
}

const FORMAT = 1;
const KVS_PER_FRAME = 1000;

/** [key, value, createRevision, modRevision, version, lease?]: compact, since snapshots hold everything. */
type KvTuple = [string, string, number, number, number, string?];

type SnapshotFrame =
  | {
      t: 'header';
      format: number;
      seq: number;
      revision: number;
      compactRevision: number;
      leases: SnapshotData['leases'];
    }
  | { t: 'kvs'; kvs: KvTuple[] }
  | { t: 'end'; count: number };

/**
 * Writes the snapshot to a temporary file, syncs it and renames it into place, so a crash leaves
 * either the complete new snapshot or none. Yields between chunks so a large store does not stall
 * the event loop.
 */
export async function writeSnapshot(dir: string, data: SnapshotData): Promise<void> {
  const finalPath = snapshotPath(dir, data.seq);
  const tempPath = `${finalPath}.tmp`;
  const handle = await open(tempPath, 'w');
  try {
    const { seq, revision, compactRevision, leases } = data;
    await writeFrames(handle, [{ t: 'header', format: FORMAT, seq, revision, compactRevision, leases }]);
    for (let i = 0; i < data.kvs.length; i += KVS_PER_FRAME) {
      const kvs = data.kvs.slice(i, i + KVS_PER_FRAME).map(toTuple);
      await writeFrames(handle, [{ t: 'kvs', kvs }]);
    }
    await writeFrames(handle, [{ t: 'end', count: data.kvs.length }]);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(tempPath, finalPath);
  await syncDir(dir);
}

export async function readSnapshot(dir: string, seq: number): Promise<SnapshotData> {
  const path = snapshotPath(dir, seq);
  const frames: SnapshotFrame[] = [];
  const handle = await open(path, 'r');
  let scan: Awaited<ReturnType<typeof scanFrames>>;
  try {
    scan = await scanFrames(handle, (payload) => frames.push(parseFrame(payload, path)));
  } finally {
    await handle.close();
  }
  if (scan.damage) {
    throw new StoreCorruptedError(
      `snapshot ${path} is damaged at byte ${scan.damage.offset}: ${scan.damage.reason}`,
    );
  }
  return assemble(frames, path, seq);
}

function assemble(frames: SnapshotFrame[], path: string, seq: number): SnapshotData {
  const header = frames[0];
  const end = frames[frames.length - 1];
  if (header?.t !== 'header' || header.format !== FORMAT || header.seq !== seq) {
    throw new StoreCorruptedError(`snapshot ${path} has no valid header`);
  }
  const kvs: KeyValue[] = [];
  for (const frame of frames.slice(1, -1)) {
    if (frame.t !== 'kvs')
      throw new StoreCorruptedError(`snapshot ${path} has an unexpected ${frame.t} frame`);
    for (const tuple of frame.kvs) kvs.push(fromTuple(tuple));
  }
  if (end?.t !== 'end' || end.count !== kvs.length) {
    throw new StoreCorruptedError(`snapshot ${path} is incomplete`);
  }
  const { revision, compactRevision, leases } = header;
  return { seq, revision, compactRevision, leases, kvs };
}

async function writeFrames(handle: Awaited<ReturnType<typeof open>>, frames: SnapshotFrame[]): Promise<void> {
  await writeAll(handle, encodeFrames(frames.map((f) => Buffer.from(JSON.stringify(f), 'utf8'))));
}

function parseFrame(payload: Buffer, path: string): SnapshotFrame {
  try {
    return JSON.parse(payload.toString('utf8')) as SnapshotFrame;
  } catch (err) {
    throw new StoreCorruptedError(`snapshot ${path} holds a frame that is not JSON`, { cause: err });
  }
}

function toTuple(kv: KeyValue): KvTuple {
  const tuple: KvTuple = [kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version];
  if (kv.lease !== undefined) tuple.push(kv.lease);
  return tuple;
}

function fromTuple([key, value, createRevision, modRevision, version, lease]: KvTuple): KeyValue {
  const kv: KeyValue = { key, value, createRevision, modRevision, version };
  if (lease !== undefined) kv.lease = lease;
  return kv;
}
