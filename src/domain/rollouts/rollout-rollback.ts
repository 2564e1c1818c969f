import { compareVersions } from '../../model/segment-identity.js';
import type { RolloutSeat } from '../../records/rollout-schema.js';
import type { IndexedSeat, RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';
import { type StepProgress, type StepRequest, seatEnd, stepRecordId } from './rollout-steps.js';

type Pass = PassOutcome & { write: boolean };

/**
 * Rollback (SPEC-FLEET section 2, D6): every seat the rollout touched returns to its
 * `fromVersions`. Planned once from the seats, as steps each of which is one install record of
 * origin ROLLBACK: put each previous version back (`ADD`) and take the rollout's version off
 * (`REMOVE`), in the rollout's upgrade order. INSTALL_FIRST removes only from seats whose previous
 * versions came back, so a seat is never left with nothing it did not start with. A seat a step
 * fails on ends NOT_REVERTED with the reason, and later steps leave it alone. Rollbacks skip
 * windows, freezes and approvals.
 */
export async function rollbackPass(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const rollback = record.rollback!;
  if (!rollback.planned) return plan(draft);
  const step = rollback.steps[rollback.next];
  if (step) {
    record.stepSeq++;
    record.step = {
      kind: 'ROLLBACK',
      wave: Math.min(record.currentWave, record.waves.length - 1),
      attempt: 0,
      index: rollback.next,
      recordId: stepRecordId(step.segmentId, draft.id, record.stepSeq, draft.at()),
      accounted: false,
    };
    return { action: 'rollback step', write: true, againInMs: 0 };
  }
  return finish(deps, draft);
}

async function plan(draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const rollback = record.rollback!;
  const touched = await touchedSeats(draft);
  const versions = new Set<string>();
  for (const { index, seat } of touched) {
    for (const version of seat.fromVersions) versions.add(version);
    if (seat.retryAt !== undefined) draft.setSeat(index, { ...seat, retryAt: undefined });
  }
  const adds = [...versions]
    .sort(compareVersions)
    .map((version) => ({ action: 'ADD' as const, segmentId: `${record.name}/${version}` }));
  const remove = { action: 'REMOVE' as const, segmentId: record.segmentId };
  rollback.steps = record.policy.upgradeOrder === 'UNINSTALL_FIRST' ? [remove, ...adds] : [...adds, remove];
  rollback.planned = true;
  for (const wave of record.waves)
    if (wave.state === 'RUNNING' || wave.state === 'SOAKING') wave.state = 'HALTED';
  record.retryAt = undefined;
  draft.event('ROLLBACK_PLANNED', `${touched.length} seats to revert in ${rollback.steps.length} steps`);
  return { action: 'rollback planned', write: true, againInMs: 0 };
}

/** Seats the rollout changed (or tried to): every seat of a wave that was started. */
async function touchedSeats(draft: RolloutDraft): Promise<IndexedSeat[]> {
  return (await draft.allSeats()).filter(({ seat }) => isTouched(seat));
}

function isTouched(seat: RolloutSeat): boolean {
  return (
    seat.wave !== null &&
    (seat.state === 'RUNNING' ||
      seat.state === 'SUCCEEDED' ||
      seat.state === 'FAILED' ||
      seat.state === 'TIMED_OUT' ||
      seat.state === 'NOT_REVERTED')
  );
}

/** The seats the current rollback step works on: touched, not yet given up, and (ADD) that ran that version. */
async function stepSeats(
  draft: RolloutDraft,
): Promise<{ seats: IndexedSeat[]; action: 'ADD' | 'REMOVE'; segmentId: string }> {
  const { record } = draft;
  const step = record.rollback!.steps[record.step!.index ?? 0]!;
  const version = step.segmentId.slice(record.name.length + 1);
  const seats = (await touchedSeats(draft)).filter(
    ({ seat }) =>
      seat.state !== 'NOT_REVERTED' && (step.action === 'REMOVE' || seat.fromVersions.includes(version)),
  );
  return { seats, ...step };
}

export async function rollbackStepRequest(draft: RolloutDraft, timeoutMs: number): Promise<StepRequest> {
  const { record } = draft;
  const { seats, action, segmentId } = await stepSeats(draft);
  return {
    segmentId,
    seats: seats.map(({ seat }) => seat.seat),
    mode: action,
    origin: {
      kind: 'ROLLBACK',
      rolloutId: draft.id,
      wave: record.step!.wave,
      attempt: record.step!.index ?? 0,
    },
    replaceOtherVersions: false,
    upgradeOrder: record.policy.upgradeOrder,
    timeoutMs,
  };
}

/** A rollback step ended: seats it failed on are NOT_REVERTED with the reason. */
export async function accountRollbackStep(
  _deps: EngineDeps,
  draft: RolloutDraft,
  progress: StepProgress | undefined,
  failure: string | undefined,
): Promise<void> {
  const { record } = draft;
  const { seats, action, segmentId } = await stepSeats(draft);
  const what = action === 'ADD' ? `could not reinstall ${segmentId}` : `could not uninstall ${segmentId}`;
  for (const { index, seat } of seats) {
    const end = failure === undefined ? seatEnd(progress, seat.seat) : { ok: false, error: failure };
    if (end.ok) continue;
    draft.setSeat(index, { ...seat, state: 'NOT_REVERTED', error: `${what}: ${end.error}` });
  }
  record.rollback!.next++;
}

async function finish(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  let reverted = 0;
  let notReverted = 0;
  for (const { index, seat } of await touchedSeats(draft)) {
    if (seat.state === 'NOT_REVERTED') {
      notReverted++;
      continue;
    }
    draft.setSeat(index, { ...seat, state: 'ROLLED_BACK', error: undefined, retryAt: undefined });
    reverted++;
  }
  await restoreDesired(deps, draft);
  draft.enter('ROLLED_BACK');
  record.finishedAt = draft.at().toISOString();
  draft.event('ROLLED_BACK', `${reverted} seats reverted, ${notReverted} could not be`);
  return { action: 'rolled back', write: true };
}

/** The group's desired version returns to what it was before the rollout, if the rollout had set it. */
async function restoreDesired(deps: EngineDeps, draft: RolloutDraft): Promise<void> {
  const { record } = draft;
  if (record.group === undefined) return;
  const current = await deps.desired.get(record.group, record.name);
  if (current?.segmentId !== record.segmentId) return;
  if (record.previousDesired) {
    await deps.desired.set(record.group, record.previousDesired, {
      setBy: `rollback:${draft.id}`,
      restore: true,
    });
  } else {
    await deps.desired.clear(record.group, record.name);
  }
}
