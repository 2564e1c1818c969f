import { absent, type KvStore } from './kv.js';

/**
 * The layout of seghub's keys. Every key the product writes is named here, so the keyspace can be
 * read in one place and migrated deliberately.
 */
export const KEYSPACE_VERSION = 1;

export const keys = {
  /** Marks an initialised keyspace and the layout version it follows. */
  keyspace: 'meta/keyspace',
  /** Candidates of one leader election, `election/<name>/<leaseId>` (see `election.ts`). */
  election: (name: string) => `election/${name}/`,
  /** Every segment record, `segments/<name>/<version>`: a name's versions share a prefix. */
  segments: 'segments/',
  /** All versions of one name. */
  segmentVersions: (name: string) => `segments/${name}/`,
  /** One segment record; `id` is `<name>/<version>` (see `domain/segment-identity.ts`). */
  segment: (id: string) => `segments/${id}`,
} as const;

/** The segment id a `segments/...` key names, or undefined for any other key. */
export function segmentIdOfKey(key: string): string | undefined {
  return key.startsWith(keys.segments) ? key.slice(keys.segments.length) : undefined;
}

export interface KeyspaceInfo {
  version: number;
  createdAt: string;
}

export class KeyspaceVersionError extends Error {
  override name = 'KeyspaceVersionError';
}

/**
 * Creates the keyspace marker on first start and checks it on every later one. A store written by a
 * newer seghub (a higher layout version) is refused rather than misread.
 */
export async function initKeyspace(
  kv: KvStore,
  now = () => new Date(),
): Promise<KeyspaceInfo & { created: boolean }> {
  const fresh: KeyspaceInfo = { version: KEYSPACE_VERSION, createdAt: now().toISOString() };
  const result = await kv.txn({
    compare: [absent(keys.keyspace)],
    success: [{ type: 'put', key: keys.keyspace, value: JSON.stringify(fresh) }],
    failure: [{ type: 'get', key: keys.keyspace }],
  });
  if (result.succeeded) return { ...fresh, created: true };
  const existing = result.results[0];
  const info = JSON.parse(
    existing?.type === 'get' && existing.kv ? existing.kv.value : 'null',
  ) as KeyspaceInfo | null;
  if (!info || typeof info.version !== 'number')
    throw new KeyspaceVersionError(`${keys.keyspace} is unreadable`);
  if (info.version > KEYSPACE_VERSION) {
    throw new KeyspaceVersionError(
      `the store was written by a newer seghub (keyspace v${info.version}; this release reads v${KEYSPACE_VERSION})`,
    );
  }
  return { ...info, created: false };
}
