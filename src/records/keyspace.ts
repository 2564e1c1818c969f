import { absent, type KvStore, unchangedSince } from '../kv/kv.js';

/**
 * The layout of seghub's keys. Every key the product writes is named here, so the keyspace can be
 * read in one place and migrated deliberately.
 */
/**
 * 2: long seat lists and install records keep their seats in chunks (SPEC-FLEET D2), which a v1
 * release cannot read. A v1 store is readable as it is: its marker is raised in place.
 */
export const KEYSPACE_VERSION = 2;

/** A chunk's number in its key, zero-padded so that key order is chunk order. */
const chunkNumber = (n: number) => String(n).padStart(5, '0');

export const keys = {
  /** Marks an initialised keyspace and the layout version it follows. */
  keyspace: 'meta/keyspace',
  /**
   * Written by a read barrier that needs proof its watch is current (see `segment-cache.ts`): the
   * watch is certain to deliver this write, and so everything acknowledged before it.
   */
  readFence: 'meta/read-fence',
  /** Candidates of one leader election, `election/<name>/<leaseId>` (see `election.ts`). */
  election: (name: string) => `election/${name}/`,
  /**
   * Controller members in sharded mode (SPEC-FLEET section 6): `members/<memberId>`, each on its
   * member's lease (the heartbeat), and `members/epoch`, bumped by every join in the join's
   * transaction; owned writes compare both (D14). A member id is never `epoch` (see config).
   */
  members: 'members/',
  member: (memberId: string) => `members/${memberId}`,
  membersEpoch: 'members/epoch',
  /** When each member last refreshed its heartbeat, `member-heartbeats/<memberId>`, on its lease. */
  memberHeartbeats: 'member-heartbeats/',
  /** Every segment record, `segments/<name>/<version>`: a name's versions share a prefix. */
  segments: 'segments/',
  /** All versions of one name. */
  segmentVersions: (name: string) => `segments/${name}/`,
  /** One segment record; `id` is `<name>/<version>` (see `model/segment-identity.ts`). */
  segment: (id: string) => `segments/${id}`,
  /**
   * `identities/<name>/<versionIdentity>` holds the id of the one segment with that identity
   * (`1.0` and `1.0.0` share one, SPEC-FLEET D9). Written with the record, deleted with it; records
   * stored before this key existed have none (see `segment-records.ts`). Outside `segment*`, which
   * the segment watch covers.
   */
  segmentIdentity: (name: string, identity: string) => `identities/${name}/${identity}`,

  /** Every seat, `seats/<seatName>`. */
  seats: 'seats/',
  seat: (name: string) => `seats/${name}`,
  /** The IP index: `seat-ips/<canonical ip>` holds the seat name, so two seats never share an address. */
  seatIp: (canonicalIp: string) => `seat-ips/${canonicalIp}`,
  /**
   * Bumped by every write that could change which seats are bound to segments (an install record
   * created, a seat deleted). Both compare it, so a seat cannot be deleted while an install that
   * names it is being created.
   */
  seatBindingsLock: 'locks/seat-bindings',
  /** Seat groups (named label selectors), `seat-groups/<groupName>`. */
  seatGroups: 'seat-groups/',
  seatGroup: (name: string) => `seat-groups/${name}`,
  /** Trusted public keys (SPEC-FLEET section 3), `signing-keys/<keyId>`; revoked ones stay to judge old signatures. */
  signingKeys: 'signing-keys/',
  signingKey: (keyId: string) => `signing-keys/${keyId}`,

  /**
   * The common prefix of `segments/` and `segment-seats/`: one watch sees a segment and its seat
   * list change (`segmentUpdated` reports both).
   */
  segmentsAndSeatLists: 'segment',
  /** The seats a segment is installed on, one small value per segment: `segment-seats/<segmentId>`. */
  segmentSeatsAll: 'segment-seats/',
  segmentSeats: (segmentId: string) => `segment-seats/${segmentId}`,
  /**
   * Lists of more than 500 seats keep only a head in `segment-seats/<segmentId>`; the names live in
   * chunks of 500, `segment-seat-chunks/<segmentId>/<nonce>/<n>` (D2: no value over 256 KiB). Each
   * write uses a new nonce, so chunks never change under a head that names them. Under the
   * `segment` watch prefix, so one watch sees a list's chunks before its head.
   */
  segmentSeatChunksAll: 'segment-seat-chunks/',
  segmentSeatChunksOf: (segmentId: string) => `segment-seat-chunks/${segmentId}/`,
  segmentSeatChunks: (segmentId: string, nonce: string) => `segment-seat-chunks/${segmentId}/${nonce}/`,
  segmentSeatChunk: (segmentId: string, nonce: string, n: number) =>
    `segment-seat-chunks/${segmentId}/${nonce}/${chunkNumber(n)}`,

  /** Install records, `installs/<segmentId>/<seq>`: a segment's records share a prefix, oldest first. */
  installs: 'installs/',
  segmentInstalls: (segmentId: string) => `installs/${segmentId}/`,
  /** One install record; `recordId` is `<segmentId>/<seq>`. */
  install: (recordId: string) => `installs/${recordId}`,
  /** Present while a segment has an install record that has not ended; holds its record id. */
  activeInstall: (segmentId: string) => `install-active/${segmentId}`,
  /**
   * Records of more than 500 seats keep their seat names and addresses out of the record (D2), in
   * chunks of 500 in seat order: `install-seats/<recordId>/<nonce>/names/<n>` and `.../ips/<n>`.
   * The nonce is the record's own, so an install that lost its create never mixes with the winner.
   */
  segmentInstallSeats: (segmentId: string) => `install-seats/${segmentId}/`,
  installSeatsOf: (recordId: string) => `install-seats/${recordId}/`,
  installSeatChunks: (recordId: string, nonce: string) => `install-seats/${recordId}/${nonce}/`,
  installSeatChunk: (recordId: string, nonce: string, part: 'names' | 'ips', n: number) =>
    `install-seats/${recordId}/${nonce}/${part}/${chunkNumber(n)}`,
  /**
   * Present while any version of the segment name has an install record that has not ended; holds
   * its record id (D1: one active change per name). Written and removed with `activeInstall`.
   */
  activeNameInstall: (name: string) => `install-active-name/${name}`,

  /**
   * Install logs, split so that a poll rewrites only what changed: a small summary, and the
   * per-seat states in fixed chunks of seats (see `install-log-schema.ts`).
   */
  installLogs: 'install-logs/',
  segmentInstallLogs: (segmentId: string) => `install-logs/${segmentId}/`,
  installLog: (recordId: string) => `install-logs/${recordId}/`,
  installLogSummary: (recordId: string) => `install-logs/${recordId}/summary`,
  installLogChunks: (recordId: string) => `install-logs/${recordId}/chunks/`,
  installLogChunk: (recordId: string, chunk: number) =>
    `install-logs/${recordId}/chunks/${chunkNumber(chunk)}`,

  /**
   * Desired versions (D4), `desired-versions/<groupName>/<segmentName>`: the segment id the group's
   * seats should run. A group's desired versions share a prefix.
   */
  desiredVersions: 'desired-versions/',
  groupDesiredVersions: (group: string) => `desired-versions/${group}/`,
  desiredVersion: (group: string, name: string) => `desired-versions/${group}/${name}`,
  /** The converge state of one segment name: its current batch's record, the last error. */
  convergeStates: 'converge/',
  convergeState: (name: string) => `converge/${name}`,
  /** Seats converge failed on, per name: `converge-seats/<segmentName>/<seatName>` (attempts, backoff). */
  convergeSeatsOf: (name: string) => `converge-seats/${name}/`,
  convergeSeat: (name: string, seat: string) => `converge-seats/${name}/${seat}`,

  /**
   * Staged rollouts (SPEC-FLEET section 2), `rollouts/<rolloutId>`: the head every decision lives in.
   * Ids start with their creation time, so key order is creation order.
   */
  rollouts: 'rollouts/',
  rollout: (rolloutId: string) => `rollouts/${rolloutId}`,
  /** A rollout's seats in chunks of 500, in wave order (D2): `rollout-seats/<rolloutId>/<n>`. */
  rolloutSeatsOf: (rolloutId: string) => `rollout-seats/${rolloutId}/`,
  rolloutSeatChunk: (rolloutId: string, n: number) => `rollout-seats/${rolloutId}/${chunkNumber(n)}`,
  /** Every rollout of a segment name, `rollout-names/<name>/<rolloutId>` (empty values), oldest first. */
  rolloutsOfName: (name: string) => `rollout-names/${name}/`,
  rolloutOfName: (name: string, rolloutId: string) => `rollout-names/${name}/${rolloutId}`,
  /** Present while a rollout of the segment name has not ended; holds its id (D1: one change per name). */
  activeRollouts: 'rollout-active/',
  activeRollout: (name: string) => `rollout-active/${name}`,

  /** The last remote-sync report of one SDP target. */
  remoteSyncReport: (target: string) => `remote-sync/${target}`,
  remoteSyncReports: 'remote-sync/',
  /**
   * `syncRemote` calls waiting for the leader: `remote-sync-requests/<target>/<requestId>`. The
   * leader syncs when one appears and deletes those it served in the transaction that writes the report.
   */
  remoteSyncRequests: 'remote-sync-requests/',
  remoteSyncRequestsOf: (target: string) => `remote-sync-requests/${target}/`,
  remoteSyncRequest: (target: string, requestId: string) => `remote-sync-requests/${target}/${requestId}`,

  /**
   * The audit trail, one entry per mutation field: `audit/<inverted time>-<inverted sequence><random>`. The time is
   * counted down from 10^13 ms (year 2286), so key order is newest first: a page of the trail is
   * one range read, and entries past the retention period are the tail (see `audit-log.ts`).
   */
  audit: 'audit/',
  auditEntry: (entryId: string) => `audit/${entryId}`,

  /**
   * The HMAC key that signs transfer tokens (D12), created once by whichever replica needs it first
   * (put-if-absent) and shared by all: any replica verifies any token.
   */
  transferTokenKey: 'meta/transfer-token-key',
  /** Transfer token state, `transfer-tokens/<tokenId>`: kind, subject, expiry (see `transfer-token-records.ts`). */
  transferTokens: 'transfer-tokens/',
  transferToken: (tokenId: string) => `transfer-tokens/${tokenId}`,
  /**
   * The tokens of one subject, `transfer-token-subjects/<kind>/<encoded subject>/<tokenId>` (empty
   * values), so that every token of an upload session or a segment is revoked in one range read.
   */
  transferTokensOfSubject: (kind: string, subject: string) =>
    `transfer-token-subjects/${kind}/${encodeURIComponent(subject)}/`,
  transferTokenOfSubject: (kind: string, subject: string, tokenId: string) =>
    `transfer-token-subjects/${kind}/${encodeURIComponent(subject)}/${tokenId}`,

  /** Open upload sessions (SPEC-FLEET section 4), `upload-sessions/<sessionId>`: file, size, owner, last use. */
  uploadSessions: 'upload-sessions/',
  uploadSession: (sessionId: string) => `upload-sessions/${sessionId}`,
  /**
   * The tus lock of one upload session, `locks/upload-sessions/<sessionId>`: the holder's id, on its
   * process's lease, so a killed process's locks go with its lease (see `upload-locks.ts`).
   */
  uploadLock: (sessionId: string) => `locks/upload-sessions/${sessionId}`,
  /** Requests to give an upload lock up, `upload-lock-requests/<sessionId>`, watched by every process. */
  uploadLockRequests: 'upload-lock-requests/',
  uploadLockRequest: (sessionId: string) => `upload-lock-requests/${sessionId}`,
} as const;

