import { open } from 'node:fs/promises';
import type { KvLogger } from '../kv-logger.js';
import { StoreCorruptedError } from './errors.js';
import { listDataDir, walPath } from './files.js';
import { scanFrames } from './frames.js';
import { History } from './history.js';
import { Journal, type JournalOptions, removeBefore } from './journal.js';
import { KvState } from './kv-state.js';
import { decodeRecord, type LogRecord } from './records.js';
import { readSnapshot } from './snapshot.js';

export interface Recovered {
  state: KvState;
  history: History;
  /** Highest revision passed to `compact()`, persisted across snapshots. */
  compactRevision: number;
  /** Log segment to continue, and how many of its bytes are intact. */
  seq: number;
  validBytes: number;
  /** Bytes a restart would replay; drives the next snapshot. */
  logBytes: number;
}

/** The state on disk, read into memory, and the journal that continues it. */
export interface Loaded {
  state: KvState;
  history: History;
  journal: Journal;
  compactRevision: number;
}

export async function load(journalOptions: JournalOptions, historyLimit: number): Promise<Loaded> {
  const recovered = await recover(journalOptions.dir, historyLimit, journalOptions.logger);
  const { seq, validBytes, logBytes } = recovered;
  const journal = await Journal.open(journalOptions, seq, validBytes, logBytes);
  return { ...recovered, journal };
}

/**
 * Rebuilds the store from the newest snapshot plus the log segments after it. The history of the
 * replayed segments is kept, so watches can resume across a restart from any revision after the
 * snapshot. Only the last segment may end in a torn record (an append cut short by a crash, never
 * acknowledged); damage anywhere else refuses to start.
 */
export async function recover(dir: string, historyLimit: number, logger: KvLogger): Promise<Recovered> {
  const listing = await listDataDir(dir);
  const state = new KvState();
  const snapshotSeq = listing.snapshotSeqs[listing.snapshotSeqs.length - 1];
  let compactRevision = 0;
  if (snapshotSeq !== undefined) {
    const snapshot = await readSnapshot(dir, snapshotSeq);
    state.load(snapshot.revision, snapshot.kvs, snapshot.leases);
    compactRevision = snapshot.compactRevision;
  }
  const baseSeq = snapshotSeq ?? 1;
  const history = new History(historyLimit, state.revision + 1);
  history.compact(compactRevision);

  const segments = listing.walSeqs.filter((s) => s >= baseSeq);
  segments.forEach((seq, i) => {
    if (seq !== baseSeq + i)
      throw new StoreCorruptedError(`log segment ${walPath(dir, baseSeq + i)} is missing`);
  });
  const replay = new Replay(state, history, compactRevision);
  let validBytes = 0;
  let logBytes = 0;
  for (const [i, seq] of segments.entries()) {
    validBytes = await replaySegment(dir, seq, i === segments.length - 1, replay, logger);
    logBytes += validBytes;
  }
  await removeBefore(dir, listing, baseSeq);
  const seq = segments[segments.length - 1] ?? baseSeq;
  return { state, history, compactRevision: replay.compactRevision, seq, validBytes, logBytes };
}

async function replaySegment(
  dir: string,
  seq: number,
  isLast: boolean,
  replay: Replay,
  logger: KvLogger,
): Promise<number> {
  const path = walPath(dir, seq);
  const handle = await open(path, 'r');
  let index = 0;
  let scan: Awaited<ReturnType<typeof scanFrames>>;
  try {
    scan = await scanFrames(handle, (payload) =>
      replay.apply(decodeRecord(payload, `${path} record ${index++}`)),
    );
  } finally {
    await handle.close();
  }
  const { damage } = scan;
  if (!damage) return scan.validBytes;
  if (!isLast || !damage.torn) {
    throw new StoreCorruptedError(
      `log ${path} is corrupt at byte ${damage.offset} (${damage.reason}); refusing to start. ` +
        'Restore the data directory from a backup, or move this file away to accept losing its later writes.',
    );
  }
  logger.warn(
    { path, offset: damage.offset, reason: damage.reason },
    'embedded kv: dropping a torn record at the end of the log (a write interrupted by a crash, never acknowledged)',
  );
  return scan.validBytes;
}

class Replay {
  constructor(
    private readonly state: KvState,
    private readonly history: History,
    public compactRevision: number,
  ) {}

  apply(record: LogRecord): void {
    switch (record.t) {
      case 'txn': {
        const events = this.state.applyChanges(record.changes, record.rev);
        if (record.revokedLease !== undefined) this.state.leases.delete(record.revokedLease);
        this.history.append({ revision: record.rev, events });
        break;
      }
      case 'grant':
        this.state.leases.set(record.lease, { id: record.lease, ttlSeconds: record.ttl, keys: new Set() });
        break;
      case 'revoke':
        this.state.leases.delete(record.lease);
        break;
      case 'compact':
        this.compactRevision = Math.max(this.compactRevision, record.rev);
        this.history.compact(record.rev);
        break;
    }
  }
}
