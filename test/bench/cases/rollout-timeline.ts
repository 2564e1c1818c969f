import type { KvStore } from '../../../src/kv/kv.js';
import { keys } from '../../../src/records/keyspace.js';
import { rolloutCodec } from '../../../src/records/rollout-schema.js';
import { rolloutKey } from '../rollout-protocol.js';

/** A head write of the rollout as the bench's watch saw it: when (`Date.now()`), and its API key. */
export interface HeadWrite {
  at: number;
  key: string;
}

/** One install record a wave step made, as the watch saw it (`Date.now()` times). */
export interface StepRecord {
  wave?: number;
  created: number;
  /** The controller wrote the record's plan (seats turned into addresses). */
  planned?: number;
  /** The controller wrote the ids of the SDP tasks it started. */
  tasksStarted?: number;
  ended?: number;
  taskIds: string[];
  /** Writes of the record's log: the polls that found progress. */
  logWrites: number;
}

/** What the watch saw from `createRollout` to the head write that says SUCCEEDED. */
export interface RolloutTimeline {
  /** `performance.now()` of that last head write. */
  endedAt: number;
  /** Every byte (keys and values) written to the store meanwhile. */
  bytes: number;
  /** Bytes by the first segment of the key (`installs`, `install-logs`, `rollout-seats`, …). */
  bytesByPrefix: Record<string, number>;
  heads: HeadWrite[];
  /** Per wave (`Date.now()`): the head first showing it started, its step accounted, it SUCCEEDED. */
  waveStarted: number[];
  waveAccounted: number[];
  waveSucceeded: number[];
  steps: StepRecord[];
}

const FINAL_INSTALL = new Set(['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED']);
const SUMMARY = '/summary';

/**
 * Follows every write under seghub's prefix until the (only) rollout's head is SUCCEEDED; a head
 * that ends otherwise fails the case. Call with the watch ready, before `createRollout`.
 */
export async function followRollout(watch: ReturnType<KvStore['watch']>): Promise<RolloutTimeline> {
  const t: RolloutTimeline = {
    endedAt: 0,
    bytes: 0,
    bytesByPrefix: {},
    heads: [],
    waveStarted: [],
    waveAccounted: [],
    waveSucceeded: [],
    steps: [],
  };
  const steps = new Map<string, StepRecord>();
  for await (const message of watch) {
    if (message.kind !== 'events') continue;
    const wall = Date.now();
    for (const e of message.events) {
      if (e.type !== 'put') continue;
      const { key, value } = e.kv;
      t.bytes += key.length + value.length;
      const prefix = key.slice(0, key.indexOf('/') + 1) || key;
      t.bytesByPrefix[prefix] = (t.bytesByPrefix[prefix] ?? 0) + key.length + value.length;
      if (key.startsWith(keys.installs)) noteInstall(steps, t, key, value, wall);
      if (key.startsWith(keys.installLogs) && key.endsWith(SUMMARY)) {
        const step = steps.get(keys.install(key.slice(keys.installLogs.length, -SUMMARY.length)));
        if (step) step.logWrites++;
      }
      if (!key.startsWith(keys.rollouts)) continue;
      const head = rolloutCodec.decode(key, value);
      t.heads.push({ at: wall, key: rolloutKey(head) });
      head.waves.forEach((wave, i) => {
        if (wave.state !== 'PENDING') t.waveStarted[i] ??= wall;
        if (wave.state === 'SUCCEEDED') t.waveSucceeded[i] ??= wall;
        // A pass that accounts a step and completes its wave at once writes both in one head.
        if (wave.state === 'SUCCEEDED') t.waveAccounted[i] ??= wall;
      });
      if (head.step?.accounted) t.waveAccounted[head.step.wave] ??= wall;
      if (head.state === 'SUCCEEDED') {
        t.endedAt = performance.now();
        return t;
      }
      if (['FAILED', 'CANCELLED', 'ROLLED_BACK', 'PAUSED'].includes(head.state)) {
        throw new Error(`the rollout ended ${head.state}: ${head.paused?.reason ?? head.error ?? ''}`);
      }
    }
  }
  throw new Error('the watch ended before the rollout did');
}

function noteInstall(
  steps: Map<string, StepRecord>,
  t: RolloutTimeline,
  key: string,
  value: string,
  wall: number,
) {
  const head = JSON.parse(value) as {
    status: string;
    origin?: { wave?: number };
    plan?: { tasks: Array<{ taskId?: string }> };
  };
  let step = steps.get(key);
  if (!step) {
    step = { wave: head.origin?.wave, created: wall, taskIds: [], logWrites: 0 };
    steps.set(key, step);
    t.steps.push(step);
  }
  if (head.plan) {
    step.planned ??= wall;
    step.taskIds = head.plan.tasks.flatMap((task) => (task.taskId ? [task.taskId] : []));
    if (step.taskIds.length > 0) step.tasksStarted ??= wall;
  }
  if (FINAL_INSTALL.has(head.status)) step.ended ??= wall;
}

/**
 * Per subscriber, each event matched to the head write it came from: the first (the rollout as it
 * was when the subscription began) to the last write with its key seen before it arrived, each later
 * one to the next write, in the order the watch saw them, with the same key. Returns receive − write
 * for every event but the first, and how many events matched no write.
 */
export function matchLatencies(
  heads: readonly HeadWrite[],
  received: ReadonlyArray<ReadonlyArray<[number, string]>>,
) {
  const latencies: number[] = [];
  let unmatched = 0;
  for (const events of received) {
    const [first, ...live] = events;
    if (!first) continue;
    let cursor = 0;
    for (let j = 0; j < heads.length && heads[j]!.at <= first[0]; j++)
      if (heads[j]!.key === first[1]) cursor = j + 1;
    for (const [at, key] of live) {
      let j = cursor;
      while (j < heads.length && heads[j]!.key !== key) j++;
      if (j === heads.length) {
        unmatched++;
        continue;
      }
      latencies.push(at - heads[j]!.at);
      cursor = j + 1;
    }
  }
  return { latencies, unmatched };
}
