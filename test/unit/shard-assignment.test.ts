import { describe, expect, it } from 'vitest';
import { assign, ownedCounts, ownerOf, ownershipFilter } from '../../src/controller/shard-assignment.js';

/** SPEC-FLEET D14: rendezvous hashing of segment names; "about 1/N" = within ±5 points over 2,000 names. */
const names = Array.from({ length: 2000 }, (_, i) => `segment-${i.toString(36)}-${(i * 7919) % 1000}`);
const three = ['seghub-a-1f2e3d4c', 'seghub-b-5a6b7c8d', 'seghub-c-9e0f1a2b'];

describe('shard assignment', () => {
  it('gives every name exactly one owner, each member about a third', () => {
    const owners = assign(names, three);
    expect([...owners.values()].every((o) => o !== undefined && three.includes(o))).toBe(true);
    const counts = ownedCounts(names, three);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(names.length);
    for (const count of counts.values())
      expect(Math.abs((count / names.length) * 100 - 100 / 3)).toBeLessThanOrEqual(5);
  });

  it('moves only the removed member’s names, evenly, and restores them when it comes back', () => {
    const before = assign(names, three);
    const gone = three[1]!;
    const survivors = three.filter((m) => m !== gone);
    const after = assign(names, survivors);
    const moved = names.filter((n) => before.get(n) !== after.get(n));
    // Exactly the names the removed member owned moved; no other name changed owner.
    expect(moved.sort()).toEqual(names.filter((n) => before.get(n) === gone).sort());
    expect(Math.abs((moved.length / names.length) * 100 - 100 / 3)).toBeLessThanOrEqual(5);
    // Its names spread over the survivors, about half each.
    const toFirst = moved.filter((n) => after.get(n) === survivors[0]).length;
    expect(Math.abs(toFirst / moved.length - 0.5)).toBeLessThan(0.1);
    // Each survivor now holds about half.
    for (const count of ownedCounts(names, survivors).values())
      expect(Math.abs((count / names.length) * 100 - 50)).toBeLessThanOrEqual(5);
    expect(assign(names, three)).toEqual(before);
  });

  it('does not depend on the order members are listed in', () => {
    const reversed = [...three].reverse();
    for (const name of names.slice(0, 200)) expect(ownerOf(name, reversed)).toBe(ownerOf(name, three));
  });

  it('adding a member takes names only onto it', () => {
    const before = assign(names, three);
    const after = assign(names, [...three, 'seghub-d-0a0b0c0d']);
    const moved = names.filter((n) => before.get(n) !== after.get(n));
    expect(moved.every((n) => after.get(n) === 'seghub-d-0a0b0c0d')).toBe(true);
    expect(Math.abs((moved.length / names.length) * 100 - 25)).toBeLessThanOrEqual(5);
  });

  it('answers ownership per term as the assignment does', () => {
    const owns = ownershipFilter(three[0]!, three);
    const owners = assign(names, three);
    for (const name of names) expect(owns(name)).toBe(owners.get(name) === three[0]);
    expect(ownerOf('x', [])).toBeUndefined();
  });
});
