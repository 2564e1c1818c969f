import { randomInt, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLargeSegmentZip } from '../support/fixtures/archives.js';
import { completeSession, createSession, type TestSession, tusSend } from '../support/fixtures/tus-upload.js';
import { type EtcdProcess, etcdSuitePolicy, startEtcd } from '../support/harness/etcd.js';
import { startTestSimulator, type TestSimulator } from '../support/harness/sdp-sim.js';
import { type SeghubProcess, spawnSeghub } from '../support/harness/seghub-process.js';
import { freePort, tempDir } from '../support/harness/temp.js';

const policy = etcdSuitePolicy();
const MIB = 1024 * 1024;
const PAYLOAD_BYTES = 300 * MIB;

/**
 * Issue 27: a 300 MiB upload through tus-js-client, cut three times at random points (the client
 * aborting twice, then seghub SIGKILL'd mid-PATCH), completes with the right SHA-256, and the
 * storage directory ends with one copy of the bytes and no partial or temp file.
 */
describe.each([
  { store: 'embedded', run: true },
  { store: 'etcd', run: policy.run || policy.missingInCi },
])('a 300 MiB resumable upload cut three times ($store store)', ({ store, run }) => {
  let sim: TestSimulator;
  let data: { dir: string; remove: () => Promise<void> };
  let etcd: EtcdProcess | undefined;
  let env: Record<string, string>;
  let seghub: SeghubProcess | undefined;
  let file: { path: string; size: number; sha256: string };

  beforeAll(async () => {
    if (!run) return;
    if (store === 'etcd' && policy.missingInCi) throw new Error('CI=true but etcd is not on PATH');
    sim = await startTestSimulator();
    data = await tempDir('seghub-tus');
    etcd = store === 'etcd' ? await startEtcd() : undefined;
    const zip = path.join(data.dir, 'big.zip');
    const written = await writeLargeSegmentZip(zip, {
      name: 'big-map',
      version: '1.0.0',
      payloadBytes: PAYLOAD_BYTES,
    });
    file = { path: zip, ...written };
    env = {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(data.dir, 'seghub'),
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      ...(etcd ? { ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_PREFIX: `/tus-${randomUUID()}/` } : {}),
    };
  }, 120_000);

  afterAll(async () => {
    if (!run) return;
    seghub?.signal('SIGTERM');
    await seghub?.exited;
    await etcd?.stop();
    await sim?.dispose();
    await data?.remove();
  });

  async function start(): Promise<SeghubProcess> {
    const process = spawnSeghub(env);
    await process.waitForLog((line) => line.msg === 'seghub is serving', 120_000);
    return process;
  }

  const base = () => `http://127.0.0.1:${env.PORT}`;
  const graphql = () => `${base()}/graphql`;
  const storageDir = () => path.join(env.DATA_DIR!, 'segments');
  /** Sends from the server's offset (HEAD) until `cut` says stop (given the file offset sent), or to the end. */
  const send = (session: TestSession, cut?: (sent: number) => boolean) =>
    tusSend(base(), session, createReadStream(file.path), {
      ...(cut && { abortWhen: cut }),
      // The restarted process waits for the killed one's lock lease (about 10 s) before a HEAD is answered.
      retryDelays: [500, 1000, 2000, 4000, 8000],
    });
  const head = async (session: TestSession) => {
    const response = await fetch(new URL(session.uploadUrl, base()), {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${session.token}` },
    });
    expect(response.status).toBe(200);
    return Number(response.headers.get('upload-offset'));
  };
  const at = (fraction: number) => Math.floor(file.size * fraction);

  it.runIf(run)(
    'completes with the right SHA-256 and one copy of the bytes on disk',
    async () => {
      seghub = await start();
      const session = await createSession(graphql(), {
        fileName: 'big-map.zip',
        size: file.size,
        sha256: file.sha256,
      });
      let offset = 0;
      // Two client aborts at random points, each a resume from the server's offset.
      for (const [from, to] of [
        [0.1, 0.3],
        [0.35, 0.55],
      ] as const) {
        const cut = randomInt(at(from), at(to));
        expect(await send(session, (sent) => sent >= cut)).toBe('aborted');
        const resumed = await head(session);
        expect(resumed).toBeGreaterThanOrEqual(offset);
        expect(resumed).toBeLessThan(file.size);
        offset = resumed;
      }
      // Then seghub itself is killed mid-PATCH.
      const kill = randomInt(at(0.6), at(0.8));
      const victim = seghub;
      expect(
        await send(session, (sent) => {
          if (sent < kill) return false;
          victim.signal('SIGKILL');
          return true;
        }),
      ).toBe('aborted');
      expect((await victim.exited).signal).toBe('SIGKILL');
      seghub = await start();
      const afterKill = await head(session);
      expect(afterKill).toBeGreaterThanOrEqual(offset);
      expect(afterKill).toBeLessThan(file.size);
      expect(await send(session)).toBe('done');
      const done = await completeSession(graphql(), session.id);
      expect(done).toMatchObject({
        __typename: 'UploadSegmentSuccess',
        segment: { sha256: file.sha256, size: file.size },
      });
      // One copy: the placed file and nothing else holding bytes (no partial, staged or temp file).
      expect(await filesUnder(storageDir())).toEqual([{ name: file.sha256, size: file.size }]);
    },
    600_000,
  );
});

async function filesUnder(dir: string): Promise<{ name: string; size: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.push({ name: path.relative(dir, full), size: (await stat(full)).size });
  }
  return files;
}
