import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * Log and snapshot files are sequences of frames:
 *   u32 magic | u32 payload length | u32 crc32(length bytes + payload) | payload
 * (little endian). The checksum covers the length so a damaged length field is caught instead of
 * silently swallowing the rest of the file as a "torn" record.
 */
const MAGIC = 0x3153_4853; // "SHS1" read as little-endian bytes
const HEADER_BYTES = 12;
/** Larger lengths can only come from damage; no record comes close. */
const MAX_PAYLOAD_BYTES = 1 << 30;
const READ_CHUNK_BYTES = 1 << 20;

export function encodeFrames(payloads: readonly Buffer[]): Buffer {
  let total = 0;
  for (const p of payloads) total += HEADER_BYTES + p.length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const payload of payloads) {
    out.writeUInt32LE(MAGIC, at);
    out.writeUInt32LE(payload.length, at + 4);
    out.writeUInt32LE(crc32(payload, crc32(out.subarray(at + 4, at + 8))), at + 8);
    payload.copy(out, at + HEADER_BYTES);
    at += HEADER_BYTES + payload.length;
  }
  return out;
}

/** Where and why reading stopped early. */
export interface FrameDamage {
  offset: number;
  reason: string;
  /**
   * True when the damage can only be an interrupted final append: an incomplete last frame, or a
   * bad frame followed by nothing but zeros (file systems may extend a file before its data lands).
   * Anything else is corruption in the middle of the file.
   */
  torn: boolean;
}

export interface FrameScan {
  /** Bytes of intact frames from the start of the file. */
  validBytes: number;
  damage?: FrameDamage;
}

/** Reads frames in order, handing each intact payload to `onFrame`; stops at the first damage. */
export async function scanFrames(handle: FileHandle, onFrame: (payload: Buffer) => void): Promise<FrameScan> {
  const size = (await handle.stat()).size;
  const reader = new ChunkReader(handle, size);
  let offset = 0;
  while (offset < size) {
    const damage = await readFrame(reader, offset, size, onFrame);
    if (damage) return { validBytes: offset, damage };
    offset = reader.offset;
  }
  return { validBytes: offset };
}

async function readFrame(
  reader: ChunkReader,
  offset: number,
  size: number,
  onFrame: (payload: Buffer) => void,
): Promise<FrameDamage | undefined> {
  const header = await reader.read(HEADER_BYTES);
  if (!header) return { offset, reason: 'incomplete frame header at end of file', torn: true };
  const damaged = async (reason: string, endOfFrame: number): Promise<FrameDamage> => ({
    offset,
    reason,
    torn: endOfFrame >= size || (await zerosFrom(reader, endOfFrame, size)),
  });
  if (header.readUInt32LE(0) !== MAGIC) return damaged('bad frame magic', offset);
  const length = header.readUInt32LE(4);
  if (length > MAX_PAYLOAD_BYTES) return damaged(`frame length ${length} out of range`, offset);
  const payload = await reader.read(length);
  if (!payload) return { offset, reason: 'incomplete frame at end of file', torn: true };
  if (crc32(payload, crc32(header.subarray(4, 8))) !== header.readUInt32LE(8)) {
    return damaged('frame checksum mismatch', offset + HEADER_BYTES + length);
  }
  onFrame(payload);
  return undefined;
}

async function zerosFrom(reader: ChunkReader, from: number, size: number): Promise<boolean> {
  const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  for (let at = from; at < size; ) {
    const { bytesRead } = await reader.handle.read(buf, 0, Math.min(buf.length, size - at), at);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0) return false;
    at += bytesRead;
  }
  return true;
}

/** Sequential reads through a buffer, so small frames do not cost a system call each. */
class ChunkReader {
  offset = 0;
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;

  constructor(
    readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  /** The next `n` bytes, or undefined when the file ends first. */
  async read(n: number): Promise<Buffer | undefined> {
    if (this.offset + n > this.size) return undefined;
    const start = this.offset - this.bufferStart;
    if (start + n > this.buffer.length) await this.fill(n);
    const at = this.offset - this.bufferStart;
    const out = this.buffer.subarray(at, at + n);
    this.offset += n;
    return out;
  }

  private async fill(n: number): Promise<void> {
    const want = Math.min(Math.max(n, READ_CHUNK_BYTES), this.size - this.offset);
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.handle.read(buf, got, want - got, this.offset + got);
      if (bytesRead === 0) throw new Error(`file shrank while reading at ${this.offset + got}`);
      got += bytesRead;
    }
    this.buffer = buf;
    this.bufferStart = this.offset;
  }
}
