import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/model/principal.js';
import { DownloadAuditLog, SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadSegment } from '../support/fixtures/segments.js';
import { bearer, writeTokenFile } from '../support/harness/auth.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

/** D7: a download is a read. The URL is the credential; the audit names who asked for it. */
describe('downloads with authentication on', () => {
  let app: SegmentApp;
  let tokens: Record<Role, string>;
  let segmentId: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const dir = await tempDir('seghub-download-auth');
    remove = dir.remove;
    const file = await writeTokenFile(dir.dir);
    tokens = file.tokens;
    app = await startSegmentApp({ AUTH_TOKENS_FILE: file.file });
    const bytes = await buildSegmentZip({ name: 'guarded', version: '1.0.0' });
    const uploaded = await uploadSegment(
      app.url,
      { bytes, fileName: 'guarded-1.0.0.zip' },
      { ...bearer(tokens.operator), 'x-graphql-yoga-csrf': '1' },
    );
    if (uploaded.__typename !== 'UploadSegmentSuccess') throw new Error(JSON.stringify(uploaded));
    segmentId = uploaded.segment.id;
  });
  afterAll(async () => {
    await app?.stop();
    await remove?.();
  });

  it('gives a viewer a URL that works without any other credential, audited under the viewer', async () => {
    const anonymous = await httpGraphQL(app.url, SegmentDownloadUrl, { id: segmentId });
    expect(anonymous.data?.segment?.downloadUrl).toBeUndefined();

    const answer = await httpGraphQL(app.url, SegmentDownloadUrl, { id: segmentId }, bearer(tokens.viewer));
    const url = answer.data?.segment?.downloadUrl ?? '';
    const response = await fetch(`${app.base}${url}`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    const entry = await waitFor(async () => {
      const log = await httpGraphQL(app.url, DownloadAuditLog, undefined, bearer(tokens.admin));
      return log.data?.auditLog.edges.map((e) => e.node).find((n) => n.field === 'download');
    });
    expect(entry).toMatchObject({ actor: { id: 'ci-viewer', role: 'VIEWER' }, outcome: 'SUCCESS' });
  });
});
