import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { type ClientWritableStream, credentials, Server, type ServiceError, status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CreateSegmentHeader,
  type CreateSegmentRequest,
  type CreateSegmentResponse,
  type Segment,
  SegmentFormat,
  SegmentServiceClient,
  SegmentServiceService,
} from '../../src/sdp/generated/seghub/sdp/v1/segments.js';
import { bindServer } from '../../src/sim/grpc-server.js';
import { createSegmentService } from '../../src/sim/segments/segment-service.js';
import { SegmentStore } from '../../src/sim/segments/segment-store.js';
import { failedPrecondition } from '../../src/sim/status.js';
import { headerFor, sha256 } from '../support/fixtures/sim-fixtures.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const MIB = 1024 * 1024;
const ZIP = SegmentFormat.SEGMENT_FORMAT_ZIP;

/** Writes one message, waiting when the client's send buffer is full (as a real uploader must). */
async function send(call: ClientWritableStream<CreateSegmentRequest>, message: CreateSegmentRequest) {
  if (!call.write(message)) await once(call, 'drain');
}

describe('SegmentService over gRPC', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let store: SegmentStore;
  let server: Server;
  let client: SegmentServiceClient;
  const installed = new Set<string>();
  const deleted: string[] = [];

  beforeEach(async () => {
    ({ dir, remove } = await tempDir('sim-segment-service'));
    store = await SegmentStore.open({ dir, format: ZIP, logger });
    installed.clear();
    deleted.length = 0;
    server = new Server();
    server.addService(
      SegmentServiceService,
      createSegmentService(store, {
        logger,
        canDelete: (uid) => {
          if (installed.has(uid)) throw failedPrecondition(`segment ${uid} is installed`);
        },
        onDeleted: (uid) => deleted.push(uid),
      }),
    );
    const port = await bindServer(server, '127.0.0.1', 0);
    client = new SegmentServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterEach(async () => {
    client.close();
    server.forceShutdown();
    await store.close();
    await remove();
  });

  const files = () => readdir(path.join(dir, 'files'));
  const incoming = () => readdir(path.join(dir, 'incoming'));

  /** Starts a CreateSegment call; the response settles when the server answers. */
  function startCreate() {
    let call!: ClientWritableStream<CreateSegmentRequest>;
    const response = new Promise<CreateSegmentResponse>((resolve, reject) => {
      call = client.createSegment((err, res) => (err ? reject(err) : resolve(res)));
    });
    response.catch(() => {}); // awaited by the test; keeps an early rejection from going unhandled
    return { call, response };
  }

  async function upload(header: CreateSegmentHeader, data: Buffer, chunkBytes = MIB) {
    const { call, response } = startCreate();
    await send(call, { payload: { $case: 'header', value: header } });
    for (let at = 0; at < data.length; at += chunkBytes) {
      await send(call, { payload: { $case: 'chunk', value: data.subarray(at, at + chunkBytes) } });
    }
    call.end();
    return response;
  }

  async function download(uid: string, offset = 0): Promise<{ segment: Segment; data: Buffer }> {
    const messages = [];
    for await (const message of client.downloadSegment({ uid, offset })) messages.push(message);
    const [first, ...rest] = messages.map((m) => m.payload);
    if (first?.$case !== 'segment') throw new Error('the first message must carry the segment');
    const chunks = rest.map((p) => (p?.$case === 'chunk' ? p.value : Buffer.alloc(0)));
    expect(rest.every((p) => p?.$case === 'chunk')).toBe(true);
    return { segment: first.value, data: Buffer.concat(chunks) };
  }

  const getSegment = (uid: string) =>
    new Promise<Segment | undefined>((resolve, reject) =>
      client.getSegment({ uid }, (err, res) => (err ? reject(err) : resolve(res.segment))),
    );
  const deleteSegment = (uid: string) =>
    new Promise<void>((resolve, reject) =>
      client.deleteSegment({ uid }, (err) => (err ? reject(err) : resolve())),
    );

  it('uploads a few MiB in uneven chunks and downloads them back byte for byte', async () => {
    const data = randomBytes(6 * MIB + 12_345);
    const header = headerFor(data);
    const { segment, replayed } = await upload(header, data, 700 * 1024);

    expect(replayed).toBe(false);
    expect(segment).toMatchObject({
      name: header.name,
      version: header.version,
      size: data.length,
      format: ZIP,
    });
    expect(segment!.sha256).toBe(sha256(data));
    expect(segment!.createTime).toBeInstanceOf(Date);
    const fetched = await download(segment!.uid);
    expect(fetched.segment).toEqual(segment);
    expect(sha256(fetched.data)).toBe(sha256(data));
    expect(fetched.data.equals(data)).toBe(true);
    expect(await getSegment(segment!.uid)).toEqual(segment);
    expect(await incoming()).toEqual([]);
  });

  it('answers a replay right after the header, before any byte of the body is sent', async () => {
    const data = randomBytes(2 * MIB);
    const header = headerFor(data);
    const first = await upload(header, data);

    const { call, response } = startCreate();
    await send(call, { payload: { $case: 'header', value: header } });
    // Only the header went out and the call is still open: the answer cannot depend on the body.
    const replay = await response;
    call.end();

    expect(replay).toEqual({ segment: first.segment, replayed: true });
    expect(await files()).toEqual([first.segment!.uid]);
    expect(store.stats()).toMatchObject({ created: 1, replayed: 1 });
  });

  it.each([
    [
      'a sha256 mismatch',
      (data: Buffer) => ({ header: headerFor(data, { sha256: sha256(Buffer.from('x')) }), body: data }),
    ],
    ['a short body', (data: Buffer) => ({ header: headerFor(data), body: data.subarray(0, -1) })],
  ])('%s is INVALID_ARGUMENT and leaves no file and no record', async (_, make) => {
    const { header, body } = make(randomBytes(3 * MIB));
    await expect(upload(header, body)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await files()).toEqual([]);
    expect(await incoming()).toEqual([]);
    expect(store.list()).toEqual([]);
  });

  it('removes the temp file and forgets the key when the caller cancels mid-upload', async () => {
    const data = randomBytes(8 * MIB);
    const header = headerFor(data);
    const { call, response } = startCreate();
    await send(call, { payload: { $case: 'header', value: header } });
    await send(call, { payload: { $case: 'chunk', value: data.subarray(0, MIB) } });
    const partial = await waitFor(async () => {
      const [name] = await incoming();
      return name && (await stat(path.join(dir, 'incoming', name))).size > 0;
    });
    expect(partial).toBe(true);

    call.cancel();
    await expect(response).rejects.toMatchObject({ code: status.CANCELLED });
    await waitFor(async () => (await incoming()).length === 0 && store.stats().abandoned === 1, {
      message: 'temp file removed',
    });
    expect(store.list()).toEqual([]);

    // Neither the key nor the name stayed reserved: the same request now goes through.
    const retried = await upload(header, data);
    expect(retried.replayed).toBe(false);
    expect(await files()).toEqual([retried.segment!.uid]);
  });

  it('lets exactly one of 20 concurrent creates of one name and version win', async () => {
    const data = randomBytes(512 * 1024);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => upload(headerFor(data), data, 64 * 1024)),
    );

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ServiceError] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((err) => err.code)).toEqual(Array(19).fill(status.ALREADY_EXISTS));
    expect(await files()).toHaveLength(1);
    expect(await incoming()).toEqual([]);
    expect(store.list()).toHaveLength(1);
    expect(store.stats()).toMatchObject({ created: 1, rejected: 19 });
  });

  it('downloads from an offset; OUT_OF_RANGE past the end; NOT_FOUND for an unknown uid', async () => {
    const data = randomBytes(MIB + 777);
    const { segment } = await upload(headerFor(data), data);
    const uid = segment!.uid;

    expect((await download(uid, 300_001)).data.equals(data.subarray(300_001))).toBe(true);
    const atEnd = await download(uid, data.length);
    expect(atEnd).toEqual({ segment, data: Buffer.alloc(0) });
    await expect(download(uid, data.length + 1)).rejects.toMatchObject({ code: status.OUT_OF_RANGE });
    await expect(download('no-such-uid')).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it('deletes: FAILED_PRECONDITION while installed, then gone everywhere, then NOT_FOUND', async () => {
    const data = randomBytes(1000);
    const { segment } = await upload(headerFor(data), data);
    const uid = segment!.uid;

    installed.add(uid);
    await expect(deleteSegment(uid)).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    expect(await getSegment(uid)).toEqual(segment);
    installed.delete(uid);

    await deleteSegment(uid);
    expect(deleted).toEqual([uid]);
    expect(await files()).toEqual([]);
    await expect(getSegment(uid)).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(download(uid)).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(deleteSegment(uid)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(deleted).toEqual([uid]);
  });

  it('finishes a download in flight when its segment is deleted meanwhile', async () => {
    const data = randomBytes(24 * MIB);
    const { segment } = await upload(headerFor(data), data);
    const chunks: Buffer[] = [];
    for await (const { payload } of client.downloadSegment({ uid: segment!.uid, offset: 0 })) {
      if (payload?.$case !== 'chunk') continue;
      // While this loop waits, the caller reads nothing and the server is held by flow control.
      if (chunks.length === 0) await deleteSegment(segment!.uid);
      chunks.push(payload.value);
    }
    expect(await files()).toEqual([]);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('stops reading and closes the file when the caller cancels a download', async () => {
    const data = randomBytes(24 * MIB);
    const { segment } = await upload(headerFor(data), data);
    const file = store.filePath(segment!.uid);
    const stream = client.downloadSegment({ uid: segment!.uid, offset: 0 });
    const ended = once(stream, 'error').catch(() => undefined);
    await new Promise<void>((resolve) =>
      stream.once('data', () => {
        stream.pause();
        resolve();
      }),
    );
    expect(await openDescriptorsOf(file)).toBe(1);

    stream.cancel();
    await ended;
    await waitFor(async () => (await openDescriptorsOf(file)) === 0, { message: 'file closed' });
  });

  it('refuses the format of the other platform, naming the accepted one', async () => {
    const data = randomBytes(100);
    await expect(
      upload(headerFor(data, { format: SegmentFormat.SEGMENT_FORMAT_MPK }), data),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('SEGMENT_FORMAT_ZIP'),
    });
    expect(store.list()).toEqual([]);
  });

  it('pages through segments; INVALID_ARGUMENT for a forged page token', async () => {
    const uids: string[] = [];
    for (const version of ['1.0.0', '1.0.1', '1.0.2']) {
      const data = randomBytes(10);
      uids.push((await upload(headerFor(data, { version }), data)).segment!.uid);
    }
    const list = (pageToken: string) =>
      new Promise<{ segments: Segment[]; nextPageToken: string }>((resolve, reject) =>
        client.listSegments({ pageSize: 2, pageToken, name: 'radar-display' }, (err, res) =>
          err ? reject(err) : resolve(res),
        ),
      );
    const first = await list('');
    const second = await list(first.nextPageToken);
    expect([...first.segments, ...second.segments].map((s) => s.uid)).toEqual(uids);
    expect(second.nextPageToken).toBe('');
    await expect(list('not-a-token')).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});

/** How many of this process's descriptors are open on `file` (Linux). */
async function openDescriptorsOf(file: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === file || target === `${file} (deleted)`).length;
}
