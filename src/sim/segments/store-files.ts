import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentFormat } from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { readJson } from '../json-file.js';
import { SegmentIndex } from './segment-index.js';
import { formatName } from './segment-rules.js';

export interface StoreLayout {
  dir: string;
  /** Complete segment files, named by uid. */
  files: string;
  /** Uploads in progress; nothing here survives a restart. */
  incoming: string;
  index: string;
  file(uid: string): string;
}

const INDEX_FILE = 'segments.json';

export function storeLayout(dir: string): StoreLayout {
  const files = path.join(dir, 'files');
  return {
    dir,
    files,
    incoming: path.join(dir, 'incoming'),
    index: path.join(dir, INDEX_FILE),
    file: (uid) => path.join(files, uid),
  };
}

/** The saved index, or an empty one on first start; refuses a directory kept for the other platform. */
export async function loadIndex(layout: StoreLayout, format: SegmentFormat): Promise<SegmentIndex> {
  const saved = await readJson(layout.index);
  if (saved === undefined) return new SegmentIndex(format);
  const index = SegmentIndex.fromJSON(saved);
  if (index.format !== format) {
    throw new Error(
      `${layout.index} holds ${formatName(index.format)} segments; this platform accepts ${formatName(format)}`,
    );
  }
  return index;
}

/**
 * Removes what a crash can leave behind, so it never accumulates: partial uploads, index temp files,
 * and segment files the index does not know (renamed into place, or deleted from the index, just
 * before the crash). Returns how many entries went.
 */
export async function sweepJunk(layout: StoreLayout, index: SegmentIndex): Promise<number> {
  await mkdir(layout.files, { recursive: true });
  await mkdir(layout.incoming, { recursive: true });
  const junk = [
    ...(await readdir(layout.incoming)).map((name) => path.join(layout.incoming, name)),
    ...(await readdir(layout.files)).filter((uid) => !index.get(uid)).map(layout.file),
    ...(await readdir(layout.dir))
      .filter((name) => name.startsWith(`${INDEX_FILE}.`) && name.endsWith('.tmp'))
      .map((name) => path.join(layout.dir, name)),
  ];
  await Promise.all(junk.map((entry) => rm(entry, { recursive: true, force: true })));
  return junk.length;
}
