import type { MembershipKeys } from '../kv/membership.js';
import { parseSegmentId } from '../model/segment-identity.js';
import type { SdpTarget } from '../model/targets.js';
import { desiredVersionOfKey } from './desired-version-records.js';
import { decodeHead } from './install-chunks.js';
import type { InstallHead } from './install-schema.js';
import { installIdOfKey, keys, segmentIdOfKey } from './keyspace.js';
import { targetOfRequestKey } from './remote-sync-store.js';
import { type RolloutRecord, rolloutCodec } from './rollout-schema.js';
import { decodeSegmentRecord, type SegmentRecord } from './segment-schema.js';

/**
 * What the controller needs to follow one kind of key without knowing the keyspace: the prefix to
 * list and watch, and the id a key names (undefined for keys of other kinds under the prefix).
 */
export interface KeyKind<Id> {
  readonly prefix: string;
  idOfKey(key: string): Id | undefined;
}

/** A kind of record: its keys, and the decoder of a value. */
export interface RecordKind<Id, R> extends KeyKind<Id> {
  decode(key: string, value: string): R;
}

/** Segment records, by segment id (`<name>/<version>`). */
export const segmentKind: RecordKind<string, SegmentRecord> = {
  prefix: keys.segments,
  idOfKey: segmentIdOfKey,
  decode: decodeSegmentRecord,
};

/** Install records, by record id (`<segmentId>/<seq>`): their heads (a long record's seats are apart). */
export const installKind: RecordKind<string, InstallHead> = {
  prefix: keys.installs,
  idOfKey: installIdOfKey,
  decode: decodeHead,
};

/** Rollout heads, by rollout id (their seats are in chunks apart). */
export const rolloutKind: RecordKind<string, RolloutRecord> = {
  prefix: keys.rollouts,
  idOfKey: (key) => (key.startsWith(keys.rollouts) ? key.slice(keys.rollouts.length) : undefined),
  decode: (key, value) => rolloutCodec.decode(key, value),
};

/** The active-rollout markers, by segment name (D1): one goes when its rollout ends. */
export const activeRolloutKind: KeyKind<string> = {
  prefix: keys.activeRollouts,
  idOfKey: (key) => (key.startsWith(keys.activeRollouts) ? key.slice(keys.activeRollouts.length) : undefined),
};

/** Seat group records, by group name: a freeze or a thaw is a change of one. */
export const seatGroupKeys: KeyKind<string> = {
  prefix: keys.seatGroups,
  idOfKey: (key) => (key.startsWith(keys.seatGroups) ? key.slice(keys.seatGroups.length) : undefined),
};

/** Trusted signing keys, by key id (SPEC-FLEET section 3). */
export const signingKeyKeys: KeyKind<string> = {
  prefix: keys.signingKeys,
  idOfKey: (key) => (key.startsWith(keys.signingKeys) ? key.slice(keys.signingKeys.length) : undefined),
};

/** `syncRemote` requests waiting for the leader, by the SDP target they ask to sync. */
export const remoteSyncRequestKind: KeyKind<SdpTarget> = {
  prefix: keys.remoteSyncRequests,
  idOfKey: targetOfRequestKey,
};

/** Desired versions, by the group and the segment name they are for (converge works per name). */
export const desiredVersionKind: KeyKind<{ group: string; name: string }> = {
  prefix: keys.desiredVersions,
  idOfKey: desiredVersionOfKey,
};

/** The per-name active-install markers, by segment name: one goes away when a name's install ends. */
export const activeNameInstallKind: KeyKind<string> = {
  prefix: keys.activeNameInstall(''),
  idOfKey: (key) => key.slice(keys.activeNameInstall('').length) || undefined,
};

/** Segment seat lists, by the segment name they belong to (a seat lost or gained a version). */
export const seatListNameKind: KeyKind<string> = {
  prefix: keys.segmentSeatsAll,
  idOfKey: (key) => parseSegmentId(key.slice(keys.segmentSeatsAll.length))?.name,
};

/** The controller members of sharded mode (SPEC-FLEET section 6): member keys, epoch, heartbeats. */
export const controllerMembership: MembershipKeys = {
  prefix: keys.members,
  epochKey: keys.membersEpoch,
  heartbeatPrefix: keys.memberHeartbeats,
};

/** The election every seghub process of one store campaigns in for the controller's leadership. */
export const controllerElection = keys.election('controller');

/**
 * The keys behind `segmentUpdated`: segment records and their seat lists share one watch prefix, so
 * a subscriber sees a segment and the seats it is installed on change in one ordered stream.
 */
export const segmentChangeKeys = {
  prefix: keys.segmentsAndSeatLists,
  /** Every segment record and seat list, or those of one segment. */
  matcher(id: string | undefined): (key: string) => boolean {
    return id === undefined
      ? (k) => k.startsWith(keys.segments) || k.startsWith(keys.segmentSeatsAll)
      : (k) => k === keys.segment(id) || k === keys.segmentSeats(id);
  },
  /** The segment whose seat list a key holds; undefined for any other key. */
  seatListOwner(key: string): string | undefined {
    return key.startsWith(keys.segmentSeatsAll) ? key.slice(keys.segmentSeatsAll.length) : undefined;
  },
};

/** The keys behind `installLogUpdated`: each log is a summary and per-seat chunks under one prefix. */
export const installLogKeys = {
  prefix: keys.installLogs,
  /** Every key of one record's log. */
  matcher(recordId: string): (key: string) => boolean {
    const prefix = keys.installLog(recordId);
    return (k) => k.startsWith(prefix);
  },
  isSummary: (recordId: string, key: string) => key === keys.installLogSummary(recordId),
  /** The chunk number a chunk key holds; undefined for a key that is no chunk. */
  chunkOf(key: string): number | undefined {
    const n = Number(key.slice(key.lastIndexOf('/') + 1));
    return key.includes('/chunks/') && Number.isInteger(n) ? n : undefined;
  },
};
