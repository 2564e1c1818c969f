import { createHash } from 'node:crypto';

/**
 * Which controller member owns a segment name (SPEC-FLEET D14): rendezvous (highest random weight)
 * hashing. Every member scores every name; the highest score owns it. Removing a member moves only
 * the names it owned (each to the member with the next score), adding one takes names only onto
 * it, and every replica computes the same owner from the same member ids with no coordination.
 * Keyed by the segment *name*, so a name's segments, installs, converge and rollouts live together.
 */

/** The weight of `member` for `name`: the first 64 bits of SHA-256 over both. */
export function rendezvousScore(member: string, name: string): bigint {
  return createHash('sha256').update(member).update('\0').update(name).digest().readBigUInt64BE(0);
}

/** The owner of `name` among `members`, undefined when there are none. Ties go to the lower id. */
export function ownerOf(name: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1n;
  for (const member of members) {
    const score = rendezvousScore(member, name);
    if (score > bestScore || (score === bestScore && best !== undefined && member < best)) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}

/** The owner of each name. */
export function assign(names: Iterable<string>, members: readonly string[]): Map<string, string | undefined> {
  const owners = new Map<string, string | undefined>();
  for (const name of names) owners.set(name, ownerOf(name, members));
  return owners;
}

/** How many of `names` each member owns (every member listed, 0 when it owns none). */
export function ownedCounts(names: Iterable<string>, members: readonly string[]): Map<string, number> {
  const counts = new Map(members.map((m) => [m, 0]));
  for (const name of names) {
    const owner = ownerOf(name, members);
    if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

/**
 * "Does `self` own this name?" for one term, remembered per name: reconcilers ask for the same
 * names over and over, and the member set is fixed for the term.
 */
export function ownershipFilter(self: string, members: readonly string[]): (name: string) => boolean {
  const known = new Map<string, boolean>();
  return (name) => {
    let mine = known.get(name);
    if (mine === undefined) {
      mine = ownerOf(name, members) === self;
      known.set(name, mine);
    }
    return mine;
  };
}
