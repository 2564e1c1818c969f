import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { replicaPairSuite, replicaSuitePolicy } from '../support/harness/replicas.js';

/** Two replicas on one etcd and one storage directory, as production runs them. */
describe.runIf(replicaSuitePolicy.run || replicaSuitePolicy.missingInCi)(
  'download tokens across replicas on etcd',
  () => {
    const suite = replicaPairSuite('download-replicas');

    it('serves a URL issued by one replica from the other, and from the first again', async () => {
      const [a, b] = suite.replicas();
      const bytes = await buildSegmentZip(
        { name: 'shared', version: '1.0.0' },
        { 'bin/x': randomBytes(4096).toString('base64') },
      );
      const segment = await uploadOk(a.url, { bytes, fileName: 'shared-1.0.0.zip' });
      const answer = await httpGraphQL(a.url, SegmentDownloadUrl, { id: segment.id });
      const url = answer.data?.segment?.downloadUrl ?? '';

      const fromB = await fetch(`${b.base}${url}`, { headers: { range: 'bytes=10-' } });
      expect(fromB.status).toBe(206);
      expect(Buffer.from(await fromB.arrayBuffer()).equals(bytes.subarray(10))).toBe(true);
      const fromA = await fetch(`${a.base}${url}`);
      expect(fromA.status).toBe(200);
      expect(Buffer.from(await fromA.arrayBuffer()).equals(bytes)).toBe(true);
    });
  },
);
