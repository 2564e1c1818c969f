import type { RolloutSeat } from '../../records/rollout-schema.js';
import { windowState } from './maintenance-window.js';
import type { IndexedSeat, RolloutDraft } from './rollout-draft.js';
import type { EngineDeps, PassOutcome } from './rollout-engine-deps.js';
import { judgeBreach, tallyWave } from './rollout-follow.js';
import { freezeOf, msUntil } from './rollout-freeze.js';
import { stepRecordId } from './rollout-steps.js';
import { nextSeats, trustHoldOf } from './rollout-trust.js';

type Pass = PassOutcome & { write: boolean };

/**
 * The forward half of a rollout: each wave waits for its gates (freeze, window, approval), runs
 * its seats in steps of at most `MAX_SEATS_IN_FLIGHT`, retries failed seats when they are due,
 * soaks, and hands over to the next; after the last, the group's desired version is set.
 */
export async function forwardPass(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const wave = record.waves[record.currentWave];
  if (!wave) return finish(deps, draft);
  switch (wave.state) {
    case 'PENDING':
      return startWave(deps, draft);
    case 'RUNNING':
      return continueWave(deps, draft);
    case 'SOAKING':
      return soak(deps, draft);
    default:
      return { action: 'idle', write: false };
  }
}

async function startWave(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const index = record.currentWave;
  const wave = record.waves[index]!;
  const segment = await deps.segments.get(record.segmentId);
  if (segment?.record.deleteStatus !== 'NONE') return fail(draft, `segment ${record.segmentId} is gone`);
  const seats = await draft.waveSeats(index);
  const frozen = await freezeOf(deps, seats);
  if (frozen) return frozen.pause(draft);
  const held = await trustHoldOf(deps, draft, seats);
  if (held) return held.problem.fatal ? fail(draft, held.problem.reason) : held.pause(draft);
  const window = record.policy.maintenanceWindow;
  const state = window && windowState(window, draft.at());
  if (state && !state.open) {
    const opensAt = state.opensAt.toISOString();
    if (record.state === 'WAITING_WINDOW' && record.nextWaveAt === opensAt) {
      return { action: 'waiting for window', write: false, againInMs: msUntil(draft, opensAt) };
    }
    draft.enter('WAITING_WINDOW');
    record.nextWaveAt = opensAt;
    draft.event('WAITING_WINDOW', `wave ${index + 1} waits for the maintenance window at ${opensAt}`);
    return { action: 'waiting for window', write: true, againInMs: msUntil(draft, opensAt) };
  }
  if (wave.requireApproval && !record.approvals.some((a) => a.wave === index)) {
    if (record.state === 'WAITING_APPROVAL') return { action: 'waiting for approval', write: false };
    draft.enter('WAITING_APPROVAL');
    draft.event('WAITING_APPROVAL', `wave ${index + 1} waits for approval`);
    return { action: 'waiting for approval', write: true };
  }
  wave.state = 'RUNNING';
  wave.startedAt = draft.at().toISOString();
  record.startedAt ??= wave.startedAt;
  record.nextWaveAt = undefined;
  draft.enter('RUNNING');
  draft.event('WAVE_STARTED', `wave ${index + 1} started: ${wave.to - wave.from} seats`);
  await startStep(
    deps,
    draft,
    seats.filter(({ seat }) => seat.state === 'PENDING'),
    0,
  );
  return { action: 'wave started', write: true, againInMs: 0 };
}

