import type { RolloutRecord, RolloutState, RolloutSummary } from '../../records/rollout-schema.js';

/** Small edits of a rollout head shared by the service (operators' actions) and the engine. */

/** The head keeps this many events; older ones are in the audit trail and the logs. */
const MAX_EVENTS = 100;

/** States whose duration is measured (D5 metrics: seconds spent PAUSED and WAITING_*). */
const MEASURED: readonly RolloutState[] = ['PAUSED', 'WAITING_APPROVAL', 'WAITING_WINDOW'];

export function emptySummary(total: number): RolloutSummary {
  return {
    total,
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    rolledBack: 0,
    notReverted: 0,
    skipped: 0,
  };
}

export function addEvent(record: RolloutRecord, at: Date, kind: string, message: string, by?: string): void {
  record.events.push({ at: at.toISOString(), kind, message: message.slice(0, 1000), ...(by ? { by } : {}) });
  if (record.events.length > MAX_EVENTS) record.events.splice(0, record.events.length - MAX_EVENTS);
}

/** Enters `state`, adding the time spent in a measured state being left to `waitedSeconds`. */
export function moveWait(record: RolloutRecord, state: RolloutState, now: Date): void {
  if (record.state === state) return;
  if (MEASURED.includes(record.state) && record.waitingSince) {
    const seconds = Math.max(0, (now.getTime() - Date.parse(record.waitingSince)) / 1000);
    const waited = { ...(record.waitedSeconds ?? {}) };
    waited[record.state] = (waited[record.state] ?? 0) + seconds;
    record.waitedSeconds = waited;
  }
  record.state = state;
  record.waitingSince = now.toISOString();
}

/**
 * The current wave's counts for judging a breach: what its chunks hold, plus the seats of the
 * running step that its log shows ended (failures only on a seat's last attempt: before that, a
 * failed seat is retried and has not failed yet).
 */
export function currentWaveTally(
  record: RolloutRecord,
): { size: number; ended: number; failed: number; acceptedFailed: number } | undefined {
  const wave = record.waves[record.currentWave];
  if (!wave) return undefined;
  const live = record.live;
  const lastAttempt = (record.step?.attempt ?? 0) >= record.policy.seatRetries;
  const liveFailed = live && lastAttempt ? live.failed + live.timedOut : 0;
  const liveEnded = live ? live.succeeded + liveFailed : 0;
  return {
    size: wave.to - wave.from,
    ended: wave.succeeded + wave.failed + liveEnded,
    failed: wave.failed + liveFailed,
    acceptedFailed: wave.acceptedFailed,
  };
}
