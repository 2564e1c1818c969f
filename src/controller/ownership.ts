import { parseSegmentId } from '../model/segment-identity.js';

/**
 * Sharded mode (SPEC-FLEET section 6): whether this member owns a segment name in the current term.
 * Leader mode passes none: the leader owns everything.
 */
export type OwnsName = (segmentName: string) => boolean;

/** `<name>/<version>` → the name. */
export function nameOfSegmentId(segmentId: string): string | undefined {
  return parseSegmentId(segmentId)?.name;
}

/** An install record id, `<name>/<version>/<seq>` → the name. */
export function nameOfInstallId(recordId: string): string | undefined {
  const cut = recordId.lastIndexOf('/');
  return cut > 0 ? nameOfSegmentId(recordId.slice(0, cut)) : undefined;
}

/** A key filter for `runWorkers`' `owns`: the key's name is owned (a key naming none is not). */
export function ownsKeys<K>(owns: OwnsName, nameOf: (key: K) => string | undefined): (key: K) => boolean {
  return (key: K) => {
    const name = nameOf(key);
    return name !== undefined && owns(name);
  };
}
