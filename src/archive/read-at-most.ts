import type { Readable } from 'node:stream';

/**
 * All of the stream's bytes, or undefined as soon as there are more than `limit` of them; either way
 * the stream is destroyed, so no more is read than one chunk past the limit.
 */
export async function readAtMost(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > limit) return undefined;
      chunks.push(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}
