import { ownedCounts } from '../controller/shard-assignment.js';
import type { ControllerMemberStatus, ControllerMembers } from '../domain/controller-members.js';
import type { SegmentCatalog } from '../domain/segments/segment-catalog.js';
import type { KvStore } from '../kv/kv.js';
import { readMembers } from '../kv/membership.js';
import { controllerMembership } from '../records/kinds.js';

/** A GraphQL Int; a heartbeat older than the longest TTL means a clock far off, not an age. */
const MAX_AGE_MS = 2 ** 31 - 1;

/**
 * `controllerMembers` from the store (live member keys and their heartbeats) and the segment names
 * in the catalog, assigned as every member assigns them (rendezvous hashing over the same ids).
 * The heartbeat age is judged by this replica's clock against the member's own: replicas are
 * expected to keep time (NTP); a negative age from a clock ahead reads as 0.
 */
export function controllerMembersService(
  store: KvStore,
  catalog: SegmentCatalog,
  now: () => Date = () => new Date(),
): ControllerMembers {
  return {
    async list(): Promise<ControllerMemberStatus[]> {
      const [members, segments] = await Promise.all([
        readMembers(store, controllerMembership),
        catalog.all(),
      ]);
      const names = new Set(segments.map((s) => s.record.name));
      const counts = ownedCounts(
        names,
        members.map((m) => m.id),
      );
      const at = now().getTime();
      return members.map((m) => ({
        id: m.id,
        heartbeatAgeMs: Math.min(MAX_AGE_MS, Math.max(0, at - new Date(m.heartbeatAt).getTime()) || 0),
        ownedKeys: counts.get(m.id) ?? 0,
      }));
    },
  };
}
