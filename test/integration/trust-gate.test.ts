import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { SegmentDownloadUrl } from '../support/documents/download-documents.js';
import { ResumeRollout } from '../support/documents/rollout-control-documents.js';
import { CancelRollout } from '../support/documents/rollout-documents.js';
import { UpsertSeatGroup } from '../support/documents/seat-group-documents.js';
import {
  AddSegmentSignature,
  AddSigningKey,
  DeprecateSegment,
  InstallTrusted,
  MarkSegmentTested,
  ReleaseSegment,
  RevokeSigningKey,
  VerifySegmentFile,
} from '../support/documents/trust-documents.js';
import {
  CreateTrustedRollout,
  RevokeAndRejudge,
  RolloutTrustState,
  SegmentLifecycle,
} from '../support/documents/trust-gate-documents.js';
import { SetDesiredVersion } from '../support/documents/upgrade-documents.js';
import { addSeats, syncedSegment, waitForInstallEnd } from '../support/fixtures/installs.js';
import { ringGroup } from '../support/fixtures/rollout-fleet.js';
import { type KeyPair, keyPair, statement } from '../support/fixtures/trust-api.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { type SegmentApp, startSegmentApp } from '../support/harness/segment-app.js';
import { waitFor } from '../support/harness/wait-for.js';

