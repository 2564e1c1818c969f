import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config/config.js';
import type { SdpTarget } from '../../../src/model/targets.js';
import { SdpClient } from '../../../src/sdp/sdp-client.js';
import { type SdpSimulator, type SimulatorOptions, startSdpSimulator } from '../../../src/sim/simulator.js';
import { tempDir } from './temp.js';

const silent = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface TestSimulator {
  sim: SdpSimulator;
  dir: string;
  /** Stops the simulator, abruptly (as a crash would) unless told otherwise. */
  stop(options?: { graceful?: boolean }): Promise<void>;
  /** Starts it again on the same ports with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** A simulator on free loopback ports with its own temp data dir and quick, deterministic devices. */
export async function startTestSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const { dir, remove } = await tempDir('sdp-sim');
  const defaults = loadConfig({ SDP_SIM_PORT: '0', SDP_SIM_DATA_DIR: dir, SDP_SIM_SEED: '7' }).sim;
  const options: SimulatorOptions = {
    ...defaults,
    devices: { ...defaults.devices, durationMs: 300, jitter: 0.2 },
    faults: {},
    logger: silent(),
    ...overrides,
  };
  let sim = await startSdpSimulator(options);
  // The same ports on every start, so clients find it where it was.
  const ports = Object.fromEntries(Object.values(sim.platforms).map((p) => [p.target, p.port]));
  const handle: TestSimulator = {
    get sim() {
      return sim;
    },
    dir,
    stop: ({ graceful = false } = {}) => sim.stop({ graceful }),
    async start() {
      sim = await startSdpSimulator({ ...options, ports });
    },
    async dispose() {
      await sim.stop({ graceful: false });
      await remove();
    },
  };
  return handle;
}

/** A client for one of the simulator's platforms, with short deadlines so failures show fast. */
export function clientFor(
  sim: SdpSimulator,
  target: SdpTarget,
  options: { callTimeoutMs?: number; streamIdleMs?: number } = {},
): SdpClient {
  return new SdpClient(target, sim.platform(target).address, {
    callTimeoutMs: options.callTimeoutMs ?? 3000,
    streamIdleMs: options.streamIdleMs ?? 3000,
    logger: silent(),
  });
}

/** Writes `size` bytes of varied content and returns its SHA-256, without holding it in memory. */
export async function writeTestFile(
  dir: string,
  name: string,
  size: number,
): Promise<{ path: string; size: number; sha256: string }> {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  const block = randomBytes(1024 * 1024);
  for (let written = 0, n = 0; written < size; n++) {
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - written)));
    if (chunk.length >= 4) chunk.writeUInt32BE(n, 0);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end();
  await once(out, 'finish');
  return { path: file, size, sha256: hash.digest('hex') };
}
