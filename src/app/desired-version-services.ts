import type { Config } from '../config/config.js';
import { ConvergeService } from '../domain/desired-versions/converge-service.js';
import { DesiredVersionService } from '../domain/desired-versions/desired-version-service.js';
import type { GroupFreezeGuard } from '../domain/groups/freeze-guard.js';
import type { GroupService } from '../domain/groups/group-service.js';
import type { InstallService } from '../domain/installs/install-service.js';
import { RolloutGate } from '../domain/rollouts/rollout-gate.js';
import { lastRolloutPolicy } from '../domain/rollouts/rollout-uses.js';
import type { SegmentService } from '../domain/segments/segment-service.js';
import type { KvStore } from '../kv/kv.js';
import { DesiredVersionRecords } from '../records/desired-version-records.js';
import { RolloutRecords } from '../records/rollout-records.js';
import { SegmentSeats } from '../records/segment-seats.js';
import { refuseUndesirable } from './trust-services.js';

/** Desired versions per group and their converge (D4); a group holding one cannot be deleted. */
export function desiredVersionServices(
  store: KvStore,
  { groups, freezes }: { groups: GroupService; freezes: GroupFreezeGuard },
  segments: SegmentService,
  installs: InstallService,
  config: Pick<Config, 'converge' | 'rollouts'>,
) {
  const records = new DesiredVersionRecords(store);
  const rolloutRecords = new RolloutRecords(store);
  const gate = new RolloutGate(rolloutRecords, async (name) =>
    (await records.list()).filter((d) => d.name === name).map((d) => d.setAt),
  );
  const desiredVersions = new DesiredVersionService({
    records,
    groups,
    segments,
    segmentSeats: new SegmentSeats(store),
    refuse: refuseUndesirable,
  });
  const converge = new ConvergeService({
    desired: desiredVersions,
    records,
    installs,
    // The freezes installs refuse: converge waits for them instead (D8).
    freezes,
    rolloutHold: (name) => gate.holdsConverge(name),
    policyOf: (group, name) => lastRolloutPolicy(rolloutRecords, group, name),
    maxSeatsInFlight: config.rollouts.maxSeatsInFlight,
    ...config.converge,
  });
  segments.addInUseCheck(async (segmentId) => {
    const groupsDesiring = (await records.list())
      .filter((d) => d.segmentId === segmentId)
      .map((d) => d.group);
    return groupsDesiring.length === 0
      ? undefined
      : `it is the desired version of ${groupsDesiring.join(', ')}: set another or clear it first`;
  });
  groups.addInUseCheck(async (group) => {
    const held = await desiredVersions.forGroup(group);
    return held.length === 0
      ? undefined
      : `it has desired versions (${held.map((d) => d.name).join(', ')}): clear them first`;
  });
  return { desiredVersions, converge };
}