/**
 * The trust area meeting the paths that put segments on seats (SPEC-FLEET section 3, D6, D11):
 * protected groups take only RELEASED segments, a tampered file goes nowhere, and a key revoked
 * while a rollout to a protected group runs pauses it. SIGNATURES_REQUIRED=1 throughout.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('the trust gate on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let app: SegmentApp;
  let seats: Awaited<ReturnType<typeof addSeats>>;
  const call = <D, V>(doc: Parameters<typeof httpGraphQL<D, V>>[1], vars: V) =>
    httpGraphQL(app.url, doc, vars);

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    app = await startSegmentApp(
      { INSTALL_POLL_MS: '50', SOAK_CHECK_S: '1', SIGNATURES_REQUIRED: '1' },
      { store },
    );
    seats = await addSeats(app.url, 12, 'tg');
    app.sim.sim.platform('DEPLOY_PLATFORM').tasks.setBehaviour({ durationMs: 50, jitter: 0, failureRate: 0 });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await backend?.dispose();
  });

  async function protectedGroup(name: string, members: typeof seats) {
    await ringGroup(app.url, name, members);
    const result = await call(UpsertSeatGroup, {
      input: { name, selector: `ring=${name}`, protected: true },
    });
    expect(result.data?.upsertSeatGroup.__typename).toBe('UpsertSeatGroupSuccess');
  }

  async function addKey(label: string): Promise<KeyPair> {
    const key = keyPair('ed25519');
    const added = await call(AddSigningKey, { publicKeyPem: key.pem, label });
    expect(added.data?.addSigningKey.__typename).toBe('AddSigningKeySuccess');
    return key;
  }

  /** A synced segment signed by `key` and marked TESTED; released too when `release`. */
  async function trusted(name: string, key: KeyPair, release: boolean) {
    const segment = await syncedSegment(app.url, name);
    const signed = await call(AddSegmentSignature, {
      id: segment.id,
      keyId: key.keyId,
      signature: key.sign(statement(segment)),
    });
    expect(signed.data?.addSegmentSignature.__typename).toBe('AddSegmentSignatureSuccess');
    const tested = await call(MarkSegmentTested, { id: segment.id, reason: 'ran on the bench' });
    expect(tested.data?.markSegmentTested.__typename).toBe('MarkSegmentTestedSuccess');
    if (release) {
      const released = await call(ReleaseSegment, { id: segment.id, note: 'go' });
      expect(released.data?.releaseSegment.__typename).toBe('ReleaseSegmentSuccess');
    }
    return segment;
  }

  it('a protected group refuses a segment before RELEASED and takes it after', async () => {
    const prod = seats.slice(0, 3);
    await protectedGroup('prod-gate', prod);
    const key = await addKey('gate key');
    const segment = await trusted('gate-app', key, false);
    const refused = await call(InstallTrusted, { id: segment.id, seatIds: [prod[0]!.id] });
    expect(refused.data?.installSegment).toMatchObject({ code: 'SEGMENT_NOT_RELEASED' });
    const rollout = await call(CreateTrustedRollout, {
      input: { segmentId: segment.id, group: 'prod-gate', waves: [{}] },
    });
    expect(rollout.data?.createRollout).toMatchObject({ code: 'SEGMENT_NOT_RELEASED' });

    const released = await call(ReleaseSegment, { id: segment.id });
    expect(released.data?.releaseSegment.__typename).toBe('ReleaseSegmentSuccess');
    const accepted = await call(InstallTrusted, { id: segment.id, seatIds: [prod[0]!.id] });
    const payload = accepted.data?.installSegment;
    if (payload?.__typename !== 'InstallSegmentSuccess' || !payload.record)
      throw new Error(JSON.stringify(payload));
    expect((await waitForInstallEnd(app.url, payload.record.id)).status).toBe('SUCCEEDED');
  }, 60_000);

  it('a file changed behind its back: release refuses FILE_TAMPERED and every other path is blocked', async () => {
    const key = await addKey('tamper key');
    const segment = await trusted('tamper-app', key, false);
    const file = path.join(app.dataDir, 'segments', segment.sha256);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('!')]));

    const release = await call(ReleaseSegment, { id: segment.id });
    expect(release.data?.releaseSegment).toMatchObject({ code: 'FILE_TAMPERED', segmentId: segment.id });
    const state = await call(SegmentLifecycle, { id: segment.id });
    expect(state.data?.segment).toMatchObject({ lifecycle: 'TESTED', integrity: { status: 'TAMPERED' } });
    const install = await call(InstallTrusted, { id: segment.id, seatIds: [seats[5]!.id] });
    expect(install.data?.installSegment).toMatchObject({ code: 'FILE_TAMPERED' });
    await ringGroup(app.url, 'plain', seats.slice(5, 7));
    const rollout = await call(CreateTrustedRollout, {
      input: { segmentId: segment.id, group: 'plain', waves: [{}] },
    });
    expect(rollout.data?.createRollout).toMatchObject({ code: 'FILE_TAMPERED' });
    const desired = await call(SetDesiredVersion, { group: 'plain', segmentId: segment.id });
    expect(desired.data?.setDesiredVersion).toMatchObject({ code: 'FILE_TAMPERED' });
    const url = (await call(SegmentDownloadUrl, { id: segment.id })).data?.segment?.downloadUrl;
    const download = await fetch(new URL(url as string, app.url));
    expect(download.status).toBe(403);
    expect(await download.text()).toContain('FILE_TAMPERED');

    // The right bytes again: verifySegmentFile lifts the block and the release goes through.
    await writeFile(file, original);
    const verified = await call(VerifySegmentFile, { id: segment.id });
    expect(verified.data?.verifySegmentFile).toMatchObject({ segment: { integrity: { status: 'OK' } } });
    const again = await call(ReleaseSegment, { id: segment.id });
    expect(again.data?.releaseSegment.__typename).toBe('ReleaseSegmentSuccess');
  }, 60_000);

  it('revoking the key of a segment rolling out to a protected group pauses the rollout with the reason', async () => {
    const prod = seats.slice(8, 12);
    await protectedGroup('prod-revoke', prod);
    const key = await addKey('revoked key');
    const segment = await trusted('revoke-app', key, true);
    const created = await call(CreateTrustedRollout, {
      input: { segmentId: segment.id, group: 'prod-revoke', waves: [{ seats: 1, soakSeconds: 3600 }, {}] },
    });
    const payload = created.data?.createRollout;
    if (payload?.__typename !== 'CreateRolloutSuccess') throw new Error(JSON.stringify(payload));
    const id = payload.rollout.id;
    await waitForState(id, (r) => r.waves[0]?.state === 'SOAKING');

    const revoked = await call(RevokeAndRejudge, { keyId: key.keyId, reason: 'key leaked' });
    expect(revoked.data?.revokeSigningKey).toMatchObject({
      signedSegmentCount: 1,
      signedSegments: [{ id: segment.id, signatureStatus: 'INSUFFICIENT' }],
    });
    const paused = await waitForState(id, (r) => r.state === 'PAUSED');
    expect(paused).toMatchObject({
      pausedCause: 'TRUST',
      waves: [{ state: 'SOAKING' }, { state: 'PENDING' }],
    });
    expect(paused.pausedReason).toMatch(/0 valid signature\(s\).*1 required/);
    expect((await call(SegmentLifecycle, { id: segment.id })).data?.segment?.signatureStatus).toBe(
      'INSUFFICIENT',
    );

    // A resume while the policy is still unmet pauses again; a signature by another key mends it.
    expect((await call(ResumeRollout, { id })).data?.resumeRollout.__typename).toBe('ResumeRolloutSuccess');
    await waitForState(id, (r) => r.state === 'PAUSED' && r.pausedCause === 'TRUST');
    const other = await addKey('second key');
    const resigned = await call(AddSegmentSignature, {
      id: segment.id,
      keyId: other.keyId,
      signature: other.sign(statement(segment)),
    });
    expect(resigned.data?.addSegmentSignature.__typename).toBe('AddSegmentSignatureSuccess');
    await call(ResumeRollout, { id });
    const soaking = await waitForState(id, (r) => r.state === 'SOAKING');
    expect(soaking.pausedCause).toBeNull();
    await call(CancelRollout, { id, reason: 'test over' });
  }, 60_000);

  it('a revoked key refuses new rollouts to a protected group; DEPRECATED refuses rollouts and desired versions', async () => {
    const prod = seats.slice(3, 5);
    await protectedGroup('prod-new', prod);
    const key = await addKey('short-lived key');
    const segment = await trusted('new-app', key, true);
    await call(RevokeSigningKey, { keyId: key.keyId, reason: 'rotated' });
    const input = { segmentId: segment.id, group: 'prod-new', waves: [{}] };
    const refused = await call(CreateTrustedRollout, { input });
    expect(refused.data?.createRollout).toMatchObject({ code: 'SIGNATURE_REQUIRED' });

    const plain = await syncedSegment(app.url, 'old-app');
    const deprecated = await call(DeprecateSegment, { id: plain.id, reason: 'end of life' });
    expect(deprecated.data?.deprecateSegment.__typename).toBe('DeprecateSegmentSuccess');
    await ringGroup(app.url, 'plain-old', seats.slice(5, 7));
    const rollout = await call(CreateTrustedRollout, {
      input: { segmentId: plain.id, group: 'plain-old', waves: [{}] },
    });
    expect(rollout.data?.createRollout).toMatchObject({ code: 'SEGMENT_DEPRECATED' });
    const desired = await call(SetDesiredVersion, { group: 'plain-old', segmentId: plain.id });
    expect(desired.data?.setDesiredVersion).toMatchObject({ code: 'SEGMENT_DEPRECATED' });
  }, 60_000);

  function waitForState(id: string, done: (r: RolloutView) => boolean) {
    return waitFor(
      async () => {
        const rollout = (await call(RolloutTrustState, { id })).data?.rollout ?? undefined;
        return rollout && done(rollout) ? rollout : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, message: `rollout ${id}` },
    );
  }
});

type RolloutView = {
  state: string;
  pausedCause?: string | null;
  pausedReason?: string | null;
  waves: { state: string }[];
};
