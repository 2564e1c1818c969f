/**
 * The controller members of sharded mode (SPEC-FLEET section 6), as `controllerMembers` shows them:
 * the seed's `/api/status`. Leader mode has no members: the list is empty.
 */
export interface ControllerMemberStatus {
  /** The member's stable id (`MEMBER_ID`). */
  readonly id: string;
  /** Milliseconds since the member last refreshed its heartbeat. */
  readonly heartbeatAgeMs: number;
  /** Segment names the member owns by the current assignment. */
  readonly ownedKeys: number;
}

export interface ControllerMembers {
  /** Live members, by id. */
  list(): Promise<ControllerMemberStatus[]>;
}
