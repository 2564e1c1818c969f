import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openEmbeddedKv } from '../../../src/kv/embedded/embedded-kv.js';
import type { KvStore } from '../../../src/kv/kv.js';
import type { SdpTarget } from '../../../src/model/targets.js';
import { startTestApp, testConfig } from './app.js';
import { startTestSimulator, type TestSimulator } from './sdp-sim.js';
import { tempDir } from './temp.js';

export interface SegmentApp {
  /** The app's store, open for the test to inspect. */
  store: KvStore;
  url: string;
  base: string;
  dataDir: string;
  sim: TestSimulator;
  stop(): Promise<void>;
}

/**
 * A seghub server talking to a simulator the test can inspect and break, with its own data
 * directory. `env` overrides the configuration (retry budget, upload limit, ...).
 */
export async function startSegmentApp(
  env: Record<string, string> = {},
  options: { store?: KvStore; sim?: TestSimulator; dataDir?: string; clock?: () => Date } = {},
): Promise<SegmentApp> {
  const sim = options.sim ?? (await startTestSimulator());
  const data = options.dataDir
    ? { dir: options.dataDir, remove: async () => {} }
    : await tempDir('seghub-data');
  const store = options.store ?? (await openEmbeddedKv({ dir: path.join(data.dir, 'store') }));
  const app = await startTestApp(
    testConfig({
      DATA_DIR: data.dir,
      SDP_DEPLOY_ADDR: sim.sim.platform('DEPLOY_PLATFORM').address,
      SDP_STORE15S_ADDR: sim.sim.platform('STORE_15S').address,
      SDP_CALL_TIMEOUT_MS: '2000',
      SYNC_RETRY_BASE_MS: '50',
      ...env,
    }),
    { store, ...(options.clock ? { clock: options.clock } : {}) },
  );
  return {
    store,
    url: app.url,
    base: app.base,
    dataDir: data.dir,
    sim,
    async stop() {
      await app.stop();
      if (!options.store) await store.close();
      if (!options.sim) await sim.dispose();
      await data.remove();
    },
  };
}

/** What the simulated platform holds under `uid`, with the SHA-256 of the bytes it stored. */
export async function remoteCopy(sim: TestSimulator, target: SdpTarget, uid: string) {
  const segment = sim.sim.platform(target).segments.get(uid);
  if (!segment) return undefined;
  const hash = createHash('sha256');
  await pipeline(createReadStream(sim.sim.platform(target).segments.filePath(uid)), hash);
  return { ...segment, storedSha256: hash.digest('hex') };
}