async function continueWave(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const seats = await draft.waveSeats(record.currentWave);
  const fresh = seats.filter(({ seat }) => seat.state === 'PENDING');
  const next = fresh.length > 0 ? fresh : seats.filter(({ seat }) => seat.retryAt !== undefined);
  const held = next.length > 0 ? await trustHoldOf(deps, draft, next) : undefined;
  if (held) return held.problem.fatal ? fail(draft, held.problem.reason) : held.pause(draft);
  if (fresh.length > 0) {
    if (!(await startStep(deps, draft, fresh, 0))) return inFlightFull(deps);
    return { action: 'step started', write: true, againInMs: 0 };
  }
  const waiting = seats.filter(({ seat }) => seat.retryAt !== undefined);
  if (waiting.length > 0) {
    const now = draft.at().getTime();
    const due = waiting.filter(({ seat }) => Date.parse(seat.retryAt as string) <= now);
    if (due.length === 0)
      return { action: 'retry later', write: false, againInMs: msUntil(draft, record.retryAt) };
    const attempt = Math.max(...due.map(({ seat }) => seat.attempts));
    if (!(await startStep(deps, draft, due, attempt))) return inFlightFull(deps);
    draft.event(
      'RETRY',
      `wave ${record.currentWave + 1}: ${due.length} seats retried (attempt ${attempt + 1})`,
    );
    return { action: 'retry started', write: true, againInMs: 0 };
  }
  const wave = record.waves[record.currentWave]!;
  if (wave.soakSeconds === 0) return completeWave(deps, draft);
  const now = draft.at().getTime();
  wave.state = 'SOAKING';
  wave.soakUntil = new Date(now + wave.soakSeconds * 1000).toISOString();
  wave.soakCheckAt = new Date(Math.min(now + deps.soakCheckMs, Date.parse(wave.soakUntil))).toISOString();
  record.nextWaveAt = wave.soakUntil;
  draft.enter('SOAKING');
  draft.event('SOAKING', `wave ${record.currentWave + 1} soaks until ${wave.soakUntil}`);
  return { action: 'soaking', write: true, againInMs: msUntil(draft, wave.soakCheckAt) };
}

/**
 * D5 soak: at every check and at its end, the installed sets are read again from SDP; a seat of
 * the wave that lost the version counts as failed.
 */
async function soak(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const wave = record.waves[record.currentWave]!;
  // A key revoked during the soak pauses the rollout now, before the next wave is due.
  const held = await trustHoldOf(deps, draft, await nextSeats(draft));
  if (held) return held.problem.fatal ? fail(draft, held.problem.reason) : held.pause(draft);
  const due = wave.soakCheckAt ?? wave.soakUntil;
  if (due && Date.parse(due) > draft.at().getTime())
    return { action: 'soaking', write: false, againInMs: msUntil(draft, due) };
  await deps.installs.refreshSeats(record.segmentId);
  const running = new Set((await deps.segmentSeats.get(record.segmentId)).seats);
  const seats = await draft.waveSeats(record.currentWave);
  let lost = 0;
  for (const { index, seat } of seats) {
    if (seat.state !== 'SUCCEEDED' || running.has(seat.seat)) continue;
    draft.setSeat(index, { ...seat, state: 'FAILED', error: 'found uninstalled during the soak' });
    lost++;
  }
  if (lost > 0) {
    draft.event('SOAK_LOST', `wave ${record.currentWave + 1}: ${lost} seats no longer run the version`);
    await tallyWave(draft, record.currentWave);
    judgeBreach(draft);
    if (record.state !== 'SOAKING') return { action: 'breach in soak', write: true, againInMs: 0 };
  }
  const now = draft.at().getTime();
  if (now >= Date.parse(wave.soakUntil as string)) return completeWave(deps, draft);
  wave.soakCheckAt = new Date(
    Math.min(now + deps.soakCheckMs, Date.parse(wave.soakUntil as string)),
  ).toISOString();
  return { action: 'soak checked', write: true, againInMs: msUntil(draft, wave.soakCheckAt) };
}

async function completeWave(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  const wave = record.waves[record.currentWave]!;
  wave.state = 'SUCCEEDED';
  wave.finishedAt = draft.at().toISOString();
  wave.soakCheckAt = undefined;
  draft.event(
    'WAVE_SUCCEEDED',
    `wave ${record.currentWave + 1} succeeded: ${wave.succeeded} seats, ${wave.failed} failed`,
  );
  record.currentWave++;
  record.nextWaveAt = undefined;
  if (record.currentWave < record.waves.length) {
    draft.enter('RUNNING');
    return { action: 'wave succeeded', write: true, againInMs: 0 };
  }
  return finish(deps, draft);
}

