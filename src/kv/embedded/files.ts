import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Layout of the data directory:
 *   LOCK                     owner of the directory (pid)
 *   wal-<seq>.log            log segments, appended in order of seq
 *   snapshot-<seq>.snap      the state before segment <seq>: replay starts at wal-<seq>.log
 *   *.tmp                    snapshots being written; ignored and removed on start
 */
const SEQ_DIGITS = 12;

export const walPath = (dir: string, seq: number): string => join(dir, `wal-${pad(seq)}.log`);
export const snapshotPath = (dir: string, seq: number): string => join(dir, `snapshot-${pad(seq)}.snap`);

export interface DirListing {
  walSeqs: number[];
  snapshotSeqs: number[];
  tempFiles: string[];
}

export async function listDataDir(dir: string): Promise<DirListing> {
  const listing: DirListing = { walSeqs: [], snapshotSeqs: [], tempFiles: [] };
  for (const name of await readdir(dir)) {
    const wal = /^wal-(\d+)\.log$/.exec(name);
    const snap = /^snapshot-(\d+)\.snap$/.exec(name);
    if (wal) listing.walSeqs.push(Number(wal[1]));
    else if (snap) listing.snapshotSeqs.push(Number(snap[1]));
    else if (name.endsWith('.tmp')) listing.tempFiles.push(join(dir, name));
  }
  listing.walSeqs.sort((a, b) => a - b);
  listing.snapshotSeqs.sort((a, b) => a - b);
  return listing;
}

function pad(seq: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0');
}
