import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UpsertSeats } from '../support/documents/seat-documents.js';
import { GetSegment } from '../support/documents/segment-documents.js';
import {
  DeprecateSegment,
  InstallTrusted,
  MarkSegmentTested,
  ReleaseSegment,
  VerifySegmentFile,
} from '../support/documents/trust-documents.js';
import { codeOf, type KeyPair, keyPair, trustApiSuite } from '../support/fixtures/trust-api.js';
import { SEAT_BACKENDS } from '../support/harness/seat-backends.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * The release lifecycle through the GraphQL API (SPEC-FLEET section 3, D7, D11) on both stores, with
 * API tokens per role: markSegmentTested, releaseSegment under SIGNATURES_REQUIRED=2, the refusals
 * of a DRAFT, a DEPRECATED and a tampered segment. The promotion gate by itself and the periodic
 * integrity pass are tested elsewhere; keys and signatures: trust-api.test.ts.
 */

let keys: Record<'ed' | 'p256', KeyPair>;
beforeAll(() => {
  keys = { ed: keyPair('ed25519'), p256: keyPair('p256') };
});

describe.each(SEAT_BACKENDS.filter((b) => b.run))(
  'trust API: the lifecycle on the $kind store',
  ({ kind }) => {
    const suite = trustApiSuite(kind, { SIGNATURES_REQUIRED: '2' });

    it('releases a TESTED segment only with valid signatures by two distinct keys (SIGNATURES_REQUIRED=2)', async () => {
      const api = suite.client();
      await api.addKey(keys.ed, 'ed');
      await api.addKey(keys.p256, 'p256');
      const segment = await api.upload('trust-release');

      expect(codeOf(await api.call(MarkSegmentTested, { id: segment.id, reason: 'x' }, 'operator'))).toBe(
        'FORBIDDEN',
      );
      const tested = await api.call(
        MarkSegmentTested,
        { id: segment.id, reason: 'ran on the bench rig' },
        'admin',
      );
      expect(tested.data?.markSegmentTested).toMatchObject({
        __typename: 'MarkSegmentTestedSuccess',
        segment: { lifecycle: 'TESTED', testedBy: 'ci-admin', releasedAt: null, promotion: { tested: true } },
      });

      // The same key twice is one signature (ECDSA signs differently each time: the second replaces it).
      await api.sign(segment, keys.p256);
      expect((await api.sign(segment, keys.p256)).data?.addSegmentSignature).toMatchObject({
        segment: { signatureStatus: 'INSUFFICIENT', signatures: [{ keyId: keys.p256.keyId, valid: true }] },
      });
      const short = await api.call(ReleaseSegment, { id: segment.id }, 'admin');
      expect(short.data?.releaseSegment).toMatchObject({
        __typename: 'SignatureRequiredError',
        code: 'SIGNATURE_REQUIRED',
        segmentId: segment.id,
        required: 2,
        valid: 1,
      });
      expect((await api.segment(segment.id)).lifecycle).toBe('TESTED');

      expect((await api.sign(segment, keys.ed)).data?.addSegmentSignature).toMatchObject({
        segment: { signatureStatus: 'VALID' },
      });
      expect(codeOf(await api.call(ReleaseSegment, { id: segment.id }, 'operator'))).toBe('FORBIDDEN');
      const released = await api.call(ReleaseSegment, { id: segment.id, note: 'first release' }, 'admin');
      expect(released.data?.releaseSegment).toMatchObject({
        __typename: 'ReleaseSegmentSuccess',
        segment: {
          lifecycle: 'RELEASED',
          releasedBy: 'ci-admin',
          releaseNote: 'first release',
          releasedAt: expect.any(String),
          integrity: { status: 'OK', checkedAt: expect.any(String), reason: null },
        },
      });
      expect(await api.segment(segment.id)).toMatchObject({ lifecycle: 'RELEASED', releasedBy: 'ci-admin' });
    });

    it("refuses to release a DRAFT segment with the promotion gate's reasons", async () => {
      const api = suite.client();
      const segment = await api.upload('trust-draft');
      const refused = await api.call(ReleaseSegment, { id: segment.id, note: 'too soon' }, 'admin');
      const payload = refused.data?.releaseSegment;
      expect(payload).toMatchObject({
        __typename: 'SegmentNotTestedError',
        code: 'SEGMENT_NOT_TESTED',
        segmentId: segment.id,
      });
      const now = await api.segment(segment.id);
      expect(now).toMatchObject({ lifecycle: 'DRAFT', releasedAt: null, promotion: { tested: false } });
      const reasons = payload?.__typename === 'SegmentNotTestedError' ? payload.reasons : [];
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons).toEqual(now.promotion.reasons);
    });

    it('takes no new install, release or test mark of a DEPRECATED segment, and shows why', async () => {
      const api = suite.client();
      const segment = await api.upload('trust-deprecated');
      // Synced first, so that the install is refused for the lifecycle and for nothing else.
      await waitFor(
        async () => {
          const read = await api.call(GetSegment, { id: segment.id }, 'viewer');
          return read.data?.segment?.sync.status === 'SYNCED' ? true : undefined;
        },
        { timeoutMs: 15_000, intervalMs: 50, message: 'segment SYNCED' },
      );
      const seats = await api.call(UpsertSeats, { seats: [{ name: 'dep-0', ip: '10.9.0.1' }] }, 'admin');
      if (seats.data?.upsertSeats.__typename !== 'UpsertSeatsSuccess') throw new Error(JSON.stringify(seats));
      const seatIds = seats.data.upsertSeats.seats.map((s) => s.id);

      expect(codeOf(await api.call(DeprecateSegment, { id: segment.id, reason: 'x' }, 'operator'))).toBe(
        'FORBIDDEN',
      );
      const deprecated = await api.call(
        DeprecateSegment,
        { id: segment.id, reason: 'CVE-2026-0001' },
        'admin',
      );
      expect(deprecated.data?.deprecateSegment).toMatchObject({
        __typename: 'DeprecateSegmentSuccess',
        segment: {
          lifecycle: 'DEPRECATED',
          deprecatedReason: 'CVE-2026-0001',
          deprecatedAt: expect.any(String),
        },
      });

      const install = await api.call(InstallTrusted, { id: segment.id, seatIds }, 'operator');
      expect(install.data?.installSegment).toMatchObject({
        __typename: 'SegmentDeprecatedError',
        code: 'SEGMENT_DEPRECATED',
        segmentId: segment.id,
        reason: 'CVE-2026-0001',
      });
      const release = await api.call(ReleaseSegment, { id: segment.id }, 'admin');
      expect(release.data?.releaseSegment).toMatchObject({ code: 'SEGMENT_DEPRECATED' });
      const mark = await api.call(MarkSegmentTested, { id: segment.id, reason: 'x' }, 'admin');
      expect(mark.data?.markSegmentTested).toMatchObject({ code: 'SEGMENT_DEPRECATED' });
      expect((await api.segment(segment.id)).lifecycle).toBe('DEPRECATED');
    });

    it('finds a stored file changed behind its back: TAMPERED refuses release until the file is right again', async () => {
      const api = suite.client();
      const segment = await api.upload('trust-tampered');
      const verify = () => api.call(VerifySegmentFile, { id: segment.id }, 'admin');
      expect((await verify()).data?.verifySegmentFile).toMatchObject({
        segment: { integrity: { status: 'OK' } },
      });
      expect(codeOf(await api.call(VerifySegmentFile, { id: segment.id }, 'operator'))).toBe('FORBIDDEN');

      const file = path.join(api.app.dataDir, 'segments', segment.sha256);
      const original = await readFile(file);
      await chmod(file, 0o644);
      await writeFile(file, Buffer.concat([original, Buffer.from('x')]));
      expect((await verify()).data?.verifySegmentFile).toMatchObject({
        __typename: 'VerifySegmentFileSuccess',
        segment: { integrity: { status: 'TAMPERED', reason: expect.any(String) } },
      });
      await api.call(MarkSegmentTested, { id: segment.id, reason: 'bench' }, 'admin');
      const release = await api.call(ReleaseSegment, { id: segment.id }, 'admin');
      expect(release.data?.releaseSegment).toMatchObject({
        __typename: 'FileTamperedError',
        code: 'FILE_TAMPERED',
        segmentId: segment.id,
      });

      await writeFile(file, original);
      expect((await verify()).data?.verifySegmentFile).toMatchObject({
        segment: { integrity: { status: 'OK', reason: null } },
      });
    });
  },
);
