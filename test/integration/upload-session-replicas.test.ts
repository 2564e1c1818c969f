import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keys } from '../../src/records/keyspace.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import {
  completeSession,
  createSession,
  sha256Of,
  type TestSession,
} from '../support/fixtures/tus-upload.js';
import { replicaPairSuite, replicaSuitePolicy } from '../support/harness/replicas.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * D12: session state and the tus lock live in the store, so any replica serves any request of a
 * session. Two replicas on one etcd and one storage directory, as production runs them.
 */
describe.runIf(replicaSuitePolicy.run || replicaSuitePolicy.missingInCi)(
  'upload sessions across replicas on etcd',
  () => {
    const suite = replicaPairSuite('upload-replicas');

    const request = (base: string, session: TestSession, method: string, offset?: number, body?: BodyInit) =>
      fetch(new URL(session.uploadUrl, base), {
        method,
        headers: {
          'tus-resumable': '1.0.0',
          authorization: `Bearer ${session.token}`,
          ...(offset === undefined
            ? {}
            : { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }),
        },
        ...(body && { body, duplex: 'half' }),
      } as RequestInit);

    it('takes a PATCH held open on one replica away for a HEAD on the other, and completes anywhere', async () => {
      const [a, b] = suite.replicas();
      const bytes = await buildSegmentZip(
        { name: 'roaming', version: '1.0.0' },
        { 'bin/x': randomBytes(256 * 1024) },
        { compression: 'STORE' },
      );
      const session = await createSession(a.url, { fileName: 'roaming.zip', size: bytes.length });
      // A PATCH on A whose client sent 1000 bytes and then went silent, holding the session's lock.
      const stalled = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes.subarray(0, 1000)));
        },
      });
      const held = request(a.base, session, 'PATCH', 0, stalled).catch(() => undefined);
      // Only once A holds the lock is there anything for B to take away.
      const sessionId = new URL(session.uploadUrl, a.base).pathname.split('/').pop() as string;
      await waitFor(async () => (await suite.store().get(keys.uploadLock(sessionId))) !== undefined, {
        message: "A's lock on the session",
      });
      // B asks A, through the store, to give the lock up; A ends its PATCH with what it received.
      // A checkpoints what it received before it releases the lock, so B's answer includes it.
      const head = await request(b.base, session, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('upload-offset')).toBe('1000');
      await held;
      const rest = await request(b.base, session, 'PATCH', 1000, new Uint8Array(bytes.subarray(1000)));
      expect(rest.status).toBe(204);
      expect(await completeSession(a.url, session.id)).toMatchObject({
        __typename: 'UploadSegmentSuccess',
        segment: { sha256: sha256Of(bytes) },
      });
    });
  },
);
