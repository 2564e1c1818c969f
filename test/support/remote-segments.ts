import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clientFor } from './sdp-sim.js';
import type { SegmentApp } from './segment-app.js';
import { tempDir } from './temp.js';

/**
 * Creates a segment on the deployment platform directly, as another client of SDP would: `header`
 * says which name and version SDP records, whatever the archive's `segment.json` says.
 */
export async function createOnPlatform(
  app: SegmentApp,
  bytes: Buffer,
  header: { name: string; version: string },
) {
  const temp = await tempDir('remote-segment');
  const client = clientFor(app.sim.sim, 'DEPLOY_PLATFORM');
  try {
    const file = path.join(temp.dir, 'segment.zip');
    await writeFile(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { segment } = await client.createSegment(
      {
        ...header,
        format: 'ZIP',
        fileName: `${header.name}.zip`,
        size: bytes.length,
        sha256,
        idempotencyKey: `test-${header.name}-${header.version}-${sha256.slice(0, 8)}`,
      },
      file,
    );
    return segment;
  } finally {
    client.close();
    await temp.remove();
  }
}

/** Replaces the platform's bytes of `uid` with as many other bytes: its listed hash is now a lie. */
export async function corruptOnPlatform(app: SegmentApp, uid: string): Promise<void> {
  const platform = app.sim.sim.platform('DEPLOY_PLATFORM');
  const segment = platform.segments.get(uid);
  if (!segment) throw new Error(`no segment ${uid} on the platform`);
  await writeFile(platform.segments.filePath(uid), Buffer.alloc(segment.size, 0x5a));
}
