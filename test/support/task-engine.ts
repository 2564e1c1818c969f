import { pino } from 'pino';
import { type DeviceProgress, TaskAction } from '../../src/sdp/generated/seghub/sdp/v1/deployment.js';
import type { DeviceBehaviour } from '../../src/sim/deployment/behaviour.js';
import { TaskEngine } from '../../src/sim/deployment/task-engine.js';
import { seededRandom } from '../../src/sim/random.js';

/** The epoch of the tests' clocks: any fixed time will do. */
export const T0 = 1_700_000_000_000;

export interface TestEngineOptions {
  dir: string;
  /** The test's clock; the engine reads it on every call. */
  clock: () => number;
  segments: ReadonlySet<string>;
  behaviour?: Partial<DeviceBehaviour>;
  seed?: number;
}

/** A task engine with a test clock, a seed, no settle timer and exact one-second devices by default. */
export function openTestEngine({ dir, clock, segments, behaviour = {}, seed = 7 }: TestEngineOptions) {
  return TaskEngine.open({
    dir,
    logger: pino({ level: 'silent' }),
    clock,
    random: seededRandom(seed),
    segmentExists: (uid) => segments.has(uid),
    settleIntervalMs: 0,
    behaviour: { jitter: 0, durationMs: 1000, ...behaviour },
  });
}

let keyCounter = 0;

/** A StartTask request with a fresh idempotency key. */
export function taskRequest(
  deviceIps: string[],
  action = TaskAction.TASK_ACTION_INSTALL,
  segmentUid = 'seg-a',
) {
  keyCounter += 1;
  return { segmentUid, action, deviceIps, idempotencyKey: `key-${keyCounter}` };
}

/** Devices at a glance: state initial and percent, e.g. `R40 S100 F12 P0`. */
export const brief = (devices: DeviceProgress[]) =>
  devices.map((d) => `${'-PRSF'[d.state]}${d.percent}`).join(' ');
