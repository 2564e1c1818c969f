import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/kv/kv.js';
import { SegmentTrust, VerifySegmentFile } from '../support/documents/trust-documents.js';
import { buildSegmentZip } from '../support/fixtures/archives.js';
import { uploadOk } from '../support/fixtures/segments.js';
import { startTestApp, testConfig } from '../support/harness/app.js';
import { httpGraphQL } from '../support/harness/graphql-client.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type Backend, SEAT_BACKENDS, startBackend } from '../support/harness/seat-backends.js';
import { tempDir } from '../support/harness/temp.js';
import { waitFor } from '../support/harness/wait-for.js';

const DAY = 24 * 3_600_000;

/**
 * The leader's integrity pass in a running seghub (SPEC-FLEET D11): a stored file changed or removed
 * behind seghub's back is found once its check is due by the (injected) clock, raised in the log and
 * in `seghub_segments_tampered`, and lifted by `verifySegmentFile` once the right bytes are back.
 */
describe.each(SEAT_BACKENDS.filter((b) => b.run))('the integrity pass on the $kind store', ({ kind }) => {
  let backend: Backend;
  let store: KvStore;
  let sim: TestSimulator;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const errors: Record<string, unknown>[] = [];
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    backend = await startBackend(kind);
    store = await backend.openStore();
    sim = await startTestSimulator();
    data = await tempDir('seghub-integrity-pass');
    const logger = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line)) });
    const config = testConfig({
      DATA_DIR: data.dir,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      // The clock jumps: the pass looks at it again at least this often.
      CONTROLLER_RESYNC_MS: '1000',
      INTEGRITY_CHECK_INTERVAL_H: '24',
    });
    app = await startTestApp(config, { store, logger, clock });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await sim?.dispose();
    await backend?.dispose();
    await data?.remove();
  });

  const trustOf = async (id: string) => (await httpGraphQL(app.url, SegmentTrust, { id })).data?.segment;
  const integrityOf = async (id: string) => (await trustOf(id))?.integrity;
  const tamperedGauge = async () => {
    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    return Number(metrics.match(/^seghub_segments_tampered (\d+)$/m)?.[1]);
  };
  const upload = async (name: string) => {
    const bytes = await buildSegmentZip({ name, version: '1.0.0' }, { 'payload.bin': `${name} payload` });
    const segment = await uploadOk(app.url, { bytes, fileName: `${name}.zip` });
    return { id: segment.id, bytes, file: path.join(data.dir, 'segments', segment.sha256) };
  };
  const waitForStatus = (id: string, status: string, message: string) =>
    waitFor(async () => ((await integrityOf(id))?.status === status ? integrityOf(id) : undefined), {
      timeoutMs: 15_000,
      message,
    });

  it('finds a file changed on disk once it is due, raises it, and verifySegmentFile lifts it', async () => {
    const segment = await upload('integrity-changed');
    const first = await waitForStatus(segment.id, 'OK', 'a new segment checked at once');

    const changed = Buffer.from(segment.bytes);
    changed.writeUInt8(changed.readUInt8(0) ^ 0xff, 0);
    await writeFile(segment.file, changed);
    // Not due yet: a pass runs (it checks a newcomer) and leaves the changed file alone.
    const witness = await upload('integrity-witness');
    await waitForStatus(witness.id, 'OK', 'a later segment checked');
    expect(await integrityOf(segment.id)).toEqual(first);

    offsetMs += DAY + 60_000;
    const found = await waitForStatus(segment.id, 'TAMPERED', 'the changed file found');
    expect(found.reason).toMatch(/^file hashes to [0-9a-f]{64} /);
    expect(await tamperedGauge()).toBe(1);
    expect(errors).toContainEqual(
      expect.objectContaining({ msg: 'segment file tampered', segmentId: 'integrity-changed/1.0.0' }),
    );

    await writeFile(segment.file, segment.bytes);
    const verified = await httpGraphQL(app.url, VerifySegmentFile, { id: segment.id });
    expect(verified.data?.verifySegmentFile).toMatchObject({
      __typename: 'VerifySegmentFileSuccess',
      segment: { integrity: { status: 'OK' } },
    });
    expect(await tamperedGauge()).toBe(0);
  }, 60_000);

  it('finds a missing file: TAMPERED, file missing', async () => {
    const segment = await upload('integrity-missing');
    await waitForStatus(segment.id, 'OK', 'a new segment checked at once');
    await rm(segment.file);
    offsetMs += DAY + 60_000;
    const found = await waitForStatus(segment.id, 'TAMPERED', 'the missing file found');
    expect(found.reason).toBe('file missing');
    expect(await tamperedGauge()).toBe(1);
  }, 60_000);
});