/** The segment id a `segments/...` key names, or undefined for any other key. */
export function segmentIdOfKey(key: string): string | undefined {
  return key.startsWith(keys.segments) ? key.slice(keys.segments.length) : undefined;
}

/** The install record id an `installs/...` key names, or undefined for any other key. */
export function installIdOfKey(key: string): string | undefined {
  return key.startsWith(keys.installs) ? key.slice(keys.installs.length) : undefined;
}

export interface KeyspaceInfo {
  version: number;
  createdAt: string;
  /** When an older layout's marker was raised to this one (no record needed rewriting). */
  upgradedAt?: string;
}

export class KeyspaceVersionError extends Error {
  override name = 'KeyspaceVersionError';
}

/**
 * Creates the keyspace marker on first start and checks it on every later one. A store written by a
 * newer seghub (a higher layout version) is refused rather than misread; an older one is raised to
 * this layout, once, so that the older release refuses it from then on.
 */
export async function initKeyspace(
  kv: KvStore,
  now = () => new Date(),
): Promise<KeyspaceInfo & { created: boolean; upgradedFrom?: number }> {
  for (;;) {
    const fresh: KeyspaceInfo = { version: KEYSPACE_VERSION, createdAt: now().toISOString() };
    const result = await kv.txn({
      compare: [absent(keys.keyspace)],
      success: [{ type: 'put', key: keys.keyspace, value: JSON.stringify(fresh) }],
      failure: [{ type: 'get', key: keys.keyspace }],
    });
    if (result.succeeded) return { ...fresh, created: true };
    const existing = result.results[0];
    const stored = existing?.type === 'get' ? existing.kv : undefined;
    const info = JSON.parse(stored?.value ?? 'null') as KeyspaceInfo | null;
    if (!stored || !info || typeof info.version !== 'number')
      throw new KeyspaceVersionError(`${keys.keyspace} is unreadable`);
    if (info.version > KEYSPACE_VERSION) {
      throw new KeyspaceVersionError(
        `the store was written by a newer seghub (keyspace v${info.version}; this release reads v${KEYSPACE_VERSION})`,
      );
    }
    if (info.version === KEYSPACE_VERSION) return { ...info, created: false };
    const raised: KeyspaceInfo = { ...info, version: KEYSPACE_VERSION, upgradedAt: now().toISOString() };
    const upgrade = await kv.txn({
      compare: [unchangedSince(keys.keyspace, stored.modRevision)],
      success: [{ type: 'put', key: keys.keyspace, value: JSON.stringify(raised) }],
    });
    if (upgrade.succeeded) return { ...raised, created: false, upgradedFrom: info.version };
  }
}