/** Every wave succeeded: a group's desired version becomes the rollout's (D4), then SUCCEEDED. */
async function finish(deps: EngineDeps, draft: RolloutDraft): Promise<Pass> {
  const { record } = draft;
  if (record.group !== undefined) {
    await deps.desired.set(record.group, record.segmentId, {
      setBy: `rollout:${draft.id}`,
      rolloutId: draft.id,
    });
  }
  draft.enter('SUCCEEDED');
  record.finishedAt = draft.at().toISOString();
  draft.event(
    'SUCCEEDED',
    record.group ? `${record.group} now desires ${record.segmentId}` : 'every wave succeeded',
  );
  return { action: 'succeeded', write: true };
}

/**
 * Marks the seats RUNNING for one step, recording first what each runs now (`fromVersions`, what a
 * rollback returns it to). Seats deleted since creation, or already running the version, are SKIPPED.
 */
async function startStep(
  deps: EngineDeps,
  draft: RolloutDraft,
  seats: IndexedSeat[],
  attempt: number,
): Promise<boolean> {
  const { record } = draft;
  // D5: seats changing at once, across every rollout and converge, stay under MAX_SEATS_IN_FLIGHT.
  const room = Math.max(0, deps.maxSeatsInFlight - (await deps.installs.seatsInFlight()));
  if (room === 0) return false;
  const take = seats.slice(0, room);
  const names = take.map(({ seat }) => seat.seat);
  const [present, versions] = await Promise.all([
    deps.seats.getMany(names),
    versionsOn(deps, record.segmentId),
  ]);
  const target = record.segmentId.slice(record.name.length + 1);
  const from = new Set(record.fromVersionSet);
  let started = 0;
  for (const { index, seat } of take) {
    const runs = versions.get(seat.seat) ?? [];
    if (!present.has(seat.seat)) {
      draft.setSeat(index, {
        ...seat,
        state: 'SKIPPED',
        error: 'the seat was deleted before its wave',
        retryAt: undefined,
      });
      continue;
    }
    // A first attempt records what the seat runs; a retry keeps what was recorded before it was touched.
    const fromVersions = seat.attempts === 0 ? runs.filter((v) => v !== target) : seat.fromVersions;
    if (seat.attempts === 0 && runs.includes(target) && fromVersions.length === 0) {
      draft.setSeat(index, { ...seat, state: 'SKIPPED', error: 'already runs the version' });
      continue;
    }
    for (const version of fromVersions) from.add(version);
    const next: RolloutSeat = {
      seat: seat.seat,
      wave: seat.wave,
      state: 'RUNNING',
      fromVersions,
      attempts: seat.attempts + 1,
    };
    draft.setSeat(index, next);
    started++;
  }
  record.fromVersionSet = [...from].sort();
  record.retryAt = undefined;
  if (started === 0) return true;
  record.stepSeq++;
  record.step = {
    kind: 'WAVE',
    wave: record.currentWave,
    attempt,
    recordId: stepRecordId(record.segmentId, draft.id, record.stepSeq, draft.at()),
    accounted: false,
  };
  return true;
}

/** Seat → the versions of the name it runs now, from the seat lists. */
async function versionsOn(deps: EngineDeps, segmentId: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const version of await deps.segments.versions(segmentId)) {
    const { seats } = await deps.segmentSeats.get(version.id);
    for (const seat of seats) out.set(seat, [...(out.get(seat) ?? []), version.record.version]);
  }
  return out;
}

/** Every seat allowed in flight is changing already: look again shortly. */
function inFlightFull(deps: EngineDeps): Pass {
  return { action: 'waiting for room in flight', write: false, againInMs: deps.inFlightWaitMs };
}

function fail(draft: RolloutDraft, error: string): Pass {
  draft.enter('FAILED');
  draft.record.error = error;
  draft.record.finishedAt = draft.at().toISOString();
  draft.event('FAILED', error);
  return { action: 'failed', write: true };
}
